"""The preamble (the prose between the title and section 一) as the parser reads it: exact for
the examples and real pages, never navigation, page metadata, a title or a table of contents,
and a PDF paragraph's wrapped lines joined."""

from __future__ import annotations

from pathlib import Path

import pytest

import shared
from shared import CORPUS
from xxgk.extract import parse_bytes, parse_document
from xxgk.extract.preamble import is_junk
from xxgk.extract.signature import compact_line
from xxgk.read.document import Document, Paragraph
from xxgk.text.normalize import normalize_text

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PAGES = [entry["file"] for entry in shared.jsonl("corpus/index.jsonl")]


def standard(agency: str) -> str:
    return (
        "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室"
        "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制。"
        "本报告所列数据的统计期限自2024年1月1日至2024年12月31日。"
        f"如对本报告有疑问，请与{agency}办公室联系（电话：0000-00000000）。"
    )


@pytest.mark.parametrize(
    ("name", "agency"),
    [
        ("示例区司法局-2024-制表符行.txt", "示例区司法局"),
        ("示例区司法局-2024-网页单元格.txt", "示例区司法局"),
        ("示例县交通运输局-2024-含错误.txt", "示例县交通运输局"),
    ],
)
def test_the_examples_preamble_comes_out_exactly(name, agency):
    path = EXAMPLES / name
    assert parse_bytes(path.read_bytes(), str(path)).preamble == standard(agency)


def parse_page(name: str):
    shared.require()
    path = CORPUS / name
    return parse_bytes(path.read_bytes(), str(path))


# Pages whose opening reaches section 一 without a preamble: only chrome, a title or nothing
# stands above it (pages with no section heading at all have none either).
NO_PREAMBLE = {
    "pages/020.txt",
    "pages/032.txt",
    "pages/056.txt",
    "pages/080.txt",
    "pages/092.txt",
    "pages/096.txt",
    "pages/100.txt",
    "pages/112.txt",
    "pages/116.txt",
    "pages/120.txt",
    "pages/128.txt",
    "pages/140.txt",
    "pages/144.txt",
    "pages/156.txt",
    "pages/160.txt",
    "pages/164.txt",
    "pages/168.txt",
}
JUNK_WORDS = (
    "当前位置",
    "首页",
    "发布日期",
    "发布时间",
    "来源:",
    "字号",
    "字体",
    "IPv6",
    "二维码",
    "??",
    "|",
)


@pytest.mark.parametrize("name", shared.params(PAGES))
def test_a_page_s_preamble_is_prose_only(name):
    report = parse_page(name)
    assert (report.preamble == "") == (name in NO_PREAMBLE)
    title = compact_line(report.meta.title or "")
    for line in report.preamble.split("\n") if report.preamble else []:
        c = compact_line(normalize_text(line))
        assert not is_junk(c, title), line
        assert not any(word in c for word in JUNK_WORDS), line
        assert not title or not c.startswith(title), line


def test_navigation_metadata_and_a_second_title_are_left_out():
    # 利辛县望疃镇: navigation, the title, 发布时间/来源/字体, the title again broken in two.
    assert parse_page("pages/052.txt").preamble == (
        "根据《中华人民共和国政府信息公开条例》(国务院令第711号)规定和《国务院办公厅政府信息与政务公开办公室关于印发"
        "<中华人民共和国政府信息公开工作年度报告格式>的通知》(国办公开办函〔202130号)要求,现发布《利辛县望疃镇2023年"
        "政府信息公开工作年度报告》。本年度报告电子版可从利辛县望疃镇政府(网址:https://www.lixin.gov.cn)“政府信息公开”"
        "专栏下载。如对本报告有任何疑问,请与利辛县望疃镇联系(地址:安徽省亳州市利辛县望疃镇振兴大道,电话:0558-8931187,"
        "邮编:236700)。"
    )


def test_contact_lines_of_a_preamble_are_kept():
    assert parse_page("pages/104.txt").preamble.split("\n")[1:] == [
        "单位地址:拉萨市城关区娘热路22号。",
        "联系电话:0891-6332233。",
    ]


def parse_text(text: str):
    return parse_bytes(text.encode("utf-8"), "p.txt")


BODY = (
    "一、总体情况\n2024年，示例区司法局认真贯彻落实《条例》。\n二、主动公开政府信息情况\n"
    "三、收到和处理政府信息公开申请情况\n"
)
TITLE = "示例区司法局2024年政府信息公开工作年度报告"
BASIS = "本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为2024年1月1日至2024年12月31日。"


@pytest.mark.parametrize(
    "junk",
    [
        "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况",
        "一、总体情况……………………1\n二、主动公开政府信息情况……………2\n三、收到和处理政府信息公开申请情况……3",
        "2025年1月20日",
        "【2025-01-20】",
        "索引号：11530000/2025-00012　发文字号：",
        "发布机构：示例区司法局　发布日期：2025-01-20",
        "分享到：微信 微博　打印本页　关闭窗口",
        "无障碍浏览　长者模式",
        "示例区司法局",
        "政府信息公开年度报告",
    ],
)
def test_junk_between_title_and_section_one_is_left_out(junk):
    assert parse_text(f"{TITLE}\n{junk}\n{BASIS}\n{BODY}").preamble == BASIS


def test_prose_that_names_a_website_is_kept():
    line = "本报告电子版可登录示例区人民政府门户网站查阅或下载，如有疑问请致电0000-00000000。"
    assert parse_text(f"{TITLE}\n{BASIS}\n{line}\n{BODY}").preamble == f"{BASIS}\n{line}"


@pytest.mark.parametrize(
    "glued", [f"{TITLE}{BASIS}", f"示例区司法局 2024 年政府信息 公开工作年度报告 {BASIS}"]
)
def test_a_title_glued_in_front_of_the_prose_is_cut_off(glued):
    # A PDF's text run: the file name, then title and prose in one line (乌拉特中旗巴音乌兰苏木 2021).
    assert parse_text(f"{TITLE}.docx\n{glued}\n{BODY}").preamble == BASIS


def test_without_a_section_heading_there_is_no_preamble():
    assert parse_text(f"{TITLE}\n{BASIS}\n").preamble == ""


def test_without_a_title_the_prose_before_section_one_is_the_preamble():
    assert parse_text(f"{BASIS}\n{BODY}").preamble == BASIS


# ---------------------------------------------------------------- PDF lines

LEFT, RIGHT, HEIGHT = 79.4, 511.4, 16.0


def pdf_line(text: str, top: float, indent: bool = False, right: float | None = None) -> Paragraph:
    x0 = LEFT + (2 * HEIGHT if indent else 0)
    x1 = right if right is not None else RIGHT
    return Paragraph(text, {"page": 1, "bbox": [x0, top, x1, top + HEIGHT]})


def test_a_pdf_paragraph_s_wrapped_lines_are_joined():
    """A continuation starts at the left edge; it follows a line that reaches the right edge or
    one that broke early before a long number. An indented line starts a paragraph."""
    blocks = [
        pdf_line(TITLE, 100, right=480),
        pdf_line("本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为", 130, indent=True),
        pdf_line("2024年1月1日至2024年12月31日。如有疑问请致电", 158, right=300),
        pdf_line("0000-00000000。", 186, right=180),
        pdf_line("本报告电子版可在示例区人民政府门户网站下载。", 214, indent=True, right=400),
        pdf_line("单位地址：示例区示例路1号。", 242, right=260),
        pdf_line("一、总体情况", 270, indent=True, right=200),
        pdf_line(
            "2024年，示例区司法局认真贯彻落实《条例》，做好政府信息公开各项工作，成效明显。", 298, indent=True
        ),
        pdf_line("二、主动公开政府信息情况", 326, indent=True, right=300),
    ]
    report = parse_document(Document(blocks, "application/pdf"))
    assert report.preamble.split("\n") == [
        "本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为2024年1月1日至2024年12月31日。如有疑问请致电"
        "0000-00000000。",
        "本报告电子版可在示例区人民政府门户网站下载。",
        "单位地址：示例区示例路1号。",
    ]
