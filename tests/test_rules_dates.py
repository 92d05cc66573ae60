"""Date rules XG401–XG402: wrong years for 上年度/下年度 and plans, publication date against
the statutory deadline; silent on sound reports and on the real material."""

from __future__ import annotations

import datetime as dt

import pytest

from shared import needs_shared
from test_rules_completeness import CORPUS, EXAMPLES, GOOD_TEXT, brief, corpus, edit, found, parse, seed
from xxgk.check import check_report
from xxgk.check.dates import statutory_deadline
from xxgk.extract import parse_bytes
from xxgk.model import ERROR, WARNING

CODES = ["XG401", "XG402"]


def test_good_example_is_silent():
    assert check_report(parse(GOOD_TEXT), select=CODES) == []


# ---------------------------------------------------------------- XG401


def test_plan_for_the_report_year_in_a_real_report():
    # 冲口街道 2021: “2021年将从以下方面进行改进” (should be 2022)
    assert brief(found(corpus("120.txt"), "XG401")) == [
        (WARNING, "第7行写“2021年将从”，但本报告为2021年度报告，改进计划应针对下一年（2022年）", {"line": 7})
    ]


def test_plan_broken_by_a_line_wrap_still_found():
    text = edit("2025年，我局将建立", "2024年，我局\n将进一步建立")
    assert [f.message for f in found(text, "XG401")] == [
        "第73行写“2024年,我局将进一步”，但本报告为2024年度报告，改进计划应针对下一年（2025年）"
    ]


def test_previous_year_part_describing_this_year():
    # The draft of seed 001 before review: “此处上年度应指2023年，而不是2024年”.
    text = edit(
        "针对2023年报告指出的政策解读形式单一问题，2024年采用图文、问答等形式解读文件2件。",
        "2024年我局政策解读形式单一，解读的及时性有待提高。",
    )
    assert brief(found(text, "XG401")) == [
        (
            WARNING,
            "第71行在“(一)上年度存在问题的改进情况”下写的是2024年的问题，本报告为2024年度报告，上年度应为2023年",
            {"line": 71},
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "（一）上年度存在问题的改进情况",
            "（一）上年度（2024年）存在问题的改进情况",
            "第70行写“上年度(2024年)”，本报告为2024年度报告，上年度应为2023年",
        ),
        (
            "2025年，我局将建立",
            "下一年度（2026年），我局将建立",
            "第73行写“下一年度(2026年)”，本报告为2024年度报告，下年度应为2025年",
        ),
    ],
)
def test_relative_year_followed_by_a_wrong_year(old, new, message):
    assert [f.message for f in found(edit(old, new), "XG401")] == [message]


def test_right_years_are_silent():
    assert found(seed("001"), "XG401") == []  # 上年度 → 2023, 2025年，我局将重点…
    text = edit("（一）上年度存在问题的改进情况", "（一）上年度（2023年）存在问题的改进情况")
    assert found(text, "XG401") == []
    # Improvement done this year under the 上年度 heading is right.
    text = edit("针对2023年报告指出的", "2024年，针对上年度报告指出的")
    assert found(text, "XG401") == []
    # Last year's plan quoted in the review of last year's problems.
    text = edit("针对2023年报告指出的", "上年度报告提出“2024年将进一步丰富解读形式”，针对2023年报告指出的")
    assert found(text, "XG401") == []


# ---------------------------------------------------------------- XG402


def test_published_late():
    findings = found(edit("2025年1月20日", "2025年2月20日"), "XG402")
    assert brief(findings) == [
        (
            WARNING,
            "发布日期2025年2月20日晚于法定期限2025年1月31日（条例第四十九条：政府部门等1月31日前）20天",
            {"line": 77},
        )
    ]


def test_published_before_the_year_ended():
    assert brief(found(edit("2025年1月20日", "2024年12月20日"), "XG402")) == [
        (ERROR, "发布日期2024年12月20日在2024年度结束之前，全年数据尚未截止", {"line": 77})
    ]


def test_government_report_has_until_march():
    government = GOOD_TEXT.replace("示例区司法局", "示例区人民政府")
    assert found(edit("2025年1月20日", "2025年3月20日", text=government), "XG402") == []
    assert [f.message for f in found(edit("2025年1月20日", "2025年4月2日", text=government), "XG402")] == [
        "发布日期2025年4月2日晚于法定期限2025年3月31日（条例第四十九条：县级以上人民政府的年度报告3月31日前）2天"
    ]


def test_town_government_follows_the_january_deadline():
    town = GOOD_TEXT.replace("示例区司法局", "示例区示例镇人民政府")
    assert [f.message for f in found(edit("2025年1月20日", "2025年2月10日", text=town), "XG402")] == [
        "发布日期2025年2月10日晚于法定期限2025年1月31日（条例第四十九条：政府部门等1月31日前）10天"
    ]


def test_no_publish_date_no_finding():
    report = parse(GOOD_TEXT)
    report.meta.publish_date = None
    assert found(report, "XG402") == []


@pytest.mark.parametrize(
    ("year", "agency", "deadline"),
    [
        (2024, "硚口区司法局", dt.date(2025, 1, 31)),
        (2024, "西宁市城中区人民政府", dt.date(2025, 3, 31)),
        (2023, "西藏自治区人民政府", dt.date(2024, 3, 31)),
        (2023, "西藏自治区人民政府办公厅", dt.date(2024, 3, 31)),
        (2023, "利辛县望疃镇人民政府", dt.date(2024, 1, 31)),
        (2024, "银川市兴庆区前进街街道办事处", dt.date(2025, 1, 31)),
        (2024, None, dt.date(2025, 3, 31)),
        (2010, "兴华乡", dt.date(2011, 3, 31)),
        (2019, "马关县交通运输局", dt.date(2020, 1, 31)),
    ],
)
def test_statutory_deadline(year, agency, deadline):
    assert statutory_deadline(year, agency)[0] == deadline


def test_republished_page_date_is_reported_late():
    # 黄石市住建局 2020 report, page dated 2025-03-07 (republished); the hint says to use the first date.
    findings = found(corpus("116.txt"), "XG402")
    assert [(f.message, f.where) for f in findings] == [
        (
            "发布日期2025年3月7日晚于法定期限2021年1月31日（条例第四十九条：政府部门等1月31日前）1496天",
            {"line": 5},
        )
    ]
    assert "首次发布日期" in findings[0].hint


# ---------------------------------------------------------------- real material


def test_seeds_are_silent():
    for prefix in ("000", "001", "002", "003", "004"):
        assert check_report(seed(prefix), select=CODES) == [], prefix


@needs_shared
def test_no_error_on_corpus_and_examples():
    said = {}
    for path in [*sorted(CORPUS.glob("*.txt")), *sorted(EXAMPLES.glob("*.txt"))]:
        findings = check_report(parse_bytes(path.read_bytes(), str(path)), select=CODES)
        assert not [f for f in findings if f.severity == ERROR], path.name
        if findings:
            said[path.name] = [f.code for f in findings]
    assert said == {"116.txt": ["XG402"], "120.txt": ["XG401"]}
