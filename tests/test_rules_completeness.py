"""Completeness rules XG201–XG208: each fires on a realistic mistake and stays silent on a
sound report; on the real seeds, corpus openings and examples they raise no false error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import shared
from layouts import seed_report as seed
from shared import needs_shared
from xxgk.check import check_report
from xxgk.check.completeness import line_no
from xxgk.extract import parse_bytes
from xxgk.model import ERROR, INFO, WARNING, Finding, Report, TextLine

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = shared.CORPUS / "pages"
GOOD = EXAMPLES / "示例区司法局-2024-制表符行.txt"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")
LINES = GOOD_TEXT.split("\n")
CODES = ("XG201", "XG202", "XG203", "XG204", "XG205", "XG206", "XG207", "XG208")


def edit(*pairs: str, text: str = GOOD_TEXT) -> str:
    """The good example with realistic mistakes put in (each `old` must be there)."""
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new)
    return text


def parse(text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), "示例.txt")


def found(source: str | Report, code: str) -> list[Finding]:
    report = parse(source) if isinstance(source, str) else source
    return check_report(report, select=[code])


def brief(findings: list[Finding]) -> list[tuple[str, str, dict | None]]:
    return [(f.severity, f.message, f.where) for f in findings]


def corpus(name: str) -> Report:
    shared.require()
    path = CORPUS / name
    return parse_bytes(path.read_bytes(), str(path))


def test_good_example_is_silent():
    assert check_report(parse(GOOD_TEXT), select=list(CODES)) == []


# ---------------------------------------------------------------- XG201


def test_missing_section_is_reported_once_with_its_title():
    text = "\n".join(LINES[:60] + LINES[67:])  # section 四 and its table removed
    assert brief(found(text, "XG201")) == [
        (ERROR, "未找到第四部分“四、政府信息公开行政复议、行政诉讼情况”", None)
    ]


def test_missing_section_points_at_a_misnumbered_heading():
    text = edit(
        "四、政府信息公开行政复议、行政诉讼情况", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"
    )
    assert brief(found(text, "XG201")) == [
        (
            ERROR,
            "未找到第四部分“四、政府信息公开行政复议、行政诉讼情况”；第61行“五、因政府信息公开申请行政复议、"
            "提起行政诉讼的情况”内容相近，但编号不符",
            {"line": 61},
        )
    ]


def test_sections_out_of_order_and_duplicated():
    swapped = "\n".join(LINES[:68] + LINES[73:75] + LINES[68:73] + LINES[75:])  # 六 before 五
    assert brief(found(swapped, "XG201")) == [
        (ERROR, "第五部分“五、存在的主要问题及改进情况”排在第六部分之后，顺序错乱", {"line": 71})
    ]
    twice = "\n".join(LINES[:74] + ["六、其他需要报告的事项"] + LINES[74:])
    assert brief(found(twice, "XG201")) == [
        (ERROR, "第六部分“六、其他需要报告的事项”的标题出现了两次（第74行、第75行）", {"line": 75})
    ]


def test_last_section_missing_from_a_complete_text():
    # Sections 一–五 with all three tables, ending on a full sentence: 六 is absent, not cut off.
    assert [f.message for f in found("\n".join(LINES[:73]), "XG201")] == [
        "未找到第六部分“六、其他需要报告的事项”"
    ]


def test_text_cut_off_is_not_blamed_for_later_sections():
    assert found("\n".join(LINES[:31]), "XG201") == []  # ends inside section 三
    assert found("\n".join(LINES[:70]), "XG201") == []  # ends on a sub-heading of 五


def test_table_of_contents_is_not_a_duplicate():
    contents = ["目录", *(LINES[i] for i in (4, 11, 28, 60, 68, 73))]
    text = "\n".join(LINES[:3] + contents + LINES[3:])
    assert found(text, "XG201") == []


def test_no_heading_at_all_in_a_signed_report_is_one_finding():
    text = "示例镇2024年政府信息公开工作年度报告\n本镇2024年未收到政府信息公开申请。\n示例镇人民政府\n2025年1月20日\n"
    report = parse(text)
    report.format = "2021"
    assert [f.message for f in found(report, "XG201")] == [
        "未找到任何一个部分的标题（一、总体情况 …… 六、其他需要报告的事项）"
    ]


@needs_shared
def test_partial_corpus_openings_never_miss_a_section():
    for path in sorted(CORPUS.glob("*.txt")):
        report = parse_bytes(path.read_bytes(), str(path))
        assert found(report, "XG201") == [], path.name


# ---------------------------------------------------------------- XG202


def test_heading_worded_differently():
    text = edit(
        "二、主动公开政府信息情况", "二、主动公开信息情况", "一、总体情况", "一、2024年政府信息公开总体情况"
    )
    assert brief(found(text, "XG202")) == [
        (
            INFO,
            "第5行标题“一、2024年政府信息公开总体情况”与格式规定的“一、总体情况”相比多了文字",
            {"line": 5},
        ),
        (
            WARNING,
            "第12行标题“二、主动公开信息情况”与格式规定的“二、主动公开政府信息情况”写法不同",
            {"line": 12},
        ),
    ]


def test_known_heading_variants_and_traditional_headings_are_accepted():
    variant = edit("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况")
    assert found(variant, "XG202") == []
    assert found(seed("000"), "XG202") == []  # 一、總體情況 with pinyin glosses


def test_old_outline_heading_on_a_real_2019_report():
    assert brief(found(corpus("060.txt"), "XG202")) == [
        (
            WARNING,
            "第2行标题“一、本年度政府信息公开工作的基本情况”与格式规定的“一、总体情况”写法不同",
            {"line": 2},
        )
    ]


# ---------------------------------------------------------------- XG203


def test_section_without_its_table():
    text = "\n".join(LINES[:13] + LINES[28:])  # table 二 removed, heading kept
    assert brief(found(text, "XG203")) == [
        (ERROR, "第二部分“二、主动公开政府信息情况”没有统计表（主动公开政府信息情况表）", {"line": 12})
    ]


def test_table_not_judged_when_the_text_stops_in_its_section():
    assert found("\n".join(LINES[:13]), "XG203") == []


def test_mirror_page_with_tables_stripped():
    # 张家港市教育局 2022, traditional-character mirror: headings 二–五 adjacent, tables gone.
    assert [(f.message, f.where) for f in found(corpus("020.txt"), "XG203")] == [
        ("第二部分“二、主动公开政府信息情况”没有统计表（主动公开政府信息情况表）", {"line": 5}),
        (
            "第三部分“三、收到和处理政府信息公开申请情况”没有统计表（收到和处理政府信息公开申请情况表）",
            {"line": 7},
        ),
        (
            "第四部分“四、政府信息公开行政复议、行政诉讼情况”没有统计表（行政复议、行政诉讼情况表）",
            {"line": 9},
        ),
    ]


# ---------------------------------------------------------------- XG204


def test_blank_review_block_of_seed_004_is_one_finding():
    report = seed("004")
    findings = found(report, "XG204")
    # The finding points where the reader placed the first blank cell (a line of table 四).
    first = report.cells["reviews/reconsideration/upheld"].where
    assert first.get("line") in range(75, 82)
    assert brief(findings) == [
        (
            WARNING,
            "行政复议、行政诉讼情况表“行政复议”行整行空白：结果维持、结果纠正、其他结果、尚未审结、总计",
            first,
        )
    ]
    assert findings[0].cells == [
        f"reviews/reconsideration/{k}" for k in ("upheld", "corrected", "other", "pending", "total")
    ]


def test_blank_and_slash_cells_grouped_per_row():
    # "/" reads as a blank cell (the reader keeps no text for it)
    text = edit("行政强制\t0", "行政强制\t", "规章\t0\t0\t0", "规章\t/\t/\t/")
    findings = found(text, "XG204")
    assert brief(findings) == [
        (
            WARNING,
            "主动公开政府信息情况表“规章”行整行空白：本年制发件数、本年废止件数、现行有效件数",
            {"line": 16},
        ),
        (WARNING, "主动公开政府信息情况表“行政强制”行1格空白：本年处理决定数量", {"line": 24}),
    ]
    assert findings[1].cells == ["active/coercion/decisions"]


def test_cells_the_reader_could_not_settle_are_not_called_blank():
    report = parse(GOOD_TEXT)
    report.cells["active/penalty/decisions"].value = None
    assert [f.cells for f in found(report, "XG204")] == [["active/penalty/decisions"]]
    report = parse(GOOD_TEXT)
    report.cells["active/penalty/decisions"].value = None
    report.findings.append(Finding("XG003", ERROR, "…", ["active/penalty/decisions"]))
    assert [f for f in found(report, "XG204") if f.code == "XG204"] == []


# ---------------------------------------------------------------- XG205


def test_2021_tables_in_a_2020_report():
    text = GOOD_TEXT.replace("2024", "2020").replace("2025", "2021").replace("2023", "2019")
    assert brief(found(text, "XG205")) == [
        (
            ERROR,
            "本报告为2020年度报告，表格却是2021年格式（国办公开办函〔2021〕30号）（如“本年制发件数”），"
            "应使用2019年试行格式（国办公开办函〔2019〕60号）",
            {"line": 15},
        )
    ]


def test_2019_tables_in_a_2022_report():
    report = corpus("112.txt")  # 潼关县住建局 2019, complete 2019-format table 二
    assert found(report, "XG205") == []
    report.meta.year = 2022
    assert [f.message for f in found(report, "XG205")] == [
        "本报告为2022年度报告，表格却是2019年试行格式（国办公开办函〔2019〕60号）（如“本年新制作数量”），"
        "应使用2021年格式（国办公开办函〔2021〕30号）"
    ]


# ---------------------------------------------------------------- XG206


@pytest.mark.parametrize(
    ("cited", "problem"),
    [
        ("国办公开函〔2021〕30号", "“国办公开函”应为“国办公开办函”"),
        ("国办公开办函〔202130号", "年份的六角括号〔〕残缺"),
        (
            "国办公开办函〔2019〕60号",
            "2024年度报告应依据国办公开办函〔2021〕30号（〔2019〕60号 的试行格式已被取代）",
        ),
    ],
)
def test_wrong_or_garbled_citation(cited, problem):
    findings = found(edit("国办公开办函〔2021〕30号", cited), "XG206")
    assert brief(findings) == [(WARNING, f"第3行引用的格式文件文号“{cited}”有误：{problem}", {"line": 3})]
    assert findings[0].hint == "请核对并改为“国办公开办函〔2021〕30号”。"


def test_bracket_variants_are_fine():
    for cited in ("国办公开办函[2021]30号", "国办公开办函［2021］30号", "国办公开办函(2021)30号"):
        assert found(edit("国办公开办函〔2021〕30号", cited), "XG206") == [], cited


def test_citations_damaged_in_real_reports():
    assert [f.message for f in found(corpus("052.txt"), "XG206")] == [
        "第14行引用的格式文件文号“国办公开办函〔202130号”有误：年份的六角括号〔〕残缺"
    ]
    # 国办公开函〔2021〕30 号 broken by a hard line wrap in a docx-to-text copy
    assert [f.message for f in found(corpus("128.txt"), "XG206")] == [
        "第2行引用的格式文件文号“国办公开函〔2021〕30号”有误：“国办公开函”应为“国办公开办函”"
    ]


def test_30_cited_by_a_2020_report():
    text = GOOD_TEXT.replace("2024", "2020").replace("2025", "2021").replace("2023", "2019")
    assert [f.message for f in found(text, "XG206")] == [
        "第3行引用的格式文件文号“国办公开办函〔2021〕30号”有误：2020年度报告应依据国办公开办函〔2019〕60号"
        "（〔2021〕30号 2021年9月才印发）"
    ]


# ---------------------------------------------------------------- XG207


def test_statistics_period_of_another_year():
    text = edit("自2024年1月1日至2024年12月31日", "自2023年1月1日至2023年12月31日")
    assert brief(found(text, "XG207")) == [
        (WARNING, "第3行统计期限“2023年1月1日至2023年12月31日”与报告年度2024年不符", {"line": 3})
    ]


def test_statistics_period_that_lost_characters():
    assert brief(found(corpus("152.txt"), "XG207")) == [
        (WARNING, "第5行统计期限“2022年11日至1231日”缺少“年”“月”“日”等字", {"line": 5})
    ]


def test_statistics_period_missing_is_a_hint():
    text = edit("本报告所列数据的统计期限自2024年1月1日至2024年12月31日。", "")
    assert brief(found(text, "XG207")) == [(INFO, "报告未写明统计期限", None)]
    assert found("\n".join(text.split("\n")[:31]), "XG207") == []  # cut off: not judged


@pytest.mark.parametrize(
    "period",
    [
        "为2024年1月至12月",
        "为2024.1.1-2024.12.31",
        "为2024年度",
        "为2024-01-01至2024-12-31",
        "自2024年1月1日起至12月31日止",
    ],
)
def test_statistics_period_forms_accepted(period):
    assert found(edit("自2024年1月1日至2024年12月31日", period), "XG207") == []


@pytest.mark.parametrize(
    ("period", "problem"),
    [
        ("为2023年度", "“2023年度”与报告年度2024年不符"),
        (
            "为2024年1月1日至2024年6月30日",
            "“2024年1月1日至2024年6月30日”不是完整的自然年度（应为1月1日至12月31日）",
        ),
        ("为202411日到1231日", "“202411日到1231日”缺少“年”“月”“日”等字"),
    ],
)
def test_statistics_period_problems(period, problem):
    findings = found(edit("自2024年1月1日至2024年12月31日", period), "XG207")
    assert [f.message for f in findings] == [f"第3行统计期限{problem}"]


def test_statistics_period_written_in_other_ways():
    assert found(seed("001"), "XG207") == []  # 所列统计数据时间范围为2024年1月1日至2024年12月31日
    assert found(corpus("060.txt"), "XG207") == []  # 统计期限自2019年1月1日起至12月31日止
    assert found(corpus("128.txt"), "XG207") == []  # 2021 年 1 月 1 日 起至 2021 年 12 月 31 日止


# ---------------------------------------------------------------- XG208


def test_title_without_annual_report_wording():
    text = edit("示例区司法局2024年政府信息公开工作年度报告", "示例区司法局2024年政府信息公开工作报告")
    assert brief(found(text, "XG208")) == [
        (WARNING, "标题“示例区司法局2024年政府信息公开工作报告”缺少“年度报告”字样", {"line": 1})
    ]


def test_title_year_disagrees_with_the_text():
    opening = edit("2024年，示例区司法局坚持", "2023年，示例区司法局坚持")
    assert brief(found(opening, "XG208")) == [
        (
            WARNING,
            "标题为2024年度报告，第6行却写的是2023年（“2023年,示例区司法局坚持以公开为常态”）",
            {"line": 6},
        )
    ]
    statement = edit("编制。本报告", "编制。现将示例区司法局2023年政府信息公开工作年度报告公布如下。本报告")
    assert [f.message for f in found(statement, "XG208")] == [
        "标题为2024年度报告，第3行却写的是2023年（“现将示例区司法局2023年政府信息公开”）"
    ]


def test_signature_of_another_agency():
    text = edit("示例区司法局\n2025年1月20日", "示例县交通运输局\n2025年1月20日")
    assert brief(found(text, "XG208")) == [
        (WARNING, "标题中的机关是“示例区司法局”，落款却是“示例县交通运输局”", {"line": 77})
    ]
    longer = edit("示例区司法局\n2025年1月20日", "重庆市示例区司法局\n2025年1月20日")
    assert found(longer, "XG208") == []


def test_damaged_title_of_a_real_report():
    assert [f.message for f in found(corpus("152.txt"), "XG208")] == [
        "标题“海南省生态环境厅2022政府信息公开工作年度报告”年份后缺“年”字"
    ]


# ---------------------------------------------------------------- real material


# Per file, what these rules say (code, severity); anything not listed must be silent.
EXPECTED_SEEDS = {
    "000": [("XG207", INFO)],  # no statistics period anywhere in the text
    "001": [],
    "002": [("XG207", INFO)],
    "003": [],
    "004": [("XG204", WARNING)],  # blank 行政复议 block
}
# Real errors: mirror pages whose tables were stripped (index.jsonl: tables_stripped).
EXPECTED_CORPUS_ERRORS = {"020.txt": 3, "120.txt": 3, "140.txt": 3}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_SEEDS))
def test_seeds(prefix):
    got = [(f.code, f.severity) for f in check_report(seed(prefix), select=list(CODES))]
    assert got == EXPECTED_SEEDS[prefix]


@needs_shared
def test_no_false_error_on_corpus_and_examples():
    errors = {}
    for path in [*sorted(CORPUS.glob("*.txt")), *sorted(EXAMPLES.glob("*.txt"))]:
        report = parse_bytes(path.read_bytes(), str(path))
        bad = [f for f in check_report(report, select=list(CODES)) if f.severity == ERROR]
        if bad:
            assert {f.code for f in bad} == {"XG203"}, (path.name, bad)
            errors[path.name] = len(bad)
    assert errors == EXPECTED_CORPUS_ERRORS


def test_examples_are_silent_after_a_json_round_trip():
    for path in sorted(EXAMPLES.glob("*.txt")):
        report = parse_bytes(path.read_bytes(), str(path))
        again = Report.from_json(json.loads(json.dumps(report.to_json())))
        assert check_report(again, select=list(CODES)) == [], path.name


def test_blank_cells_survive_a_json_round_trip():
    report = seed("004")
    again = Report.from_json(json.loads(json.dumps(report.to_json())))
    first = report.cells["reviews/reconsideration/upheld"].where
    assert [(f.code, f.where) for f in found(again, "XG204")] == [("XG204", first)]


def test_places_named_in_messages():
    assert line_no(TextLine("", "", {"line": 12}, "1")) == "第12行"
    assert line_no(TextLine("", "", {"paragraph": 5}, "2")) == "第5段"
    assert line_no(TextLine("", "", {"page": 2, "bbox": [0, 0, 1, 1]}, "3")) == "第2页"
    assert line_no(TextLine("", "", {"section": "5"}, "5")) == "第五部分"


# ---------------------------------------------------------------- one scan for heading-like lines


def test_heading_candidates_found_in_the_joined_text_or_line_by_line():
    from xxgk.check.outline import _heading_candidates, scan_headings

    report = Report(format="2021")
    report.lines = [
        TextLine(text, text, {"line": i + 1}, None)
        for i, text in enumerate(
            ["标题", " 一、总体情况", "正文一句。", "\u3000第二部分、主动公开", "二是", "三、"]
        )
    ]
    assert _heading_candidates(report) == [1, 3, 4, 5]
    assert [(n, i) for n, i, _ in scan_headings(report)[0]] == [(1, 1), (2, 3)]
    report.lines[2] = TextLine("正文\n一句。", "正文\n一句。", {"line": 3}, None)  # a line holding a newline
    assert _heading_candidates(report) == range(6)
    assert [(n, i) for n, i, _ in scan_headings(report)[0]] == [(1, 1), (2, 3)]


def test_blank_cells_and_citation_read_only_when_the_report_has_some():
    from xxgk.check.view import cell_values

    report = parse(GOOD_TEXT)
    assert None not in cell_values(report).values() and found(report, "XG204") == []
    ref = next(iter(report.cells))
    report.cells[ref].value = None
    assert cell_values(report)[ref] is None
    assert [f.cells for f in found(report, "XG204")] == [[ref]]
    no_citation = parse(edit("国办公开办函〔2021〕30号", "格式文件"))
    assert found(no_citation, "XG206") == []
    assert [
        f.code for f in found(parse(edit("国办公开办函〔2021〕30号", "国办公开办涵〔2021〕30号")), "XG206")
    ] == ["XG206"]


@pytest.mark.parametrize(
    "text",
    [
        "依据国办公开办函〔2021〕30号和公开办函2019〕60号编制",
        "国办公开函〔2021〕30号;公开涵〔2019〕60;国办公开办涵2021〕30号12",
        "公开公开办函〔2021〕30号国办公开办函〔2019〕60号",
        "没有文号",
    ],
)
def test_citations_found_around_han_as_by_the_pattern(text):
    from xxgk.check.frontmatter import _CITATION, _citations

    assert [m.span() for m in _citations(text)] == [m.span() for m in _CITATION.finditer(text)]


def test_citations_of_prose_without_han():
    from xxgk.check.frontmatter import _citations

    assert list(_citations("依据国办公开办〔2021〕30号编制")) == []
    assert [m.group(0) for m in _citations("依据国办公开办涵〔2021〕30号")] == ["国办公开办涵〔2021〕30号"]
