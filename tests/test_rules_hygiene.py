"""Hygiene rules (XG501–XG505): each fires on realistic text and stays silent on legitimate text."""

from __future__ import annotations

from pathlib import Path

import pytest

import shared
from layouts import seed_report as seed
from shared import CORPUS
from xxgk.check import check_report
from xxgk.check.hygiene import TYPOS
from xxgk.extract import parse_bytes
from xxgk.model import Artifact, Finding, Report

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "examples" / "示例区司法局-2024-制表符行.txt"
AGENCY = "示例区司法局"


def good_text() -> str:
    return GOOD.read_text(encoding="utf-8")


def parse(text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), "示例.txt")


def found(report: Report, code: str) -> list[Finding]:
    return check_report(report, select=[code])


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def add_line(text: str, after: str, new: str) -> str:
    """Insert a paragraph after the line containing `after`."""
    lines = text.splitlines()
    i = line_of(text, after)
    return "\n".join(lines[:i] + [new] + lines[i:]) + "\n"


def page(name: str) -> Report:
    shared.require()
    path = CORPUS / "pages" / name
    return parse_bytes(path.read_bytes(), str(path))


def test_good_example_is_clean():
    assert found(parse(good_text()), "XG5") == []


# ---------------------------------------------------------------- XG501


def test_seed_001_comment_and_bookmark():
    got = [(f.severity, f.where, f.message) for f in found(seed("001"), "XG501")]
    assert got == [
        ("error", {"line": 411}, "报告中留有审阅批注（批注人：707）：“此处上年度应指2023年，而不是2024年。”"),
        (
            "warning",
            {"line": 412},
            "报告中留有书签“_GoBack”（Word 自动记录的上次编辑位置），正文中可见书签标记",
        ),
    ]


def test_word_artifacts_in_a_report_text():
    text = good_text()
    text = text.replace(
        "问答等形式解读文件2件。",
        "问答等形式解读文件2件。\tComment by 李四: 请核对解读件数",
    )
    text = add_line(text, "2024年本机关依申请提供政府信息", "[image: 单位公章]示例区司法局（盖章）")
    report = parse(text)
    got = [(f.severity, f.where, f.message) for f in found(report, "XG501")]
    assert got == [
        ("error", {"line": line_of(text, "李四")}, "报告中留有审阅批注（批注人：李四）：“请核对解读件数”"),
        (
            "warning",
            {"line": line_of(text, "单位公章")},
            "报告中有图片（单位公章），其中的文字和数据无法被读取和核对",
        ),
    ]


@pytest.mark.parametrize(
    ("kind", "text", "severity", "message"),
    [
        ("comment", "Commented [AB1]: 请核对", "error", "报告中留有审阅批注（批注人：AB1）：“请核对”"),
        ("comment", "批注 [A1]: 数字不对", "error", "报告中留有审阅批注（批注人：A1）：“数字不对”"),
        ("comment", "[批注: 删去此段]", "error", "报告中留有审阅批注：“删去此段”"),
        ("revision", "删除了“2023年”", "error", "报告中留有修订痕迹：“删除了“2023年””"),
        ("revision", "插入（张三）：12件", "error", "报告中留有修订痕迹：“插入（张三）：12件”"),
        ("bookmark", "[bookmark: 表三]", "warning", "报告中留有书签“表三”，正文中可见书签标记"),
        ("bookmark", "_GoBack", "info", "报告中留有书签“_GoBack”（Word 自动记录的上次编辑位置）"),
        ("bookmark", "表三", "info", "报告中留有书签“表三”"),
    ],
)
def test_artifact_forms(kind, text, severity, message):
    report = Report(format="2021")
    report.artifacts = [Artifact(kind, text, {"line": 7})]
    got = [(f.severity, f.where, f.message) for f in found(report, "XG501")]
    assert got == [(severity, {"line": 7}, message)]


def test_docx_hidden_bookmarks_are_not_reported():
    report = Report(format="2021")
    report.artifacts = [
        Artifact("bookmark", name, {"paragraph": 3}) for name in ("_Toc1234", "_Hlk99", "_Ref7")
    ]
    assert found(report, "XG501") == []


# ---------------------------------------------------------------- XG502


def test_placeholders_fire():
    text = good_text()
    text = add_line(
        text, "六、其他需要报告的事项", "根据XX市政务公开办通知（X政办发〔 〕号），于20XX年X月X日前报送。"
    )
    text = add_line(text, "（五）监督保障情况", "全年共收到咨询(  )件，内容待补充。")
    report = parse(text)
    got = [(f.where, f.message) for f in found(report, "XG502")]
    assert got == [
        (
            {"line": line_of(text, "咨询(  )件")},
            "报告中留有模板占位文字“(  )”、“待补充”：“全年共收到咨询(  )件,内容待补充。”",
        ),
        (
            {"line": line_of(text, "X政办发")},
            "报告中留有模板占位文字“XX”、“〔 〕”、“X”：“根据XX市政务公开办通知(X政办发〔 〕号),于20XX年X月X日前报送。”",
        ),
    ]


def test_unfilled_starter_marker_is_an_error():
    text = add_line(
        good_text(), "（五）监督保障情况", "【请填写：监督保障情况，如考核、培训、社会评议】（XX局）"
    )
    got = [(f.severity, f.where, f.message) for f in found(parse(text), "XG502")]
    assert got == [
        (
            "error",
            {"line": line_of(text, "【请填写")},
            "报告中留有未填写的内容“【请填写:监督保障情况,如考核、培训、社会评议】”",
        )
    ]


def test_placeholder_lookalikes_stay_silent():
    text = add_line(
        good_text(),
        "（五）监督保障情况",
        "申请人张某某要求公开的信息属于xxgk栏目已公开内容，XXL码数据库不涉及；制度有待补充完善，已补正。",
    )
    assert found(parse(text), "XG502") == []


# ---------------------------------------------------------------- XG503


def test_seed_004_stray_and():
    got = [(f.where, f.message) for f in found(seed("004"), "XG503")]
    assert got == [
        (
            {"line": 21},
            "中文句子里夹有英文单词“and”：“…结合,发挥政府对人民群众生产、生活 and 经济社会活动的服务作用。在工作开展…”",
        )
    ]


def test_stray_words_in_example():
    text = add_line(
        good_text(), "（五）监督保障情况", "全年开展培训2次，the 培训内容覆盖 policy 解读和答复文书。"
    )
    got = [(f.where, f.message) for f in found(parse(text), "XG503")]
    assert got == [
        (
            {"line": line_of(text, "policy")},
            "中文句子里夹有英文单词“the”、“policy”：“全年开展培训2次,the 培训内容覆盖 policy 解读和答复文书。”",
        )
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "网址：http://www.example.gov.cn/xxgk/index.html",
        "公众可通过门户网站（https://www.example.gov.cn）和“掌上办”APP提交申请。",
        "门户网站已支持IPv6访问，办事大厅提供免费Wi-Fi，信息公开目录提供PDF和OFD格式下载。",
        "群众可拨打12345政务服务便民热线，或发送邮件至xxgk@example.gov.cn咨询。",
        "推进政务服务网（Government Service Portal）建设，网站备案号为ICP备00000000号。",
        "完成农村公路建设12 km，办理“一网通办”事项，通过OA系统流转公文。",
        "在微信公众号和政务app同步发布解读材料，上传附件为pdf格式。",
    ],
)
def test_legitimate_latin_stays_silent(sentence):
    text = add_line(good_text(), "（五）监督保障情况", sentence)
    assert found(parse(text), "XG503") == []


def test_brackets_cut_by_a_line_break_still_hide_their_content():
    # A PDF line ends inside a parenthesis, the next one starts inside it.
    text = add_line(good_text(), "（五）监督保障情况", "全面落实《条例》各项要求。（本段为测试 xxgk 项目编写")
    text = add_line(text, "本段为测试", "的虚构示例 and 机关）。全年开展政务公开培训2次，内容 and 形式多样。")
    got = [(f.where, f.message) for f in found(parse(text), "XG503")]
    assert got == [
        (
            {"line": line_of(text, "内容 and 形式")},
            "中文句子里夹有英文单词“and”：“的虚构示例 and 机关)。全年开展政务公开培训2次,内容 and 形式多样。”",
        )
    ]


# ---------------------------------------------------------------- XG504


def test_bureau_saying_town():
    text = add_line(
        good_text(), "（五）监督保障情况", "我镇高度重视政府信息公开工作，全镇共设立公开查阅点3个。"
    )
    got = [(f.where, f.message) for f in found(parse(text), "XG504")]
    n = line_of(text, "我镇高度重视")
    assert got == [
        (
            {"line": n},
            "报告机关是“示例区司法局”，但文中写“我镇”（乡镇（街道）的说法）：“我镇高度重视政府信息公开工作,全镇共设立公开查阅点3个。”",
        ),
        (
            {"line": n},
            "报告机关是“示例区司法局”，但文中写“全镇”（乡镇（街道）的说法）：“我镇高度重视政府信息公开工作,全镇共设立公开查阅点3个。”",
        ),
    ]


def test_town_saying_bureau():
    text = good_text().replace(AGENCY, "示例镇人民政府")
    report = parse(text)
    assert report.meta.agency == "示例镇人民政府"
    got = [(f.where, f.message) for f in found(report, "XG504")]
    assert got == [
        (
            {"line": line_of(text, "2025年，我局将")},
            "报告机关是“示例镇人民政府”，但文中写“我局”（政府工作部门的说法）："
            "“…答复文书规范性有待加强。2025年,我局将建立信息发布台账,开展答复文书评查…”",
        )
    ]


def test_district_bureau_saying_city_bureau():
    text = add_line(good_text(), "（五）监督保障情况", "我市司法局将政务公开纳入法治政府建设考核。")
    got = [f.message for f in found(parse(text), "XG504")]
    assert got == [
        "报告机关是“示例区司法局”，但文中写“我市司法局”（市级机关的说法）：“我市司法局将政务公开纳入法治政府建设考核。”"
    ]


def test_civil_affairs_bureau_speaking_as_ministry():
    text = good_text().replace(AGENCY, "示例区民政局")
    text = add_line(
        text, "（五）监督保障情况", "民政部高度重视政府信息公开工作。根据民政部有关要求，我局完善了目录。"
    )
    got = [f.message for f in found(parse(text), "XG504")]
    assert got == [
        "报告机关是“示例区民政局”，但文中写“民政部”（国务院部门的说法）："
        "“民政部高度重视政府信息公开工作。根据民政部有关要求,我局完善了目录。”"
    ]


def test_agency_words_silent_when_agency_unknown_or_words_fit():
    text = add_line(good_text(), "（五）监督保障情况", "我镇高度重视政府信息公开工作。")
    report = parse(text)
    report.meta.agency = None
    assert found(report, "XG504") == []
    # A county bureau mentioning towns and the city in the third person is fine.
    text = add_line(
        good_text(),
        "（五）监督保障情况",
        "指导全区各乡镇、街道做好公开工作，按照市司法局要求全镇江市范围内不涉及。",
    )
    assert found(parse(text), "XG504") == []


def test_seed_003_town_without_agency_is_silent():
    report = seed("003")
    assert report.meta.agency is None
    assert found(report, "XG504") == []
    report.meta.agency = "荣昌区某镇人民政府"
    assert found(report, "XG504") == []


# ---------------------------------------------------------------- XG505


def test_domain_typos_in_text():
    text = add_line(
        good_text(), "（五）监督保障情况", "严格执行《政府信息公开条列》，对行政复义案件逐件分析。"
    )
    text = add_line(
        text, "（四）政府信息公开平台建设情况", "本年度报报告和规范性文件件数均已核对，履行答复义务。"
    )
    got = [(f.where["line"], f.message) for f in found(parse(text), "XG505")]
    first, second = line_of(text, "本年度报报告"), line_of(text, "行政复义")
    assert got == [
        (first, "“报报告”应为“报告”（“报”字重复）：“本年度报报告和规范性文件件数均已核对,履行答复义务。”"),
        (
            second,
            "“复义”应为“复议”（“义”为同音错字）：“严格执行《政府信息公开条列》,对行政复义案件逐件分析。”",
        ),
        (
            second,
            "“公开条列”应为“公开条例”（“列”为同音错字）：“严格执行《政府信息公开条列》,对行政复义案件逐件分析。”",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "line", "wrong"),
    [
        ("132.txt", 23, "规范性文件件"),
        ("144.txt", 109, "钩稽关系"),
        ("128.txt", 2, "国办公开函"),
        ("012.txt", 3, "国办公开办涵"),
    ],
)
def test_domain_typos_in_real_pages(name, line, wrong):
    got = [(f.where, f.message.split("：")[0]) for f in found(page(name), "XG505")]
    right = next(r for w, r, _ in TYPOS if w.startswith(wrong))
    assert got == [
        ({"line": line}, f"“{wrong}”应为“{right}”（{next(y for w, _, y in TYPOS if w.startswith(wrong))}）")
    ]


def test_typo_table_pairs_differ():
    assert all(wrong != right for wrong, right, _ in TYPOS)


# ---------------------------------------------------------------- whole-report tests first


@pytest.mark.parametrize(
    "placeholder",
    [
        "××局",
        "✕✕局",
        "╳╳局",
        "某某局",
        "待填",
        "待补充",
        "请填写",
        "此处输入",
        "【 】",
        "〔 〕号",
        "x月",
        "Xx局",
    ],
)
def test_each_placeholder_passes_the_whole_report_test(placeholder):
    # The report is tested for a character of each placeholder before its lines are read.
    text = add_line(good_text(), "（五）监督保障情况", f"全年开展培训3次，{placeholder}。")
    assert [f.code for f in found(parse(text), "XG502")] == ["XG502"]


def test_whole_report_tests_and_their_helpers():
    from xxgk.check.hygiene import _TYPO_CORES, _may_hold_placeholder
    from xxgk.check.text import every_line, latin_letters

    # Each typo's core is plain text, and is in every wrong form the table lists.
    assert all(core and not set(core) & set("[](){}|\\.^$*+?") for core in _TYPO_CORES)
    assert _TYPO_CORES[2] == "规范性文件件" and _TYPO_CORES[6] == "复义"
    report = parse(add_line(good_text(), "（五）监督保障情况", "使用OA系统和 app 办公。"))
    assert every_line(report).split("\n") == [line.norm for line in report.lines]
    assert latin_letters(report) == b"xxgkOAapp"  # the example names the project once
    assert latin_letters(parse("一、总体情况\n本年度未收到申请。\n")) == b""
    assert _may_hold_placeholder("某局（某某）", b"") is True
    assert _may_hold_placeholder("申请人张某，有待加强(1)件", b"") is False
    assert _may_hold_placeholder("年(\n)月", b"") is True  # brackets of two lines: the lines decide
    assert _may_hold_placeholder("", b"aX") is True
