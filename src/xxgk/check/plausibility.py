"""Plausibility rules: numbers that satisfy the arithmetic but are unlikely to be what the format
asks for — lawsuits without applications, 规章 from agencies that cannot make them, item counts
in place of decisions, fees written in 元, fewer documents in force than issued this year."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from ..model import WARNING, Finding, Number, Report, number_text
from .agency import COUNTY, GOVERNMENT, OFFICE, TOWNSHIP, can_make_regulations, classify, kind_label
from .registry import Context, rule
from .text import prose_lines

_REVIEW_GROUPS = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_reconsideration", "复议后起诉"),
)
_REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
_APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")


def _fmt(value: Number) -> str:
    return number_text(value)


def _row_total(report: Report, prefix: str, parts: tuple[str, ...]) -> Number | None:
    """The row's 总计, or the sum of its parts when 总计 is blank; None when the row was not read."""
    total = report.value(f"{prefix}/total")
    if total is not None:  # most rows: the refs of the parts are not made
        return total
    refs = [f"{prefix}/total", *(f"{prefix}/{p}" for p in parts)]
    if not any(report.has(ref) for ref in refs):
        return None
    return sum((report.value(f"{prefix}/{p}") or 0) for p in parts)


def _applications(report: Report) -> Number | None:
    """本年新收 + 上年结转 (总计 column); None when the source does not show these rows."""
    rows = [_row_total(report, f"applications/{key}", _APPLICANTS) for key in ("received", "carried_over")]
    return None if any(v is None for v in rows) else sum(rows)


# ---------------------------------------------------------------- XG601

_HINT_201 = (
    "表四只统计以本机关为被申请人（行政复议）或被告（行政诉讼）的政府信息公开案件。按国办公开办函〔2016〕201号，"
    "复议机关作共同被告的行政诉讼案件只由作出原行政行为的机关统计，复议机关不统计。司法局（行政复议机构）"
    "常把本级政府作为复议机关审理的政府信息公开类复议案件，或本机关作为复议机关参加的诉讼，误填进本机关的表四。"
    "确有不涉及申请的案件（如针对主动公开提起的诉讼），核实后可忽略本条。"
)


@rule(
    "XG601", "reviews-without-applications", WARNING, "plausibility", "有行政复议、诉讼案件，却没有收到过申请"
)
def reviews_without_applications(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：表四（行政复议、行政诉讼）有案件，而表三“一、本年新收”与“二、上年结转”的总计均为 0；
    给出上一年度报告（context.previous）时，上一年度也须没有申请才报告。

    为什么重要：政府信息公开类复议、诉讼几乎都由申请答复引起。没有任何申请却有复议、诉讼，常见原因是
    统计口径错误：司法局把本级政府作为复议机关审理的政府信息公开类复议案件当作本机关被申请复议的案件，
    或复议机关把作为共同被告的诉讼计入本机关（国办公开办函〔2016〕201号明确只由原行为机关统计）。

    示例：渝中区司法局2024年报告表三全为 0，表四行政复议 18 件、复议后起诉 3 件；原州区司法局2023年
    报告表三全为 0，未经复议直接起诉 9 件。

    依据：国办公开办函〔2016〕201号（复议机关作共同被告案件的统计）；表四的统计对象。"""
    totals = [
        (label, _row_total(report, f"reviews/{key}", _REVIEW_PARTS), key) for key, label in _REVIEW_GROUPS
    ]
    cases = [(label, n, key) for label, n, key in totals if n]
    if not cases:
        return  # no case: table 三 is not read
    applications = _applications(report)
    if applications is None or applications != 0:
        return
    previous = _applications(context.previous) if context.previous is not None else None
    if previous:
        return
    listed = "、".join(f"{label}{_fmt(n)}件" for label, n, _ in cases)
    first = report.cells.get(f"reviews/{cases[0][2]}/total")
    last_year = "，上一年度报告也没有申请" if previous == 0 else ""
    yield Finding(
        "XG601",
        WARNING,
        f"表四填有{listed}，但表三本年新收、上年结转的政府信息公开申请均为0{last_year}，请核实统计口径",
        [f"reviews/{key}/total" for _, _, key in cases]
        + ["applications/received/total", "applications/carried_over/total"],
        hint=_HINT_201,
        where=(first.where or None) if first else None,
    )


# ---------------------------------------------------------------- XG602


@rule("XG602", "regulations-without-power", WARNING, "plausibility", "无权制定规章的机关在“规章”行填了数字")
def regulations_without_power(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：表二“规章”行（2021格式：本年制发、本年废止、现行有效；2019格式：本年新制作、本年新公开、
    对外公开总数量）有非零数字，而报告机关（meta.agency）不能制定规章：乡镇人民政府、街道办事处，
    县级人民政府及其部门，地方政府工作部门（含设区的市、省级政府的部门），盟行政公署、地区行政公署。
    机关类型由名称判断（见 xxgk.check.agency）；名称未知或看不出类型（如只写“某市人民政府”，
    无法区分设区的市与县级市）时不检查。

    为什么重要：规章只能由国务院部门和省、自治区、直辖市、设区的市、自治州人民政府制定。无权机关填了
    规章数，通常是把规范性文件或其他文件错填进了“规章”行，表二数据因此失真。

    示例：桃江县松木塘镇人民政府2022年报告“规章 2/0/2”；海口市商务局2022年报告“规章 4/0/11”。

    依据：《中华人民共和国立法法》（2023年修正）第九十一条、第九十三条（此对应关系为本项目的理解，
    未经核实）；国办公开办函〔2021〕30号 表二第二十条第（一）项。"""
    agency = report.meta.agency
    if can_make_regulations(agency) is not False or report.spec is None:
        return
    row = report.spec.table("active").row("regulations")
    refs = [f"active/regulations/{fld.key}" for fld in row.fields]
    values = [report.value(ref) for ref in refs]
    if not any(v for v in values):
        return
    shown = "、".join(
        f"{fld.label}{'空白' if v is None else _fmt(v)}" for fld, v in zip(row.fields, values, strict=True)
    )
    cell = report.cells.get(refs[0])
    yield Finding(
        "XG602",
        WARNING,
        f"“{agency}”是{kind_label(agency)}，不能制定规章，但“规章”行填有数字（{shown}）",
        [ref for ref in refs if report.has(ref)],
        hint=(
            "只有国务院部门和省、自治区、直辖市、设区的市、自治州人民政府可以制定规章。本机关制发的文件应填在"
            "“行政规范性文件”行；本机关起草、以本级政府名义发布的规章由本级政府统计；没有的，“规章”行填0。"
        ),
        where=(cell.where or None) if cell else None,
    )


# ---------------------------------------------------------------- XG603

_DECISION_ROWS_2019 = ("licensing", "other_services", "penalty", "coercion")


@rule(
    "XG603",
    "item-count-as-decisions",
    WARNING,
    "plausibility",
    "处理决定数量恰等于上一年项目数量加本年增/减（2019格式）",
)
def item_count_as_decisions(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：2019格式表二的行政许可、其他对外管理服务事项、行政处罚、行政强制各行中，
    “处理决定数量”恰好等于“上一年项目数量”加“本年增/减”。三项全为 0 时不报。

    为什么重要：“上一年项目数量”和“本年增/减”是事项（项目）的个数，“处理决定数量”是本年作出的决定件数，
    两者没有算术关系。恰好相等说明机关把本年事项总数当作了处理决定数量填报。

    示例：潼关县住房和城乡建设局2019年报告：行政许可 16、+3、19；其他对外管理服务事项 0、+4、4。

    依据：国办公开办函〔2019〕60号《年度报告格式（试行）》表二第二十条第（五）（六）项。"""
    if report.format != "2019" or report.spec is None:
        return
    for key in _DECISION_ROWS_2019:
        refs = [f"active/{key}/{fld}" for fld in ("previous", "change", "decisions")]
        previous, change, decisions = (report.value(ref) for ref in refs)
        if None in (previous, change, decisions) or not (previous or change or decisions):
            continue
        if previous + change != decisions:
            continue
        row = report.spec.table("active").row(key)
        cell = report.cells[refs[2]]
        yield Finding(
            "XG603",
            WARNING,
            f"“{row.label}”的处理决定数量{_fmt(decisions)}恰好等于上一年项目数量{_fmt(previous)}"
            f"加本年增/减{_signed(change)}，疑似填的是事项个数而不是处理决定件数",
            refs,
            hint="处理决定数量应填本年实际作出的决定件数（含依法不公开的决定），与事项（项目）个数无关。",
            where=cell.where or None,
        )


def _signed(value: Number) -> str:
    return ("+" if value > 0 else "") + _fmt(value)


# ---------------------------------------------------------------- XG604

_FEE_REF = "active/fees/amount"
_PROSE_YUAN = re.compile(r"收(?:取|缴|费)[^。;；]{0,30}?(?<![\d.,])(\d[\d,]*+(?:\.\d++)?+)\s*+(万?)元")


def _prose_yuan(report: Report, value: Number) -> str | None:
    """A sentence saying 收取…N元 with N equal to the table's 万元 value."""
    for line in prose_lines(report):
        if "元" not in line.norm or "收" not in line.norm:
            continue  # what every match holds
        for m in _PROSE_YUAN.finditer(line.norm):
            if m.group(2):
                continue
            try:
                amount = Decimal(m.group(1).replace(",", ""))
            except InvalidOperation:
                continue
            if amount == value:
                return m.group(0)
    return None


def _fee_limit(agency: str | None, context: Context) -> Decimal | None:
    """The amount (万元) from which a fee is implausible for the agency: a 乡镇 or a county-level
    department fee_wan_yuan_max (1000); a county-level government, which reports the fees of
    the whole county, fee_wan_yuan_max_government (100000, i.e. 10亿元); none above the county."""
    info = classify(agency)
    if info is None or info.tier not in (COUNTY, TOWNSHIP):
        return None
    if info.tier == COUNTY and info.role in (GOVERNMENT, OFFICE):
        return Decimal(str(context.option("fee_wan_yuan_max_government", 100_000)))
    return Decimal(str(context.option("fee_wan_yuan_max", 1000)))


@rule("XG604", "fee-in-yuan", WARNING, "plausibility", "收费金额疑似按“元”而不是“万元”填写")
def fee_in_yuan(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：2021格式表二“行政事业性收费 本年收费金额（单位：万元）”是否按“元”填写：
    单元格写了“元”而不是“万元”（如“2500元”）；金额对机关的层级而言过大：乡镇、街道和县级政府部门达到或
    超过阈值（选项 fee_wan_yuan_max，默认 1000，即一千万元），县级人民政府（及其办公室）汇总全县收费，
    阈值为 fee_wan_yuan_max_government（默认 100000，即十亿元），市级及以上机关不按金额判断；
    或正文写“收取…N元”而表中恰好填 N。
    2019格式的“采购总金额”不限单位，不检查。

    为什么重要：单位错一级，金额就放大一万倍；万元栏填元是年报中最常见的单位错误之一。

    示例：表中填“2500”，第六部分写“全年收取信息处理费2500元”——应填 0.25（万元）。洪泽区人民政府2023年
    报告填 7730.28（万元），对一个区政府全区的行政事业性收费而言合理，不报；区司法局填 7730.28 则报。
    上海市人民政府办公厅2019年报告在金额栏写“251000元”。

    依据：国办公开办函〔2021〕30号 表二第二十条第（八）项“本年收费金额（单位：万元）”。"""
    cell = report.cells.get(_FEE_REF)
    if report.format != "2021" or cell is None or not cell.value:
        return
    value = cell.value
    reasons = []
    if "元" in cell.raw and "万元" not in cell.raw:
        reasons.append(f"单元格写的是“{cell.raw.strip()}”")
    limit = _fee_limit(report.meta.agency, context)
    if limit is not None and value >= limit:
        reasons.append(f"按万元计为{_fmt(value)}万元，对{kind_label(report.meta.agency)}而言过大")
    said = _prose_yuan(report, value)
    if said:
        reasons.append(f"正文写“{said}”")
    if reasons:
        yield Finding(
            "XG604",
            WARNING,
            f"行政事业性收费金额{_fmt(value)}疑似按“元”填写：{'；'.join(reasons)}",
            [_FEE_REF],
            hint="本栏单位是万元：1元=0.0001万元，如收取2500元应填0.25。",
            where=cell.where or None,
        )


# ---------------------------------------------------------------- XG605


@rule("XG605", "in-force-below-issued", WARNING, "plausibility", "现行有效件数少于本年制发件数")
def in_force_below_issued(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：2021格式表二“规章”“行政规范性文件”两行中，“现行有效件数”小于“本年制发件数”。

    为什么重要：现行有效件数是年末仍然有效的全部文件（含以前年度制发的），本年制发的文件除当年即废止的外
    都在其中，所以通常不会少于本年制发件数。少于时，多半是把“本年新增有效”或别的口径当成了现行有效件数，
    或两栏填反。

    示例：“行政规范性文件 本年制发 5、本年废止 0、现行有效 2”。

    依据：国办公开办函〔2021〕30号 表二第二十条第（一）项各栏的含义。"""
    if report.format != "2021" or report.spec is None:
        return
    for key in ("regulations", "normative_documents"):
        issued, in_force = report.value(f"active/{key}/issued"), report.value(f"active/{key}/in_force")
        if issued is None or in_force is None or in_force >= issued:
            continue
        label = report.spec.table("active").row(key).label
        cell = report.cells[f"active/{key}/in_force"]
        yield Finding(
            "XG605",
            WARNING,
            f"“{label}”现行有效件数{_fmt(in_force)}少于本年制发件数{_fmt(issued)}",
            [f"active/{key}/issued", f"active/{key}/repealed", f"active/{key}/in_force"],
            hint="现行有效件数应为年末仍有效的全部文件数（含以前年度制发的）；除非本年制发的文件当年即已废止，"
            "它不应少于本年制发件数。请核对两栏是否填反或口径有误。",
            where=cell.where or None,
        )
