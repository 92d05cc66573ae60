"""The report model and its `xxgk.report/1` JSON form (see docs/report-json.md).

Values live in `Report.cells`, keyed by reference (`applications/received/total`). A cell
that is present with value None was blank in the source; a cell that is absent was not
read at all (a partial source). Table objects in the JSON are derived from the cells and
the format declaration, so there is one representation of each table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .formats import AMOUNT, AMOUNT_TEXT, Format, get_format

SCHEMA_ID = "xxgk.report/1"
TABLE_KEYS = ("active", "applications", "reviews")
SECTION_KEYS = ("1", "2", "3", "4", "5", "6")

HIGH = "high"
LOW = "low"

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

Number = int | Decimal


@dataclass(slots=True)  # one per table cell, ~200 a report
class Cell:
    ref: str
    value: Number | None
    raw: str
    where: dict[str, Any] = field(default_factory=dict)
    confidence: str = HIGH
    text: str | None = None  # the value as written, for cells whose unit is kept (amount_text)

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "value": number_to_json(self.value),
            "raw": self.raw,
            "where": self.where,
            "confidence": self.confidence,
        }


@dataclass
class Finding:
    code: str
    severity: str
    message: str
    cells: list[str] = field(default_factory=list)
    hint: str | None = None
    where: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "cells": list(self.cells),
        }
        if self.hint:
            out["hint"] = self.hint
        if self.where:
            out["where"] = self.where
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(
            code=data["code"],
            severity=data["severity"],
            message=data["message"],
            cells=list(data.get("cells") or []),
            hint=data.get("hint"),
            where=data.get("where"),
        )


@dataclass
class Artifact:
    """Something removed from the text that a published report should not carry:
    a review comment, a bookmark, a tracked change. Kept so the checker can report it."""

    kind: str  # comment | bookmark | revision
    text: str
    where: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "where": self.where}


@dataclass(slots=True)  # one per source line
class TextLine:
    """One line of the source, for rules that read text and point at lines. Not part of
    the JSON; a report loaded from JSON rebuilds its lines from `sections`."""

    text: str  # as in the source (review comments and bookmarks removed)
    norm: str  # normalised for matching: simplified, NFKC, no pinyin glosses
    where: dict[str, Any]  # {"line": 12}, or {"section": "5"} when only the section is known
    section: str | None  # "1".."6"; None before the first heading
    heading: bool = False
    in_table: bool = False


@dataclass
class Source:
    path: str | None = None
    sha256: str | None = None
    media_type: str | None = None


@dataclass
class Meta:
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    publish_date: str | None = None  # ISO date
    script: str = "simplified"
    source: Source = field(default_factory=Source)


@dataclass
class Report:
    format: str | None = None
    meta: Meta = field(default_factory=Meta)
    # The paragraphs between the title and section 一 (legal basis, statistics period,
    # contact), one per line; "" when the report has none.
    preamble: str = ""
    sections: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(SECTION_KEYS))
    tables_present: set[str] = field(default_factory=set)
    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    # Where each section heading was found (line numbers etc.), for findings.
    section_where: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The source's lines in order (see TextLine); empty for a report built from JSON.
    lines: list[TextLine] = field(default_factory=list)

    @property
    def spec(self) -> Format | None:
        return get_format(self.format)

    def value(self, ref: str) -> Number | None:
        cell = self.cells.get(ref)
        return None if cell is None else cell.value

    def has(self, ref: str) -> bool:
        """True when the source contains the cell (possibly blank)."""
        return ref in self.cells

    def set(self, ref: str, value: Number | None, raw: str | None = None, **kw: Any) -> Cell:
        if raw is None:
            raw = "" if value is None else number_text(value)
        cell = Cell(ref, value, raw, **kw)
        self.cells[ref] = cell
        self.tables_present.add(ref.partition("/")[0])
        return cell

    def to_json(self) -> dict[str, Any]:
        return report_to_json(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        return report_from_json(data)


# ---------------------------------------------------------------- numbers


def number_to_json(value: Number | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def number_text(value: Number) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != 0 else "0"
    return str(value)


def json_to_number(value: Any, kind: str) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"不是数值：{value!r}")
    if kind in (AMOUNT, AMOUNT_TEXT):
        return Decimal(str(value))
    if isinstance(value, float) and value != int(value):
        raise ValueError(f"应为整数：{value!r}")
    return int(value)


# ---------------------------------------------------------------- JSON


def _table_json(report: Report, spec: Format, key: str) -> dict[str, Any] | None:
    if key not in report.tables_present:
        return None
    table = spec.table(key)
    out: dict[str, Any] = {}
    for row in table.rows:
        row_out: dict[str, Any] = {}
        for fld in row.fields:
            cell = report.cells.get(f"{key}/{row.key}/{fld.key}")
            row_out[fld.key] = None if cell is None else number_to_json(cell.value)
            if fld.kind == AMOUNT_TEXT:
                row_out[f"{fld.key}_text"] = None if cell is None else (cell.text or cell.raw or None)
        out[row.key] = row_out
    return out


def report_to_json(report: Report) -> dict[str, Any]:
    spec = report.spec
    meta = report.meta
    data: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "format": report.format,
        "meta": {
            "agency": meta.agency,
            "year": meta.year,
            "title": meta.title,
            "publish_date": meta.publish_date,
            "script": meta.script,
            "source": {
                "path": meta.source.path,
                "sha256": meta.source.sha256,
                "media_type": meta.source.media_type,
            },
        },
        "preamble": report.preamble,
        "sections": {k: report.sections.get(k) for k in SECTION_KEYS},
    }
    for key in TABLE_KEYS:
        data[key] = _table_json(report, spec, key) if spec else None
    data["cells"] = [cell.to_json() for cell in _ordered_cells(report, spec)]
    data["findings"] = [f.to_json() for f in report.findings]
    data["artifacts"] = [a.to_json() for a in report.artifacts]
    return data


def _ordered_cells(report: Report, spec: Format | None) -> list[Cell]:
    if spec is None:
        return list(report.cells.values())
    order = {ref: i for i, ref in enumerate(spec.refs())}
    return sorted(report.cells.values(), key=lambda c: order.get(c.ref, len(order)))


def report_from_json(data: dict[str, Any]) -> Report:
    """Build a Report from `xxgk.report/1` JSON. Table objects win over `cells` for values;
    `cells` supplies provenance. Raises ValueError with a Chinese message on bad input."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        raise ValueError(f"不是 {SCHEMA_ID} 格式的报告（schema 字段缺失或不符）")
    report = Report(format=data.get("format"))
    meta = data.get("meta") or {}
    src = meta.get("source") or {}
    report.meta = Meta(
        agency=meta.get("agency"),
        year=meta.get("year"),
        title=meta.get("title"),
        publish_date=meta.get("publish_date"),
        script=meta.get("script") or "simplified",
        source=Source(src.get("path"), src.get("sha256"), src.get("media_type")),
    )
    preamble = data.get("preamble")
    if preamble is not None and not isinstance(preamble, str):
        raise ValueError("preamble（前言）应为一段文字")
    report.preamble = preamble or ""
    sections = data.get("sections") or {}
    report.sections = {k: sections.get(k) for k in SECTION_KEYS}
    provenance = {c["ref"]: c for c in data.get("cells") or [] if isinstance(c, dict) and "ref" in c}
    spec = report.spec
    if spec is not None:
        for key in TABLE_KEYS:
            table_data = data.get(key)
            if table_data is None:
                continue
            report.tables_present.add(key)
            _load_table(report, spec, key, table_data, provenance)
    report.findings = [Finding.from_json(f) for f in data.get("findings") or []]
    report.artifacts = [
        Artifact(a.get("kind", ""), a.get("text", ""), a.get("where") or {})
        for a in data.get("artifacts") or []
        if isinstance(a, dict)
    ]
    return report


def _load_table(report: Report, spec: Format, key: str, table_data: dict, provenance: dict) -> None:
    table = spec.table(key)
    # With provenance for this table, a null value without a `cells` entry was not read.
    has_provenance = any(ref.startswith(key + "/") for ref in provenance)
    for row in table.rows:
        row_data = table_data.get(row.key)
        if not isinstance(row_data, dict):
            continue
        for fld in row.fields:
            ref = f"{key}/{row.key}/{fld.key}"
            if has_provenance:
                if ref not in provenance and row_data.get(fld.key) is None:
                    continue
            elif fld.key not in row_data:
                continue
            try:
                value = json_to_number(row_data.get(fld.key), fld.kind)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"单元格 {ref} 的值无效：{exc}") from None
            prov = provenance.get(ref, {})
            cell = report.set(
                ref,
                value,
                raw=prov.get("raw"),
                where=prov.get("where") or {},
                confidence=prov.get("confidence") or HIGH,
            )
            if fld.kind == AMOUNT_TEXT:
                cell.text = row_data.get(f"{fld.key}_text")
