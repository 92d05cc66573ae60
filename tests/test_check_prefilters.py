"""The cheap whole-text tests that let a rule skip its scans: each must answer yes whenever
the scan it guards could find something."""

from __future__ import annotations

from xxgk.check.frontmatter import _DAYS, _LOOSE, _MONTHS, _NUMERIC, _WHOLE_YEAR, _possible_periods
from xxgk.check.text import holds


def test_holds_is_word_in_text():
    assert holds("全年收到申请，均获维持。", "维持") is True
    assert holds("全年收到申请，均获维护。", "维持") is False  # both characters there, not the word
    assert holds("全年收到申请。", "败诉") is False  # a character missing
    assert holds("abc", "") is True


def test_possible_periods_keep_every_pattern_that_can_match():
    assert _possible_periods("统计期限自2024年1月1日至2024年12月31日") == [
        _DAYS,
        _NUMERIC,
        _MONTHS,
        _WHOLE_YEAR,
        _LOOSE,
    ]
    assert _possible_periods("为2024.1.1-2024.12.31") == [_NUMERIC, _LOOSE]
    assert _possible_periods("2024年1月至12月") == [_MONTHS]
    assert _possible_periods("统计时间为2024年度") == [_WHOLE_YEAR]
    assert _possible_periods("2024年度，本机关主动公开政府信息") == []
    assert _possible_periods("为202411日到1231日") == [_NUMERIC, _LOOSE]


def test_placeholder_pretest_words_not_characters():
    from xxgk.check.hygiene import _may_hold_placeholder

    assert _may_hold_placeholder("示例县交通运输局，补正申请2件。", b"") is False  # 输 and 补, no word
    assert _may_hold_placeholder("此处输入机关名称", b"") is True
    assert _may_hold_placeholder("数量待补充", b"") is True
    assert _may_hold_placeholder("全年( )件", b"") is True
    assert _may_hold_placeholder("20XX年", b"XX") is True


def test_numeric_period_end_is_in_every_match():
    from xxgk.check.frontmatter import _numeric_end

    for text in ("2024.1.1-2024.12.31", "2024/01/01至12/31", "2024-1-1~2024-12-31", "2024.01.01—12.31"):
        m = _NUMERIC.search(text)
        assert m and _numeric_end(m.group(0)), text
    assert _numeric_end("粉丝31568人，办结31件") is False
