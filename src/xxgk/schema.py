"""JSON Schema of `xxgk.report/1`, generated from the format declarations."""

from __future__ import annotations

from typing import Any

from .formats import AMOUNT, AMOUNT_TEXT, COUNT, FORMATS, SIGNED, Table
from .model import SCHEMA_ID, SECTION_KEYS, SEVERITIES

_NUMBER = {
    COUNT: {"type": ["integer", "null"], "description": "件数；null = 原文空白"},
    SIGNED: {"type": ["integer", "null"], "description": "带符号整数（本年增/减）"},
    AMOUNT: {"type": ["number", "null"], "description": "金额，单位万元"},
    AMOUNT_TEXT: {"type": ["number", "null"], "description": "金额，按原文数值"},
}


def _table_schema(table: Table) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for row in table.rows:
        props: dict[str, Any] = {}
        for fld in row.fields:
            props[fld.key] = dict(_NUMBER[fld.kind], title=fld.label)
            if fld.kind == AMOUNT_TEXT:
                props[f"{fld.key}_text"] = {"type": ["string", "null"], "description": "原文写法（含单位）"}
        rows[row.key] = {
            "type": "object",
            "title": row.label,
            "properties": props,
            "additionalProperties": False,
        }
    return {"type": "object", "title": table.title, "properties": rows, "additionalProperties": False}


def _tables_by_key() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for spec in FORMATS.values():
        for table in spec.tables:
            schema = _table_schema(table)
            schema["title"] = f"{table.title}（{spec.id} 格式）"
            out.setdefault(table.key, []).append(schema)
    return out


def report_schema() -> dict[str, Any]:
    tables = {key: {"anyOf": [*variants, {"type": "null"}]} for key, variants in _tables_by_key().items()}
    nullable_str = {"type": ["string", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://xxgk.invalid/schema/xxgk.report-1.json",
        "title": "政府信息公开工作年度报告 (xxgk.report/1)",
        "type": "object",
        "required": [
            "schema",
            "format",
            "meta",
            "sections",
            "active",
            "applications",
            "reviews",
            "cells",
            "findings",
        ],
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "format": {"enum": ["2021", "2019", "pre2019", None]},
            "meta": {
                "type": "object",
                "required": ["agency", "year", "title", "publish_date", "script", "source"],
                "properties": {
                    "agency": nullable_str,
                    "year": {"type": ["integer", "null"]},
                    "title": nullable_str,
                    "publish_date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "script": {"enum": ["simplified", "traditional"]},
                    "source": {
                        "type": "object",
                        "properties": {
                            "path": nullable_str,
                            "sha256": nullable_str,
                            "media_type": nullable_str,
                        },
                    },
                },
            },
            "preamble": {
                "type": "string",
                "description": "前言：标题之后、第一部分之前的文字，每段一行；没有前言时为空字符串（较早的 JSON 可以没有此键）",
            },
            "sections": {
                "type": "object",
                "properties": {k: nullable_str for k in SECTION_KEYS},
                "additionalProperties": False,
            },
            **tables,
            "cells": {"type": "array", "items": _CELL},
            "findings": {"type": "array", "items": _FINDING},
            "artifacts": {"type": "array", "items": _ARTIFACT},
        },
    }


_WHERE = {
    "type": "object",
    "properties": {
        "line": {"type": "integer"},
        "column": {"type": "integer"},
        "page": {"type": "integer"},
        "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "table": {"type": "integer"},
        "row": {"type": "integer"},
        "col": {"type": "integer"},
    },
}

_CELL = {
    "type": "object",
    "required": ["ref", "value", "raw", "where", "confidence"],
    "properties": {
        "ref": {"type": "string", "pattern": r"^(active|applications|reviews)/[a-z_]+/[a-z_]+$"},
        "value": {"type": ["number", "null"]},
        "raw": {"type": "string"},
        "where": _WHERE,
        "confidence": {"enum": ["high", "low"]},
    },
}

_FINDING = {
    "type": "object",
    "required": ["code", "severity", "message", "cells"],
    "properties": {
        "code": {"type": "string", "pattern": r"^XG\d{3}$"},
        "severity": {"enum": list(SEVERITIES)},
        "message": {"type": "string"},
        "cells": {"type": "array", "items": {"type": "string"}},
        "hint": {"type": "string"},
        "where": {"type": "object"},
    },
}

_ARTIFACT = {
    "type": "object",
    "required": ["kind", "text", "where"],
    "properties": {"kind": {"type": "string"}, "text": {"type": "string"}, "where": _WHERE},
}
