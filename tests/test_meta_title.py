"""Metadata from the report, not the page around it (issue 10, point 7).

The agency comes from the report's own words - its title, its title quoted in the preamble
(《示例市司法局2023年政府信息公开工作年度报告》), the compiler it names (由示例市统计局编制), the
statement 现将…公布如下, its signature - before the page chrome (来源：, 发布机构：, 信息来源：).
The year is read from a title even when its name is not recognised as an agency. Small
synthetic texts, read end to end with `parse_bytes`.
"""

from __future__ import annotations

import pytest

from shared import CORPUS, needs_shared
from xxgk.extract import parse_bytes
from xxgk.extract.meta import is_agency_name

BODY = "一、总体情况\n2023年，我局坚持以公开为常态、不公开为例外。\n"


def meta(text: str):
    report = parse_bytes(text.encode("utf-8"), "x.txt")
    return report.meta


def agency_year(text: str) -> tuple[str | None, int | None]:
    m = meta(text)
    return m.agency, m.year


# ---------------------------------------------------------------- the title quoted in the preamble


def test_quoted_title_wins_over_the_page_publisher():
    text = (
        "发布机构：示例市人民政府办公室\n"
        "《示例市司法局2023年政府信息公开工作年度报告》由总体情况、主动公开政府信息情况等六部分组成。\n"
        + BODY
    )
    assert agency_year(text) == ("示例市司法局", 2023)
    assert meta(text).title is None  # a title cited in a sentence is not the page's title


def test_quoted_title_gives_the_year_without_a_period():
    text = "根据《条例》要求编制《示例县统计局2022年政府信息公开工作年度报告》。\n一、总体情况\n我局……\n"
    assert agency_year(text) == ("示例县统计局", 2022)


def test_quoted_other_documents_are_not_the_title():
    text = (
        "来源：示例县统计局\n"
        "根据《示例县人民政府办公室关于做好2023年政府信息公开工作年度报告编制工作的通知》要求编制本报告。\n"
        + BODY
    )
    assert agency_year(text) == ("示例县统计局", 2023)


def test_quoted_title_after_section_one_is_not_used():
    text = "来源：示例县统计局\n" + BODY + "详见《示例县财政局2023年政府信息公开工作年度报告》。\n"
    assert meta(text).agency == "示例县统计局"


# ---------------------------------------------------------------- the compiler named in the preamble


def test_compiler_wins_over_the_page_source():
    text = "信息来源：示例市人民政府\n本报告由示例市统计局编制。统计期限自2023年1月1日至12月31日。\n" + BODY
    assert agency_year(text) == ("示例市统计局", 2023)


def test_compiler_with_words_between_name_and_verb():
    text = "本报告由示例市统计局根据《中华人民共和国政府信息公开条例》要求编制而成。\n" + BODY
    assert meta(text).agency == "示例市统计局"


def test_compiler_that_is_an_office_of_the_agency():
    # 南平市 2012 (corpus page 088): the government's 领导小组办公室 compiles the government's report.
    text = (
        "本报告由示例市人民政府信息公开工作领导小组办公室根据《条例》要求，汇总各县（区）情况编制。\n" + BODY
    )
    assert meta(text).agency == "示例市人民政府"


@pytest.mark.parametrize(
    "sentence",
    [
        "本报告由总体情况、主动公开政府信息情况等六部分组成。",  # 由 … 组成: not a compiler
        "本报告由区统计局编制。",  # a generic name
        "本报告由示例市统计局负责解释。",  # no compile verb
    ],
)
def test_not_a_compiler(sentence):
    assert meta(sentence + "\n" + BODY).agency is None


# ---------------------------------------------------------------- page chrome comes last


def test_region_prefix_is_kept():
    text = "来源：市农业农村局\n示例市农业农村局2023年政府信息公开工作年度报告\n" + BODY
    assert agency_year(text) == ("示例市农业农村局", 2023)
    text = "来源：市农业农村局\n2023年政府信息公开工作年度报告\n本报告由示例市农业农村局编制。\n" + BODY
    assert agency_year(text) == ("示例市农业农村局", 2023)


def test_statement_wins_over_the_page_publisher():
    text = (
        "发布机构：示例市人民政府\n2023年政府信息公开工作年度报告\n"
        "根据《条例》，现将示例市农业农村局2023年政府信息公开工作年度报告公布如下。\n" + BODY
    )
    assert meta(text).agency == "示例市农业农村局"


def test_signature_wins_over_the_page_publisher():
    text = "来源：示例市人民政府\n" + BODY + "六、其他需要报告的事项\n无。\n示例市统计局\n2024年1月20日\n"
    m = meta(text)
    assert (m.agency, m.publish_date) == ("示例市统计局", "2024-01-20")


def test_page_publisher_when_the_report_names_nobody():
    assert meta("来源：示例市统计局 发布时间：2024-01-20\n" + BODY).agency == "示例市统计局"


def test_breadcrumb_in_front_of_the_title():
    text = "首页 > 政务公开 > 示例市农业农村局2023年政府信息公开工作年度报告\n" + BODY
    m = meta(text)
    assert (m.agency, m.year, m.title) == (
        "示例市农业农村局",
        2023,
        "示例市农业农村局2023年政府信息公开工作年度报告",
    )


def test_page_word_above_a_broken_title_is_not_glued():
    text = "正文\n2024 年示例市科委政府信息公开工作\n年度报告\n" + BODY
    m = meta(text)
    assert (m.agency, m.year, m.title) == ("示例市科委", 2024, "2024年示例市科委政府信息公开工作年度报告")


# ---------------------------------------------------------------- crawled pages (r007, r010)

CRAWLED = (
    "标题: 示例综合实验区{year}年度政府信息公开工作年度报告\n"
    "发布时间: {published} 15:22\n"
    "文号: \n"
    "发布机构: {publisher}\n"
    "栏目: 政府信息公开年报\n"
    "==================== 正文 ====================\n"
    "示例综合实验区{year}年政府信息公开工作年度报告 根据《中华人民共和国政府信息公开条例》要求，"
    "汇总示例综合实验区各有关单位政府信息公开工作情况编制而成。本报告所列数据的统计期限自{year}年1月1日起"
    "至{year}年12月31日止。 一、总体情况 {year}年，示例综合实验区坚持……\n"
)


@pytest.mark.parametrize("publisher", ["", "示例综合实验区管委会办公室"])
def test_crawled_page_title_line(publisher):
    m = meta(CRAWLED.format(year=2023, published="2024-03-08", publisher=publisher))
    assert (m.agency, m.year, m.publish_date) == ("示例综合实验区", 2023, "2024-03-08")
    assert m.title == "示例综合实验区2023年度政府信息公开工作年度报告"


@needs_shared
@pytest.mark.parametrize(("name", "year"), [("r007.txt", 2023), ("r010.txt", 2019)])
def test_real_crawled_pages(name, year):
    path = CORPUS / "real" / name
    m = parse_bytes(path.read_bytes(), str(path)).meta
    assert (m.agency, m.year) == ("平潭综合实验区", year)
    assert m.title == f"平潭综合实验区{year}年度政府信息公开工作年度报告"


# ---------------------------------------------------------------- titles with other kinds of agency


@pytest.mark.parametrize(
    "agency",
    [
        "示例区第一司法所",
        "示例经济技术开发区管委会",
        "示例经济技术开发区",
        "示例综合实验区",
        "示例高新技术产业开发区管理委员会",
        "示例市人民政府研究室",
        "示例市滨海新区",
    ],
)
def test_title_agencies(agency):
    text = f"{agency}2025年政府信息公开工作年度报告\n" + BODY
    m = meta(text)
    assert (m.agency, m.year, m.title) == (agency, 2025, f"{agency}2025年政府信息公开工作年度报告")


def test_year_from_a_title_whose_name_is_not_recognised():
    text = "示例区第一司法站2025年政府信息公开工作年度报告\n发布机构：示例区司法局\n" + BODY
    m = meta(text)
    # the year and title are read; the publisher is someone else than the title names
    assert (m.agency, m.year, m.title) == (None, 2025, "示例区第一司法站2025年政府信息公开工作年度报告")


def test_unrecognised_title_name_and_a_matching_publisher():
    text = "示例区第一司法站2025年政府信息公开工作年度报告\n发布机构：示例区第一司法站管理局\n" + BODY
    assert agency_year(text) == ("示例区第一司法站管理局", 2025)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("示例区第一司法所", True),
        ("平潭综合实验区", True),
        ("示例经济技术开发区", True),
        ("示例市人民政府研究室", True),
        ("全市各派出所", False),
        ("各乡镇人民政府", False),
        ("全县人民政府", False),
        ("全椒县人民政府", True),
        ("本所", False),
        ("正文示例市司法局", False),
        ("研究室", False),
        ("开发区", False),
    ],
)
def test_is_agency_name_new_kinds(name, ok):
    assert is_agency_name(name) is ok


def test_plural_subject_is_not_an_agency():
    assert meta("一、总体情况\n2024年，全市各派出所认真落实《条例》。\n").agency is None


def test_publisher_that_is_an_office_of_the_title_agency():
    text = "示例市农业农村局2023年政府信息公开工作年度报告\n发布机构：示例市农业农村局办公室\n" + BODY
    assert meta(text).agency == "示例市农业农村局"
    # a place named alone takes the official form of its organ from the publisher
    text = "示例县示例镇2023年政府信息公开工作年度报告\n来源：示例县示例镇人民政府\n" + BODY
    assert meta(text).agency == "示例县示例镇人民政府"
