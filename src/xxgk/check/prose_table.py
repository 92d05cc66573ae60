"""What the tables say about a kind of fact the prose states (for XG301, prose.py): the cell
or the sum of rows it corresponds to, with the label and notes a message quotes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..formats.common import GROUP_DECLINED, GROUP_OTHER, GROUP_UNAVAILABLE, GROUP_WITHHELD
from ..model import Number, Report
from .prose_facts import Fact
from .view import cell_values, per_report

_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")
_RESULTS = ("upheld", "corrected", "other", "pending")
_HEAD_ROWS = {
    "received": "received",
    "carried_in": "carried_over",
    "handled": "total",
    "carried_forward": "carried_forward",
}
_GROUPS = {
    "withheld": GROUP_WITHHELD,
    "unavailable": GROUP_UNAVAILABLE,
    "declined": GROUP_DECLINED,
    "other_handling": GROUP_OTHER,
}
_REVIEW_ROWS = {
    "reconsideration": ("reconsideration",),
    "litigation": ("litigation_direct", "litigation_after_reconsideration"),
    "litigation_direct": ("litigation_direct",),
    "litigation_after": ("litigation_after_reconsideration",),
}
# Active-table kinds: the cells a statement may describe (2021 names, then 2019 names).
_ACTIVE = {
    "licensing": ("active/licensing/decisions",),
    "penalty": ("active/penalty/decisions",),
    "coercion": ("active/coercion/decisions",),
    "fee": ("active/fees/amount",),
    "norm_issued": (
        "active/normative_documents/issued",
        "active/normative_documents/made",
        "active/normative_documents/published",
    ),
    "norm_repealed": ("active/normative_documents/repealed",),
    "norm_in_force": ("active/normative_documents/in_force",),
    "reg_issued": ("active/regulations/issued", "active/regulations/made", "active/regulations/published"),
    "reg_repealed": ("active/regulations/repealed",),
    "reg_in_force": ("active/regulations/in_force",),
}
_BLANK_NOTE = "（表中空白单元格按 0 计）"
_SUM_NOTE = "（总计栏空白，按各栏之和计）"


@dataclass
class Expected:
    """What the table says about one kind of fact."""

    value: Number
    label: str
    refs: list[str]
    note: str = ""
    also: tuple[Number, ...] = ()  # other values the wording may mean (受理 = 新收 + 上年结转)

    def accepts(self, value: Number) -> bool:
        return value == self.value or value in self.also


def _total_or_parts(values: dict, total_ref: str, part_refs: Iterable[str]) -> tuple[Number, str] | None:
    """A total cell's value; when it is blank, the sum of its parts (if any was filled)."""
    total = values.get(total_ref)
    if total is not None:
        return total, ""
    part_refs = list(part_refs)
    if all(r in values for r in part_refs) and any(values[r] is not None for r in part_refs):
        return sum(values[r] or 0 for r in part_refs), _SUM_NOTE
    return None


_ABSENT = object()


def _sum_rows(
    report: Report, table: str, rows: Iterable[str], parts: tuple[str, ...]
) -> tuple[Number, list[str], str] | None:
    """Sum of the 总计 of several rows; rows present but blank count 0 when another has a value."""
    values = cell_values(report)
    total: Number = 0
    refs, notes, found = [], set(), False
    for row in rows:
        ref = f"{table}/{row}/total"
        value = values.get(ref, _ABSENT)
        if value is _ABSENT:
            return None
        refs.append(ref)
        if value is not None:  # most rows: the total is filled (what _total_or_parts returns first)
            found = True
            total += value
            continue
        got = _total_or_parts(values, ref, (f"{table}/{row}/{p}" for p in parts))
        if got is None:
            notes.add(_BLANK_NOTE)
            continue
        found = True
        total += got[0]
        notes.add(got[1])
    if not found:
        return None
    return total, refs, "".join(sorted(n for n in notes if n))


def _cell_label(report: Report, ref: str) -> str:
    """“一、本年新收政府信息公开申请数量”总计栏, “三(七)总计”, “行政处罚／本年处理决定数量”."""
    _, row, fld = report.spec.fields_by_ref[ref]
    if fld.key != "total":
        return f"“{row.name}／{fld.name}”"
    if ref.startswith("reviews/"):
        return f"“{row.name}”总计"
    return f"“{row.name}”" if row.key == "total" else f"“{row.name}”总计栏"


def _application_rows(report: Report, kind: str) -> tuple[list[str], str]:
    """The rows of table 三 a kind of fact sums, and their label: the format's, so kept per
    format and kind (the format is a constant, kept so its id stays its own)."""
    spec = report.spec
    kept = _ROWS.get((id(spec), kind))
    if kept is not None and kept[0] is spec:
        return kept[1]
    rows = spec.table("applications").rows
    if kind in _HEAD_ROWS:
        keys = [_HEAD_ROWS[kind]]
        label = _cell_label(report, f"applications/{keys[0]}/total")
    elif kind in _GROUPS:
        group = _GROUPS[kind]
        keys = [r.key for r in rows if r.group == group] or [r.key for r in rows if r.label == group]
        label = f"“三{group.replace('（', '(').replace('）', ')')}”各项合计"
    else:
        keys = {"granted": ["granted"], "partial": ["partially_granted"]}.get(
            kind, ["granted", "partially_granted"]
        )
        label = (
            "“三(一)予以公开”与“三(二)部分公开”合计"
            if len(keys) == 2
            else _cell_label(report, f"applications/{keys[0]}/total")
        )
    _ROWS[(id(spec), kind)] = (spec, (keys, label))
    return keys, label


_ROWS: dict[tuple[int, str], tuple] = {}


def _applications(report: Report, fact: Fact) -> Expected | None:
    keys, label = _application_rows(report, fact.kind)
    got = _sum_rows(report, "applications", keys, _COLUMNS)
    if got is None:
        return None
    value, refs, note = got
    expected = Expected(value, label, refs, note)
    if fact.kind == "received" and not fact.keyword.startswith("新"):
        carried = _sum_rows(report, "applications", ["carried_over"], _COLUMNS)
        if carried is not None:
            expected.also = (value + carried[0],)
    return expected


def _reviews(report: Report, fact: Fact) -> Expected | None:
    rows = _REVIEW_ROWS[fact.kind]
    got = _sum_rows(report, "reviews", rows, _RESULTS)
    if got is None:
        return None
    value, refs, note = got
    if fact.kind == "litigation":
        label = "行政诉讼（未经复议直接起诉与复议后起诉）总计合计"
    else:
        label = _cell_label(report, refs[0])
    return Expected(value, label, refs, note)


def _active(report: Report, fact: Fact) -> Expected | None:
    refs = [r for r in _ACTIVE[fact.kind] if r in report.spec.fields_by_ref and report.has(r)]
    values = [report.value(r) for r in refs]
    if not refs or values[0] is None:
        return None
    others = tuple(v for v in values[1:] if v is not None)
    return Expected(values[0], _cell_label(report, refs[0]), refs[:1], also=others)


def expected_for(report: Report, fact: Fact) -> Expected | None:
    """The table's value for what `fact` counts; None when the table does not say (the cell
    was not read or is blank, or no cell corresponds)."""
    if report.spec is None:
        return None
    return _expected(report, *expected_key(fact))


def expected_key(fact: Fact) -> tuple[str, bool]:
    """What a fact's expectation depends on: its kind (and for 收到/受理, 新 before it) alone."""
    return fact.kind, fact.kind == "received" and not fact.keyword.startswith("新")


@per_report
def _expected(report: Report, kind: str, with_carried: bool) -> Expected | None:
    """Memoised per check run: several lines state the same kind. Callers only read it."""
    fact = Fact(kind, 0, "", 0, 0, "" if with_carried else "新")
    if (
        fact.kind in _HEAD_ROWS
        or fact.kind in _GROUPS
        or fact.kind in ("granted", "partial", "granted_or_partial")
    ):
        return _applications(report, fact)
    if fact.kind in _REVIEW_ROWS:
        return _reviews(report, fact)
    if fact.kind in _ACTIVE:
        return _active(report, fact)
    return None  # 主动公开 totals and 信息处理费 have no cell
