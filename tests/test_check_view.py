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


def test_agency_kind_and_format_titles_are_kept_per_value():
    from xxgk.check.agency import classify
    from xxgk.check.completeness import _allowed_titles

    first = classify("示例县交通运输局")
    assert classify("示例县交通运输局") is first
    assert (first.tier, first.role, first.organ) == ("county", "department", "交通运输局")
    assert classify(None) is None
    assert _allowed_titles("总体情况", ("基本情况",)) == ["总体情况", "基本情况"]
    assert _allowed_titles("总体情况", ("基本情况",)) is _allowed_titles("总体情况", ("基本情况",))


def test_publish_date_line_is_looked_up_only_for_a_finding():
    from xxgk.check import RULES
    from xxgk.check.registry import Context

    report = _report()
    report.meta.publish_date = f"{report.meta.year}-06-30"  # before the year ends
    found = list(RULES["XG402"].func(report, Context()))
    assert [f.message for f in found] == [
        f"发布日期{report.meta.year}年6月30日在{report.meta.year}年度结束之前，全年数据尚未截止"
    ]
    report.meta.publish_date = f"{report.meta.year + 1}-01-10"  # in time
    assert list(RULES["XG402"].func(report, Context())) == []


def test_joined_prose_with_a_limit_is_the_whole_text_when_shorter():
    from xxgk.check.text import joined_prose

    report = _report()
    with shared_view():
        whole = joined_prose(report)
        assert joined_prose(report, limit=60_000) is whole  # nothing to cut: made once
        short = joined_prose(report, limit=50)
        assert short is not whole and whole.text.startswith(short.text)
        assert 50 <= len(short.text) < len(whole.text)
    assert joined_prose(report, limit=60_000) == whole  # outside a run: computed, equal


def test_source_lines_signature_and_section_prose():
    from xxgk.check.outline import looks_complete, present_sections, signature
    from xxgk.check.text import from_source, prose_lines
    from xxgk.model import TextLine

    assert from_source(TextLine("a", "a", {"line": 3}, None))
    assert from_source(TextLine("a", "a", {"section": "2", "page": 1}, "2"))
    assert not from_source(TextLine("a", "a", {"section": "2"}, "2"))
    assert not from_source(TextLine("a", "a", {}, None))
    report = _report()
    agency, line = signature(report)
    assert (agency, line.norm) == ("示例县交通运输局", "2025年1月22日")
    assert looks_complete(report, present_sections(report))
    with shared_view():
        assert signature(report) is signature(report)
        assert prose_lines(report, "5") == [x for x in prose_lines(report) if x.section == "5"]
        assert prose_lines(report, "5") and all(
            not x.heading and not x.in_table for x in prose_lines(report, "5")
        )


def test_compact_of_a_printable_line_without_space_is_the_line():
    import sys

    from xxgk.check.text import _SPACE, compact

    # What the shortcut rests on: each character the pattern removes, but " ", is unprintable.
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if _SPACE.match(c) and c.isprintable()] == [" "]
    line = "2024年，本机关主动公开政府信息198条。"
    assert compact(line) is line
    assert compact("主动公开\u3000政府信息 198 条\u200b。") == "主动公开政府信息198条。"
    assert compact("申请\t29件\n") == "申请29件"


def test_signature_date_ends_the_line():
    from xxgk.check.outline import signature
    from xxgk.model import Report, TextLine

    def last(*texts: str):
        report = Report(format="2021")
        report.lines = [TextLine(t, t, {"line": i + 1}, None) for i, t in enumerate(texts)]
        found = signature(report)
        return found and (found[0], found[1].norm)

    assert last("正文。", "示例县交通运输局", "2025年1月22日 ") == ("示例县交通运输局", "2025年1月22日 ")
    assert last("正文。", "示例县交通运输局2025年1月22日") == ("示例县交通运输局", "示例县交通运输局2025年1月22日")
    assert last("正文。", "示例县交通运输局", "二〇二五年一月二十二日") == ("示例县交通运输局", "二〇二五年一月二十二日")
    assert last("示例县交通运输局", "2025年1月22日发布") is None
    assert last("示例县交通运输局", "2025年1月22日。") is None
