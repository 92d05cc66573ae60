"""One report's dataset rows, computed by the worker that read it (so the process writing the
dataset only appends them) and cached with it.

`prepare_rows(data)` gives, without the report's file name (a cached record may be used for
another file with the same content):

* ``values``: the wide row's cells, aligned with `WIDE_REFS` (Decimal for amounts, int for
  counts, the written text for amount_text cells; blank and absent both None);
* ``cells``: the long form, every cell of the report's format:
  [key, value, state (value | blank | absent), raw, confidence, provenance JSON];
* ``findings``: the report's own findings: [code, severity, message, cells, location JSON];
* ``cross``: the cells the cross-year rules compare, aligned with `CROSS_REFS` (the value,
  None for a blank cell, "absent" for a cell the source does not have), kept in the index.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from ..formats import AMOUNT_TEXT, get_format
from .columns import cell_label, cell_refs

WIDE_REFS = tuple(ref for ref, _spec in cell_refs())
LABELS = {ref: cell_label(spec, ref) for ref, spec in cell_refs()}
CROSS_ROWS = ("applications/carried_over/", "applications/carried_forward/", "active/regulations/",
              "active/normative_documents/")  # fmt: skip
CROSS_REFS = tuple(ref for ref in WIDE_REFS if ref.startswith(CROSS_ROWS))
ABSENT = "absent"


def _value(value: Any, kind: str) -> Any:
    """A JSON cell value as stored: Decimal for amounts (exact), int for counts."""
    if value is None or kind == AMOUNT_TEXT:
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return value


@cache
def _layout(format_id: str | None) -> tuple[tuple[str, str, str, str, str], ...]:
    """(ref, table, row, field key, kind) of every cell of a format, in order."""
    spec = get_format(format_id)
    if spec is None:
        return ()
    return tuple((ref, t.key, r.key, f.key, f.kind) for ref, (t, r, f) in spec.fields_by_ref.items())


def table_values(data: dict) -> dict[str, Any]:
    """Cell reference -> value (Decimal for amounts, the written text for amount_text)."""
    out = {}
    for ref, table, row, fld, kind in _layout(data.get("format")):
        values = (data.get(table) or {}).get(row) or {}
        out[ref] = values.get(f"{fld}_text") if kind == AMOUNT_TEXT else _value(values.get(fld), kind)
    return out


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def prepare_rows(data: dict) -> dict:
    values = table_values(data)
    provenance = {c["ref"]: c for c in data.get("cells") or []}
    cells = []
    for ref, _table, _row, _fld, kind in _layout(data.get("format")):
        cell = provenance.get(ref)
        if cell is None:
            cells.append([ref, None, "absent", None, None, None])
            continue
        value = values[ref]
        raw = value if kind == AMOUNT_TEXT and value else cell.get("raw")
        state = "blank" if value is None else "value"
        cells.append([ref, None if kind == AMOUNT_TEXT else value, state, raw, cell.get("confidence"),
                      _json(cell.get("where") or {})])  # fmt: skip
    findings = [
        [
            f["code"],
            f["severity"],
            f["message"],
            " ".join(f.get("cells") or []),
            _json(f["where"]) if f.get("where") else None,
        ]
        for f in data.get("findings") or []
    ]
    cross = [values[ref] if ref in provenance else ABSENT for ref in CROSS_REFS]
    return {
        "values": [values.get(ref) for ref in WIDE_REFS],
        "cells": cells,
        "findings": findings,
        "cross": cross,
    }


def finding_row(file: str, f: list, scope: str) -> tuple:
    return (file, *f, scope)


def encode(value: Any) -> Any:
    """json.dumps default: Decimals are written as text and read back by the writers."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)
