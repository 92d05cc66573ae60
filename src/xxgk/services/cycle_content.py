"""The content of a filing version: the report's YAML source (`xxgk.source/1`) held as a dict.

It is exactly what `xxgk new` writes, parsed — the same keys (``meta``, ``preamble``,
``sections``, ``active``, ``applications``, ``reviews``), a generated paragraph the same
``{"文字": …, "自动生成": <generator>}`` item, a clerk's line a plain string — so the source
reader (source/yamlread.py) validates it and rewrites the generated paragraphs from the
numbers each time it is turned into a Report, and `dump_source` gives the clerk the YAML file.
Counts are ints, amounts strings ("12.30", never a float), a blank cell None. A cell holds
what was typed when it is not a valid number ("12a"), so nothing typed is lost; such a cell
counts as blank for the checks and carries its own message (`cell_problems`).

Start points (each returns a content dict): `empty_content`, `carried_content` (上年结转 and
现行有效 from last year's report), `report_content` (an uploaded file once read, or the
ledger's statistics merged into a starter).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from ..errors import InputError
from ..formats import AMOUNT, AMOUNT_TEXT, SIGNED, get_format
from ..model import Number, Report
from ..source import dump_source, loads_source, starter_report

FORMAT = "2021"
_SPEC = get_format(FORMAT)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


class _SourceLoader(yaml.SafeLoader):
    """Safe YAML with floats and dates left as the text written: amounts stay exact."""


_SourceLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith((":float", ":timestamp"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# ---------------------------------------------------------------- content <-> Report


def report_content(report: Report) -> dict[str, Any]:
    """The content dict of `report` (via its YAML source: generated paragraphs recognised)."""
    return yaml.load(dump_source(report), Loader=_SourceLoader)  # noqa: S506 (a SafeLoader)


def content_report(content: dict[str, Any]) -> Report:
    """The Report of a content dict, generated paragraphs rewritten from its numbers; a cell
    that is not a valid number counts as blank. InputError when the content is malformed."""
    clean = copy.deepcopy(content)
    for ref in cell_problems(content):
        table, row, fld = ref.split("/")
        clean[table][row][fld] = None
    return loads_source(yaml.safe_dump(clean, allow_unicode=True, sort_keys=False))


def fingerprint(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a content dict: what a publication refers to."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- cells


def refs() -> list[str]:
    return _SPEC.refs()


def cell_value(content: dict[str, Any], ref: str) -> Any:
    table, row, fld = ref.split("/")
    return ((content.get(table) or {}).get(row) or {}).get(fld)


def parse_cell(ref: str, typed: str) -> tuple[Number | str | None, str | None]:
    """(value to store, Chinese problem or None) for what was typed in cell `ref`. A valid
    count is stored as an int, an amount as its exact text; anything else as typed."""
    text = unicodedata.normalize("NFKC", typed or "").strip().replace(",", "")
    if not text:
        return None, None
    kind = _SPEC.fields_by_ref[ref][2].kind
    if not _NUMBER.fullmatch(text):
        return typed.strip(), f"“{typed.strip()}”不是数字"
    value = Decimal(text)
    if value < 0 and kind != SIGNED:
        return typed.strip(), "不能是负数"
    if kind in (AMOUNT, AMOUNT_TEXT):
        return text, None
    if value != value.to_integral_value():
        return typed.strip(), "应为整数"
    return int(value), None


def cell_problems(content: dict[str, Any]) -> dict[str, str]:
    """ref -> Chinese message, for every cell whose stored value is not a valid number."""
    out = {}
    for ref in refs():
        value = cell_value(content, ref)
        if isinstance(value, str):
            problem = parse_cell(ref, value)[1]
            if problem:
                out[ref] = problem
    return out


def set_cells(content: dict[str, Any], typed: dict[str, str]) -> dict[str, Any]:
    """A copy of `content` with the typed cells stored (unknown refs are refused)."""
    out = copy.deepcopy(content)
    for ref, text in typed.items():
        if ref not in _SPEC.fields_by_ref:
            raise InputError(f"没有这个单元格：{ref}")
        table, row, fld = ref.split("/")
        out.setdefault(table, {}).setdefault(row, {})[fld] = parse_cell(ref, text)[0]
    return out


def _number(value: Any) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def total_parts(ref: str) -> tuple[str, ...] | None:
    """The cells whose sum is the total `ref` by a format identity (一+…=总计), or None."""
    for ident in _SPEC.identities:
        if ident.kind != "balance" and ident.right == (ref,):
            return ident.left
    return None


def fill_total(content: dict[str, Any], ref: str) -> dict[str, Any]:
    """A copy of `content` with total `ref` set to the sum of its parts (blank parts as 0)."""
    parts = total_parts(ref)
    if parts is None:
        raise InputError("该单元格不是可由分项合计的总计")
    total = sum((_number(cell_value(content, p)) for p in parts), Decimal(0))
    return set_cells(content, {ref: str(total)})


def paste_cells(content: dict[str, Any], grid_rows: list[list[str]], start: str, tsv: str) -> dict[str, Any]:
    """A copy of `content` with a table pasted from a spreadsheet (tab-separated lines) into
    the value cells of the official layout (`grid_rows`: refs by printed row), from `start`."""
    row_index = next((i for i, row in enumerate(grid_rows) if start in row), None)
    if row_index is None:
        raise InputError("请选择粘贴的起始单元格")
    col_index = grid_rows[row_index].index(start)
    lines = [line for line in tsv.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
    if not lines:
        raise InputError("粘贴的内容为空")
    typed: dict[str, str] = {}
    for i, line in enumerate(lines):
        if row_index + i >= len(grid_rows):
            raise InputError(
                f"粘贴的内容有 {len(lines)} 行，超出了表格（从起始单元格起只有 {len(grid_rows) - row_index} 行）"
            )
        targets = grid_rows[row_index + i][col_index:]
        values = line.split("\t")
        if len(values) > len(targets):
            raise InputError(
                f"粘贴内容第 {i + 1} 行有 {len(values)} 列，超出了表格（该行只有 {len(targets)} 列）"
            )
        typed.update(zip(targets, values, strict=False))
    return set_cells(content, typed)


# ---------------------------------------------------------------- start points


def empty_content(agency: str, year: int) -> dict[str, Any]:
    """What `xxgk new` writes: every cell 0, skeleton sections, the standard preamble."""
    return report_content(starter_report(agency, year))


def carried_content(agency: str, year: int, previous: Report) -> dict[str, Any]:
    """A starter with 上年结转 and 现行有效 carried from last year's report."""
    return report_content(starter_report(agency, year, previous))


def merged_content(agency: str, year: int, found: Report, previous: Report | None = None) -> dict[str, Any]:
    """A starter (carried from `previous` when given) with the cells `found` holds, e.g. the
    ledger's 表三 and 表四: the text stays the starter's, generated from the new numbers."""
    report = starter_report(agency, year, previous)
    for ref, cell in found.cells.items():
        if ref in _SPEC.fields_by_ref:
            report.set(ref, cell.value)
    return report_content(report)


def read_content(agency: str, year: int, read: Report) -> dict[str, Any]:
    """An uploaded report, once read, as the filing's content (agency and year the filing's)."""
    if read.format != FORMAT:
        raise InputError(f"上传的报告不是 {FORMAT} 年格式（国办公开办函〔2021〕30号），不能作为填报起点")
    if read.meta.year is not None and read.meta.year != year:
        raise InputError(f"上传的是 {read.meta.year} 年度的报告，本次填报的是 {year} 年度")
    report = copy.deepcopy(read)
    report.meta.agency, report.meta.year = agency, year
    return report_content(report)
