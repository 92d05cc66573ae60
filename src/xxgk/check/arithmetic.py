"""Arithmetic rules: the identities of the format (勾稽关系 and totals) and value ranges."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import compress
from operator import itemgetter

from ..formats import AMOUNT, AMOUNT_TEXT, SIGNED, Identity
from ..model import ERROR, Finding, Report, number_text
from .registry import Context, rule
from .view import cell_values, per_report


def _fmt(value) -> str:
    return number_text(value)


def _identity_findings(report: Report, kind: str) -> Iterable[Finding]:
    return _findings_by_kind(report).get(kind, ())


@per_report
def _findings_by_kind(report: Report) -> dict[str, list[Finding]]:
    """Every identity evaluated once per check run, its failures grouped by kind (XG101–XG104
    each report one kind), in the format's order."""
    out: dict[str, list[Finding]] = {}
    spec = report.spec
    if spec is None:
        return out
    cells = report.cells
    values = cell_values(report)
    if not values:
        return out  # no cell read: every identity names one, none says anything
    failing = _failing(spec.identities, values)
    for ident in _each_identity(spec.identities, values) if failing is None else failing:
        finding = _check_identity(cells, ident)
        if finding is not None:
            out.setdefault(ident.kind, []).append(finding)
    return out


def _each_identity(identities: tuple[Identity, ...], values: dict) -> Iterator[Identity]:
    """The identities whose sums differ, blank cells counted 0; those naming a cell the source
    does not contain say nothing."""
    for ident, getter, split in _getters(identities):
        try:
            got = getter(values)
        except KeyError:  # a cell the source does not contain: the identity says nothing
            continue
        # Most identities hold: sums compared here, the finding built only when they differ.
        if None in got:
            left = sum(v for v in got[:split] if v is not None)
            right = sum(v for v in got[split:] if v is not None)
        else:
            left, right = sum(got[:split]), sum(got[split:])
        if left == right:
            continue
        yield ident


def _failing(identities: tuple[Identity, ...], values: dict) -> list[Identity] | None:
    """The identities whose sums differ, when every cell they name is there and filled (most
    reports): one compiled expression tests them all. None when a cell is missing or blank."""
    differ = _compiled(identities)
    try:
        return list(compress(identities, differ(values)))
    except (KeyError, TypeError):  # a cell not in the report, or blank (None + int)
        return None


# Per format: (its identities, getters of each identity's values, the compiled test of all).
# Identities are format constants, kept so their id stays theirs; a few formats exist.
_BUILT: dict[int, tuple[tuple[Identity, ...], list, Callable]] = {}
_FORMATS_KEPT = 8  # entries; cleared when full


def _built(identities: tuple[Identity, ...]) -> tuple[tuple[Identity, ...], list, Callable]:
    kept = _BUILT.get(id(identities))
    if kept is None or kept[0] is not identities:
        if len(_BUILT) >= _FORMATS_KEPT:
            _BUILT.clear()
        getters = [(i, _getter(i.left + i.right), len(i.left)) for i in identities]
        kept = _BUILT[id(identities)] = (identities, getters, _compile(identities))
    return kept


def _getters(identities: tuple[Identity, ...]) -> list[tuple[Identity, itemgetter, int]]:
    """(identity, getter of its left and right values as one tuple, length of the left)."""
    return _built(identities)[1]


def _compiled(identities: tuple[Identity, ...]) -> Callable[[dict], tuple[bool, ...]]:
    return _built(identities)[2]


def _getter(refs: tuple[str, ...]):
    if len(refs) > 1:
        return itemgetter(*refs)
    return lambda values: (values[refs[0]],)  # itemgetter of one key returns no tuple


def _compile(identities: tuple[Identity, ...]) -> Callable[[dict], tuple[bool, ...]]:
    """values -> for each identity, whether its two sums differ. The sums are written out as
    one expression over the cells, read by one getter, so no Python loop runs per identity
    (about 2.5 times faster). Each sum starts at 0 and adds in order, as sum() does."""
    refs = list(dict.fromkeys(ref for i in identities for ref in i.left + i.right))
    if not refs:
        return lambda values: ()
    name = {ref: f"v{k}" for k, ref in enumerate(refs)}

    def total(side: tuple[str, ...]) -> str:
        return "+".join(["0", *(name[ref] for ref in side)])

    tests = "".join(f"{total(i.left)} != {total(i.right)}, " for i in identities)
    source = f"def differ(values):\n    {', '.join(name.values())}, = get(values)\n    return ({tests})\n"
    namespace = {"get": _getter(tuple(refs))}
    exec(source, namespace)  # the text is built from the format's references only
    return namespace["differ"]


def _check_identity(cells: dict, ident: Identity) -> Finding | None:
    # An identity over cells the source does not contain (a partial report) says nothing.
    left_values, right_values = _values(cells, ident.left), _values(cells, ident.right)
    if left_values is None or right_values is None:
        return None
    if all(v is None for v in left_values) and all(v is None for v in right_values):
        return None
    left = sum(v or 0 for v in left_values)
    right = sum(v or 0 for v in right_values)
    if left == right:
        return None
    blanks = "（空白单元格按 0 计）" if None in left_values or None in right_values else ""
    message = (
        f"{ident.subject}：{ident.left_label}={_fmt(left)}，{ident.right_label}={_fmt(right)}，"
        f"{_VERDICT[ident.kind]}{blanks}"
    )
    return Finding(ident.code, ERROR, message, list(ident.refs), hint=_HINTS[ident.kind])


def _values(cells: dict, refs: tuple[str, ...]) -> list | None:
    """The cells' values, or None when one of the cells is not in the report."""
    out = []
    for ref in refs:
        cell = cells.get(ref)
        if cell is None:
            return None
        out.append(cell.value)
    return out


_VERDICT = {
    "balance": "勾稽关系不成立",
    "outcomes": "不相等",
    "row_total": "不相等",
    "review_total": "不相等",
}

_HINTS = {
    "balance": "本年新收加上年结转，应等于本年办理结果总计加结转下年度继续办理（表中注明的勾稽关系）。",
    "outcomes": "（七）总计应等于（一）至（六）各项办理结果之和；部分公开只计一次。",
    "row_total": "总计列应等于自然人与五类法人或其他组织之和。",
    "review_total": "总计应等于结果维持、结果纠正、其他结果、尚未审结四项之和。",
}


@rule("XG101", "application-balance", ERROR, "arithmetic", "依申请公开表某列不满足“一+二=三(七)+四”")
def application_balance(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：收到和处理政府信息公开申请情况表每一列（六类申请人及总计）是否满足表中注明的勾稽关系：
    第一项（本年新收）加第二项（上年结转）之和，等于第三项（七）总计加第四项（结转下年度继续办理）之和。

    为什么重要：这是格式文件印在表内的硬性关系，不成立说明至少有一个数字填错，是评估中最常被点名的数据错误。

    示例：商业企业列 一=3、二=2，三(七)=4、四=0 —— 3+2=5 ≠ 4+0=4。

    依据：国办公开办函〔2021〕30号 表三注释；〔2019〕60号 同。"""
    return _identity_findings(report, "balance")


@rule("XG102", "outcome-sum", ERROR, "arithmetic", "办理结果各项之和不等于（七）总计")
def outcome_sum(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：每一列中，三（一）予以公开至三（六）其他处理各项之和等于三（七）总计。

    为什么重要：总计是各项办理结果的合计；不等说明漏计、重计或总计填错。部分公开的申请只计入“部分公开”一项。

    示例：自然人列 予以公开 5、不予公开 2、无法提供 3，总计却填 9。

    依据：表三“（七）总计”的含义；国办公开办函〔2021〕30号。"""
    return _identity_findings(report, "outcomes")


@rule("XG103", "row-total", ERROR, "arithmetic", "总计列不等于六类申请人之和")
def row_total(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：表三每一行的“总计”列等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。

    为什么重要：总计列是横向合计，常见错误是只填总计或改了某一格却忘了改总计。

    示例：“一、本年新收”行 自然人 10、商业企业 2，其余 0，总计填 11。

    依据：表三“总计”列的含义。"""
    return _identity_findings(report, "row_total")


@rule("XG104", "review-total", ERROR, "arithmetic", "行政复议/行政诉讼总计不等于各项结果之和")
def review_total(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：行政复议、未经复议直接起诉、复议后起诉三组中，结果维持+结果纠正+其他结果+尚未审结=总计。

    为什么重要：总计是四种结果的合计，不等说明某项漏填或错填。

    示例：行政复议 维持 5、纠正 5、其他 3、尚未审结 5，总计应为 18。

    依据：表四结构；国办公开办函〔2021〕30号。"""
    return _identity_findings(report, "review_total")


@rule("XG105", "value-range", ERROR, "arithmetic", "件数不是非负整数，或收费金额为负")
def value_range(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：表中件数必须是非负整数（本年增/减可带正负号），收费金额（万元）不得为负。

    为什么重要：负数或小数的件数不可能出现，通常是录入或转换错误。

    示例：“行政处罚 本年处理决定数量”填 -2；“重复申请”填 1.5。

    依据：表二、表三、表四各栏均为件数；表二“本年收费金额（单位：万元）”。"""
    spec = report.spec
    if spec is None:
        return
    by_ref = spec.fields_by_ref
    for ref, cell in report.cells.items():
        value = cell.value
        if type(value) is int and value >= 0:
            continue  # fits every kind: the common case, no lookup
        if value is None or ref not in by_ref:
            continue
        kind = by_ref[ref][2].kind
        if kind in (AMOUNT, AMOUNT_TEXT):
            bad = value < 0
            what = "金额不能为负数"
        elif kind == SIGNED:
            bad = isinstance(value, Decimal) and value != value.to_integral_value()
            what = "应为整数"
        else:
            bad = value < 0 or (isinstance(value, Decimal) and value != value.to_integral_value())
            what = "应为非负整数"
        if bad:
            yield Finding(
                "XG105",
                ERROR,
                f"{spec.describe(ref)}：{cell.raw or _fmt(value)}，{what}",
                [ref],
                where=cell.where or None,
            )
