"""What the whole catalogue says about each real seed report: exactly these findings.

Issue requirements: 000 — 复议/诉讼 without applications; 001 — the leftover review comment
(line 411) and bookmark (line 412); 004 — the blank 复议 block, the misaligned table-四 run,
litigation without applications, the stray English word (line 21); and no error that is
not a real problem.
"""

from __future__ import annotations

import pytest

from layouts import seed_report
from xxgk.check import check_report

XG001_004 = [("XG001", "warning", line) for line in (67, 68, 69, 70, 71, 72, 73, 77)]
EXPECTED = {
    "000": [("XG207", "info", None), ("XG601", "warning", 284)],
    "001": [("XG501", "error", 411), ("XG501", "warning", 412)],
    "002": [("XG207", "info", None)],
    "003": [],
    "004": [*XG001_004, ("XG204", "warning", 80), ("XG503", "warning", 21), ("XG601", "warning", 80)],
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_findings_are_exactly_the_real_problems(seed):
    report = seed_report(seed)
    got = sorted((f.code, f.severity, (f.where or {}).get("line")) for f in check_report(report))
    assert got == sorted(EXPECTED[seed], key=lambda x: (x[0], x[1], x[2] or 0))


def test_seed_001_comment_is_quoted():
    report = seed_report("001")
    comment = next(f for f in check_report(report) if f.code == "XG501" and f.severity == "error")
    assert "此处上年度应指2023年，而不是2024年。" in comment.message


def test_seed_004_stray_word_and_litigation_hint():
    findings = {f.code: f for f in check_report(seed_report("004"))}
    assert "“and”" in findings["XG503"].message
    assert "〔2016〕201号" in findings["XG601"].hint
