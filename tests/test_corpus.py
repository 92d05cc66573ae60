"""Real report openings from government sites, end to end through parse_bytes.

They are partial by nature: what is there must be read, what is not must be null, and
nothing may crash. Hand labels exist for the pages with table cells.
"""

from __future__ import annotations

import json

import pytest

import shared
from shared import CORPUS
from xxgk.check import check_report
from xxgk.extract import parse_bytes
from xxgk.formats import get_format

INDEX = shared.jsonl("corpus/index.jsonl")
FORMAT_NAMES = {"2021": "2021", "2019": "2019", "older": "pre2019"}
# The excerpt states no year and none of the signals that tell the 2019 and 2021 templates apart.
FORMAT_NOT_SHOWN = {"pages/048.txt"}


def _parse(entry):
    path = CORPUS / entry["file"]
    report = parse_bytes(path.read_bytes(), str(path))
    check_report(report)
    return report


@pytest.mark.parametrize("entry", shared.params(INDEX), ids=lambda e: e["file"])
def test_opening_parses_with_year_and_format(entry):
    report = _parse(entry)
    assert report.meta.year == entry["year"]
    expected = None if entry["file"] in FORMAT_NOT_SHOWN else FORMAT_NAMES[entry["report_format"]]
    assert report.format == expected
    # a partial opening never produces an arithmetic error out of absent cells
    assert not [f for f in report.findings if f.code.startswith("XG10")], report.findings


def _labelled():
    for path in shared.files("corpus/labels", "pages_*.json"):
        yield json.loads(path.read_text(encoding="utf-8"))


def _expected_cells(label: dict, spec) -> dict[str, object]:
    """Hand labels are keyed by official row label; map them to cell references."""
    out: dict[str, object] = {}
    for table_key, label_key in (("active", "table_active"), ("applications", "table_apply")):
        rows = {r.label: r for r in spec.table(table_key).rows}
        rows.update({v: r for r in spec.table(table_key).rows for v in r.variants})
        for name, values in (label.get(label_key) or {}).items():
            if name.startswith("_"):
                continue
            row = rows[name]
            if values is None:
                continue
            for fld, value in zip(row.fields, values, strict=False):
                out[f"{table_key}/{row.key}/{fld.key}"] = value
    return out


@pytest.mark.parametrize("label", shared.params(_labelled()), ids=lambda d: d["file"])
def test_labelled_cells_read_exactly(label):
    report = _parse({"file": label["file"]})
    spec = get_format(label["report_format"])
    expected = _expected_cells(label, spec)
    assert expected
    for ref, value in expected.items():
        cell = report.cells[ref]
        if isinstance(value, str):  # "+3", "24.5万元": signed counts and amounts as written
            assert cell.raw == value, ref
        else:
            assert cell.value == value, ref
    # nothing beyond the excerpt is invented
    assert set(report.cells) == set(expected) | {r for r in report.cells if report.cells[r].value is None}
