"""facts() reads a line's wording once (digits 1-9 read as 0) and restates each later line of
the same wording with its own values and years (check/prose_facts.py)."""

from __future__ import annotations

from decimal import Decimal

from xxgk.check import prose_facts
from xxgk.check.prose_facts import facts
from xxgk.check.prose_numbers import WORDINGS_KEPT, sum_statements
from xxgk.text.normalize import normalize_text as N


def _said(text: str, year: int | None = None, review: bool = False) -> list[tuple]:
    return [tuple(f) for f in facts(N(text), year, review)]


def test_same_wording_other_digits_gives_this_lines_values():
    first = _said("2024年收到申请29件,办结36件。", 2024)
    again = _said("2024年收到申请71件,办结58件。", 2024)
    assert first == [
        ("received", 29, "件", 9, 12, "收到", False),
        ("handled", 36, "件", 15, 18, "办结", False),
    ]
    assert again == [
        ("received", 71, "件", 9, 12, "收到", False),
        ("handled", 58, "件", 15, 18, "办结", False),
    ]


def test_the_year_is_read_from_each_line():
    assert _said("2023年收到申请12件。", 2023) == [("received", 12, "件", 9, 12, "收到", False)]
    assert _said("2022年收到申请12件。", 2023) == []  # same wording, another year
    assert _said("2024年结转下年度继续办理3件。", 2023) == [
        ("carried_forward", 3, "件", 14, 16, "结转下年度继续办理", False)
    ]
    assert _said("2022年收到申请12件。") == [("received", 12, "件", 9, 12, "收到", False)]  # no year given


def test_values_other_than_plain_digits():
    assert _said("本年度收取信息处理费212.40元。") == [
        ("processing_fee", Decimal("212.40"), "元", 10, 17, "信息处理费", False)
    ]
    assert _said("本年度收取信息处理费318.75元。") == [
        ("processing_fee", Decimal("318.75"), "元", 10, 17, "信息处理费", False)
    ]
    assert _said("行政事业性收费1.5万元。") == [
        ("fee", Decimal("1.5"), "万元", 7, 12, "行政事业性收费", False)
    ]
    assert _said("行政事业性收费2.5万元。") == [
        ("fee", Decimal("2.5"), "万元", 7, 12, "行政事业性收费", False)
    ]


def test_a_keyword_holding_digits_is_read_from_the_line():
    text = "本机关作出行政处罚2023年度作出的处理决定15件。"
    assert _said(text) == [("penalty", 15, "件", 22, 25, "行政处罚2023年度作出的处理决定", False)]
    assert _said(text.replace("2023", "2024")) == [
        ("penalty", 15, "件", 22, 25, "行政处罚2024年度作出的处理决定", False)
    ]


def test_zero_statements_and_review_section_are_kept_apart():
    assert _said("本年度未收到政府信息公开申请,办结1件。") == [
        ("received", 0, "件", 3, 14, "未收到政府信息公开申请", True),
        ("handled", 1, "件", 17, 19, "办结", False),
    ]
    assert _said("本年度未收到政府信息公开申请,办结4件。", 2024) == [
        ("received", 0, "件", 3, 14, "未收到政府信息公开申请", True),
        ("handled", 4, "件", 17, 19, "办结", False),
    ]
    assert _said("被申请行政复议2件。", review=True) == [
        ("reconsideration", 2, "件", 7, 9, "行政复议", False)
    ]
    assert _said("被申请行政复议2件。", review=False) == []


def test_the_wordings_kept_are_bounded():
    prose_facts._READ.clear()
    for n in range(WORDINGS_KEPT + 10):
        facts(N(f"收到申请{'1' * (n % 40 + 1)}件,办结{'2' * (n // 40 + 1)}件。"))
    assert 0 < len(prose_facts._READ) <= WORDINGS_KEPT
    assert _said("收到申请7件,办结8件。") == [
        ("received", 7, "件", 4, 6, "收到", False),
        ("handled", 8, "件", 9, 11, "办结", False),
    ]


def _sums(text: str) -> list[tuple]:
    return [
        ([q.value for q in (s.total, *s.parts)], s.sums, s.closed, s.start, s.end)
        for s in sum_statements(N(text))
    ]


def test_totals_and_parts_of_the_same_wording_take_each_lines_values():
    assert _sums("主动公开政府信息32条,包括领导信息1条、机构职能2条。") == [([32, 1, 2], (3,), True, 8, 27)]
    assert _sums("主动公开政府信息45条,包括领导信息7条、机构职能8条。") == [([45, 7, 8], (15,), True, 8, 27)]
    assert _sums("收到申请6件,其中予以公开4件;部分公开1.5件。") == [
        ([6, 4, Decimal("1.5")], (4, Decimal("5.5")), False, 4, 24)
    ]


def test_years_of_a_sentence_from_the_lines_year_spans():
    from xxgk.check.prose_numbers import last_year, year_between, year_spans

    text = N("2023年收到申请5件。2024年比2022年办结3件,结转下年度2件。")
    spans = year_spans(text)
    assert spans == [(0, 5, 2023), (12, 17, 2024)]  # 比2022年 is a comparison, not spoken of
    for start, end in ((0, 9), (12, 24), (12, 12), (12, 30)):
        assert year_between(spans, start, end) == last_year(text[start:end])
    assert year_between(spans, 12, 24) == 2024 and year_between(spans, 12, 12) is None
    assert year_spans(N("《2022年报告》收到申请5件")) is None  # titles: last_year of each slice
    assert year_spans(N("收到申请5件")) == []
    assert _said("2024年收到申请5件。2022年办结3件。", 2024) == [("received", 5, "件", 9, 11, "收到", False)]
