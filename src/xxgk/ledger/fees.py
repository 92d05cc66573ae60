"""信息处理费 of 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号), amounts as Decimal yuan.

Two methods, both excess-progressive (超额累进), one per application, never both (Art. 3):

* 按件计收 (Art. 4): by the number of applications of the same applicant in one natural month.
  1–10 free; the 11th–30th 100 元 each; from the 31st, tiers of 10, each tier 100 元/件 more
  (31–40: 200, 41–50: 300 …). The tier arithmetic from the 31st is the usual reading of
  "以10件为一档，每增加一档，收费标准提高100元/件" (spec §4.3). A multi-item application may be
  split into its smallest reasonable units (一事一申请) and counted as several.
* 按量计收 (Art. 5): by pages of one application. 1–30 free; 31–100 10 元/页; 101–200 20 元/页;
  from 201 40 元/页.

Worked examples (spec §4.3): 45 applications in a month = 20×100 + 10×200 + 5×300 = 5,500 元;
250 pages = 70×10 + 100×20 + 50×40 = 4,700 元.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import InputError

CENT = Decimal("0.01")
COUNT, PAGES = "count", "pages"
METHODS = {COUNT: "按件计收", PAGES: "按量计收"}

# (first unit of the tier, yuan per unit); the last tier has no end.
PAGE_TIERS: tuple[tuple[int, int], ...] = ((1, 0), (31, 10), (101, 20), (201, 40))
COUNT_FREE, COUNT_FLAT_END, COUNT_FLAT_RATE, COUNT_TIER, COUNT_STEP = 10, 30, 100, 10, 100


@dataclass
class FeeQuote:
    method: str  # COUNT | PAGES
    amount: Decimal  # yuan, two decimals
    lines: list[str]  # Chinese: one line per tier used, e.g. "第11—30件：20件 × 100元 = 2000元"


def count_rate(position: int) -> int:
    """Yuan for the `position`-th application (1-based) of one applicant in one natural month."""
    _check_units(position, "件数", minimum=1)
    if position <= COUNT_FREE:
        return 0
    if position <= COUNT_FLAT_END:
        return COUNT_FLAT_RATE
    return COUNT_FLAT_RATE + COUNT_STEP * ((position - COUNT_FLAT_END - 1) // COUNT_TIER + 1)


def page_rate(page: int) -> int:
    """Yuan for the `page`-th page of one application."""
    _check_units(page, "页数", minimum=1)
    return next(rate for first, rate in reversed(PAGE_TIERS) if page >= first)


def count_fee(units: int, already: int = 0) -> FeeQuote:
    """按件: the fee for `units` applications (or 一事一申请 units) of an applicant who already
    had `already` units in the same natural month."""
    _check_units(units, "件数")
    _check_units(already, "本月此前件数")
    return _quote(COUNT, range(already + 1, already + units + 1), count_rate, "件")


def page_fee(pages: int) -> FeeQuote:
    """按量: the fee for one application of `pages` pages."""
    _check_units(pages, "页数")
    return _quote(PAGES, range(1, pages + 1), page_rate, "页")


def month_position(received: list[tuple[date, str]], this: tuple[date, str]) -> int:
    """1-based rank of one application among the same applicant's applications of its natural
    month: `received` are (received date, registration number) of that applicant's cases."""
    day, number = this
    same_month = [(d, n) for d, n in received if (d.year, d.month) == (day.year, day.month)]
    return sum(1 for item in same_month if item <= (day, number))


def _quote(method: str, positions: range, rate, unit: str) -> FeeQuote:
    lines, total = [], Decimal(0)
    # Group consecutive positions of equal rate: one line per tier.
    groups: list[list[int]] = []
    for pos in positions:
        price = rate(pos)
        if groups and groups[-1][2] == price:
            groups[-1][1] = pos
        else:
            groups.append([pos, pos, price])
    for first, last, price in groups:
        count = last - first + 1
        subtotal = Decimal(count * price)
        total += subtotal
        span = f"第{first}{unit}" if first == last else f"第{first}—{last}{unit}"
        lines.append(
            f"{span}：{count}{unit} × {price}元 = {subtotal}元" if price else f"{span}：{count}{unit}，免费"
        )
    return FeeQuote(method, total.quantize(CENT), lines)


def _check_units(value: Any, what: str, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{what}应为不小于 {minimum} 的整数，而不是“{value}”")


# ---------------------------------------------------------------- event data


def parse_amount(value: Any) -> Decimal | None:
    """A non-negative amount of yuan ("123.00", 123, Decimal); None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def fee_event_problems(kind: str, data: dict) -> list[str]:
    """What is wrong with the data of a fee_notice or fee_paid event (Chinese)."""
    problems = []
    if kind == "fee_notice":
        if data.get("method") not in METHODS:
            problems.append("收费方式应为按件计收（count）或按量计收（pages）")
        pages = data.get("pages")
        if pages is not None and (isinstance(pages, bool) or not isinstance(pages, int) or pages < 0):
            problems.append(f"页数“{pages}”不是非负整数")
    if (kind == "fee_notice" or "amount" in data) and parse_amount(data.get("amount")) is None:
        problems.append(f"金额“{data.get('amount')}”不是非负的金额")
    return problems
