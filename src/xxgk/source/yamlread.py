"""The YAML source -> Report, validated, every problem named with its line (writing: yamlwrite.py).

The text is parsed by PyYAML's safe loader into nodes (`yaml.compose` with `SafeLoader`, the
parser `yaml.safe_load` uses, bounded in size, depth and node count by yamlguard) and read
node by node, so each message can name the line, a duplicated key is an error instead of a
silent overwrite, and numbers are read from the text as written (an amount 12.30 stays a
Decimal, never a float). Generated paragraphs are written afresh from the numbers (narrative.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError
from ..formats import AMOUNT, AMOUNT_TEXT, FORMAT_IDS, SIGNED, Format, get_format
from ..model import SECTION_KEYS, TABLE_KEYS, Meta, Number, Report, Source
from ..read import read_path
from ..read.limits import DEFAULT_MAX_BYTES
from ..read.text import decode_bytes
from .generator import Facts, FeeFigures
from .narrative import FEE, GENERATORS, PREAMBLE, could_be_generated
from .preamble import contact_text
from .yamlguard import MAX_SOURCE_BYTES, BoundedLoader, SourceLimit
from .yamlwrite import MARK, SCHEMA, TEXT

NULL_TAG = "tag:yaml.org,2002:null"
TOP_KEYS = ("schema", "format", "meta", "preamble", "sections", *TABLE_KEYS)
META_KEYS = ("agency", "year", "title", "publish_date", "script", "contact", "processing_fee")
TABLE_NAMES = {"active": "表二", "applications": "表三", "reviews": "表四"}


class _Problem(Exception):
    def __init__(self, node: Node | None, message: str):
        super().__init__(message)
        self.line = None if node is None else node.start_mark.line + 1
        self.message = message


# ---------------------------------------------------------------- nodes


def _entries(node: Node, what: str, allowed: tuple[str, ...] | None = None) -> list[tuple[str, Node, Node]]:
    """(key, key node, value node) of a mapping; unknown and repeated keys are errors."""
    if not isinstance(node, MappingNode):
        raise _Problem(node, f"{what}应是“键: 值”的形式")
    out, seen = [], set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise _Problem(key_node, f"{what}中的键写法有误")
        key = key_node.value
        if key in seen:
            raise _Problem(key_node, f"{what}中“{key}”出现了两次")
        if allowed is not None and key not in allowed:
            raise _Problem(key_node, f"{what}中没有“{key}”这一项（可用：{'、'.join(allowed)}）")
        seen.add(key)
        out.append((key, key_node, value_node))
    return out


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def _text(node: Node, what: str) -> str | None:
    """A scalar as written (a phone number 12345678 stays text); None for null or blank."""
    if _is_null(node):
        return None
    if not isinstance(node, ScalarNode):
        raise _Problem(node, f"{what}应是一项文字")
    return node.value


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _number(node: Node, what: str, kind: str = "count") -> Number | None:
    raw = _text(node, what)
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise _Problem(node, f"{what}“{raw}”不是数字（空白单元格写 null 或留空）")
    value = Decimal(text)
    if value < 0 and kind != SIGNED:
        raise _Problem(node, f"{what}“{raw}”不能是负数")
    if kind in (AMOUNT, AMOUNT_TEXT):
        return value
    if value != value.to_integral_value():
        raise _Problem(node, f"{what}“{raw}”应为整数")
    return int(value)


# ---------------------------------------------------------------- meta

_DATE = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?")


def _date(node: Node) -> str | None:
    raw = _text(node, "发布日期")
    if raw is None:
        return None
    m = _DATE.fullmatch(unicodedata.normalize("NFKC", raw).strip())
    try:
        if m is None:
            raise ValueError
        return dt.date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        raise _Problem(node, f"发布日期“{raw}”不是有效的日期（应写成 2026-01-20 的形式）") from None


def _year(node: Node) -> int:
    raw = unicodedata.normalize("NFKC", _text(node, "报告年度") or "").strip()
    year = int(raw) if raw.isascii() and raw.isdigit() else None
    if year is None or not 1990 <= year <= 2100:
        raise _Problem(node, "报告年度应写成四位数的年份，如 2025")
    return year


def _contact(node: Node) -> dict[str, str | None]:
    labels = {"address": "地址", "phone": "电话", "email": "电子邮箱"}
    found: dict[str, str | None] = dict.fromkeys(labels)
    if _is_null(node):
        return found
    for key, _, value in _entries(node, "联系方式（contact）", tuple(labels)):
        found[key] = _text(value, f"联系方式的{labels[key]}") or None
    return found


def _fee(node: Node) -> FeeFigures:
    if _is_null(node):
        return FeeFigures()
    values = {}
    names = {"notices": "收费通知件数", "yuan": "收取金额"}
    for key, _, value in _entries(node, "信息处理费（processing_fee）", tuple(names)):
        values[key] = _number(value, f"信息处理费的{names[key]}", AMOUNT if key == "yuan" else "count") or 0
    return FeeFigures(int(values.get("notices", 0)), values.get("yuan", 0))


def _meta(node: Node) -> tuple[Meta, dict[str, str | None], FeeFigures]:
    entries = {
        key: (key_node, value) for key, key_node, value in _entries(node, "基本信息（meta）", META_KEYS)
    }
    meta = Meta()
    for key, label in (("agency", "机关名称"), ("year", "报告年度")):
        if key not in entries or _is_null(entries[key][1]):
            raise _Problem(entries.get(key, (node,))[0], f"缺少{label}（meta 下的 {key}）")
    meta.agency = _text(entries["agency"][1], "机关名称")
    if not (meta.agency or "").strip():
        raise _Problem(entries["agency"][1], "缺少机关名称（meta 下的 agency）")
    meta.year = _year(entries["year"][1])
    if "title" in entries:
        meta.title = _text(entries["title"][1], "报告标题") or None
    if "publish_date" in entries:
        meta.publish_date = _date(entries["publish_date"][1])
    if "script" in entries:
        script = _text(entries["script"][1], "字体") or "simplified"
        if script not in ("simplified", "traditional"):
            raise _Problem(entries["script"][1], "script 只能是 simplified 或 traditional")
        meta.script = script
    contact = _contact(entries["contact"][1]) if "contact" in entries else _contact(ScalarNode(NULL_TAG, ""))
    fee = _fee(entries["processing_fee"][1]) if "processing_fee" in entries else FeeFigures()
    return meta, contact, fee


# ---------------------------------------------------------------- tables


def _table(report: Report, spec: Format, key: str, node: Node) -> None:
    if _is_null(node):
        return
    table = spec.table(key)
    report.tables_present.add(key)
    name = f"{TABLE_NAMES[key]}（{key}）"
    for row_key, _, row_node in _entries(node, name, tuple(r.key for r in table.rows)):
        row = table.row(row_key)
        fields = {f.key: f for f in row.fields}
        allowed = tuple(fields) + tuple(f"{k}_text" for k, f in fields.items() if f.kind == AMOUNT_TEXT)
        texts = {}
        for fld_key, _, value in _entries(row_node, f"{name}的“{row.name}”行", allowed):
            if fld_key not in fields:
                texts[fld_key[: -len("_text")]] = _text(value, f"“{row.name}”的金额原文") or None
                continue
            fld = fields[fld_key]
            what = f"{TABLE_NAMES[key]}“{spec.describe(f'{key}/{row_key}/{fld_key}')}”"
            number = _number(value, what, fld.kind)
            raw = "" if number is None else value.value
            report.set(
                f"{key}/{row_key}/{fld_key}", number, raw=raw, where={"line": value.start_mark.line + 1}
            )
        for fld_key, text in texts.items():
            cell = report.cells.get(f"{key}/{row_key}/{fld_key}")
            if cell is not None:
                cell.text = text


# ---------------------------------------------------------------- preamble and sections


@dataclass
class _Load:
    """What the paragraphs are written from besides the cells, and the generators used."""

    facts: Facts
    used: set[str] = field(default_factory=set)


def _paragraph(report: Report, load: _Load, node: Node, where: str) -> str:
    if isinstance(node, ScalarNode):
        return "" if _is_null(node) else node.value
    if not isinstance(node, MappingNode):
        raise _Problem(node, f"{where}的段落应是一行文字（以“- ”开头）")
    entries = {key: (key_node, value) for key, key_node, value in _entries(node, "段落", (TEXT, MARK))}
    stored = _text(entries[TEXT][1], "段落文字") if TEXT in entries else None
    if MARK not in entries:
        return stored or ""
    mark_node, name_node = entries[MARK]
    return _generated(report, load, mark_node, name_node, stored, entries.get(TEXT, (node,))[0])


# What each generator rewrites its paragraph from (the table generators: the numbers).
_BASIS = {FEE: "按信息处理费的数字", PREAMBLE: "按机关名称、报告年度和联系方式"}


def _generated(report: Report, load: _Load, mark_node: Node, name_node: Node, stored, text_node) -> str:
    name = _text(name_node, MARK) or ""
    gen = GENERATORS.get(name)
    if gen is None:
        known = "、".join(GENERATORS)
        raise _Problem(mark_node, f"没有名为“{name}”的自动生成段落（可用：{known}）")
    if not gen.applies(report.spec):
        raise _Problem(mark_node, f"本报告的格式不能自动生成“{name}”段落，请删去这一行并自己填写文字")
    text = gen.text(report, load.facts.fee, load.facts.contact)
    if stored and stored != text and not could_be_generated(name, stored):
        raise _Problem(
            text_node,
            f"“{MARK}: {name}”段落的文字被改动过，而自动生成的文字每次都会{_BASIS.get(name, '按表格数字')}重写。"
            f"要保留改动，请删去第{mark_node.start_mark.line + 1}行“{MARK}: {name}”；"
            f"要恢复自动生成，请撤销对文字的改动",
        )
    load.used.add(name)
    return text


def _paragraphs(report: Report, load: _Load, node: Node, where: str) -> str:
    if _is_null(node):
        return ""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return "\n".join(_paragraph(report, load, item, where) for item in node.value)
    raise _Problem(node, f"{where}应是若干段落，每段一行，以“- ”开头")


def _sections(report: Report, load: _Load, node: Node) -> None:
    for key, _, value in _entries(node, "正文（sections）", SECTION_KEYS):
        report.sections[key] = _paragraphs(report, load, value, f"第{key}部分")


def _append_contact(report: Report, load: _Load) -> None:
    """A source whose preamble is not the generated one keeps its contact details in a line at
    the end of section 六, so that nothing entered in meta is lost."""
    line = contact_text(load.facts.contact)
    if line is None or PREAMBLE in load.used:
        return
    text = report.sections.get("6")
    report.sections["6"] = f"{text}\n{line}" if text else line


# ---------------------------------------------------------------- the file

_YAML_PROBLEMS = (
    ("'\\t'", "用了制表符（Tab），请改用空格缩进"),
    (
        "mapping values are not allowed",
        "冒号用法有误：文字中有英文冒号“:”时请给整段文字加上英文双引号，并检查缩进",
    ),
    ("could not find expected ':'", "缺少冒号，或缩进不齐"),
    ("expected <block end>", "缩进不齐"),
    ("quoted scalar", '引号没有成对（文字中要用英文双引号时写成 \\"）'),
    ("unknown escape character", "引号内的反斜杠用法有误（反斜杠本身写成 \\\\）"),
    ("expected a single document", "文件中只能有一份报告（不要用“---”分隔）"),
)


def _compose(text: str, path: str | None) -> Node:
    try:
        node = yaml.compose(text, Loader=BoundedLoader)
    except SourceLimit as exc:
        where = f"第 {exc.mark.line + 1} 行：" if exc.mark else ""
        raise InputError(where + exc.message, path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = f"{getattr(exc, 'problem', '')} {getattr(exc, 'context', '')}"
        hint = next((msg for key, msg in _YAML_PROBLEMS if key in problem), "请检查缩进、冒号和引号")
        where = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark else ""
        raise InputError(f"YAML 格式错误{where}：{hint}", path) from None
    if not isinstance(node, MappingNode):
        raise InputError("不是 xxgk 报告源文件（应是 YAML，以 schema:、format:、meta: 等项开头）", path)
    return node


def _build(root: Node) -> Report:
    entries = {key: (key_node, value) for key, key_node, value in _entries(root, "源文件顶层", TOP_KEYS)}
    if "schema" in entries and _text(entries["schema"][1], "schema") != SCHEMA:
        raise _Problem(entries["schema"][1], f"schema 应为 {SCHEMA}")
    if "format" not in entries or _text(entries["format"][1], "format") is None:
        raise _Problem(entries.get("format", (root,))[0], "缺少报告格式（format，如 2021）")
    fmt = _text(entries["format"][1], "format")
    if fmt not in FORMAT_IDS:
        raise _Problem(entries["format"][1], f"报告格式只能是 {'、'.join(FORMAT_IDS)}，不是“{fmt}”")
    if "meta" not in entries:
        raise _Problem(root, "缺少 meta（机关名称、报告年度等）")
    report = Report(format=fmt)
    report.meta, contact, fee = _meta(entries["meta"][1])
    spec = get_format(fmt)
    for key in TABLE_KEYS:
        if key in entries and spec is not None:
            _table(report, spec, key, entries[key][1])
        elif key in entries and not _is_null(entries[key][1]):
            raise _Problem(entries[key][0], f"{fmt} 格式的报告没有{TABLE_NAMES[key]}")
    load = _Load(Facts(fee, contact))
    if "preamble" in entries:
        report.preamble = _paragraphs(report, load, entries["preamble"][1], "前言（preamble）")
    if "sections" in entries:
        _sections(report, load, entries["sections"][1])
    _append_contact(report, load)
    return report


def loads_source(text: str, path: str | None = None) -> Report:
    """A Report from the text of a YAML source; InputError (with the line) when it is not valid."""
    root = _compose(text, path)
    try:
        return _build(root)
    except _Problem as problem:
        where = f"第 {problem.line} 行：" if problem.line else ""
        raise InputError(where + problem.message, path) from None


def load_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """A Report from a YAML source file (the file's bytes within the size limit, which for a
    source is at most MAX_SOURCE_BYTES: see yamlguard)."""
    data, label = read_path(path, min(max_bytes, MAX_SOURCE_BYTES))
    text, _ = decode_bytes(data, label)
    report = loads_source(text, label)
    report.meta.source = Source(label, hashlib.sha256(data).hexdigest(), "application/yaml")
    return report


__all__ = ["load_source", "loads_source"]
