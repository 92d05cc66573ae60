"""Tests for xxgk.text: pinyin glosses, t2s, normalize_text, label_key, artifacts, cells."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shared
from shared import SEEDS, needs_shared
from xxgk.text.normalize import (
    Num,
    is_blank_value,
    is_pinyin_gloss,
    is_traditional,
    label_key,
    normalize_text,
    parse_number,
    site_chrome_start,
    strip_pinyin,
    strip_word_artifacts,
    to_simplified,
)
from xxgk.text.pinyin import SYLLABLES

SEED_FILES = shared.files("seeds")

# Written independently of the module's regex: CJK character + ASCII parentheses + pinyin.
_SEED_GLOSS = re.compile(r"([\u4e00-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


def seed(number: int) -> str:
    return next(SEEDS.glob(f"{number:03d}_*.txt")).read_text(encoding="utf-8")


# --- pinyin ------------------------------------------------------------------------------


def test_syllable_table_size_and_members():
    assert 400 <= len(SYLLABLES) <= 420
    assert {"zhuang", "lüe", "nü", "er", "yo", "den", "a"} <= SYLLABLES
    assert not {"v", "ng", "app", "pdf", "icp", "wi", "fi", "china"} & SYLLABLES


@needs_shared
def test_seed_000_glosses_all_stripped():
    text = seed(0)
    glosses = _SEED_GLOSS.findall(text)
    assert len(glosses) == 262
    assert len(set(glosses)) == 57
    stripped = strip_pinyin(text)
    assert not _SEED_GLOSS.search(stripped)
    for char, gloss in set(glosses):
        assert f"{char}({gloss})" not in stripped
    assert len(text) - len(stripped) == sum(len(g) + 2 for _, g in glosses)
    # The non-pinyin parentheses of the seed are kept.
    assert "(一)" in stripped
    assert "(單位:萬元)" in stripped


@needs_shared
def test_seed_000_simplified_has_canonical_labels():
    flat = "".join(to_simplified(strip_pinyin(seed(0))).split())
    for label in (
        "本年新收政府信息公开申请数量",
        "上年结转政府信息公开申请数量",
        "本年度办理结果",
        "予以公开",
        "属于国家秘密",
        "本机关不掌握相关政府信息",
        "信访举报投诉类申请",
        "结转下年度继续办理",
        "行政规范性文件",
        "行政事业性收费",
        "本年处理决定数量",
        "结果维持",
        "结果纠正",
        "尚未审结",
        "未经复议直接起诉",
        "复议后起诉",
        "社会公益组织",
        "法律服务机构",
    ):
        assert label in flat, label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("渝中區(qū)司法局", "渝中區司法局"),
        ("落實(shí)", "落實"),
        ("協(xié)調(diào)", "協調"),
        ("文(wen)章(zhang)", "文章"),
        ("區（qū）", "區"),
        ("綠(lǜ)色", "綠色"),
        ("綠(lv)色", "綠色"),
        ("略(lüè)", "略"),
        ("文章(wénzhāng)", "文章"),
        ("西安(xī'ān)", "西安"),
        ("阿(ā)", "阿"),
    ],
)
def test_strip_pinyin_removes(text, expected):
    assert strip_pinyin(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "下載(APP)",
        "文件(PDF)",
        "網絡(Wi-Fi)",
        "備案(ICP)",
        "手機(app)",
        "條款(a)",  # toneless single vowel: a list marker, not a reading
        "表(AN)",
        "國家(china)",  # several toneless syllables make a word
        "(qū)開頭",  # nothing before the gloss
        "A(qū)",  # Latin before the gloss
        "(一)予以公開",
    ],
)
def test_strip_pinyin_keeps_latin_and_markers(text):
    assert strip_pinyin(text) == text


def test_is_pinyin_gloss():
    assert is_pinyin_gloss("qū")
    assert is_pinyin_gloss("zhuàng")
    assert is_pinyin_gloss("nv")
    assert not is_pinyin_gloss("qx")
    assert not is_pinyin_gloss("PDF")
    assert not is_pinyin_gloss("e")


# --- traditional -> simplified -------------------------------------------------------------


@pytest.mark.parametrize(
    ("trad", "simp"),
    [
        ("行政強製", "行政强制"),
        ("隻計這一情形", "只计这一情形"),
        ("製度", "制度"),
        ("全麵", "全面"),
        ("體係", "体系"),
        ("聯係", "联系"),
        ("行政覆議", "行政复议"),
        ("結轉", "结转"),
        ("答覆", "答复"),
        ("衞生", "卫生"),
        ("本著", "本着"),
        ("著力", "着力"),
        ("隨著", "随着"),
        ("顯著", "显著"),
        ("著作權", "著作权"),
        ("乾隆", "乾隆"),
    ],
)
def test_to_simplified(trad, simp):
    assert to_simplified(trad) == simp


@needs_shared
@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_to_simplified_leaves_simplified_seeds_alone(number):
    text = seed(number)
    assert to_simplified(text) == text


def test_to_simplified_survives_lone_surrogates():
    assert to_simplified("a\ud800區\udcff") == "a\ud800区\udcff"


@needs_shared
def test_is_traditional():
    assert is_traditional(seed(0))
    for number in (1, 2, 3, 4):
        assert not is_traditional(seed(number))
    assert is_traditional("結果維持")
    assert not is_traditional("结果维持")
    assert not is_traditional("")
    assert not is_traditional("2024 APP")


# --- normalize_text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“三安全一稳定”", '"三安全一稳定"'),
        ("‘内部’", "'内部'"),
        ("「三安全一穩定」", '"三安全一稳定"'),
        ("国办公开办函［2021］30号", "国办公开办函〔2021〕30号"),
        ("国办公开办函[2021]30号", "国办公开办函〔2021〕30号"),
        ("国办发【2021】30号", "国办发〔2021〕30号"),
        ("国办函﹝2020﹞109号", "国办函〔2020〕109号"),
        ("国办函(2020)109号", "国办函〔2020〕109号"),
        ("〔 2021 〕", "〔2021〕"),
        ("[12]", "[12]"),
        ("规划(2021—2025年)", "规划(2021-2025年)"),
        ("11—30件", "11-30件"),
        ("11～30", "11-30"),
        ("11－30", "11-30"),
        ("11 — 30", "11 — 30"),  # spaced: three table cells, the middle one blank
        ("−2", "-2"),
        ("a\u00a0b\u3000c\u2009d\u202fe", "a b c d e"),
        ("政\u200b府\ufeff信\u00ad息", "政府信息"),
        ("（一）１２件：，；", "(一)12件:,;"),
        ("￥100", "¥100"),
        ("區(qū)司法局", "区司法局"),
        ("下載(APP)", "下载(APP)"),
        ("a\tb", "a\tb"),
        ("", ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@needs_shared
@pytest.mark.parametrize("path", shared.params(SEED_FILES), ids=lambda p: p.name[:3])
def test_normalize_text_keeps_lines_on_seeds(path):
    text = path.read_text(encoding="utf-8")
    out = normalize_text(text)
    assert out.count("\n") == text.count("\n")
    assert len(out.splitlines()) == len(text.splitlines())
    assert out.split("\n") == [normalize_text(line) for line in text.split("\n")]


_ALPHABET = st.sampled_from(
    list("\n\r\t \u2028\u0085\x0b\x0c()（）[]［］【】〔〕—－～~-0123456789１２号")
    + list("區實文章qūshíwenAPPāǜ號年著衞覆議結果維持本“”‘’\u00a0\u3000\u200b\ufeff\u0301")
)


def assert_same_lines(text: str) -> None:
    out = normalize_text(text)
    assert out.count("\n") == text.count("\n")
    assert len(out.splitlines()) == len(text.splitlines())
    # Line i of the output is the normalised line i of the input, whichever way lines are cut.
    assert out.split("\n") == [normalize_text(line) for line in text.split("\n")]
    assert out.splitlines() == [normalize_text(line) for line in text.splitlines()]


@pytest.mark.parametrize(
    "text", ["\u200b", "a\n\u200b", "\u200b\na", "a\r\u200b\nb", "\ufeff\u2028\u200c", "區\n(qū)"]
)
def test_normalize_text_lines_with_invisible_characters(text):
    assert_same_lines(text)
    assert normalize_text("a\n\u200b") == "a\n "  # the blank line stays a line


@settings(deadline=None, max_examples=500)
@given(st.text(_ALPHABET, max_size=80))
def test_normalize_text_preserves_lines_targeted(text):
    assert_same_lines(text)


@settings(deadline=None, max_examples=500)
@given(st.text(max_size=200))
def test_normalize_text_preserves_lines_any_text(text):
    assert_same_lines(text)


# --- label_key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("（三）不予公开", "(三) 不予公开"),
        ("3. 危及“三安全一稳定”", '3.危及"三安全一稳定"'),
        ("商业 企业", "商业企业"),
        ("結 果 維 持", "结果维持"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ("1．属于国家秘密", "1.属于国家秘密"),
        ("（一）、予以公开", "(一)予以公开"),
        ("一. 总体情况", "一、总体情况"),
        ("三、本 年度办 理结果", "三、本年度办理结果"),
        ("本年收费金额（单位：万元）", "本年收费金额(单位:万元)"),
        ("\u3000行政\u00a0许可\t", "行政许可"),
    ],
)
def test_label_key_equivalences(a, b):
    assert label_key(a) == label_key(b)


def test_label_key_values():
    assert label_key("（三）不予公开") == "(三)不予公开"
    assert label_key("1、属于国家秘密") == "1.属于国家秘密"
    assert label_key("1.5万元") == "1.5万元"  # a decimal, not a list marker
    assert label_key("(1) 政府信息主动公开情况") == "(1)政府信息主动公开情况"
    assert label_key("結(jié)果維持") == "结果维持"


def test_label_key_keeps_distinct_labels_apart():
    assert label_key("结果维持") != label_key("结果纠正")
    assert label_key("(一)") != label_key("(1)")


# --- Word artifacts ------------------------------------------------------------------------


@needs_shared
def test_word_artifacts_seed_001():
    lines = seed(1).split("\n")
    comment_line, bookmark_line = lines[410], lines[411]  # lines 411 and 412, 1-based

    clean, found = strip_word_artifacts(comment_line)
    assert (
        clean
        == "2023年我局政府信息公开工作中规范化程度有待进一步加强；法定主动公开内容公开不够及时、不够准确等问题。"
    )
    assert found == [("comment", "Comment by 707: 此处上年度应指2023年，而不是2024年。")]

    clean, found = strip_word_artifacts(bookmark_line)
    assert clean.startswith("改进情况：一是进一步加强政务公开队伍建设")
    assert clean == bookmark_line.removeprefix("[bookmark: _GoBack]")
    assert found == [("bookmark", "[bookmark: _GoBack]")]


@needs_shared
def test_word_artifacts_only_on_two_lines_of_seeds():
    hits = []
    for number in range(5):
        for i, line in enumerate(seed(number).split("\n")):
            clean, found = strip_word_artifacts(line)
            if found:
                hits.append((number, i))
            else:
                assert clean == line
    assert hits == [(1, 410), (1, 411)]


@pytest.mark.parametrize(
    ("line", "clean", "found"),
    [
        ("正文", "正文", []),
        ("\t0\tComment by 707: 应为1", "\t0", [("comment", "Comment by 707: 应为1")]),
        (
            "正文。\tComment by Zhang San: 一\tComment by 707: 二",
            "正文。",
            [("comment", "Comment by Zhang San: 一"), ("comment", "Comment by 707: 二")],
        ),
        ("问题。Commented [ZS1]: 应为2023年", "问题。", [("comment", "Commented [ZS1]: 应为2023年")]),
        ("正文批注 [微软用户1]: 改一下", "正文", [("comment", "批注 [微软用户1]: 改一下")]),
        ("[Comment by 707: 此处有误]正文", "正文", [("comment", "[Comment by 707: 此处有误]")]),
        (
            "[bookmark: _Toc1]一、总体情况[bookmark: _Toc2]",
            "一、总体情况",
            [("bookmark", "[bookmark: _Toc1]"), ("bookmark", "[bookmark: _Toc2]")],
        ),
        ("[image: 图片 1]正文", "正文", [("image", "[image: 图片 1]")]),
        ("See Comment by the way", "See Comment by the way", []),
    ],
)
def test_word_artifacts_variants(line, clean, found):
    assert strip_word_artifacts(line) == (clean, found)


# --- site chrome ---------------------------------------------------------------------------


@needs_shared
def test_site_chrome_seed_003():
    lines = seed(3).splitlines()
    start = site_chrome_start(lines)
    assert start == len(lines) - 6
    assert lines[start:] == [
        "国务院部门网站",
        "地方政府网站",
        "市政府部门网站",
        "区(县)政府网站",
        "部门街镇网站",
        "其他网站",
    ]
    assert lines[start - 1] == "无。"


@needs_shared
@pytest.mark.parametrize("number", [0, 1, 2, 4])
def test_site_chrome_none_on_other_seeds(number):
    assert site_chrome_start(seed(number).splitlines()) is None
    assert site_chrome_start(seed(number).split("\n")) is None


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "报告正文。",
                "网站地图 | 联系我们",
                "主办单位：某区人民政府办公室",
                "渝ICP备12345678号",
                "网站标识码：5001030001",
            ],
            1,
        ),
        (["报告正文。", "扫一扫在手机打开当前页", "【打印本页】【关闭窗口】", ""], 1),
        (["正文。", "联系电话：023-12345678", "网站地图"], 2),  # the report's own contact line stays
        (["正文。", "網(wǎng)站地圖", "聯繫我們"], 1),
        (["正文。", "联系电话：023-12345678"], None),
        (["正文。", "其他网站"], None),  # one link line is not enough
        (["(三)政府网站", "政务新媒体"], None),
        (["正文。", "网站地图。"], None),  # sentence punctuation: prose
        (["正文", "", "  "], None),
        ([], None),
    ],
)
def test_site_chrome_cases(lines, expected):
    assert site_chrome_start(lines) == expected


# --- cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "  ", "\u3000", "/", "／", "—", "——", "-", "－", "无", "\\", " — ", "\u200b"]
)
def test_is_blank_value_true(text):
    assert is_blank_value(text)


@pytest.mark.parametrize("text", ["0", "0.00", "无无", "N/A", "结果维持", "1-2", "一"])
def test_is_blank_value_false(text):
    assert not is_blank_value(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", Num(0)),
        ("12", Num(12)),
        (" 12 ", Num(12)),
        ("1,234", Num(1234)),
        ("1,234,567", Num(1234567)),
        ("１２", Num(12)),
        ("１２．５", Num(Decimal("12.5"))),
        ("+3", Num(3, None, True)),
        ("-2", Num(-2, None, True)),
        ("−2", Num(-2, None, True)),
        ("＋0", Num(0, None, True)),
        ("24.5", Num(Decimal("24.5"))),
        ("0.00", Num(Decimal("0.00"))),
        ("12件", Num(12, "件")),
        ("3 条", Num(3, "条")),
        ("5个", Num(5, "个")),
        ("2项", Num(2, "项")),
        ("7次", Num(7, "次")),
        ("9篇", Num(9, "篇")),
        ("1.5万元", Num(Decimal("1.5"), "万元")),
        ("251000元", Num(251000, "元")),
    ],
)
def test_parse_number(text, expected):
    got = parse_number(text)
    assert got == expected
    assert type(got.value) is type(expected.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-",
        "—",
        "100%",
        "2024年",
        "2024年1月10日",
        "2024.12.31",
        "12/31",
        "1,23",
        "1e5",
        ".5",
        "5.",
        "abc",
        "12个人",
        "三",
        "3.其他",
        "第3条",
    ],
)
def test_parse_number_none(text):
    assert parse_number(text) is None
