"""Standard paragraphs written from the numbers, so that the prose cannot disagree with the tables.

A generator ("依申请公开", "复议诉讼" …) reads a few figures from the report and composes one
paragraph. The wording depends only on which figures are zero (a zero outcome group is left
out), never otherwise on their values: so the paragraphs a generator can write, with every
number masked, are a small finite set (`shapes`), and a marked paragraph in a source whose
text is not in that set was reworded by a clerk rather than left behind by older numbers.

The preamble (前言, before section 一) is composed from meta and the contact details instead;
its wording carries names and addresses, so one left behind by an older year or agency is
recognised by parsing it (preamble.py), not by its shape.

The sentences are written for the prose rules (check/prose_facts.py): every count stands right
after the words that name it (新收…申请N件, 被申请行政复议N件, 制发行政规范性文件N件), so XG301
compares each of them with its cell, and a number changed after generation is caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from itertools import product

from ..formats import Format
from ..formats.common import GROUP_DECLINED, GROUP_OTHER, GROUP_UNAVAILABLE, GROUP_WITHHELD
from ..model import Number, Report
from .generator import Facts, FeeFigures, Figures, Generator, n
from .preamble import CONTACT_FIELDS, Contact, compose_preamble, contact_text, parse_contact, parse_preamble

ACTIVE = "主动公开"
APPLICATIONS = "依申请公开"
REVIEWS = "复议诉讼"
FEE = "信息处理费"
PREAMBLE = "前言"


# ---------------------------------------------------------------- reading cells


def _row_total(report: Report, table: str, row) -> Number | None:
    """A row's 总计 cell; when blank, the sum of the row's other cells that are filled."""
    value = report.value(f"{table}/{row.key}/total")
    if value is not None:
        return value
    parts = [report.value(f"{table}/{row.key}/{f.key}") for f in row.fields if f.key != "total"]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def _rows_total(report: Report, table: str, rows) -> Number | None:
    """Sum of the rows' totals; blank rows count 0 when another row is filled (as XG301 does)."""
    totals = [_row_total(report, table, row) for row in rows]
    known = [t for t in totals if t is not None]
    return sum(known) if known else None


def _complete(figures: dict[str, Number | None]) -> Figures | None:
    if any(v is None for v in figures.values()):
        return None
    return figures  # type: ignore[return-value]


def _product(keys: Iterable[str]) -> Iterator[Figures]:
    keys = list(keys)
    for bits in product((0, 1), repeat=len(keys)):
        yield dict(zip(keys, bits, strict=True))


# ---------------------------------------------------------------- 依申请公开 (section 三)

_OUTCOMES = (
    ("granted", "予以公开"),
    ("partial", "部分公开"),
    ("withheld", "不予公开"),
    ("unavailable", "无法提供"),
    ("declined", "不予处理"),
    ("other", "其他处理"),
)
_GROUPS = {
    "withheld": GROUP_WITHHELD,
    "unavailable": GROUP_UNAVAILABLE,
    "declined": GROUP_DECLINED,
    "other": GROUP_OTHER,
}
_HEAD = {
    "received": "received",
    "carried_over": "carried_over",
    "handled": "total",
    "carried_forward": "carried_forward",
    "granted": "granted",
    "partial": "partially_granted",
}
_APPLICATION_KEYS = ("received", "carried_over", "handled", "carried_forward") + tuple(
    k for k, _ in _OUTCOMES
)


def _group_rows(spec: Format, group: str) -> list:
    rows = spec.table("applications").rows
    return [r for r in rows if r.group == group] or [r for r in rows if r.label == group]


def _read_applications(report: Report, facts: Facts) -> Figures | None:
    spec = report.spec
    table = spec.table("applications")
    figures: dict[str, Number | None] = {}
    for key, row_key in _HEAD.items():
        figures[key] = _row_total(report, "applications", table.row(row_key))
    for key, group in _GROUPS.items():
        figures[key] = _rows_total(report, "applications", _group_rows(spec, group))
    return _complete(figures)


def _compose_applications(f: Figures) -> str:
    if f["received"]:
        first = f"本年度新收政府信息公开申请{n(f['received'])}件"
    else:
        first = "本年度未收到政府信息公开申请"
    if f["carried_over"]:
        first += f"，上年结转政府信息公开申请{n(f['carried_over'])}件"
    out = [first + "。"]
    if f["handled"]:
        handled = f"本年度办结政府信息公开申请{n(f['handled'])}件"
        parts = [f"{label}{n(f[key])}件" for key, label in _OUTCOMES if f[key]]
        out.append(handled + ("，其中" + "、".join(parts) if parts else "") + "。")
    if f["carried_forward"]:
        out.append(f"结转下年度继续办理{n(f['carried_forward'])}件。")
    return "".join(out)


# ---------------------------------------------------------------- 复议诉讼 (section 四)

_REVIEW_ROWS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
_RESULTS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
_LITIGATION_NAMES = {
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_reconsideration": "复议后起诉",
}
_SUBJECT = "因政府信息公开工作"


def _read_reviews(report: Report, facts: Facts) -> Figures | None:
    table = report.spec.table("reviews")
    figures: dict[str, Number | None] = {}
    for row_key in _REVIEW_ROWS:
        row = table.row(row_key)
        figures[f"{row_key}/total"] = _row_total(report, "reviews", row)
        for key, _ in _RESULTS:
            figures[f"{row_key}/{key}"] = report.value(f"reviews/{row_key}/{key}")
    return _complete(figures)


def _results(f: Figures, row: str) -> str:
    return "、".join(f"{label}{n(f[f'{row}/{key}'])}件" for key, label in _RESULTS if f[f"{row}/{key}"])


def _compose_reviews(f: Figures) -> str:
    rc = f["reconsideration/total"]
    lit_rows = [r for r in _LITIGATION_NAMES if f[f"{r}/total"]]
    if not rc and not lit_rows:
        return f"本年度没有{_SUBJECT}被申请行政复议、提起行政诉讼的情况。"
    if rc:
        results = _results(f, "reconsideration")
        first = f"本年度{_SUBJECT}被申请行政复议{n(rc)}件" + (f"，其中{results}" if results else "") + "。"
    else:
        first = f"本年度没有{_SUBJECT}被申请行政复议的情况。"
    if not lit_rows:
        return first + f"没有{_SUBJECT}被提起行政诉讼的情况。"
    parts = []
    for row in lit_rows:
        results = _results(f, row)
        parts.append(
            f"{_LITIGATION_NAMES[row]}{n(f[f'{row}/total'])}件" + (f"（{results}）" if results else "")
        )
    litigation = sum(f[f"{r}/total"] for r in lit_rows)
    return first + f"{_SUBJECT}被提起行政诉讼{n(litigation)}件，其中" + "，".join(parts) + "。"


def _review_shapes() -> Iterator[Figures]:
    """Per row: total zero (results do not matter), or non-zero with any results zero."""
    row_shapes: list[dict[str, int]] = [{"total": 0, **{k: 0 for k, _ in _RESULTS}}]
    row_shapes += [{"total": 1, **bits} for bits in _product(k for k, _ in _RESULTS)]
    for combo in product(row_shapes, repeat=len(_REVIEW_ROWS)):
        yield {
            f"{row}/{k}": v for row, shape in zip(_REVIEW_ROWS, combo, strict=True) for k, v in shape.items()
        }


# ---------------------------------------------------------------- 主动公开 (section 二, 2021 format)

_DOC_FIELDS = (("issued", "制发"), ("repealed", "废止"), ("in_force", "现行有效"))
_DECISIONS = (("licensing", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制"))


def _active_applies(spec: Format | None) -> bool:
    return spec is not None and "active/normative_documents/issued" in spec.fields_by_ref


def _read_active(report: Report, facts: Facts) -> Figures | None:
    figures: dict[str, Number | None] = {}
    for row in ("normative_documents", "regulations"):
        for key, _ in _DOC_FIELDS:
            figures[f"{row}/{key}"] = report.value(f"active/{row}/{key}")
    # Most agencies cannot make 规章 and leave the row blank or zero: nothing to say then.
    regs = [figures[f"regulations/{key}"] for key, _ in _DOC_FIELDS]
    if not any(regs):
        for key, _ in _DOC_FIELDS:
            figures[f"regulations/{key}"] = 0
    for row, _ in _DECISIONS:
        figures[row] = report.value(f"active/{row}/decisions")
    figures["fee"] = report.value("active/fees/amount")
    return _complete(figures)


def _documents(f: Figures, row: str, noun: str) -> str:
    return "，".join(f"{verb}{noun}{n(f[f'{row}/{key}'])}件" for key, verb in _DOC_FIELDS) + "。"


def _compose_active(f: Figures) -> str:
    out = ["本年度" + _documents(f, "normative_documents", "行政规范性文件")]
    if any(f[f"regulations/{key}"] for key, _ in _DOC_FIELDS):
        out.append(_documents(f, "regulations", "规章"))
    out.append("作出" + "、".join(f"{label}决定{n(f[row])}件" for row, label in _DECISIONS) + "。")
    out.append(f"收取行政事业性收费{n(f['fee'])}万元。" if f["fee"] else "未收取行政事业性收费。")
    return "".join(out)


def _active_shapes() -> Iterator[Figures]:
    keys = [f"normative_documents/{k}" for k, _ in _DOC_FIELDS] + [r for r, _ in _DECISIONS]
    for regs, fee in product((0, 1), repeat=2):
        base = {f"regulations/{k}": regs for k, _ in _DOC_FIELDS} | {"fee": fee}
        yield base | dict.fromkeys(keys, 1)


# ---------------------------------------------------------------- 信息处理费 (section 六)


def _fee_figures(fee: FeeFigures) -> Figures:
    return {"notices": fee.notices, "yuan": fee.yuan}


def _read_fee(report: Report, facts: Facts) -> Figures:
    return _fee_figures(facts.fee)


def _compose_fee(f: Figures) -> str:
    if f["notices"]:
        return f"本年度共发出收费通知{n(f['notices'])}件，实际收取信息处理费{n(f['yuan'])}元。"
    if f["yuan"]:
        return f"本年度收取信息处理费{n(f['yuan'])}元。"
    return "本年度未收取信息处理费。"


_FEE_FORMS = (
    re.compile(r"本年度共发出收费通知(?P<notices>\d+)件，实际收取信息处理费(?P<yuan>\d+(?:\.\d+)?)元。"),
    re.compile(r"本年度收取信息处理费(?P<yuan>\d+(?:\.\d+)?)元。"),
    re.compile(r"本年度未收取信息处理费。"),
)


def parse_fee(text: str) -> FeeFigures | None:
    """The fee figures a paragraph was generated from, or None if it is not one of ours."""
    for form in _FEE_FORMS:
        m = form.fullmatch(text)
        if m is None:
            continue
        raw = m.groupdict().get("yuan") or "0"
        yuan = Decimal(raw) if "." in raw else int(raw)
        fee = FeeFigures(int(m.groupdict().get("notices") or 0), yuan)
        return fee if _compose_fee(_fee_figures(fee)) == text else None
    return None


# ---------------------------------------------------------------- 前言 (before section 一)


def _read_preamble(report: Report, facts: Facts) -> Figures | None:
    meta = report.meta
    if not (meta.agency or "").strip() or meta.year is None:
        return None
    return {"agency": meta.agency, "year": meta.year, "format": report.format, "contact": facts.contact}


def _compose_preamble(f: Figures) -> str:
    return compose_preamble(f["agency"], f["year"], f["format"], f["contact"])


# ---------------------------------------------------------------- the catalogue

GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator(
            ACTIVE,
            "active",
            _read_active,
            _compose_active,
            _active_shapes,
            _active_applies,
        ),
        Generator(
            APPLICATIONS,
            "applications",
            _read_applications,
            _compose_applications,
            lambda: _product(_APPLICATION_KEYS),
        ),
        Generator(REVIEWS, "reviews", _read_reviews, _compose_reviews, _review_shapes),
        Generator(
            FEE,
            None,
            _read_fee,
            _compose_fee,
            lambda: _product(("notices", "yuan")),
            lambda spec: True,
            # By its figures, not its shape: 发出收费通知0件 is never written, so a clerk's such
            # line is kept as typed, not taken for one left behind and rewritten.
            parse=parse_fee,
        ),
        Generator(
            PREAMBLE,
            None,
            _read_preamble,
            _compose_preamble,
            lambda: (),
            lambda spec: True,
            parse=parse_preamble,
            needs="机关名称和报告年度",
        ),
    )
}

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _mask(text: str) -> str:
    return _NUMBER.sub("#", text)


@cache
def _masked_shapes(name: str) -> frozenset[str]:
    gen = GENERATORS[name]
    return frozenset(_mask(gen.compose(f)) for f in gen.shapes()) | {gen.incomplete}


def could_be_generated(name: str, text: str) -> bool:
    """True when `text` is what generator `name` writes for some numbers (or names): a marked
    paragraph left behind by older figures, not one whose wording a clerk changed."""
    gen = GENERATORS[name]
    if gen.parse is not None:
        return text == gen.incomplete or gen.parse(text) is not None
    return _mask(text) in _masked_shapes(name)


def generated_texts(report: Report, fee: FeeFigures, contact: Contact | None = None) -> dict[str, str]:
    """Generator name -> the paragraph it writes for `report`, for the generators that apply."""
    spec = report.spec
    return {name: g.text(report, fee, contact) for name, g in GENERATORS.items() if g.applies(spec)}


__all__ = [
    "CONTACT_FIELDS",
    "GENERATORS",
    "PREAMBLE",
    "Facts",
    "FeeFigures",
    "Generator",
    "contact_text",
    "could_be_generated",
    "generated_texts",
    "parse_contact",
    "parse_fee",
    "parse_preamble",
]
