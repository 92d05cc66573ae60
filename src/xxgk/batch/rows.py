"""One report's dataset rows, computed by the worker that read it (so the process writing the
dataset only appends them) and cached with it.

`prepare_rows(data)` gives, without the report's file name (a cached record may be used for
another file with the same content):

* ``values``: the wide row's cells, aligned with `WIDE_REFS` (Decimal for amounts, int for
  counts, the written text for amount_text cells; blank and absent both None);
* ``cells``: the long form, every cell of the report's format in its order, as an Arrow record
  batch of the columns that differ between reports (`cells_part`: value, state value | blank
  | absent, raw, confidence, provenance JSON), so the process writing the dataset only
  appends it (`cells_batch`);
* ``findings``: the report's own findings: [code, severity, message, cells, location JSON];
* ``cross``: the cells the cross-year rules compare, aligned with `CROSS_REFS` (the value,
  None for a blank cell, "absent" for a cell the source does not have), kept in the index.
"""

from __future__ import annotations

import hashlib
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


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # one encoder, not one per call


def _json(value: Any) -> str:
    return _ENCODER.encode(value)


_WHERE: dict[tuple, str] = {}  # provenance JSON by its items: most cells share a few shapes


def _where_json(where: dict) -> str:
    try:
        key = tuple(where.items())
        return _WHERE[key]
    except TypeError:  # a list inside (a bounding box): not memoised
        return _json(where)
    except KeyError:
        if len(_WHERE) > 100_000:
            _WHERE.clear()
        text = _WHERE[key] = _json(where)
        return text


@cache
def _fixed_columns(format_id: str | None):
    """The key and label columns of a format's cells (the same for every report)."""
    import pyarrow as pa

    refs = [ref for ref, *_rest in _layout(format_id)]
    return pa.array(refs, pa.string()), pa.array([LABELS[ref] for ref in refs], pa.string())


def cells_part(cells: list[list]):
    """The per-report columns of the long form (value, state, raw, confidence, provenance) as
    an Arrow record batch: what a worker sends; `cells_batch` adds the rest."""
    import pyarrow as pa

    from .writers import CELLS_SCHEMA

    columns = list(zip(*cells, strict=True))[1:] if cells else [[]] * 5
    fields = list(CELLS_SCHEMA)[3:]
    return pa.RecordBatch.from_arrays([pa.array(c, f.type) for c, f in zip(columns, fields, strict=True)],
                                      schema=pa.schema(fields))  # fmt: skip


def cells_batch(file: str, format_id: str | None, part):
    """One report's rows of the cells table: its file, the key and label columns of its format
    (the same arrays for every report) and the worker's `cells_part`."""
    import pyarrow as pa

    from .writers import CELLS_SCHEMA

    keys, labels = _fixed_columns(format_id)
    files = pa.array([file] * part.num_rows, pa.string())
    return pa.RecordBatch.from_arrays([files, keys, labels, *part.columns], schema=CELLS_SCHEMA)


def prepare_rows(data: dict) -> dict:
    format_id = data.get("format")
    values = table_values(data)
    provenance = {c["ref"]: c for c in data.get("cells") or []}
    cells, present = [], []
    for ref, _table, _row, _fld, kind in _layout(format_id):
        cell = provenance.get(ref)
        if cell is None:
            cells.append([ref, None, "absent", None, None, None])
            continue
        value = values[ref]
        raw = value if kind == AMOUNT_TEXT and value else cell.get("raw")
        state = "blank" if value is None else "value"
        present.append((ref, value, state))
        cells.append([ref, None if kind == AMOUNT_TEXT else value, state, raw, cell.get("confidence"),
                      _where_json(cell.get("where") or {})])  # fmt: skip
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
    return {
        "values": [values.get(ref) for ref in WIDE_REFS],
        "cells": cells_part(cells),
        # same values in the same cells, same digest (XG902 compares reports by it)
        "digest": hashlib.sha256(repr(present).encode()).hexdigest(),
        "findings": findings,
        "cross": [values[ref] if ref in provenance else ABSENT for ref in CROSS_REFS],
    }


def finding_row(file: str, f: list, scope: str) -> tuple:
    return (file, *f, scope)
