"""Cells safe to open in a spreadsheet: every CSV and XLSX file xxgk writes passes its text
cells through `neutralise`, and every ledger import passes them back through `restore`.

A spreadsheet program treats a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(and a leading tab or carriage return can hide one), so text such as ``=HYPERLINK(…)`` or
``+1+1`` taken from an application would run when a clerk opens the export (OWASP "CSV
injection"). The convention, the same as typing in Excel: such text is written with one
single quote ``'`` in front, which spreadsheets read as "this is text" and do not show.

- Numbers stay numbers: an int, float or Decimal is never changed, and neither is text that
  is just a number (``-12.50``, ``+86``), which no spreadsheet runs as a formula.
- The rule is reversible. Text that already begins with quotes followed by a trigger
  (``'=x``) gets one more quote (``''=x``), so `restore` — drop one leading quote when the
  text is quotes followed by a trigger — gives back exactly what was written, and an
  export imported again is the original text. Text like ``'abc`` is left alone both ways.
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _runs_as_formula(text: str) -> bool:
    return text.startswith(TRIGGERS) and _NUMBER.fullmatch(text) is None


def _after_quotes(text: str) -> str:
    return text.lstrip(QUOTE)


def neutralise(value: Any) -> Any:
    """`value` as it should be written to a cell: text that a spreadsheet would run gets a
    leading quote; anything that is not text is returned unchanged."""
    if isinstance(value, str) and _runs_as_formula(_after_quotes(value)):
        return QUOTE + value
    return value


def restore(value: Any) -> Any:
    """The inverse of `neutralise`, for cells read back from a file."""
    if isinstance(value, str) and value.startswith(QUOTE) and _runs_as_formula(_after_quotes(value)):
        return value[1:]
    return value
