"""信息处理费 (国办函〔2020〕109号): the worked examples, every tier edge, and the identities of
an excess-progressive tariff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.errors import InputError
from xxgk.ledger.fees import (
    count_fee,
    count_rate,
    fee_event_problems,
    month_position,
    page_fee,
    page_rate,
    parse_amount,
)


def test_worked_example_45_applications_in_a_month():
    quote = count_fee(45)
    assert quote.amount == Decimal("5500.00")
    assert str(quote.amount) == "5500.00"
    assert quote.method == "count"
    assert quote.lines == [
        "第1—10件：10件，免费",
        "第11—30件：20件 × 100元 = 2000元",
        "第31—40件：10件 × 200元 = 2000元",
        "第41—45件：5件 × 300元 = 1500元",
    ]


def test_worked_example_250_pages():
    quote = page_fee(250)
    assert quote.amount == Decimal("4700.00")
    assert quote.method == "pages"
    assert quote.lines == [
        "第1—30页：30页，免费",
        "第31—100页：70页 × 10元 = 700元",
        "第101—200页：100页 × 20元 = 2000元",
        "第201—250页：50页 × 40元 = 2000元",
    ]


@pytest.mark.parametrize(
    ("position", "rate"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (100, 800),
        (101, 900),
    ],
)
def test_count_tier_edges(position, rate):
    assert count_rate(position) == rate


@pytest.mark.parametrize(
    ("page", "rate"), [(1, 0), (30, 0), (31, 10), (100, 10), (101, 20), (200, 20), (201, 40), (5000, 40)]
)
def test_page_tier_edges(page, rate):
    assert page_rate(page) == rate


@pytest.mark.parametrize(
    ("units", "amount"),
    [(0, "0.00"), (10, "0.00"), (11, "100.00"), (30, "2000.00"), (31, "2200.00"), (40, "4000.00")],
)
def test_count_totals_at_the_edges(units, amount):
    assert count_fee(units).amount == Decimal(amount)


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (0, "0.00"),
        (30, "0.00"),
        (31, "10.00"),
        (100, "700.00"),
        (101, "720.00"),
        (200, "2700.00"),
        (201, "2740.00"),
    ],
)
def test_page_totals_at_the_edges(pages, amount):
    assert page_fee(pages).amount == Decimal(amount)


def test_an_application_later_in_the_month_pays_its_own_tier():
    # The applicant's 9th to 13th units this month: two free, three at 100.
    quote = count_fee(5, already=8)
    assert quote.amount == Decimal("300.00")
    assert quote.lines == ["第9—10件：2件，免费", "第11—13件：3件 × 100元 = 300元"]
    assert count_fee(1, already=30).lines == ["第31件：1件 × 200元 = 200元"]


def test_month_position_counts_the_applicants_applications_of_that_month():
    cases = [
        (date(2025, 3, 31), "2025-0040"),
        (date(2025, 4, 1), "2025-0041"),
        (date(2025, 4, 1), "2025-0042"),
        (date(2025, 4, 15), "2025-0050"),
        (date(2025, 5, 1), "2025-0060"),
    ]
    assert [month_position(cases, c) for c in cases] == [1, 1, 2, 3, 1]


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_bad_counts_are_input_errors(bad):
    with pytest.raises(InputError) as err:
        count_fee(bad)
    assert str(err.value) == f"件数应为不小于 0 的整数，而不是“{bad}”"
    with pytest.raises(InputError):
        page_fee(bad)


def test_rate_of_position_zero_is_an_error():
    with pytest.raises(InputError, match="页数应为不小于 1 的整数"):
        page_rate(0)


@given(st.integers(0, 300), st.integers(0, 300))
def test_count_fee_is_additive_over_the_month(a, b):
    """Charging a+b units at once equals charging a, then b more in the same month."""
    assert count_fee(a + b).amount == count_fee(a).amount + count_fee(b, already=a).amount


@given(st.integers(0, 1000))
def test_fees_are_the_sum_of_their_unit_rates(n):
    assert page_fee(n).amount == sum(page_rate(i) for i in range(1, n + 1))
    assert count_fee(n).amount == sum(count_rate(i) for i in range(1, n + 1))


@given(st.integers(1, 1000))
def test_rates_never_fall(n):
    assert count_rate(n + 1) >= count_rate(n) and page_rate(n + 1) >= page_rate(n)


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("123.00", Decimal("123.00")),
        (80, Decimal(80)),
        ("1,200.5", Decimal("1200.5")),
        ("-1", None),
        ("abc", None),
        (None, None),
        ("NaN", None),
        (True, None),
    ],
)
def test_parse_amount(value, amount):
    assert parse_amount(value) == amount


def test_fee_event_data():
    assert fee_event_problems("fee_notice", {"method": "pages", "amount": "4700.00", "pages": 250}) == []
    assert fee_event_problems("fee_notice", {"method": "count"}) == ["金额“None”不是非负的金额"]
    assert fee_event_problems("fee_notice", {"method": "pages", "amount": "1", "pages": -3}) == [
        "页数“-3”不是非负整数"
    ]
    assert fee_event_problems("fee_paid", {}) == []
    assert fee_event_problems("fee_paid", {"amount": "x"}) == ["金额“x”不是非负的金额"]
