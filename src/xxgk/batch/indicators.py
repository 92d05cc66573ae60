"""Indicators with written definitions: the DuckDB views of the dataset and the text of the
data dictionary come from the declarations below, so a definition cannot drift from its SQL.

Counts are sums of cells (a blank or absent cell counts as 0 in a sum, and a report with the
cell absent is not counted in `reports_with_*`). A rate is computed only when its denominator
is at least MIN_DENOMINATOR; below that it is NULL (a 1-of-1 "100%" says nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_DENOMINATOR = 10
WITHHELD = (
    "withheld_state_secret", "withheld_prohibited", "withheld_security", "withheld_third_party",
    "withheld_internal", "withheld_process", "withheld_enforcement_file", "withheld_inquiry",
)  # fmt: skip
LITIGATION = ("litigation_direct", "litigation_after_reconsideration")


def col(ref: str) -> str:
    return f'coalesce("{ref}", 0)'


def total(*refs: str) -> str:
    return " + ".join(col(r) for r in refs)


@dataclass(frozen=True)
class Count:
    name: str
    label: str
    sql: str
    doc: str


@dataclass(frozen=True)
class Rate:
    name: str
    label: str
    numerator: str  # a Count name
    denominator: str
    doc: str


COUNTS = (
    Count("received", "新收申请", col("applications/received/total"), "表三“一、本年新收政府信息公开申请数量”总计列"),
    Count("concluded", "办结", col("applications/total/total"), "表三“三、本年度办理结果（七）总计”总计列，即本年办结的申请"),
    Count("disclosed", "予以公开+部分公开", total("applications/granted/total", "applications/partially_granted/total"),
          "表三“（一）予以公开”与“（二）部分公开”总计列之和"),
    Count("withheld", "不予公开", total(*(f"applications/{r}/total" for r in WITHHELD)),
          "表三“（三）不予公开”八项总计列之和"),
    Count("reconsideration_decided", "复议已审结", f'{col("reviews/reconsideration/total")} - {col("reviews/reconsideration/pending")}',
          "表四行政复议“总计”减“尚未审结”"),
    Count("reconsideration_corrected", "复议结果纠正", col("reviews/reconsideration/corrected"), "表四行政复议“结果纠正”"),
    Count("litigation_decided", "诉讼已审结",
          " + ".join(f'{col(f"reviews/{g}/total")} - {col(f"reviews/{g}/pending")}' for g in LITIGATION),
          "表四“未经复议直接起诉”与“复议后起诉”两组的“总计”减“尚未审结”之和"),
    Count("litigation_corrected", "诉讼结果纠正", total(*(f"reviews/{g}/corrected" for g in LITIGATION)),
          "表四两组行政诉讼“结果纠正”之和"),
    Count("regulations_issued", "本年制发规章", col("active/regulations/issued"), "表二“规章”本年制发件数（2021 年格式）"),
    Count("normative_issued", "本年制发行政规范性文件", col("active/normative_documents/issued"),
          "表二“行政规范性文件”本年制发件数（2021 年格式）"),
    Count("licensing_decisions", "行政许可处理决定", col("active/licensing/decisions"), "表二“行政许可”本年处理决定数量"),
    Count("penalty_decisions", "行政处罚处理决定", col("active/penalty/decisions"), "表二“行政处罚”本年处理决定数量"),
    Count("coercion_decisions", "行政强制处理决定", col("active/coercion/decisions"), "表二“行政强制”本年处理决定数量"),
)  # fmt: skip

RATES = (
    Rate("disclosure_rate", "实质公开率", "disclosed", "concluded", "（予以公开+部分公开）÷办结"),
    Rate("withholding_rate", "不予公开率", "withheld", "concluded", "不予公开（八项之和）÷办结"),
    Rate("reconsideration_correction_rate", "复议纠错率", "reconsideration_corrected", "reconsideration_decided",
         "复议结果纠正 ÷（复议总计−尚未审结）"),
    Rate("litigation_correction_rate", "诉讼纠错率", "litigation_corrected", "litigation_decided",
         "诉讼结果纠正 ÷（诉讼总计−尚未审结），两组诉讼合计"),
)  # fmt: skip

GROUPINGS = {
    "indicators_report": ("report", "agency", "canonical_agency", "province", "city", "county", "year"),
    "indicators_region": ("province", "city", "county", "year"),
    "indicators_year": ("year",),
}


def _rate_sql(rate: Rate) -> str:
    return (
        f"CASE WHEN {rate.denominator} >= {MIN_DENOMINATOR} "
        f"THEN round(CAST({rate.numerator} AS DOUBLE) / {rate.denominator}, 4) END AS {rate.name}"
    )


def view_sql(name: str) -> str:
    keys = ", ".join(GROUPINGS[name])
    counts = ",\n  ".join(f"sum({c.sql}) AS {c.name}" for c in COUNTS)
    rates = ",\n  ".join(_rate_sql(r) for r in RATES)
    return (
        f"CREATE OR REPLACE VIEW {name} AS\nWITH s AS (\n SELECT {keys}, count(*) AS reports,\n  {counts}\n"
        f" FROM reports WHERE format IN ('2021', '2019') GROUP BY {keys}\n)\n"
        f"SELECT *,\n  {rates}\nFROM s ORDER BY {keys}"
    )


EXTRA_VIEWS = {
    "late_reports": "SELECT report, agency, canonical_agency, year, publish_date, deadline, days_late "
    "FROM reports WHERE days_late IS NOT NULL ORDER BY days_late DESC, report",
    "findings_by_rule": "SELECT code, severity, scope, count(*) AS findings, count(DISTINCT report) AS reports "
    "FROM findings GROUP BY code, severity, scope ORDER BY code, severity, scope",
    "similar_groups": "SELECT group_id, year, list(DISTINCT r ORDER BY r) AS reports, max(similarity) AS max_similarity "
    "FROM (SELECT group_id, year, report_a AS r, similarity FROM similar_pairs "
    "UNION ALL SELECT group_id, year, report_b, similarity FROM similar_pairs) GROUP BY group_id, year ORDER BY group_id",
}


def all_view_sql() -> list[str]:
    out = [view_sql(name) for name in GROUPINGS]
    out += [f"CREATE OR REPLACE VIEW {name} AS {sql}" for name, sql in EXTRA_VIEWS.items()]
    return out


def definitions_markdown() -> str:
    lines = [
        "## 指标（DuckDB 视图 indicators_report、indicators_region、indicators_year）",
        "",
        "按报告、按地区（省／市／县＋年度）、按年度汇总；只统计 2021 年和 2019 年格式的报告。空白或未读到的单元格在求和时按 0 计。",
        f"比率只在分母不少于 {MIN_DENOMINATOR} 时计算，否则为空（样本过小的比率没有意义）。按地区、按年度的比率由合计数计算，"
        "不是各报告比率的平均。",
        "",
        "| 列 | 指标 | 定义 |",
        "|---|---|---|",
    ]
    lines += [f"| `{c.name}` | {c.label} | {c.doc} |" for c in COUNTS]
    lines += [f"| `{r.name}` | {r.label} | {r.doc}；分母＜{MIN_DENOMINATOR} 时为空 |" for r in RATES]
    lines += ["", "其他视图：`late_reports`（晚于法定期限发布的报告）、`findings_by_rule`（按规则统计问题）、"
              "`similar_groups`（雷同组）。", ""]  # fmt: skip
    return "\n".join(lines)
