"""Fewer false alarms on real reports (issue 10, point 8).

* XG301 compares a sentence's number only with the cell that counts the same thing:
  "同意公开答复 9 件" with 三(一), not with 三(七)总计; two stated parts whose sum is the cell
  ("…现行有效…120件，新制发…30件" against 150) say nothing.
* XG604's fee threshold follows the agency's level: a 区/县 government reports the fees of
  the whole county (洪泽区人民政府 7730.28 万元 is plausible), a department or a 乡镇 does not.
* XG402 gives an area's report (a government, a zone, a report that 汇总…各有关单位) until
  31 March, a department's until 31 January.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from shared import CORPUS, needs_shared
from test_rules_prose import DEFAULTS, report_text
from xxgk.api import load_report
from xxgk.check import Context, check_report
from xxgk.check.agency import reports_for_area
from xxgk.check.dates import statutory_deadline
from xxgk.check.prose_facts import facts
from xxgk.extract import parse_bytes
from xxgk.model import Report

GOOD = Path(__file__).resolve().parents[1] / "examples" / "示例区司法局-2024-制表符行.txt"


def parse(text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), "示例.txt")


def found(text_or_report: str | Report, code: str, context: Context | None = None) -> list:
    report = parse(text_or_report) if isinstance(text_or_report, str) else text_or_report
    return check_report(report, context, select=[code])


def messages(text_or_report, code: str, context: Context | None = None) -> list[str]:
    return [f.message for f in found(text_or_report, code, context)]


def good(*pairs: str) -> str:
    text = GOOD.read_text(encoding="utf-8")
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new)
    return text


def real(name: str) -> Report:
    path = CORPUS / "real" / name
    return load_report(str(path))


# ---------------------------------------------------------------- XG301: outcomes

# r005 (上海市科委 2024), with the builder's numbers: 5 + 1 + 1 + 4 = 11 = 三(七)总计.
OUTCOMES = (
    "所有办结的信息公开申请中同意公开答复 5 件，部分公开答复 1 件，不予公开答复 1 件，无法提供的 4 件，"
    "不予处理 0 件，其他处理 0 件，转下一年度办理答复的有 1 件。"
)


def test_outcome_replies_are_facts_about_their_own_rows():
    text = "申请中同意公开答复 9 件,部分公开答复 0 件,不予公开答复 2 件,无法提供的 10 件"
    assert [(f.kind, f.value, f.keyword) for f in facts(text, 2024)] == [
        ("granted", 9, "同意公开答复"),
        ("partial", 0, "部分公开答复"),
        ("withheld", 2, "不予公开答复"),
        ("unavailable", 10, "无法提供"),
    ]


def test_outcomes_agreeing_with_their_groups_are_silent():
    assert messages(report_text(p3=OUTCOMES), "XG301") == []


def test_outcomes_are_never_compared_with_the_total():
    # 三(七)总计 is 11; each outcome is checked against its own group only.
    text = report_text(p3=OUTCOMES.replace("无法提供的 4 件", "无法提供的 3 件"))
    assert messages(text, "XG301") == [
        "无法提供：正文“无法提供的 3 件”为 3 件，表中“三(四)无法提供”各项合计为 4 件，二者不一致"
    ]
    text = report_text(p3=OUTCOMES.replace("部分公开答复 1 件", "部分公开答复 0 件"))
    assert [f.cells for f in found(text, "XG301")] == [["applications/partially_granted/total"]]


def test_outcome_after_handled_without_a_comma():
    p3 = "本年度所有办结的申请中同意公开5件。"
    assert messages(report_text(p3=p3), "XG301") == []
    p3 = "本年度所有办结的申请中同意公开6件。"
    assert messages(report_text(p3=p3), "XG301") == [
        "予以公开：正文“本年度所有办结的申请中同意公开6件”为 6 件，表中“三(一)予以公开”总计栏为 5 件，二者不一致"
    ]


def test_bare_public_reply_says_nothing():
    # 公开答复 alone may mean 予以公开 or every reply: neither compared.
    p3 = "本年度共收到政府信息公开申请11件，其中公开答复9件。"
    assert messages(report_text(p3=p3), "XG301") == []
    assert [f.kind for f in facts("全年依申请公开答复11件", 2024)] == ["handled"]


def test_handled_with_an_outcome_in_between_is_not_handled():
    assert [f.kind for f in facts("办结的申请中部分公开0件", 2024)] == ["partial"]
    assert [f.kind for f in facts("收到信息公开申请11件", 2024)] == ["received"]


@needs_shared
def test_r005_outcomes_are_not_compared_with_the_total():
    assert messages(real("r005.md"), "XG301") == []


# ---------------------------------------------------------------- XG301: parts of a cell

DOCS = {"norm_issued": 30, "norm_repealed": 0, "norm_in_force": 150}


@pytest.mark.parametrize(
    "p2",
    [
        "全年清理现行有效行政规范性文件120件，新制发行政规范性文件30件。",
        "现行有效行政规范性文件120件，本年新制发行政规范性文件30件。",
    ],
)
def test_two_stated_parts_summing_to_the_cell(p2):
    assert messages(report_text(DOCS, p2=p2), "XG301") == []


def test_parts_that_do_not_sum_to_the_cell_still_disagree():
    p2 = "现行有效行政规范性文件120件，本年新制发行政规范性文件30件。"
    assert messages(report_text({**DOCS, "norm_in_force": 151}, p2=p2), "XG301") == [
        "行政规范性文件现行有效：正文“现行有效行政规范性文件120件”为 120 件，"
        "表中“行政规范性文件／现行有效件数”为 151 件，二者不一致"
    ]


def test_cleaning_up_documents_is_not_the_count_in_force():
    assert [f.kind for f in facts("全年清理现行有效行政规范性文件120件", 2024)] == []
    assert [(f.kind, f.value) for f in facts("截至年底,现行有效规范性文件150件", 2024)] == [
        ("norm_in_force", 150)
    ]


def test_received_and_carried_over_are_not_parts_of_received():
    # 11 + 1 = 12 = 新收 in the table: 上年结转 is another cell, the mismatch stays.
    text = report_text({**DEFAULTS, "received": 12, "granted": 6, "total": 12})
    assert [f.cells for f in found(text, "XG301")].count(["applications/received/total"]) == 2


# ---------------------------------------------------------------- XG604: the agency's level

FEE = "行政事业性收费\t0"


@pytest.mark.parametrize("agency", ["示例区人民政府", "示例市示例区人民政府", "示例县人民政府办公室"])
def test_county_government_fee_of_thousands_of_wan_yuan_is_plausible(agency):
    text = good(FEE, "行政事业性收费\t7730.28", "示例区司法局", agency)
    assert found(text, "XG604") == []


@pytest.mark.parametrize(
    ("agency", "kind"),
    [("示例区司法局", "地方政府工作部门"), ("示例区示例镇人民政府", "乡镇人民政府（街道办事处）")],
)
def test_department_or_township_fee_of_thousands_of_wan_yuan_is_suspect(agency, kind):
    text = good(FEE, "行政事业性收费\t7730.28", "示例区司法局", agency)
    assert messages(text, "XG604") == [
        f"行政事业性收费金额7730.28疑似按“元”填写：按万元计为7730.28万元，对{kind}而言过大"
    ]


def test_county_government_threshold_and_its_option():
    text = good(FEE, "行政事业性收费\t773028", "示例区司法局", "示例区人民政府")
    assert messages(text, "XG604") == [
        "行政事业性收费金额773028疑似按“元”填写：按万元计为773028万元，对县级人民政府而言过大"
    ]
    assert found(text, "XG604", Context(options={"fee_wan_yuan_max_government": 1_000_000})) == []


def test_city_government_is_not_judged_by_amount():
    text = good(FEE, "行政事业性收费\t45000", "示例区司法局", "示例省示例市人民政府")
    assert found(text, "XG604") == []


@needs_shared
@pytest.mark.parametrize("name", ["r001.pdf", "r002.pdf"])
def test_hongze_district_government_fee_is_silent(name):
    assert found(real(name), "XG604") == []


# ---------------------------------------------------------------- XG402: whose deadline

AGGREGATE = "本报告汇总示例综合实验区各有关单位政府信息公开工作情况编制而成。"


def _published(text: str, date: str) -> str:
    return text.replace("2025年1月20日", date)


def test_zone_report_has_until_march():
    text = _published(good("示例区司法局", "示例综合实验区"), "2025年3月8日")
    assert parse(text).meta.agency == "示例综合实验区"
    assert found(text, "XG402") == []


def test_aggregate_report_has_until_march_whatever_the_publisher():
    text = _published(good("本报告依据", AGGREGATE + "本报告依据"), "2025年3月8日")
    report = parse(text)
    report.meta.agency = "示例综合实验区管委会办公室"  # the page's 发布机构, as r007 read before
    assert found(report, "XG402") == []
    late = parse(_published(good("本报告依据", AGGREGATE + "本报告依据"), "2025年4月2日"))
    late.meta.agency = "示例综合实验区管委会办公室"
    assert messages(late, "XG402") == [
        "发布日期2025年4月2日晚于法定期限2025年3月31日（条例第四十九条：汇总本行政区域各单位的年度报告3月31日前）2天"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "本报告汇总本局各处室、各直属单位政府信息公开工作情况编制而成。",
        "本报告汇总示例区司法局各科室情况编制。",
        "本报告由示例区司法局办公室汇总编制。",
    ],
)
def test_department_aggregating_its_own_units_keeps_january(sentence):
    text = _published(good("本报告依据", sentence + "本报告依据"), "2025年3月8日")
    assert [f.message for f in found(text, "XG402")] == [
        "发布日期2025年3月8日晚于法定期限2025年1月31日（条例第四十九条：政府部门等1月31日前）36天"
    ]


def test_township_aggregating_its_villages_keeps_january():
    text = good(
        "示例区司法局", "示例区示例镇人民政府", "本报告依据", "本报告汇总全镇各有关单位情况编制。本报告依据"
    )
    assert len(found(_published(text, "2025年3月8日"), "XG402")) == 1


@pytest.mark.parametrize(
    ("agency", "aggregate", "deadline"),
    [
        ("平潭综合实验区", False, dt.date(2024, 3, 31)),
        ("平潭综合实验区管委会", False, dt.date(2024, 3, 31)),
        ("示例经济技术开发区管委会", False, dt.date(2024, 3, 31)),
        ("平潭综合实验区管委会办公室", False, dt.date(2024, 1, 31)),
        ("平潭综合实验区管委会办公室", True, dt.date(2024, 3, 31)),
        ("洪泽区人民政府", False, dt.date(2024, 3, 31)),
        ("示例区司法局", False, dt.date(2024, 1, 31)),
        ("利辛县望疃镇人民政府", True, dt.date(2024, 1, 31)),
        (None, True, dt.date(2024, 3, 31)),
    ],
)
def test_statutory_deadline_by_kind_of_report(agency, aggregate, deadline):
    assert statutory_deadline(2023, agency, aggregate)[0] == deadline


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("平潭综合实验区", True),
        ("平潭综合实验区管委会", True),
        ("平潭综合实验区管委会办公室", False),
        ("淮安市人民政府", True),
        ("西藏自治区人民政府办公厅", True),
        ("硚口区司法局", False),
        ("利辛县望疃镇人民政府", False),
        ("生态环境部", False),
        (None, None),
    ],
)
def test_reports_for_area(name, area):
    assert reports_for_area(name) is area


@needs_shared
def test_r007_aggregate_report_is_on_time():
    assert found(real("r007.txt"), "XG402") == []
