"""The five seed reports parse to their hand-checked values (tests/fixtures/seeds/NNN.json).

Each fixture names its seed text, the format, year and agency, the expected value of every one
of the 200 cells of the 2021 format (null = the cell is blank in the source), and the cells the
reader should mark low confidence (it had to choose between readings). The seed texts are looked
up by `layouts.seed_dir()`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from layouts import REFS, seed_dir, value_mismatches
from xxgk.extract import parse_bytes
from xxgk.model import LOW, Report

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
SEEDS = sorted(path.stem for path in FIXTURES.glob("*.json"))


def fixture(seed: str) -> dict:
    return json.loads((FIXTURES / f"{seed}.json").read_text(encoding="utf-8"))


@cache
def parsed(seed: str) -> Report:
    directory = seed_dir()
    if directory is None:
        pytest.skip("seed texts not found (set XXGK_SEEDS or copy them to tests/fixtures/seeds/)")
    path = directory / fixture(seed)["file"]
    return parse_bytes(path.read_bytes(), path=str(path))


def test_there_are_five_seed_fixtures():
    assert SEEDS == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("seed", SEEDS)
def test_fixture_names_every_cell(seed):
    expected = fixture(seed)
    assert list(expected["values"]) == list(REFS)
    assert set(expected["low"]) <= set(REFS)


@pytest.mark.parametrize("seed", SEEDS)
def test_format_year_agency(seed):
    expected = fixture(seed)
    report = parsed(seed)
    got = {"format": report.format, "year": report.meta.year, "agency": report.meta.agency}
    assert got == {k: expected[k] for k in ("format", "year", "agency")}


@pytest.mark.parametrize("seed", SEEDS)
def test_every_value(seed):
    expected = fixture(seed)
    mismatches = value_mismatches(parsed(seed), expected["values"])
    assert not mismatches, f"seed {seed}: {len(mismatches)} of 200 cells differ:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("seed", SEEDS)
def test_low_confidence_cells(seed):
    expected = fixture(seed)
    report = parsed(seed)
    low = [ref for ref in REFS if ref in report.cells and report.cells[ref].confidence == LOW]
    missing = [ref for ref in expected["low"] if ref not in low]
    extra = [ref for ref in low if ref not in expected["low"]]
    assert not missing and not extra, (
        f"seed {seed}: low confidence expected but not marked: {missing}\n"
        f"marked low but not expected: {extra}"
    )
