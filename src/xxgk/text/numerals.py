"""Chinese numerals: 二十三 -> 23, 一百零五 -> 105, 两千 -> 2000; and the digit table that
reads a year written digit by digit (二〇二五)."""

from __future__ import annotations

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# Digit by digit, as years are written in signatures (二〇二五年); typists put ○ or O for 〇.
YEAR_DIGITS = {**{k: v for k, v in CN_DIGITS.items() if k != "两"}, "○": 0, "O": 0}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """二十三 -> 23, 一百零五 -> 105, 两千 -> 2000, 三万五千 -> 35000; None if not a numeral.
    `text` holds only numeral characters (digits, 十百千万)."""
    if len(text) > 1 and not any(ch in text for ch in "十百千万"):
        return None  # 一二 or 二〇二四: digits in a row are not a count
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGITS:
            if digit:  # a digit right after a non-zero digit
                return None
            digit = CN_DIGITS[ch]
        elif ch in _CN_SCALES:
            section += (1 if digit is None else digit) * _CN_SCALES[ch]
            digit = None
        elif ch == "万":
            total += ((section + (digit or 0)) or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)
