"""Which cell styles of a workbook show a number as a date, and the date it stands for.

Excel stores a date as a number of days with a date format; the format is a style's number
format, either built in (by id) or declared in styles.xml. Besides the international ids
(14–22, 45–47) Chinese Excel uses the East Asian ids 27–36 and 50–58 (``yyyy"年"m"月"d"日"``
is id 31, written without its format code), which openpyxl does not know.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from ..errors import InputError
from ..read.ziplimits import corrupt_message

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EAST_ASIAN_DATE_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))
BUILTIN_DATE_IDS = frozenset(i for i, code in BUILTIN_FORMATS.items() if is_date_format(code))


def date_styles(archive: zipfile.ZipFile, name: str | None, label: str) -> frozenset[int]:
    """Indexes (the cells' s="…") of the cell formats whose number format is a date or time."""
    if name is None:
        return frozenset()
    custom: dict[int, str] = {}
    formats: list[int] = []
    try:
        with archive.open(name) as source:
            for _, element in etree.iterparse(
                source,
                events=("end",),
                tag=(f"{_MAIN}numFmt", f"{_MAIN}cellXfs"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
            ):
                if element.tag == f"{_MAIN}numFmt":
                    custom[_number(element.get("numFmtId"))] = element.get("formatCode") or ""
                else:
                    formats = [_number(xf.get("numFmtId")) for xf in element.iterchildren(f"{_MAIN}xf")]
                element.clear(keep_tail=False)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise InputError(corrupt_message("XLSX"), label) from None
    return frozenset(i for i, fmt in enumerate(formats) if _is_date(fmt, custom))


def _number(text: str | None) -> int:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


def _is_date(fmt: int, custom: dict[int, str]) -> bool:
    if fmt in custom:
        return is_date_format(custom[fmt])
    return fmt in BUILTIN_DATE_IDS or fmt in EAST_ASIAN_DATE_IDS


def excel_date(number: float, date1904: bool) -> Any:
    """The date or time a serial number in a date-formatted cell stands for (the number
    itself when it is out of range)."""
    try:
        return from_excel(number, CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)
    except (OverflowError, ValueError):
        return number
