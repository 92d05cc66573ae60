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

from layouts import REFS, seed_texts, value_mismatches
from xxgk.extract import parse_bytes
from xxgk.model import LOW, Report

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
SEEDS = sorted(path.stem for path in FIXTURES.glob("*.json"))


def fixture(seed: str) -> dict:
    return json.loads((FIXTURES / f"{seed}.json").read_text(encoding="utf-8"))


@cache
def parsed(seed: str) -> Report:
    path = seed_texts() / fixture(seed)["file"]
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


# The text between title and section 一, exactly; "" where a seed has none (000 and 003 start
# with 一、总体情况, 002 has only its title).
PREAMBLES = {
    "000": "",
    "001": "依据《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》）第五十条和《关于印发中华人民共和国"
    "政府信息公开工作年度报告格式的通知》（国办公开办函〔2021〕30号）规定，编制本报告。本年度报告全文包括：总体情况、"
    "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、"
    "其他需要报告的事项。所列统计数据时间范围为2024年1月1日至2024年12月31日。如本报告有疑问，请联系：硚口区司法局办公室，"
    "地址：硚口区古田四路长安路27号，电话：027-83350601。",
    "002": "",
    "003": "",
    "004": "根据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
    "政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，现发布《原州区司法局2023年政府信息公开工作"
    "年度报告》，本报告统计数据从2023年1月1日至12月31日。",
}


@pytest.mark.parametrize("seed", SEEDS)
def test_preamble(seed):
    """Titles (001 and 004 break theirs across two lines) are not part of the preamble."""
    assert parsed(seed).preamble == PREAMBLES[seed]
