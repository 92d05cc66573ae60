"""看板.html: one self-contained page (no network: inline SVG bar charts, inline CSS and a few
lines of inline JavaScript to sort tables) over the dashboard queries (`queries.py`)."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from .queries import Rows, dashboard_data

CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3;cursor:pointer}td.n{text-align:right}.bar{fill:#3b6ea5}.lbl{font-size:11px}
.kpi{display:inline-block;margin-right:2em}.kpi b{font-size:1.4em;display:block}"""

SORT_JS = """document.querySelectorAll('table.sortable th').forEach((th,i)=>th.onclick=()=>{
const t=th.closest('table'),b=t.tBodies[0],r=[...b.rows],d=th.dataset.d=th.dataset.d==='a'?'d':'a';
const v=x=>{const s=x.cells[i].dataset.v??x.cells[i].textContent;const n=parseFloat(s);return isNaN(n)?s:n};
r.sort((x,y)=>{const a=v(x),c=v(y);return (a>c?1:a<c?-1:0)*(d==='a'?1:-1)});r.forEach(x=>b.appendChild(x))});"""

HEADERS = {
    "province": "省", "year": "年度", "reports": "报告数", "received": "新收申请", "concluded": "办结",
    "disclosure_rate": "实质公开率", "withholding_rate": "不予公开率", "reconsideration_correction_rate": "复议纠错率",
    "litigation_correction_rate": "诉讼纠错率", "code": "规则", "severity": "级别", "findings": "问题数",
    "agency": "机关", "canonical_agency": "规范化名称", "region": "地区", "publish_date": "发布日期",
    "deadline": "法定期限", "days_late": "晚（天）", "report": "文件", "group_id": "组", "size": "份数",
    "max_similarity": "最高相似度", "errors": "错误", "warnings": "警告", "members": "同组报告",
}  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    return str(value)


def table(rows: Rows, empty: str = "无") -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    keys = list(rows[0])
    head = "".join(f"<th>{escape(HEADERS.get(k, k))}</th>" for k in keys)
    body = []
    for row in rows:
        cells = []
        for k in keys:
            value = row[k]
            numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            cls = ' class="n"' if numeric else ""
            cells.append(f'<td{cls} data-v="{escape(_text(value))}">{escape(_text(value))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def bar_chart(pairs: list[tuple[str, float]], title: str, width: int = 640) -> str:
    """Horizontal bars as inline SVG; `pairs` are (label, value)."""
    pairs = [(label, float(value or 0)) for label, value in pairs][:40]
    if not pairs:
        return ""
    top = max(v for _, v in pairs) or 1.0
    row, left = 20, 200
    bars = []
    for i, (label, value) in enumerate(pairs):
        y, w = i * row, (width - left - 60) * value / top
        bars.append(
            f'<text class="lbl" x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}"/>'
            f'<text class="lbl" x="{left + w + 4:.1f}" y="{y + 14}">{value:g}</text>'
        )
    height = row * len(pairs)
    return (
        f'<figure><figcaption>{escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">{"".join(bars)}</svg></figure>'
    )


def render_dashboard(data: dict[str, Rows]) -> str:
    s = data["summary"][0] if data["summary"] else {}
    kpis = "".join(
        f'<span class="kpi"><b>{escape(_text(s.get(k)))}</b>{label}</span>'
        for k, label in (("reports", "份报告"), ("agencies", "个机关"), ("errors", "条错误"),
                         ("warnings", "条警告"), ("failures", "个文件无法读取"))
    )  # fmt: skip
    region = [(f"{r['province']} {r['year']}", r["received"]) for r in data["by_region"]]
    rules = [(f"{r['code']}（{r['severity']}）", r["findings"]) for r in data["by_rule"]]
    late = [(f"{r['agency'] or r['report']} {r['year']}", r["days_late"]) for r in data["late"]]
    rates = [
        (f"{r['province']} {r['year']}", r["disclosure_rate"])
        for r in data["by_region"]
        if r["disclosure_rate"]
    ]
    similar = [(f"第{r['group_id']}组（{r['year']}年）", r["size"]) for r in data["similar"]]
    parts = [
        f"<h1>政府信息公开工作年度报告 数据看板</h1><p>{kpis}</p>",
        "<h2>按地区和年度：新收申请与实质公开率</h2>", bar_chart(region, "新收申请（件）"),
        bar_chart(rates, "实质公开率（办结不少于 10 件的）"), table(data["by_region"]),
        "<h2>按年度：指标</h2>", table(data["by_year"]),
        "<h2>按规则：问题数</h2>", bar_chart(rules, "问题数"), table(data["by_rule"]),
        "<h2>逾期发布的报告</h2>", bar_chart(late, "晚于法定期限（天）"), table(data["late"], "没有逾期发布的报告"),
        "<h2>跨单位内容雷同（XG901）</h2>", bar_chart(similar, "各雷同组的报告份数"),
        table(data["similar"], "没有发现雷同的报告"),
        "<h2>全部报告</h2>", table(data["reports"]),
    ]  # fmt: skip
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>数据看板</title>'
        f"<style>{CSS}</style></head><body>{''.join(parts)}<script>{SORT_JS}</script></body></html>\n"
    )


def write_dashboard(root: str | Path, out: str | Path) -> None:
    Path(out).write_text(render_dashboard(dashboard_data(root)), encoding="utf-8")
