"""Huge and junk inputs within the size limit: a clean report, bounded memory, no blow-up."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from xxgk.check import check_report
from xxgk.extract import parse_bytes

# A complete report of ~300 lines, one cell per line (like seeds 000 and 003); in the repository.
REPORT = Path(__file__).resolve().parents[1] / "examples" / "示例区司法局-2024-网页单元格.txt"

CASES = {
    "one 15 MB line": lambda: ("字" * (5 * 1024 * 1024)).encode(),
    "19 MB of pipes": lambda: b"| " * 9_500_000,
    "90k table-like lines": lambda: ("\t0\t0\t0\t0\n" * 90_000).encode(),
    "binary-looking text": lambda: bytes(range(32, 127)) * 100_000,
}


@pytest.mark.parametrize("name", list(CASES))
def test_junk_within_limits_gives_empty_report_in_bounded_memory(name):
    data = CASES[name]()
    tracemalloc.start()
    try:
        report = parse_bytes(data, name)
        check_report(report)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.format is None and report.cells == {} and report.findings == []
    # memory follows the bytes and the lines (a few hundred bytes of objects per line;
    # the reader refuses more than 100,000 lines)
    lines = data.count(b"\n") + 1
    assert peak < 10 * len(data) + 500 * lines + 20_000_000


def test_a_report_repeated_many_times_reads_the_first_copy():
    seed = REPORT.read_bytes()
    data = b"\n".join((seed * 300).split(b"\n")[:99_000])
    report = parse_bytes(data, "repeated.txt")
    once = parse_bytes(seed, "once.txt")
    assert {r: c.value for r, c in report.cells.items()} == {r: c.value for r, c in once.cells.items()}
    assert (
        report.cells["reviews/reconsideration/total"].where
        == once.cells["reviews/reconsideration/total"].where
    )
