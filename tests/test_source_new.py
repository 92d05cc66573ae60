"""The starter source (`xxgk new`): all cells 0, section skeletons with 【请填写：…】, carry-over
from last year's report of any medium, placeholders reported until replaced."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from layouts import consistent_tables
from xxgk import api
from xxgk.check import check_report
from xxgk.errors import InputError
from xxgk.formats import FORMAT_2021
from xxgk.model import Meta, Report
from xxgk.source import dump_source, loads_source, open_placeholders, starter_report
from xxgk.source.starter import CARRIED, previous_contact
from xxgk.source.yamlwrite import split_sections

GOOD = Path(__file__).resolve().parents[1] / "examples" / "示例区司法局-2024-制表符行.txt"
COLUMNS = [f.key for f in FORMAT_2021.table("applications").rows[0].fields]


def test_starter_has_every_cell_at_zero_and_the_required_skeleton():
    report = loads_source(dump_source(starter_report("示例区司法局", 2025)))
    assert report.format == "2021" and (report.meta.agency, report.meta.year) == ("示例区司法局", 2025)
    assert {ref: cell.value for ref, cell in report.cells.items()} == dict.fromkeys(FORMAT_2021.refs(), 0)
    assert report.tables_present == {"active", "applications", "reviews"}
    assert report.sections["1"].split("\n") == [
        "【请填写：本年度政府信息公开工作的总体情况，用两三句话概括】",
        "（一）主动公开",
        "【请填写：主动公开工作的主要做法和成效，如重点领域信息公开、政策解读、回应关切】",
        "（二）依申请公开",
        "【请填写：依申请公开工作的主要做法，如受理渠道、办理流程、答复文书规范】",
        "（三）政府信息管理",
        "【请填写：政府信息管理情况，如公开前审查、保密审查、规范性文件清理】",
        "（四）政府信息公开平台建设",
        "【请填写：政府网站、政务新媒体、政府信息公开专栏等平台的建设情况】",
        "（五）监督保障",
        "【请填写：组织领导、培训、考核、社会评议和责任追究等监督保障情况】",
    ]
    assert report.sections["3"] == "本年度未收到政府信息公开申请。"
    assert report.sections["4"] == "本年度没有因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    assert report.sections["6"].split("\n")[0] == "本年度未收取信息处理费。"
    assert len(open_placeholders(report)) == 9


def test_placeholders_are_reported_by_the_hygiene_rule_until_replaced():
    report = loads_source(dump_source(starter_report("示例区司法局", 2025)))
    findings = check_report(report)
    assert [f.code for f in findings] == ["XG502"] * 9
    assert (
        findings[0].message
        == "报告中留有未填写的内容“【请填写:本年度政府信息公开工作的总体情况,用两三句话概括】”"
    )
    assert all(f.severity == "error" for f in findings)
    text = dump_source(report)
    for line in open_placeholders(report):
        text = text.replace(line, "本机关按要求开展了此项工作。")
    filled = loads_source(text)
    assert open_placeholders(filled) == [] and check_report(filled) == []


def test_previous_report_text_carries_over_cell_by_cell():
    last = api.load_report(str(GOOD))
    report = loads_source(dump_source(starter_report("示例区司法局", 2025, last)))
    for column in COLUMNS:
        assert report.value(f"applications/carried_over/{column}") == last.value(
            f"applications/carried_forward/{column}"
        )
    assert [report.value(f"applications/carried_over/{c}") for c in COLUMNS] == [1, 0, 0, 0, 0, 0, 1]
    assert report.value("active/normative_documents/in_force") == 5
    assert report.value("active/regulations/in_force") == 0
    assert report.value("applications/carried_forward/total") == 0  # this year's: still to fill in
    assert report.sections["3"] == "本年度未收到政府信息公开申请，上年结转政府信息公开申请1件。"


def test_previous_random_tables_carry_over_exactly():
    values = consistent_tables(random.Random(7))
    last = Report(format="2021", meta=Meta(agency="甲局", year=2024))
    for ref, value in values.items():
        last.set(ref, value)
    last.set("applications/carried_forward/research", None)  # a blank stays blank
    report = starter_report("甲局", 2025, last)
    for ref, before in CARRIED.items():
        assert report.has(ref) and report.value(ref) == last.value(before), ref
    assert report.value("applications/carried_over/research") is None


def test_previous_from_another_year_is_refused():
    last = api.load_report(str(GOOD))  # 2024
    with pytest.raises(InputError) as info:
        starter_report("示例区司法局", 2026, last)
    assert str(info.value) == f"{GOOD}：上年报告是 2024 年度的，2026 年度报告应接续 2025 年度的报告"


LAW = "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求编制。"


def test_the_starter_opens_with_the_standard_preamble():
    report = starter_report("示例区司法局", 2025)
    assert report.preamble == LAW + "本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。"
    text = dump_source(report)
    assert text.index("\npreamble:") < text.index("\nsections:")
    assert f'  - 文字: "{report.preamble}"\n    自动生成: 前言' in text
    assert loads_source(text).preamble == report.preamble


def test_contact_details_come_over_from_last_years_source():
    last_text = dump_source(starter_report("甲局", 2024)).replace(
        "    phone: null", '    phone: "010-1234"', 1
    )
    last = loads_source(last_text)
    assert last.preamble.endswith("2024年12月31日止。如对本报告有疑问，请与甲局联系（电话：010-1234）。")
    assert "010-1234" not in last.sections["6"]  # the preamble carries it, not section 六
    assert previous_contact(last) == {"address": None, "phone": "010-1234", "email": None}
    report = starter_report("甲局", 2025, last)
    assert report.preamble == (
        LAW
        + "本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。如对本报告有疑问，请与甲局联系（电话：010-1234）。"
    )
    _, _, contact = split_sections(report)
    assert contact == {"address": None, "phone": "010-1234", "email": None}
    assert '    phone: "010-1234"' in dump_source(report)


def test_contact_details_come_over_from_last_years_own_preamble():
    last = api.load_report(str(GOOD))  # “…请与示例区司法局办公室联系（电话：0000-00000000）。”
    assert previous_contact(last) == {"address": None, "phone": "0000-00000000", "email": None}
    report = starter_report("示例区司法局", 2025, last)
    assert report.preamble.endswith("如对本报告有疑问，请与示例区司法局联系（电话：0000-00000000）。")
    last.preamble = "本报告依据《条例》编制。"
    assert previous_contact(last) is None


def test_contact_details_come_over_from_an_older_source_s_last_line():
    last = starter_report("甲局", 2024)
    last.preamble = ""
    last.sections["6"] += "\n联系地址：某路1号；联系电话：010-1234。"
    assert previous_contact(last) == {"address": "某路1号", "phone": "010-1234", "email": None}


@pytest.mark.parametrize(
    ("agency", "year", "message"),
    [
        ("  ", 2025, "机关名称不能为空"),
        ("甲局", 2020, "报告年度应为 2021 年以后（国办公开办函〔2021〕30号 规定的格式），不是 2020"),
    ],
)
def test_starter_refuses_what_it_cannot_start(agency, year, message):
    with pytest.raises(InputError) as info:
        starter_report(agency, year)
    assert str(info.value) == message


@pytest.mark.parametrize("suffix", [".docx", ".html", ".md"])
def test_a_filled_starter_rendered_reads_back_without_front_matter_findings(suffix, tmp_path):
    """The rendered starter states the citation and the statistics period, so XG206 and XG207
    find nothing in the document a clerk publishes, and its preamble reads back exactly."""
    text = dump_source(starter_report("示例区司法局", 2025)).replace(
        "    phone: null", '    phone: "0000-1234"', 1
    )
    report = loads_source(text)
    for line in open_placeholders(report):
        text = text.replace(line, "本机关按要求开展了此项工作。")
    report = loads_source(text)
    out = tmp_path / f"报告{suffix}"
    api.render_report(report, str(out))
    back = api.load_report(str(out))
    assert back.preamble == report.preamble
    assert back.preamble.endswith("请与示例区司法局联系（电话：0000-1234）。")
    assert [f.code for f in check_report(back) if f.code.startswith("XG2")] == []
