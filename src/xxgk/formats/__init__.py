"""The official report formats, declared as data."""

from __future__ import annotations

from .base import AMOUNT, AMOUNT_TEXT, COUNT, SIGNED, Field, Format, Identity, Row, Section, Table
from .f2019 import FORMAT_2019
from .f2021 import FORMAT_2021

FORMATS: dict[str, Format] = {"2021": FORMAT_2021, "2019": FORMAT_2019}

# Values of Report.format; "pre2019" reports have no national tables.
FORMAT_IDS = ("2021", "2019", "pre2019")


def get_format(format_id: str | None) -> Format | None:
    return FORMATS.get(format_id or "")


__all__ = [
    "AMOUNT",
    "AMOUNT_TEXT",
    "COUNT",
    "SIGNED",
    "FORMATS",
    "FORMAT_IDS",
    "FORMAT_2019",
    "FORMAT_2021",
    "Field",
    "Format",
    "Identity",
    "Row",
    "Section",
    "Table",
    "get_format",
]
