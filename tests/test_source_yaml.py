"""The YAML report source: round trips (hypothesis), exact validation messages with line numbers,
generated paragraphs marked and rewritten, wiring into api.load_report."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk import api
from xxgk.errors import InputError
from xxgk.formats import AMOUNT, FORMAT_2019, FORMAT_2021
from xxgk.model import SECTION_KEYS, Meta, Report
from xxgk.source import dump_source, front_matter, load_source, loads_source, starter_report, write_source
from xxgk.source.narrative import (
    APPLICATIONS,
    FEE,
    GENERATORS,
    PREAMBLE,
    FeeFigures,
    contact_text,
    generated_texts,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD = EXAMPLES / "示例区司法局-2024-制表符行.txt"


def snapshot(report: Report) -> tuple:
    meta = report.meta
    return (
        report.format,
        (meta.agency, meta.year, meta.title, meta.publish_date, meta.script),
        report.preamble,
        dict(report.sections),
        sorted(report.tables_present),
        {ref: (cell.value, cell.text) for ref, cell in report.cells.items()},
    )


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of `text` that contains `needle`."""
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


def starter_text() -> str:
    return dump_source(starter_report("示例区司法局", 2025))


def load_error(text: str) -> str:
    with pytest.raises(InputError) as info:
        loads_source(text, "源.yaml")
    return str(info.value)


# ---------------------------------------------------------------- round trips

SPECIAL = st.sampled_from(
    [
        "联系方式: 见下 # 不是注释",
        'he said "ok" \\ done',
        "- 看起来像列表",
        "null",
        "~",
        "2025-01-20",
        "  前后有空格  ",
        "行\u2028分隔\x85",
        "tab\tcr\rend",
        "【请填写：还没写】",
        "",
        "'单引号'",
        "{花括号: 1}",
        "[方括号]",
        "&anchor *alias !tag %",
    ]
)
LINE = st.one_of(SPECIAL, st.text(st.characters(codec="utf-8"), max_size=30))
COUNT = st.one_of(st.none(), st.integers(0, 10**7))
AMOUNT_VALUE = st.one_of(st.none(), st.decimals("0", "100000", places=2))


@st.composite
def reports(draw) -> Report:
    """Any 2021 report a source could describe, plus parts no source wrote (absent cells,
    missing sections), with generated paragraphs, a fee line, a preamble (generated with
    contact details, or not) and an older source's contact line mixed in."""
    meta = Meta(
        agency=draw(st.text(min_size=1, max_size=12).filter(str.strip)),
        year=draw(st.integers(1990, 2100)),
        title=draw(st.none() | st.text(min_size=1, max_size=20)),
        publish_date=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        script=draw(st.sampled_from(["simplified", "traditional"])),
    )
    report = Report(format="2021", meta=meta)
    for ref, (_, _, fld) in FORMAT_2021.fields_by_ref.items():
        if draw(st.integers(0, 20)) == 0:
            continue  # a cell the source did not hold
        report.set(ref, draw(AMOUNT_VALUE if fld.kind == AMOUNT else COUNT))
    fee = FeeFigures(
        draw(st.integers(0, 50)), draw(st.integers(0, 9999) | st.decimals("0.01", "999", places=2))
    )
    generated = list(generated_texts(report, fee).values())
    for key in SECTION_KEYS:
        if draw(st.integers(0, 6)) == 0:
            continue  # a section the report lacks: the source gets the skeleton
        lines = draw(st.lists(LINE | st.sampled_from(generated), max_size=5))
        report.sections[key] = "\n".join(lines)
    contact = {k: draw(st.none() | st.text(max_size=10)) for k in ("address", "phone", "email")}
    preamble = GENERATORS[PREAMBLE].text(report, fee, contact)
    report.preamble = "\n".join(draw(st.lists(LINE | st.sampled_from([preamble, *generated]), max_size=3)))
    if contact_text(contact) and draw(st.booleans()):
        text = report.sections.get("6")
        report.sections["6"] = f"{text}\n{contact_text(contact)}" if text else contact_text(contact)
    return report


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_source_report_source_report_is_identical(report):
    first_text = dump_source(report)
    first = loads_source(first_text)
    second_text = dump_source(first)
    second = loads_source(second_text)
    assert snapshot(second) == snapshot(first)
    assert second_text == dump_source(second)


def test_the_example_report_survives_yaml_exactly():
    report = api.load_report(str(GOOD))
    again = loads_source(dump_source(report))
    assert {r: c.value for r, c in again.cells.items()} == {r: c.value for r, c in report.cells.items()}
    assert again.sections == report.sections
    assert again.preamble == report.preamble != ""
    assert (again.meta.agency, again.meta.year, again.meta.title, again.meta.publish_date) == (
        "示例区司法局",
        2024,
        "示例区司法局2024年政府信息公开工作年度报告",
        "2025-01-20",
    )


def test_a_2019_report_keeps_its_amount_as_written():
    report = Report(format="2019", meta=Meta(agency="某县财政局", year=2020))
    for ref in FORMAT_2019.refs():
        report.set(ref, 0)
    report.set("active/procurement/amount", Decimal("25.1"), raw="251000元").text = "251000元"
    report.set("active/licensing/change", -3)
    text = dump_source(report)
    assert 'amount_text: "251000元"' in text and "change: -3" in text
    again = loads_source(text)
    assert again.cells["active/procurement/amount"].text == "251000元"
    assert again.value("active/procurement/amount") == Decimal("25.1")
    assert again.value("active/licensing/change") == -3
    assert "主动公开" not in again.sections["2"]  # no 2021 active paragraph for a 2019 table


def test_blank_and_zero_and_absent_stay_distinct():
    text = starter_text()
    text = text.replace("    issued: 0                         # 本年制发件数", "    issued: null", 1)
    text = text.replace("    repealed: 0                       # 本年废止件数", "    repealed:", 1)
    text = text.replace(
        "  licensing:                          # 行政许可（第二十条第（五）项）\n    decisions: 0", ""
    )
    report = loads_source(text)
    assert report.has("active/regulations/issued") and report.value("active/regulations/issued") is None
    assert report.has("active/regulations/repealed") and report.value("active/regulations/repealed") is None
    assert report.value("active/regulations/in_force") == 0
    assert not report.has("active/licensing/decisions")
    assert "active" in report.tables_present


def test_amounts_are_read_exactly_as_written():
    text = starter_text().replace("    amount: 0  ", "    amount: 12345678.123456789  ", 1)
    report = loads_source(text)
    assert report.value("active/fees/amount") == Decimal("12345678.123456789")
    assert "收取行政事业性收费12345678.123456789万元。" in report.sections["2"]


# ---------------------------------------------------------------- generated paragraphs


def test_generated_paragraphs_are_marked_and_follow_the_numbers():
    text = starter_text()
    assert '- 文字: "本年度未收到政府信息公开申请。"\n      自动生成: 依申请公开' in text
    edited = text.replace(
        "  received:                           # 一、本年新收政府信息公开申请数量\n    natural_person: 0",
        "  received:\n    natural_person: 3",
    )
    edited = edited.replace(
        "  carried_forward:                    # 四、结转下年度继续办理\n    natural_person: 0",
        "  carried_forward:\n    natural_person: 3",
    )
    report = loads_source(edited)
    # 总计 of the rows is still 0: the paragraph reads the 总计 column as XG301 does
    assert report.sections["3"] == "本年度未收到政府信息公开申请。"
    edited = edited.replace(
        "    total: 0                          # 总计\n  carried_over:", "    total: 3\n  carried_over:", 1
    )
    edited = edited.replace(
        "  carried_forward:\n    natural_person: 3                 # 自然人\n    commercial: 0                     # 法人或其他组织：商业企业\n    research: 0                       # 法人或其他组织：科研机构\n    social_welfare: 0                 # 法人或其他组织：社会公益组织\n    legal_services: 0                 # 法人或其他组织：法律服务机构\n    other_org: 0                      # 法人或其他组织：其他\n    total: 0",
        "  carried_forward:\n    natural_person: 3\n    commercial: 0\n    research: 0\n    social_welfare: 0\n    legal_services: 0\n    other_org: 0\n    total: 3",
    )
    report = loads_source(edited)
    assert report.sections["3"] == "本年度新收政府信息公开申请3件。结转下年度继续办理3件。"


def test_removing_the_mark_keeps_the_clerks_own_wording():
    text = starter_text()
    mine = text.replace(
        '- 文字: "本年度未收到政府信息公开申请。"\n      自动生成: 依申请公开',
        '- 文字: "本年度我局未收到任何政府信息公开申请。"',
    )
    assert mine != text
    assert loads_source(mine).sections["3"] == "本年度我局未收到任何政府信息公开申请。"


def test_reworded_text_under_a_mark_is_refused_not_lost():
    text = starter_text()
    changed = text.replace(
        '- 文字: "本年度未收到政府信息公开申请。"', '- 文字: "本年度我局未收到任何政府信息公开申请。"'
    )
    mark = line_of(changed, "自动生成: 依申请公开")
    assert load_error(changed) == (
        f"源.yaml：第 {mark - 1} 行：“自动生成: 依申请公开”段落的文字被改动过，而自动生成的文字每次都会按表格数字重写。"
        f"要保留改动，请删去第{mark}行“自动生成: 依申请公开”；要恢复自动生成，请撤销对文字的改动"
    )


def test_fee_and_contact_come_from_meta():
    text = starter_text()
    text = text.replace("    notices: 0 ", "    notices: 2 ", 1).replace(
        "    yuan: 0 ", "    yuan: 36.50 ", 1
    )
    text = text.replace("    phone: null", '    phone: "0000-00000000"', 1)
    report = loads_source(text)
    lines = report.sections["6"].split("\n")
    assert lines[0] == "本年度共发出收费通知2件，实际收取信息处理费36.5元。"
    assert "0000-00000000" not in report.sections["6"]
    assert report.preamble.endswith("如对本报告有疑问，请与示例区司法局联系（电话：0000-00000000）。")
    again = dump_source(report)
    assert "    notices: 2 " in again and "    yuan: 36.5 " in again and '    phone: "0000-00000000"' in again


def _without_generated_preamble(text: str, preamble: str) -> str:
    start, end = (
        text.index("\npreamble:"),
        text.index("\n# ---------------------------------------------------------------- 正文"),
    )
    return text[:start] + f"\npreamble: {preamble}\n" + text[end:]


@pytest.mark.parametrize("preamble", ["[]", "null", '["本报告依据《条例》编制。"]'])
def test_contact_details_without_a_generated_preamble_end_section_six(preamble):
    """Nothing typed into meta is lost: with no generated preamble to carry them, the contact
    details stand at the end of section 六, and come back into meta when written again."""
    text = starter_text().replace("    phone: null", '    phone: "0000-00000000"', 1)
    report = loads_source(_without_generated_preamble(text, preamble))
    assert report.preamble == ("本报告依据《条例》编制。" if "《" in preamble else "")
    assert report.sections["6"].split("\n")[-1] == "联系电话：0000-00000000。"
    again = dump_source(report)
    assert '    phone: "0000-00000000"' in again and "联系电话：0000-00000000。" not in again
    assert snapshot(loads_source(again)) == snapshot(report)


def test_a_source_without_the_preamble_key_has_none():
    text = starter_text()
    start = text.index("\n# ---------------------------------------------------------------- 前言")
    end = text.index("\n# ---------------------------------------------------------------- 正文")
    assert loads_source(text[:start] + text[end:]).preamble == ""


def test_the_standard_preamble_can_be_asked_for_in_one_line():
    text = _without_generated_preamble(starter_text(), "[自动生成: 前言]")
    assert loads_source(text).preamble == starter_report("示例区司法局", 2025).preamble


def test_a_stale_preamble_follows_meta_and_a_reworded_one_is_refused():
    text = starter_text()
    renamed = loads_source(text.replace('  agency: "示例区司法局"', '  agency: "示例区民政局"', 1))
    assert renamed.preamble.startswith("本报告依据") and "2025年1月1日" in renamed.preamble
    assert renamed.preamble == starter_report("示例区民政局", 2025).preamble
    later = loads_source(text.replace("  year: 2025", "  year: 2026", 1))
    assert later.preamble == starter_report("示例区司法局", 2026).preamble
    changed = text.replace("要求编制。", "要求编制而成。", 1)
    mark = line_of(changed, "自动生成: 前言")
    assert load_error(changed) == (
        f"源.yaml：第 {mark - 1} 行：“自动生成: 前言”段落的文字被改动过，而自动生成的文字每次都会按机关名称、报告年度和联系方式重写。"
        f"要保留改动，请删去第{mark}行“自动生成: 前言”；要恢复自动生成，请撤销对文字的改动"
    )


def test_a_parsed_report_keeps_its_preamble_and_lists_only_what_it_drops(tmp_path):
    page = tmp_path / "网页.txt"
    page.write_text(
        "当前位置：首页 > 政务公开 > 年度报告\n示例区司法局2024年政府信息公开工作年度报告\n"
        "发布日期：2025-01-20　来源：示例区司法局　字号：大 中 小\n"
        + GOOD.read_text(encoding="utf-8").split("\n", 1)[1],
        encoding="utf-8",
    )
    report = api.load_report(str(page))
    assert report.preamble == api.load_report(str(GOOD)).preamble
    text = dump_source(report)
    assert "\npreamble:" in text and f'  - "{report.preamble}"' in text
    assert front_matter(report) == [
        "当前位置：首页 > 政务公开 > 年度报告",
        "发布日期：2025-01-20　来源：示例区司法局　字号：大 中 小",
    ]
    assert "#   发布日期：2025-01-20" in text
    assert loads_source(text).preamble == report.preamble


def test_a_report_without_text_gets_skeletons_and_blank_tables():
    """What the ledger hands over: 表三/表四 from its cases, no 表二, no text."""
    report = Report(format="2021", meta=Meta(agency="示例区司法局", year=2025))
    for ref in FORMAT_2021.refs():
        if not ref.startswith("active/"):
            report.set(ref, 0)
    report.set("applications/received/natural_person", 2)
    report.set("applications/received/total", 2)
    report.set("applications/granted/natural_person", 2)
    report.set("applications/granted/total", 2)
    report.set("applications/total/natural_person", 2)
    report.set("applications/total/total", 2)
    text = dump_source(report)
    assert '- 文字: "本年度新收政府信息公开申请2件。本年度办结政府信息公开申请2件，其中予以公开2件。"' in text
    assert "    issued: null" in text and "【请填写：本年度政府信息公开工作的总体情况" in text
    loaded = loads_source(text)
    assert loaded.sections["2"] == "【请填写：表二中的空白单元格；填好后本段按表中数字自动生成】"
    assert loaded.sections["4"] == "本年度没有因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    assert loaded.sections["6"].split("\n")[0] == GENERATORS[FEE].text(loaded, FeeFigures())


def test_a_generated_paragraph_moved_to_another_section_still_follows_the_numbers():
    report = starter_report("示例区司法局", 2025)
    report.sections["1"] = GENERATORS[APPLICATIONS].text(report, FeeFigures())
    text = dump_source(report)
    assert text.count("自动生成: 依申请公开") == 2


# ---------------------------------------------------------------- validation


def test_unknown_row_and_field_keys():
    text = starter_text().replace("  granted:  ", "  grantd:   ", 1)
    message = load_error(text)
    assert message.startswith(
        f"源.yaml：第 {line_of(text, 'grantd:')} 行：表三（applications）中没有“grantd”这一项（可用：received、carried_over、granted、"
    )
    text = starter_text().replace("    in_force: 0  ", "    inforce: 0   ", 1)
    assert load_error(text) == (
        f"源.yaml：第 {line_of(text, 'inforce:')} 行：表二（active）的“规章”行中没有“inforce”这一项（可用：issued、repealed、in_force）"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("abc", "“abc”不是数字（空白单元格写 null 或留空）"),
        ("-2", "“-2”不能是负数"),
        ("2.5", "“2.5”应为整数"),
        ("/", "“/”不是数字（空白单元格写 null 或留空）"),
    ],
)
def test_bad_cell_values(value, problem):
    text = starter_text().replace("    decisions: 0  ", f"    decisions: {value}  ", 1)
    assert (
        load_error(text) == f"源.yaml：第 {line_of(text, 'decisions: ' + value)} 行：表二“行政许可”{problem}"
    )


def test_numbers_written_as_text_or_full_width_are_accepted():
    text = starter_text().replace("    decisions: 0  ", '    decisions: "１,234"  ', 1)
    assert loads_source(text).value("active/licensing/decisions") == 1234


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ('  agency: "示例区司法局"', "  agency: null", "agency: null", "缺少机关名称（meta 下的 agency）"),
        ("  year: 2025", '  year: "二〇二五"', "year:", "报告年度应写成四位数的年份，如 2025"),
        (
            "  publish_date: null",
            "  publish_date: 2026-02-30",
            "publish_date",
            "发布日期“2026-02-30”不是有效的日期（应写成 2026-01-20 的形式）",
        ),
        (
            "  title: null",
            "  titel: null",
            "titel",
            "基本信息（meta）中没有“titel”这一项（可用：agency、year、title、publish_date、script、contact、processing_fee）",
        ),
        ('format: "2021"', 'format: "2023"', "format:", "报告格式只能是 2021、2019、pre2019，不是“2023”"),
        (
            "      自动生成: 主动公开",
            "      自动生成: 主动",
            "自动生成: 主动",
            "没有名为“主动”的自动生成段落（可用：主动公开、依申请公开、复议诉讼、信息处理费、前言）",
        ),
        ('  "5":', '  "7":', '"7"', "正文（sections）中没有“7”这一项（可用：1、2、3、4、5、6）"),
    ],
)
def test_bad_meta_and_sections(old, new, needle, message):
    text = starter_text()
    assert old in text
    text = text.replace(old, new, 1)
    assert load_error(text) == f"源.yaml：第 {line_of(text, needle)} 行：{message}"


def test_publish_date_forms():
    text = starter_text().replace("  publish_date: null", "  publish_date: 2026年1月5日", 1)
    assert loads_source(text).meta.publish_date == "2026-01-05"
    text = starter_text().replace("  publish_date: null", "  publish_date: 2026-01-20", 1)
    assert loads_source(text).meta.publish_date == "2026-01-20"


def test_missing_meta_and_duplicate_keys():
    assert load_error('format: "2021"\n') == "源.yaml：第 1 行：缺少 meta（机关名称、报告年度等）"
    text = 'format: "2021"\nmeta:\n  agency: 甲局\n  year: 2025\n  year: 2024\n'
    assert load_error(text) == "源.yaml：第 5 行：基本信息（meta）中“year”出现了两次"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'meta:\n  agency: "甲局\n',
            'YAML 格式错误（第 3 行第 1 列）：引号没有成对（文字中要用英文双引号时写成 \\"）',
        ),
        ("meta:\n\tagency: 甲局\n", "YAML 格式错误（第 2 行第 1 列）：用了制表符（Tab），请改用空格缩进"),
        (
            "meta:\n  agency: 甲局: 乙\n",
            "YAML 格式错误（第 2 行第 13 列）：冒号用法有误：文字中有英文冒号“:”时请给整段文字加上英文双引号，并检查缩进",
        ),
        ("一段文字\n", "不是 xxgk 报告源文件（应是 YAML，以 schema:、format:、meta: 等项开头）"),
        ("a: 1\n---\nb: 2\n", "YAML 格式错误（第 2 行第 1 列）：文件中只能有一份报告（不要用“---”分隔）"),
    ],
)
def test_yaml_syntax_errors_name_the_line(text, message):
    assert load_error(text) == f"源.yaml：{message}"


# ---------------------------------------------------------------- files and the front door


def test_load_report_reads_yaml_and_yml_by_extension(tmp_path):
    report = api.load_report(str(GOOD))
    for name in ("源文件.yaml", "源文件.YML"):
        path = tmp_path / name
        write_source(report, path)
        loaded = api.load_report(str(path))
        assert loaded.value("applications/received/total") == 11
        assert loaded.meta.source.path == str(path) and loaded.meta.source.media_type == "application/yaml"
    assert sorted(Path(p).name for p in api.expand_inputs([str(tmp_path)])) == ["源文件.YML", "源文件.yaml"]


def test_write_source_never_overwrites_without_force(tmp_path):
    path = tmp_path / "源.yaml"
    path.write_text("我自己的文字", encoding="utf-8")
    with pytest.raises(InputError) as info:
        write_source(starter_report("甲局", 2025), path)
    assert str(info.value) == f"{path}：文件已存在，未覆盖（确需覆盖时加 --force）"
    assert path.read_text(encoding="utf-8") == "我自己的文字"
    write_source(starter_report("甲局", 2025), path, force=True)
    assert load_source(str(path)).meta.agency == "甲局"


def test_json_report_and_yaml_source_agree(tmp_path):
    report = api.load_report(str(GOOD))
    data = tmp_path / "r.json"
    data.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    source = tmp_path / "r.yaml"
    write_source(api.load_report(str(data)), source)
    assert snapshot(api.load_report(str(source)))[2:] == snapshot(report)[2:]


def test_generated_paragraphs_stay_marked_when_cells_change_after_loading():
    from xxgk.source import starter_report

    report = loads_source(dump_source(starter_report("示例区司法局", 2025)))
    for field in ("natural_person", "total"):
        report.set(f"applications/received/{field}", 3)
        report.set(f"applications/granted/{field}", 3)
        report.set(f"applications/total/{field}", 3)
    text = dump_source(report)
    assert "自动生成: 依申请公开" in text
    again = loads_source(text)
    assert again.sections["3"].startswith("本年度新收政府信息公开申请3件")


def _fee_round_trips(preamble: str) -> tuple[Report, Report]:
    report = Report(format="2021", meta=Meta(agency="某局", year=2025), preamble=preamble)
    report.sections = {"1": "", "2": "", "3": "", "4": "", "5": "", "6": None}
    first = loads_source(dump_source(report))
    return first, loads_source(dump_source(first))


def test_a_fee_sentence_in_the_preamble_gives_the_fee_figures():
    """Found by hypothesis: the fee figures were read from the sections only, so the preamble's
    fee sentence stayed text in the first source and was rewritten as 未收取 in the second."""
    first, second = _fee_round_trips("本年度共发出收费通知29件，实际收取信息处理费249.22元。")
    assert first.preamble == second.preamble == "本年度共发出收费通知29件，实际收取信息处理费249.22元。"
    assert first.sections["6"].split("\n")[0] == "本年度共发出收费通知29件，实际收取信息处理费249.22元。"
    assert snapshot(second) == snapshot(first)
    assert "    notices: 29 " in dump_source(first) and "    yuan: 249.22 " in dump_source(first)


@pytest.mark.parametrize(
    "line",
    [
        "本年度共发出收费通知0件，实际收取信息处理费5元。",
        "本年度共发出收费通知029件，实际收取信息处理费5元。",
        "本年度收取信息处理费5.50元。",
    ],
)
def test_a_fee_like_line_no_figures_generate_is_kept_as_typed(line):
    first, second = _fee_round_trips(line)
    assert first.preamble == second.preamble == line
    assert first.sections["6"].split("\n")[0] == "本年度未收取信息处理费。"
    assert snapshot(second) == snapshot(first)
