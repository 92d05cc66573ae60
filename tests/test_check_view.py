"""The shared view (check/view.py): within a check run the derived text is computed once per
report; outside one, and from one run to the next, nothing is kept."""

from __future__ import annotations

from pathlib import Path

from xxgk.check import check_report
from xxgk.check.text import prose_lines
from xxgk.check.view import per_report, shared_view
from xxgk.extract import parse_bytes

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "示例县交通运输局-2024-含错误.txt"


def _report():
    return parse_bytes(EXAMPLE.read_bytes(), str(EXAMPLE))


def test_computed_once_per_report_within_a_run_and_again_in_the_next():
    calls = []

    @per_report
    def view(report, section=None):
        calls.append(section)
        return len(report.lines)

    a, b = _report(), _report()
    with shared_view():
        assert view(a) == view(a) == view(b)
        view(a, "5")
        view(a, section="5")
    assert calls == [None, None, "5", "5"]  # a, b, positional and keyword arguments apart
    view(a)
    with shared_view():
        view(a)
    assert len(calls) == 6


def test_a_report_changed_between_runs_is_read_afresh():
    report = _report()
    first = [(f.code, f.message) for f in check_report(report)]
    assert first == [(f.code, f.message) for f in check_report(_report())]
    report.lines = [line for line in report.lines if line.section != "1"]
    with shared_view():
        assert all(line.section != "1" for line in prose_lines(report))
