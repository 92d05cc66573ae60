"""Reading single table cells: numbers and "blank" marks. Called on every cell, so one regex each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNITS = ("万元", "件", "条", "个", "项", "次", "篇", "元")

_DIGIT = "[0-9０-９]"
_NUMBER = re.compile(
    rf"""
    (?P<sign>[-+−－＋]?)
    (?P<int>{_DIGIT}{{1,3}}(?:[,，]{_DIGIT}{{3}})+|{_DIGIT}+)
    (?:[.．](?P<frac>{_DIGIT}+))?
    [ \u3000\u00a0]*
    (?P<unit>{"|".join(UNITS)})?
    """,
    re.VERBOSE,
)
_NEGATIVE = frozenset("-−－")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# Dashes, slashes and underscores of any common width, or 无/無 alone.
_BLANK = re.compile(r"[-－—–―‐‑‒−﹣─_/／\\＼]{1,6}|[无無]|")
# str.strip() keeps these; extractors leave them in otherwise empty cells.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


@dataclass(frozen=True, slots=True)
class Num:
    """A numeric cell: `value` is int, or Decimal when written with a fraction (24.5, 0.00)."""

    value: int | Decimal
    unit: str | None = None
    signed: bool = False  # written with an explicit + or - sign


def is_blank_value(text: str) -> bool:
    """True for cells that mean "nothing here": empty, /, —, ——, -, 无, \\ and width variants."""
    return _BLANK.fullmatch(text.strip().strip(_INVISIBLE).strip()) is not None


def parse_number(text: str) -> Num | None:
    """`12`, `1,234`, `１２`, `+3`, `-2`, `24.5`, `0.00`, `12件`, `1.5万元` -> Num; else None.

    Anything else (`100%`, `2024年`, dates, prose, a bare sign) is not a number cell.
    """
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    sign, whole, frac, unit = match.group("sign", "int", "frac", "unit")
    whole = whole.replace(",", "").replace("，", "")
    # int() reads full-width digits as well; Decimal gets them translated to be safe.
    value = int(whole) if frac is None else Decimal(f"{int(whole)}.{frac.translate(_FULL_DIGITS)}")
    if sign in _NEGATIVE:
        value = -value
    return Num(value, unit, bool(sign))
