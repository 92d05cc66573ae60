"""Report -> the YAML source a clerk edits (the reading side is yamlread.py).

The text is written line by line, not by a YAML library, so that every row and field carries
its official Chinese label as a comment. Scalars are emitted by `yaml.safe_dump` one at a time
(double-quoted, one line), so colons, #, quotes and line breaks in a clerk's text are safe.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from yaml.reader import Reader

from ..errors import InputError
from ..formats import AMOUNT_TEXT, Format, Row, Table, get_format
from ..model import SECTION_KEYS, Meta, Number, Report, number_text
from ..render.layout import report_title, section_heading
from .narrative import (
    FEE,
    GENERATORS,
    PREAMBLE,
    FeeFigures,
    could_be_generated,
    generated_texts,
    parse_fee,
)
from .preamble import PREAMBLE_LABELS, Contact, no_contact, parse_contact, parse_preamble
from .starter import PREAMBLE_KEY, SKELETON, Item, skeleton_items

SCHEMA = "xxgk.source/1"
MARK = "自动生成"  # key of a generated paragraph
TEXT = "文字"  # key of its text
COMMENT_COLUMN = 36

HEADER = """\
# {title}——报告源文件
#
# 这是 xxgk 编制政府信息公开工作年度报告用的源文件，可以用任何文本编辑器（如记事本）修改，保存为 UTF-8。
# 填写说明：
#   1. “#”后面是说明文字，不影响报告内容。冒号前的英文键名（如 agency、received）不要改动，
#      它们与 xxgk.report/1 JSON 的键相同；每个键的中文含义写在同一行的“#”后面。
#   2. 表格数字直接写阿拉伯数字。没有发生的填 0；写 null 或留空表示空白单元格（空白与 0 不同，检查时会提示）。
#   3. 文字写在英文双引号里，每段一行，以“- ”开头；段中要用英文双引号时写成 \\"。
#   4. 带“{mark}”的段落按表格数字（前言按机关名称、报告年度和联系方式）生成，每次检查或生成报告时都重写，改数字或基本信息即可。
#      要改用自己的文字：删去“{mark}: …”那一行，再修改“{text}:”后的文字；此后该段不再自动更新。
#   5. 【请填写：…】是待填写的占位文字，全部替换之前不能生成正式报告。
# 检查：xxgk check 本文件　　生成报告：xxgk render 本文件 -o 报告.docx（或 .html、.md）
"""


def scalar(value: object) -> str:
    """One YAML scalar on one line: strings double-quoted and escaped, numbers plain."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        raise TypeError("booleans are not written")
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        return number_text(value)  # Decimal
    out = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=float("inf"))
    return out.rstrip("\n")


NON_PRINTABLE = Reader.NON_PRINTABLE
_UNSAFE_IN_COMMENT = re.compile(NON_PRINTABLE.pattern + "|[\r\n\x85\u2028\u2029]")


def comment(text: str) -> str:
    """Text safe inside a YAML comment: a line break would end the comment and a character
    the YAML reader refuses anywhere would make the whole file unreadable."""
    return _UNSAFE_IN_COMMENT.sub(" ", text)


def _line(indent: int, text: str, note: str | None = None) -> str:
    body = " " * indent + text
    if not note:
        return body
    return body.ljust(COMMENT_COLUMN) + "  # " + comment(note)


# ---------------------------------------------------------------- preamble and sections


def _section_items(report: Report, key: str, texts: dict[str, str], fee: FeeFigures | None) -> list[Item]:
    text = report.sections.get(key)
    if text is None:
        return skeleton_items(key, report, fee or FeeFigures())
    lines = text.split("\n") if text else []
    return [_mark(line, texts) for line in lines]


def _preamble_items(report: Report, texts: dict[str, str], fee: FeeFigures, contact: Contact) -> list[Item]:
    # A report without any text (the ledger's) gets the standard preamble as it gets skeletons;
    # a parsed report without a preamble had none.
    if not report.preamble and all(text is None for text in report.sections.values()):
        return skeleton_items(PREAMBLE_KEY, report, fee, contact)
    return [_mark(line, texts) for line in report.preamble.split("\n")] if report.preamble else []


def _mark(line: str, texts: dict[str, str]) -> Item:
    """A line the generator writes is marked — also one written for other numbers (the cells
    were changed since), so it is rewritten from the current numbers when loaded."""
    for name, generated in texts.items():
        if line == generated:
            return (name, line)
    for name in texts:
        if could_be_generated(name, line):
            return (name, texts[name])
    return line


def _contact(report: Report) -> tuple[Contact, bool]:
    """The contact details the paragraphs were written from: those of a generated preamble,
    else those of the contact line ending section 六 (True: that line is to be dropped)."""
    texts = (report.preamble, *report.sections.values())
    for line in (line for text in texts if text for line in text.split("\n")):
        found = parse_preamble(line)
        if found is not None:
            return found["contact"], False
    lines6 = (report.sections.get("6") or "").split("\n")
    old = parse_contact(lines6[-1])
    return (old, True) if old is not None else (no_contact(), False)


def _fee(report: Report) -> FeeFigures | None:
    """The fee figures of the first generated fee sentence, the sections' before the preamble's.
    The preamble counts too: a fee sentence there would otherwise stay unmarked text in the
    first source and be marked, then rewritten from other figures, in the next."""
    texts = (*report.sections.values(), report.preamble)
    lines = (line for text in texts if text for line in text.split("\n"))
    return next((fee for line in lines if (fee := parse_fee(line))), None)


def split_sections(report: Report) -> tuple[dict[str, list[Item]], FeeFigures, Contact]:
    """Items of the preamble (PREAMBLE_KEY) and each section (generated paragraphs
    recognised), the fee figures and the contact details they were written from."""
    contact, contact_line = _contact(report)
    fee = _fee(report)
    texts = generated_texts(report, fee or FeeFigures(), contact)
    if fee is None:
        texts.pop(FEE, None)
    items = {key: _section_items(report, key, texts, fee) for key in SECTION_KEYS}
    if contact_line:
        items["6"].pop()
    items[PREAMBLE_KEY] = _preamble_items(report, texts, fee or FeeFigures(), contact)
    return items, fee or FeeFigures(), contact


_TABLE_NUMBERS = {"active": "表二", "applications": "表三", "reviews": "表四"}
_BASIS = {FEE: "按上面“信息处理费”的数字", PREAMBLE: "按上面的机关名称、报告年度和联系方式"}


def _item_lines(items: list[Item], indent: int) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(_line(indent, "- " + scalar(item)))
            continue
        name, text = item
        out.append(_line(indent, f"- {TEXT}: " + scalar(text)))
        table = _TABLE_NUMBERS.get(GENERATORS[name].table or "")
        basis = f"按{table}数字" if table else _BASIS[name]
        out.append(_line(indent + 2, f"{MARK}: {name}", f"{basis}自动生成；要自己写，删去这一行"))
    return out


def _preamble(items: list[Item]) -> list[str]:
    out = ["", "# ---------------------------------------------------------------- 前言"]
    if not items:
        note = f"前言：标题之后、第一部分之前的文字（没有；要用自动生成的标准前言，改为 preamble: [{MARK}: {PREAMBLE}]）"
        return [*out, _line(0, "preamble: []", note)]
    out.append(_line(0, "preamble:", "前言：标题之后、第一部分之前的文字，如编制依据、统计期限、联系方式"))
    return out + _item_lines(items, 2)


def _sections(spec: Format | None, items: dict[str, list[Item]]) -> list[str]:
    titles = {s.number: s.title for s in (spec or get_format("2021")).sections}
    out = ["", "# ---------------------------------------------------------------- 正文", "sections:"]
    for key in SECTION_KEYS:
        comment = section_heading(int(key), titles[int(key)])
        if not items[key]:
            out.append(_line(2, f'"{key}": []', comment + "（本部分没有文字）"))
            continue
        out.append(_line(2, f'"{key}":', comment))
        out += _item_lines(items[key], 4)
    return out


# ---------------------------------------------------------------- meta


def _format_id(report: Report) -> tuple[str, str | None]:
    if report.format:
        return report.format, None
    guess = "2019" if report.meta.year in (2019, 2020) else "2021"
    return guess, f"原报告未能识别格式，按年度推定为“{guess}”，请核对"


def _meta(report: Report, fee: FeeFigures, contact: Contact) -> list[str]:
    meta = report.meta
    fmt, note = _format_id(report)
    default_title = report_title(Report(meta=Meta(agency=meta.agency, year=meta.year)))
    out = [
        _line(0, f"schema: {scalar(SCHEMA)}", "源文件格式的版本，不要改动"),
        _line(0, f"format: {scalar(fmt)}", note or "报告格式：2021 即国办公开办函〔2021〕30号 规定的格式"),
        "",
        "meta:",
        _line(2, f"agency: {scalar(meta.agency)}", "机关名称（必填）"),
        _line(2, f"year: {scalar(meta.year)}", "报告年度（必填）"),
        _line(2, f"title: {scalar(meta.title)}", f"报告标题；留空即“{default_title}”"),
        _line(2, f"publish_date: {scalar(meta.publish_date)}", "发布日期，写成 2026-01-20 的形式"),
    ]
    if meta.script != "simplified":
        out.append(_line(2, f"script: {scalar(meta.script)}", "原报告的字体（traditional 为繁体）"))
    out.append(
        _line(2, "contact:", "联系方式，写入自动生成的前言（没有时印在第六部分末尾）；不需要的项写 null")
    )
    for key, label in PREAMBLE_LABELS.items():
        out.append(_line(4, f"{key}: {scalar(contact.get(key))}", label))
    out.append(_line(2, "processing_fee:", "信息处理费（国办函〔2020〕109号），用于第六部分自动生成的句子"))
    out.append(_line(4, f"notices: {scalar(fee.notices)}", "本年度发出收费通知的件数"))
    out.append(_line(4, f"yuan: {scalar(fee.yuan)}", "本年度实际收取的金额（元）"))
    return out


# ---------------------------------------------------------------- tables


def _row_comment(table: Table, row: Row) -> str:
    if row.block:
        return f"{row.label}（{row.block}）"
    if table.key == "reviews" and row.group:
        return f"{row.group}：{row.label}"
    return row.name


def _field_comment(table: Table, row: Row, index: int) -> str:
    fld = row.fields[index]
    if table.key == "applications" and 0 < index < len(row.fields) - 1:
        return f"法人或其他组织：{fld.label}"
    return fld.label


def _cell_lines(report: Report, table: Table, row: Row) -> list[str]:
    out = []
    for i, fld in enumerate(row.fields):
        cell = report.cells.get(f"{table.key}/{row.key}/{fld.key}")
        value: Number | None = None if cell is None else cell.value
        out.append(_line(4, f"{fld.key}: {scalar(value)}", _field_comment(table, row, i)))
        if fld.kind == AMOUNT_TEXT:
            text = None if cell is None else (cell.text or cell.raw or None)
            out.append(_line(4, f"{fld.key}_text: {scalar(text)}", f"{fld.label}（照原文，含单位）"))
    return out


def _tables(report: Report, fmt: str) -> list[str]:
    spec = get_format(fmt)
    if spec is None:
        return []
    out = []
    for table in spec.tables:
        number = _TABLE_NUMBERS.get(table.key, "")
        out += ["", f"# ---------------------------------------------------------------- {number}"]
        out.append(_line(0, f"{table.key}:", f"{number} {section_heading(table.section, table.title)}"))
        for row in table.rows:
            out.append(_line(2, f"{row.key}:", _row_comment(table, row)))
            out += _cell_lines(report, table, row)
    return out


# ---------------------------------------------------------------- the file


def front_matter(report: Report) -> list[str]:
    """Lines of a parsed report before section 一 that neither its title nor its preamble holds
    (page metadata, navigation, a table of contents): a source cannot keep them."""
    title = (report.meta.title or "").strip()
    return [
        text
        for line in report.lines
        if line.section is None
        and not line.heading
        and not line.in_table
        and (text := line.text.strip()) not in ("", title)
        and text not in report.preamble
    ]


def _front_matter_comment(report: Report) -> str:
    lines = front_matter(report)
    if not lines:
        return ""
    shown = "".join(f"#   {comment(line)}\n" for line in lines)
    return f"#\n# 原报告第一部分之前、前言以外的文字（如网页信息、导航；源文件不保存这些文字，生成的报告中不会出现）：\n{shown}"


def dump_source(report: Report) -> str:
    """The YAML source of `report`: meta, the preamble and the six sections (generated
    paragraphs marked; a section the report lacks gets the starter's skeleton), every cell of
    the three tables."""
    items, fee, contact = split_sections(report)
    fmt, _ = _format_id(report)
    header = HEADER.format(title=comment(report_title(report)), mark=MARK, text=TEXT)
    header += _front_matter_comment(report)
    lines = [
        *_meta(report, fee, contact),
        *_preamble(items[PREAMBLE_KEY]),
        *_sections(get_format(fmt), items),
        *_tables(report, fmt),
    ]
    return header + "\n" + "\n".join(lines) + "\n"


def write_source(report: Report, path: str | os.PathLike, *, force: bool = False) -> None:
    """Write the YAML source of `report` to `path`; an existing file is kept unless `force`."""
    target = Path(path)
    if target.exists() and not force:
        raise InputError("文件已存在，未覆盖（确需覆盖时加 --force）", str(path))
    text = dump_source(report)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"无法写入文件（{exc.strerror}）", str(path)) from None


__all__ = [
    "MARK",
    "SCHEMA",
    "SKELETON",
    "TEXT",
    "dump_source",
    "front_matter",
    "scalar",
    "split_sections",
    "write_source",
]
