"""Findings the reader itself emits: how it read what did not fit.

The codes are part of the rule catalogue (XG0xx = reading); their documentation lives
here, beside the code that emits them, and the catalogue imports it.
"""

from __future__ import annotations

from ..formats.base import Table
from ..model import ERROR, WARNING, Finding
from .align import Fit
from .rowmatch import row_order
from .tokens import NUM, Token

TABLE_NAMES = {
    "active": "主动公开政府信息情况表",
    "applications": "收到和处理政府信息公开申请情况表",
    "reviews": "行政复议、行政诉讼情况表",
}

READ_RULES = {
    "XG001": dict(
        name="row-extra-values",
        severity=WARNING,
        summary="表格某行数值多于单元格数，已按勾稽关系选定对齐方式",
        doc=(
            "从 PDF 或网页复制的表格常在行尾多出一个数值，或在空白单元格之后错位。"
            "读取器列出所有可能的对齐方式，选取使表内勾稽关系成立最多的一种，"
            "并把该行单元格标为低置信度（confidence=low），请对照原文核实。"
            "例：原州区司法局2023年报表三“4.无正当理由大量反复申请”行有 8 个数值，而表格只有 7 列。"
        ),
    ),
    "XG002": dict(
        name="row-missing-values",
        severity=WARNING,
        summary="表格某行数值少于单元格数，无法确定空白位置",
        doc=(
            "某行读到的数值少于应有的单元格数，且原文没有标出空白单元格的位置。"
            "读取器按从左到右顺序填入读到的数值，其余留空，全部标为低置信度。"
        ),
    ),
    "XG004": dict(
        name="blank-placement",
        severity=WARNING,
        summary="表格某行有空白单元格，其位置按勾稽关系判断",
        doc=(
            "文本中的空白可能是合并单元格留下的占位，也可能是真正的空白单元格。"
            "按字面读取时表内勾稽关系不成立，而把空白放在另一个位置时成立更多，读取器采用后者，"
            "把该行单元格标为低置信度，请对照原文核实。"
        ),
    ),
    "XG005": dict(
        name="row-not-found",
        severity=WARNING,
        summary="表格中间某行未能读到（其前后的行都已读到）",
        doc=(
            "表格前后各行都找到了，中间却有一行的标签没有找到，通常是识别（OCR）或转换把行标签弄错了，"
            "例如“1.信访举报投诉类申请”变成“1 信访举报投诉类申请”之外的写法。该行单元格缺失，"
            "与之相关的勾稽关系无法检查。文本在表格中途截断（只有开头部分）时不报。"
        ),
    ),
    "XG006": dict(
        name="glued-cells-split",
        severity=WARNING,
        summary="表格某行数字粘连，已按勾稽关系拆分",
        doc=(
            "从网页抓取的文本常丢失表格单元格之间的分隔，一行的数字连在一起，"
            "如“一、本年新收政府信息公开申请数量801000081”（应为 80、1、0、0、0、0、81）。"
            "读取器列出该行数字的所有拆分方式（不含以 0 开头的多位数），用表内勾稽关系"
            "（每行总计等于各列之和、每列一+二=三(七)+四、办理结果各项之和等于（七）总计、表四各组总计）"
            "逐行、逐列排除，只有当满足全部勾稽关系的读法对该行给出唯一拆分时才采用，"
            "并把该行单元格标为低置信度（confidence=low），请对照原文核实。"
            "有几种拆分同样成立或没有一种成立时，不作猜测，单元格留空并报告 XG003。"
        ),
    ),
    "XG003": dict(
        name="row-ambiguous",
        severity=ERROR,
        summary="表格某行有多种同样成立的读法，数值无法确定",
        doc=(
            "某行数值个数与单元格数不符，而几种对齐方式使勾稽关系成立的程度相同、结果却不同。"
            "读取器不猜测：这些单元格留空（null）并标为低置信度，请人工核对原文。"
            "某行数字粘连（见 XG006）而满足勾稽关系的拆分方式不止一种、一种也没有，"
            "或表内没有勾稽关系可以确定拆分（如“规范性文件898989”）时，同样留空并报告本条。"
        ),
    ),
    "XG011": dict(
        name="unreadable-cell",
        severity=WARNING,
        summary="表格单元格的内容无法识别，按空白读取",
        doc=(
            "单元格中只有“#”“?”“■”“�”之类的符号，是文件转换或文字识别失败留下的占位。"
            "读取器让它占住自己的位置，左右的单元格不因此错位；该格按空白读取并标为低置信度，"
            "请对照原文补上它的数值。"
        ),
    ),
}


def alignment_finding(table: Table, name: str, f: Fit, label: Token, ambiguous: bool) -> Finding:
    if f.kind == "glued":  # digits run together, split by identities (gluedfit.py)
        return glued_finding(table, name, f, label)
    found = sum(1 for t in f.tokens if t.kind == NUM)
    blanks = len(f.tokens) - found
    if blanks and f.kind == "extra" and found < len(f.refs):
        counted = f"{len(f.tokens)} 个单元格（其中数值 {found} 个、空白 {blanks} 个）"
    else:
        counted = f"{found} 个数值"
    k = len(f.refs)
    where = dict(label.where)
    place = f"{TABLE_NAMES[table.key]}“{name}”行" if name else TABLE_NAMES[table.key]
    if ambiguous:
        return Finding(
            "XG003",
            ERROR,
            f"{place}读到 {counted}，应为 {k} 个，几种对齐方式同样成立，无法确定，相关单元格留空",
            list(f.refs),
            hint="请对照原文逐格核对该行数值。",
            where=where,
        )
    if f.moved:
        return Finding(
            "XG004",
            WARNING,
            f"{place}有空白单元格，按字面读取时勾稽关系不成立，已按勾稽关系判断空白单元格的位置",
            list(f.refs),
            hint="请对照原文核实该行哪些单元格为空白。",
            where=where,
        )
    if f.kind == "missing":
        return Finding(
            "XG002",
            WARNING,
            f"{place}只读到 {found} 个数值，应为 {k} 个；已按从左到右顺序填入，其余留空",
            list(f.refs),
            hint="原文可能漏填或丢失了单元格，请核对。",
            where=where,
        )
    dropped = _dropped(f)
    detail = "、".join(f"“{t.text}”" for t in dropped) or "空白单元格"
    return Finding(
        "XG001",
        WARNING,
        f"{place}读到 {counted}，应为 {k} 个；已按勾稽关系选定对齐方式，未采用多出的{detail}",
        list(f.refs),
        hint="表格可能在转换中错位，请对照原文核实该行数值。",
        where=where,
    )


def glued_finding(table: Table, name: str, f, label: Token) -> Finding:
    """XG006 for a row whose glued digits were split; XG003 when they could not be."""
    place = f"{TABLE_NAMES[table.key]}“{name}”行" if name else TABLE_NAMES[table.key]
    glued = f"{place}数字粘连（原文“{f.raw}”）"
    where = dict(label.where)
    parts = f.parts
    if parts is not None:
        how = "已按勾稽关系拆分为 " if f.checked else "只有一种拆分方式："
        return Finding(
            "XG006",
            WARNING,
            f"{glued}，{how}{'、'.join(parts)}",
            list(f.refs),
            hint="单元格之间的分隔在复制或抓取中丢失，请对照原文核实该行数值。",
            where=where,
        )
    if f.many:
        why = "可能的拆分方式过多，无法确定"
    elif f.splits == 0:
        why = "没有一种拆分方式能使勾稽关系成立" if f.checked else "无法拆分为该行的单元格"
    elif f.checked:
        why = f"有 {f.splits} 种拆分方式都能使勾稽关系成立，无法确定"
    else:
        why = f"有 {f.splits} 种拆分方式，表内没有勾稽关系可以确定"
    return Finding(
        "XG003",
        ERROR,
        f"{glued}，{why}，相关单元格留空",
        list(f.refs),
        hint="单元格之间的分隔在复制或抓取中丢失，请对照原文逐格填写该行数值。",
        where=where,
    )


def gap_findings(table: Table, found: list, labels: list) -> list[Finding]:
    """Rows of the table missing between rows that were read (not a truncated tail)."""
    order = row_order(table)
    seen = sorted(order[row.key] for row in found)
    if len(seen) < 2:
        return []
    got = {row.key for row in found}
    if len(got) == seen[-1] - seen[0] + 1:
        return []  # every row between the first and the last read was read
    next_label = {order[row.key]: label for row, label in labels}
    out = []
    for i in range(seen[0], seen[-1]):
        row = table.rows[i]
        if row.key in got:
            continue
        after = next(next_label[j] for j in range(i + 1, len(table.rows)) if j in next_label)
        out.append(
            Finding(
                "XG005",
                WARNING,
                f"{TABLE_NAMES[table.key]}“{row.name}”行未能读到，其前后的行都已读到；该行数值缺失",
                [f"{table.key}/{row.key}/{f.key}" for f in row.fields],
                hint="行标签可能被识别或转换弄错，请对照原文补正该行。",
                where=dict(after.where),
            )
        )
    return out


def _dropped(f: Fit) -> list[Token]:
    used = {id(t) for t in f.chosen if t is not None}
    return [t for t in f.tokens if t.kind == NUM and id(t) not in used]


def unreadable_finding(table: Table, name: str, ref: str, token: Token) -> Finding:
    place = f"{TABLE_NAMES[table.key]}“{name}”行" if name else TABLE_NAMES[table.key]
    return Finding(
        "XG011",
        WARNING,
        f"{place}有一个单元格的内容无法识别（“{token.text}”），已按空白读取，其余单元格位置不变",
        [ref],
        hint="请对照原文补上该单元格的数值。",
        where=dict(token.where),
    )
