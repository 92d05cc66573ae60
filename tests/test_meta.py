"""Tests for xxgk.extract.meta: agency / year / title / publish date, and format detection."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import shared
from shared import CORPUS, SEEDS, needs_shared
from xxgk.extract.meta import MetaGuess, detect_format, extract_meta, is_agency_name
from xxgk.text.normalize import normalize_text


def norm_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return normalize_text(text).split("\n")


def meta_of(text: str, first_section_line: int | None = None) -> MetaGuess:
    return extract_meta(norm_lines(text), first_section_line)


def read_and_guess(path: Path) -> tuple[MetaGuess, str | None]:
    lines = norm_lines(path.read_text(encoding="utf-8"))
    guess = extract_meta(lines)
    return guess, detect_format("\n".join(lines), guess.year)


# ---------------------------------------------------------------------------------------------
# Seeds: exact values

SEED_EXPECTED = {
    # Traditional + pinyin; no title. Section 一 opens "2024 年,渝中區司法局深入貫徹…": a sentence
    # whose subject is the agency names it. ("現將區司法局…" is only the generic 区司法局.)
    "000": ("渝中区司法局", 2024, None, None),
    # Title broken across two lines; signature "硚口区司法局 / 2025年1月10日" at the end.
    "001": ("硚口区司法局", 2024, "硚口区司法局2024年政府信息公开工作年度报告", "2025-01-10"),
    # Title with spaces; prose says 平顶山市卫东区司法局 but the title's form is preferred.
    "002": ("卫东区司法局", 2024, "卫东区司法局2024年政府信息公开工作年度报告", None),
    # No title, prose only says 全镇: the text does not name the agency.
    "003": (None, 2024, None, None),
    # Agency on its own line above "2023年政府信息公开工作年度报告".
    "004": ("原州区司法局", 2023, "原州区司法局2023年政府信息公开工作年度报告", None),
}


@needs_shared
@pytest.mark.parametrize("seed", sorted(SEED_EXPECTED))
def test_seed_meta(seed):
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    guess, fmt = read_and_guess(path)
    agency, year, title, publish_date = SEED_EXPECTED[seed]
    assert (guess.agency, guess.year, guess.title, guess.publish_date) == (agency, year, title, publish_date)
    assert fmt == "2021"


@needs_shared
def test_seed_where_lines():
    (path,) = SEEDS.glob("001_*.txt")
    guess, _ = read_and_guess(path)
    assert guess.where["title"] == {"line": 1, "end_line": 2}
    assert guess.where["agency"]["line"] == 1
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[guess.where["publish_date"]["line"] - 1].strip() == "2025年1月10日"


# ---------------------------------------------------------------------------------------------
# Corpus openings against index.jsonl


INDEX = shared.jsonl("corpus/index.jsonl")

# Pages where the returned format differs from index.jsonl, with the reason.
FORMAT_EXCEPTIONS = {
    # Neither the year nor any template signal (table labels, 30号/60号 citation) is in the
    # excerpt; it cites 条例 第五十条 (so 2019+), but 2019 vs 2021 cannot be told apart.
    "pages/048.txt": None,
}

# Pages where the text shows only a shorter form of the agency than the index's official name.
# The function returns what the text says; it is part of the index's name.
AGENCY_SHORT_FORMS = {
    "pages/012.txt": "兴庆区前进街街道办事处",  # title; 银川市 never appears
    "pages/032.txt": "绍兴市卫生健康委",  # "绍兴市卫生健康委是主管…"; 委员会 never written out
    "pages/072.txt": "花山区司法局",  # "2022年,花山区司法局坚持…"; 马鞍山市 never appears
    "pages/080.txt": "城中区人民政府",  # "2024年,城中区人民政府深入…"; 西宁市 never appears
    "pages/120.txt": "冲口街道",  # spam mirror; "2021年,冲口街道认真…"; 荔湾区 replaced by spam
    "pages/124.txt": "东林街道办事处",  # title; 重庆市万盛经开区 only in other phrases
    "pages/144.txt": "洪江区交通运输局",  # title and 来源 header; 怀化市 never appears
}

# The index says these excerpts name no agency (agency field is a description, not a name).
NO_AGENCY = {"pages/048.txt", "pages/064.txt", "pages/076.txt"}


def _expected_format(entry: dict) -> str | None:
    if entry["file"] in FORMAT_EXCEPTIONS:
        return FORMAT_EXCEPTIONS[entry["file"]]
    return {"older": "pre2019"}.get(entry["report_format"], entry["report_format"])


@needs_shared
@pytest.mark.parametrize("entry", shared.params(INDEX), ids=lambda e: e["file"])
def test_corpus_page(entry):
    guess, fmt = read_and_guess(CORPUS / entry["file"])
    assert guess.year == entry["year"]
    assert fmt == _expected_format(entry)
    if entry["file"] in NO_AGENCY:
        assert guess.agency is None
    elif entry["file"] in AGENCY_SHORT_FORMS:
        assert guess.agency == AGENCY_SHORT_FORMS[entry["file"]]
        assert guess.agency in entry["agency"]
    elif guess.agency is not None:
        assert guess.agency == entry["agency"]


@needs_shared
def test_corpus_agencies_found():
    found = [e["file"] for e in INDEX if read_and_guess(CORPUS / e["file"])[0].agency]
    # 31 of 42 openings name their agency in a place the reader recognises; the other eleven say
    # only 我局 / 区统计局 / 区人民政府办公室 / 市统计局, name a compiling office (…领导小组办公室),
    # or nothing at all.
    assert len(found) >= 31


@needs_shared
@pytest.mark.parametrize("page", ["040", "120"])
def test_spam_mirrors_do_not_leak_injected_text(page):
    guess, _ = read_and_guess(CORPUS / "pages" / f"{page}.txt")
    for junk in ("365", "bet", "威廉希尔"):
        assert junk not in (guess.agency or "")
        assert junk not in (guess.title or "")


@needs_shared
def test_corpus_headers_and_titles():
    cases = {
        "100": (
            "西藏自治区人民政府办公厅",
            "西藏自治区人民政府办公厅2023年政府信息公开工作年度报告",
            "2024-02-22",
        ),
        "052": ("利辛县望疃镇人民政府", "利辛县望疃镇2023年政府信息公开工作年度报告", "2024-01-19"),
        "144": ("洪江区交通运输局", "洪江区交通运输局2020年政府信息公开工作年度报告", "2021-01-21"),
        "152": ("海南省生态环境厅", "海南省生态环境厅2022政府信息公开工作年度报告", None),
        "116": (
            "黄石市住房和城乡建设局",
            "2020年黄石市住房和城乡建设局政府信息公开工作年度报告",
            "2025-03-07",
        ),
        "128": ("乌拉特中旗巴音乌兰苏木", "乌拉特中旗巴音乌兰苏木2021年政府信息公开工作年度报告", None),
        "160": ("马关县交通运输局", "马关县交通运输局2019年政府信息公开工作年度报告", "2020-01-18"),
        "092": ("桃江县松木塘镇人民政府", "桃江县松木塘镇人民政府2022年政府信息公开工作年度报告", None),
        "056": ("兴华乡", "兴华乡2010年政府信息公开报告", "2011-01-01"),
    }
    for page, expected in cases.items():
        guess, _ = read_and_guess(CORPUS / "pages" / f"{page}.txt")
        assert (guess.agency, guess.title, guess.publish_date) == expected, page


# ---------------------------------------------------------------------------------------------
# Title rules


def test_title_broken_across_lines():
    g = meta_of("硚口区司法局2024年政府\n信息公开工作年度报告\n\n一、总体情况\n")
    assert (g.agency, g.year, g.title) == ("硚口区司法局", 2024, "硚口区司法局2024年政府信息公开工作年度报告")
    assert g.where["title"] == {"line": 1, "end_line": 2}


def test_agency_on_its_own_line_above_title():
    g = meta_of("\n原州区司法局\n\n2023年政府信息公开工作年度报告\n正文\n一、总体情况\n")
    assert (g.agency, g.year) == ("原州区司法局", 2023)
    assert g.title == "原州区司法局2023年政府信息公开工作年度报告"
    assert g.where["agency"] == {"line": 2, "via": "title"}
    assert g.where["year"]["line"] == 2


def test_title_with_spaces_and_full_width():
    g = meta_of("卫东区司法局 ２０２４ 年政府信息公开工作年度报告\n一、总体情况")
    assert (g.agency, g.year, g.title) == ("卫东区司法局", 2024, "卫东区司法局2024年政府信息公开工作年度报告")


def test_title_year_first():
    g = meta_of("2020 年黄石市住房和城乡建设局政府信息公开工作年度报告\n一、总体情况")
    assert (g.agency, g.year) == ("黄石市住房和城乡建设局", 2020)


def test_title_year_without_nian():
    g = meta_of("海南省生态环境厅\n\n2022政府信息公开工作年度报告\n一、总体情况")
    assert (g.agency, g.year) == ("海南省生态环境厅", 2022)


def test_title_year_in_parentheses_at_end():
    g = meta_of("某某市司法局政府信息公开工作年度报告（2024年）\n一、总体情况")
    assert (g.agency, g.year) == ("某某市司法局", 2024)


def test_title_tags_and_file_extension_are_dropped():
    g = meta_of("【2019】马关县交通运输局2019年政府信息公开工作年度报告.docx\n一、总体情况")
    assert g.title == "马关县交通运输局2019年政府信息公开工作年度报告"


def test_title_without_agency():
    g = meta_of("2024年政府信息公开工作年度报告\n一、总体情况\n我镇……")
    assert (g.agency, g.year, g.title) == (None, 2024, "2024年政府信息公开工作年度报告")


def test_title_prefers_one_naming_the_agency():
    text = (
        "2022年政府信息公开工作年度报告\n桃江县松木塘镇人民政府\n2022年政府信息公开工作年度报告\n一、总体情况"
    )
    g = meta_of(text)
    assert g.agency == "桃江县松木塘镇人民政府"
    assert g.where["title"] == {"line": 2, "end_line": 3}


def test_site_chrome_is_not_glued_to_title():
    g = meta_of("无障碍浏览\n\n兴华乡2010年政府信息公开报告\n")
    assert (g.agency, g.title) == ("兴华乡", "兴华乡2010年政府信息公开报告")


def test_prose_citing_the_report_is_not_a_title():
    g = meta_of(
        "现发布《兴庆区前进街街道办事处2024年政府信息公开工作年度报告》,本报告统计数据从2024年1月1日至12月31日。"
    )
    assert g.title is None
    assert g.agency == "兴庆区前进街街道办事处"  # the statement names it
    assert g.year == 2024


def test_title_is_searched_only_before_section_one():
    g = meta_of("一、总体情况\n正文\n某某县司法局2024年政府信息公开工作年度报告\n")
    assert g.title is None


def test_first_section_line_parameter_is_an_index():
    text = "某某县司法局2024年政府信息公开工作年度报告\n一、总体情况\n"
    assert meta_of(text, first_section_line=0).title is None  # heading at index 0: nothing above
    assert meta_of(text, first_section_line=1).title is not None
    assert meta_of(text, first_section_line=99).title is not None  # out of range: found by itself


# ---------------------------------------------------------------------------------------------
# Page header, signature, prose


def test_pipe_header_in_traditional_with_pinyin():
    text = (
        "標(biāo) 題 | 西藏自治區(qū)人民政府辦公廳2023年政府信息公開(kāi)工作年度報(bào)告 | ||\n"
        "發(fā)布機(jī)構(gòu) | 西藏自治區(qū)人民政府辦公廳 | 發(fā)布日期 | 2024-02-22 10:18:21 |\n"
        "??一、總體情況\n"
    )
    g = meta_of(text)
    assert (g.agency, g.year, g.publish_date) == ("西藏自治区人民政府办公厅", 2023, "2024-02-22")
    assert g.where["publish_date"] == {"line": 2, "via": "header"}


def test_colon_header_without_title():
    g = meta_of("来源:洪江区交通运输局 发布时间:2021-01-21 10:30 【字体:\n一、总体情况\n2020年,我局……")
    assert (g.agency, g.year, g.publish_date) == ("洪江区交通运输局", 2020, "2021-01-21")
    assert g.where["agency"]["via"] == "header"


def test_header_value_glued_to_page_chrome():
    assert meta_of("来源:洪江区交通运输局【字体:大 中 小】\n一、总体情况").agency == "洪江区交通运输局"
    assert meta_of("来源:盟审计局发布日期:2023-01-31\n一、总体情况").agency is None


def test_header_with_the_official_form_of_the_title_agency():
    text = "利辛县望疃镇2023年政府信息公开工作年度报告\n发布时间:2024-01-19 11:04 来源:利辛县望疃镇人民政府\n"
    assert meta_of(text).agency == "利辛县望疃镇人民政府"


def test_header_source_that_is_not_an_agency():
    g = meta_of("来源:信息中心      时间:2025-03-07 17:01\n一、总体情况\n2020年,我局……")
    assert g.agency is None
    assert g.publish_date == "2025-03-07"


def test_header_date_label_priority_and_formats():
    g = meta_of("更新时间:2020/01/18\n发布日期:[2021-01-28]\n一、总体情况")
    assert g.publish_date == "2021-01-28"


def test_publish_date_is_never_the_statistics_period():
    g = meta_of("统计时间:2024年1月1日至2024年12月31日\n数据时间:2024年1月1日至12月31日\n一、总体情况")
    assert g.publish_date is None
    assert g.year == 2024


def test_signature_gives_agency_and_date():
    text = (
        "一、总体情况\n2024年,我局……\n六、其他需要报告的事项\n无。\n\n   \n某某区司法局\n2025年1月10日\n \n"
    )
    g = meta_of(text)
    assert (g.agency, g.publish_date) == ("某某区司法局", "2025-01-10")
    assert g.where["agency"] == {"line": 7, "via": "signature"}
    assert g.where["publish_date"] == {"line": 8, "via": "signature"}


def test_signature_chinese_numerals_and_one_line():
    g = meta_of("一、总体情况\n2024年,我局……\n某某区司法局  二〇二五年一月二十日\n")
    assert (g.agency, g.publish_date) == ("某某区司法局", "2025-01-20")


def test_date_without_signature_agency_is_ignored():
    g = meta_of("一、总体情况\n2024年,我局……\n2025年1月10日\n")
    assert g.publish_date is None


def test_signature_loses_to_title_for_agency_and_to_header_for_date():
    text = "甲县司法局2024年政府信息公开工作年度报告\n发布日期:2025-01-20\n一、总体情况\n……\n乙县司法局\n2025年1月10日"
    g = meta_of(text)
    assert (g.agency, g.publish_date) == ("甲县司法局", "2025-01-20")


def test_statement_names_agency():
    g = meta_of("根据《条例》规定,现将平顶山市卫东区司法局 2024 年政府信息公开工作年度报告内容公开如下:\n")
    assert (g.agency, g.year) == ("平顶山市卫东区司法局", 2024)
    assert g.where["agency"]["via"] == "statement"


def test_statement_with_generic_agency_gives_only_the_year():
    g = meta_of("现将區司法局 2024 年政府信息公開工作情況報告如下:\n")
    assert (g.agency, g.year) == (None, 2024)


def test_based_on_prose_names_agency():
    g = meta_of("本报告根据2023年眉山市司法局信息公开工作实际编制而成。\n一、总体情况\n")
    assert g.agency == "眉山市司法局"
    g = meta_of("结合2021年池州市公安局政府信息公开工作编制而成。\n")
    assert g.agency == "池州市公安局"


def test_subject_of_section_one():
    g = meta_of("一、總體情況\n2024 年,渝中區(qū)司法局深入貫徹《條例》……")
    assert (g.agency, g.year) == ("渝中区司法局", 2024)
    g = meta_of("一、总体情况\n绍兴市卫生健康委是主管全市医疗卫生健康事业的市政府职能部门。2020年,我委……")
    assert (g.agency, g.year) == ("绍兴市卫生健康委", 2020)
    g = meta_of("一、总体情况\n2023年以来,汕尾市司法局在市委市政府的坚强领导下……")
    assert g.agency == "汕尾市司法局"


@pytest.mark.parametrize(
    "line",
    [
        "2024年,区司法局坚持……",
        "2024年,我局认真贯彻……",
        "2022年,在市委、市政府的正确领导下……",
        "2025年,紧扣市委、市政府中心工作部署……",
        "2024年前进街严格按照兴庆区委、区政府有关工作要求……",
        "市统计局认真贯彻落实《条例》",
        "2024年,区管委会办公室坚持……",
    ],
)
def test_subject_generic_or_not_a_name(line):
    assert meta_of("一、总体情况\n" + line).agency is None


def test_no_agency_named():
    text = (
        "一、总体情况\n根据《条例》规定,编制本年度报告。所列数据的统计时限自2024年1月1日至2024年12月31日。\n"
        "人力短板突出:全镇投身政务公开的人员较少。\n六、其他需要报告的事项\n无。\n国务院部门网站\n其他网站\n"
    )
    g = meta_of(text)
    assert (g.agency, g.year, g.title, g.publish_date) == (None, 2024, None, None)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("硚口区司法局", True),
        ("西藏自治区人民政府办公厅", True),
        ("温州市公安局鹿城区分局", True),
        ("兴庆区前进街街道办事处", True),
        ("乌拉特中旗巴音乌兰苏木", True),
        ("兴华乡", True),
        ("黄石市住房和城乡建设局", True),
        ("市中区司法局", True),
        ("镇江市教育局", True),
        ("本溪市民政局", True),
        ("我局", False),
        ("本机关", False),
        ("区司法局", False),
        ("市人力资源和社会保障局", False),
        ("区人民政府办公室", False),
        ("盟审计局", False),
        ("信息中心", False),
        ("某某市委", False),
        ("365bet司法局", False),
        ("威廉希尔中国人民政府", False),
        ("无障碍浏览兴华乡", False),
        ("关于印发某某市司法局", False),
        ("平顶山市卫东区司法局 ", False),
    ],
)
def test_is_agency_name(name, ok):
    assert is_agency_name(name) is ok


# ---------------------------------------------------------------------------------------------
# Year rules


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("本报告所列数据的统计期限为2024年1月1日至12月31日。", 2024),
        ("统计期限自2024年1月1日至2024年12月31日止。", 2024),
        ("所列数据的统计期限为 2020 年 1 月 1 日至 2020 年 12 月31 日", 2020),
        ("本报告中所列数据的统计期限为2022年11日至1231日。", 2022),  # 月 lost
        ("统计期限为202511日到1231日", 2025),  # 年 and 月 lost
        ("统计期限自2011年1月1日,至2011年12月31日止。", 2011),
        ("一、总体情况\n2024 年我局……", 2024),
        ("一、总体情况\n(一)主动公开\n按照《2023年政务公开工作要点》要求,2024年共发布……", 2024),
        ("一、总体情况\n(一)组织领导。我镇高度重视……全年累计主动公开政府信息100余条。", None),
    ],
)
def test_year(text, year):
    assert meta_of(text).year == year


def test_year_order_title_before_period():
    g = meta_of("某某县司法局2023年政府信息公开工作年度报告\n统计期限为2022年1月1日至12月31日。")
    assert g.year == 2023
    assert g.where["year"]["via"] == "title"


def test_period_is_not_november():
    assert meta_of("截至2021年11月1日至今").year is None


# ---------------------------------------------------------------------------------------------
# detect_format


@pytest.mark.parametrize(
    ("text", "year", "fmt"),
    [
        ("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数", 2019, "2021"),
        ("本年收费金额(单位:万元)", None, "2021"),
        ("(六)其他处理\n1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", None, "2021"),
        ("本年製發件數", None, "2021"),  # traditional, after normalize_text
        ("本年新\n制作数量", 2024, "2019"),  # label split across lines
        ("上一年项目数量 | 本年增/减 | 处理决定数量", None, "2019"),
        ("第二十条第（九）项", None, "2019"),
        ("政府集中采购 |\n采购项目数量 |\n采购总金额", None, "2019"),
        ("一、总体情况\n2022年我局积极参与政府集中采购。", 2022, "2021"),  # prose only: not a signal
        ("《……年度报告格式》(国办公开办函〔2021〕30号)", None, "2021"),
        ("(国办公开办函〔202130号)", None, "2021"),
        ("(国办公开函〔2021〕30 号)", None, "2021"),
        ("(国办公开办涵〔2021〕30号)", None, "2021"),
        ("(国办公开办函〔2019〕60号)", None, "2019"),
        ("某府办发〔2021〕30号", 2022, None),  # a different document with the same number
        ("根据《条例》(国务院令第492号)", None, "pre2019"),
        ("一、概述\n", 2012, "pre2019"),
        ("一、总体情况\n", 2024, "2021"),
        ("一、总体情况\n", 2020, "2019"),
        ("本报告包括收到和处理政府信息公开申请情况等", 2020, "2019"),
        ("根据2019年5月15日修订后的《中华人民共和国政府信息公开条例》", 2019, "2019"),
        ("一、总体情况\n", None, None),
        ("一些文字", 2024, None),
        ("", None, None),
    ],
)
def test_detect_format(text, year, fmt):
    assert detect_format(normalize_text(text), year) == fmt


def test_format_2021_signals_win_over_2019():
    assert detect_format("本年制发件数\n政府集中采购\n采购项目数量", 2020) == "2021"


# ---------------------------------------------------------------------------------------------
# Bounded work on garbage


@pytest.mark.parametrize(
    "text",
    [
        "年月日局政府信息公开工作报告区市县委2024" * 200_000,  # one 4 MB line
        "\n" * 4_000_000,
        ("?" * 1000 + "\n") * 4000,
        "2024年,区司法局深入贯彻\n" * 300_000,
        "〔2021〕30号" * 400_000,
        "政府集中采购" * 600_000,
        "一、" + "某" * 4_000_000,
    ],
    ids=["one-line", "newlines", "qmarks", "year-lines", "citations", "procurement", "heading"],
)
def test_garbage_is_fast(text):
    start = time.perf_counter()
    lines = text.split("\n")
    guess = extract_meta(lines)
    detect_format(text, guess.year)
    assert time.perf_counter() - start < 10
    assert guess.agency is None
