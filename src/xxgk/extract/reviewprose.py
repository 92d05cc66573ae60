"""Table 四 stated in prose, when section 四 has no table: only the unambiguous wordings.

"本年度未发生政府信息公开行政复议、行政诉讼" or "行政复议、行政诉讼均为0件" gives fifteen zeros;
"行政复议3件，其中维持2件、纠正1件" gives the reconsideration row when the parts stated add up to
the total (the parts not stated are then 0); "行政诉讼0件" gives both lawsuit rows. Anything
else is left unread (XG203 or XG009 then speak). Cells are `low`, and XG010 quotes the sentence.
"""

from __future__ import annotations

import re

from ..formats.base import Table
from ..model import LOW, WARNING, Finding, Report
from .tables import Region
from .tokens import TEXT, Token

_NONE = re.compile(
    r"未(?:发生|收到|出现|有)[^。；]{0,24}?行政复议[^。；]{0,8}?行政诉讼"
    r"|行政复议[、和及与]?行政诉讼(?:案件)?(?:数量)?(?:均|都)为?0件"
)
_RECONSIDERATION = re.compile(r"行政复议(?:案件)?(?:共)?(\d+)件[，,]?(?:其中)?([^。；]*)")
_LITIGATION_NONE = re.compile(r"行政诉讼(?:案件)?(?:共)?0件|未(?:发生|有)[^。；]{0,12}?行政诉讼")
_PARTS = {
    "upheld": re.compile(r"(?:结果)?维持(?:原)?(?:[^\d，,、。；]{0,6}?)(\d+)件"),
    "corrected": re.compile(r"(?:结果)?纠正(?:[^\d，,、。；]{0,6}?)(\d+)件"),
    "other": re.compile(r"其他结果(\d+)件"),
    "pending": re.compile(r"尚未审结(\d+)件"),
}


def read_from_prose(report: Report, table: Table, tokens: list[Token], region: Region) -> None:
    for i in range(region.start, region.end):
        token = tokens[i]
        if token.kind != TEXT:
            continue
        text = re.sub(r"\s+", "", token.text)
        values = _zeros(table) if _NONE.search(text) else _stated(table, text)
        if values:
            for ref, value in values.items():
                report.set(ref, value, where=dict(token.where), confidence=LOW)
            report.findings.append(_finding(table, token, sorted(values)))
            return


def _zeros(table: Table) -> dict[str, int]:
    return dict.fromkeys(table.refs(), 0)


def _stated(table: Table, text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    match = _RECONSIDERATION.search(text)
    if match:
        total, rest = int(match.group(1)), match.group(2)
        parts = {k: int(m.group(1)) for k, p in _PARTS.items() if (m := p.search(rest))}
        if total == 0 or (parts and sum(parts.values()) == total):
            for f in table.rows[0].fields:
                out[f"{table.key}/reconsideration/{f.key}"] = total if f.key == "total" else parts.get(f.key, 0)
    if _LITIGATION_NONE.search(text):
        out.update({ref: 0 for ref in table.refs() if "/litigation" in ref})
    return out


def _finding(table: Table, token: Token, refs: list[str]) -> Finding:
    quoted = token.text.strip()
    quoted = quoted if len(quoted) <= 60 else quoted[:60] + "…"
    return Finding(
        "XG010",
        WARNING,
        f"未找到行政复议、行政诉讼情况表，表中 {len(refs)} 个单元格按正文“{quoted}”读出",
        refs,
        hint="格式文件要求以表格填报复议、诉讼情况，请补上该表。",
        where=dict(token.where),
    )


READ_RULES = {
    "XG010": dict(
        name="reviews-from-prose",
        severity=WARNING,
        summary="复议诉讼情况没有表格，数值按正文文字读出",
        doc=(
            "第四部分没有行政复议、行政诉讼情况表，只用文字写明（如“本年度未发生政府信息公开行政复议、"
            "行政诉讼”或“行政复议3件，其中维持2件、纠正1件”）。只有文字含义唯一时才读出相应单元格，"
            "标为低置信度；说法不明确时不读。格式文件要求以表格填报。"
        ),
    ),
}
