"""The fast paths of reading and preparing text (issue "Speed", point 1) give what the
general paths give: one join for a plain text file, literal-prefix pinyin patterns, the
narrow glue sieve of needs_reflow."""

from __future__ import annotations

import importlib
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.errors import InputError
from xxgk.extract import _block_texts, prepare
from xxgk.extract.formatdetect import detect_format
from xxgk.extract.meta import _lines_within, extract_meta
from xxgk.extract.reflow import needs_reflow
from xxgk.extract.sections import find_headings, match_heading
from xxgk.extract.signature import compact_line, compact_lines, find_signature
from xxgk.formats.common import SECTIONS_2021
from xxgk.read.document import Document, Paragraph, TableBlock, TableCell
from xxgk.read.text import _has_control_soup, read_text_bytes
from xxgk.text.artifacts import lines_with_artifacts, site_chrome_start
from xxgk.text.normalize import normalize_text
from xxgk.text.pinyin import strip_pinyin
from xxgk.text.simplify import is_traditional

normalize_module = importlib.import_module("xxgk.text.normalize")
extract_module = importlib.import_module("xxgk.extract")

# --------------------------------------------------------------- pinyin, script


def test_strip_pinyin_with_either_parenthesis_or_both():
    assert strip_pinyin("區(qū)域") == "區域"
    assert strip_pinyin("區（qū）域") == "區域"
    assert strip_pinyin("區(qū)域（wen）文（APP）") == "區域文（APP）"
    assert strip_pinyin("文(APP)和(PDF)") == "文(APP)和(PDF)"
    assert strip_pinyin("(qū)开头") == "(qū)开头"  # no character before it: not a gloss
    assert strip_pinyin("没有括号") == "没有括号"


def test_is_traditional_counts_cjk_characters_only():
    assert is_traditional("結果維持") is True
    assert is_traditional("结果维持") is False
    assert is_traditional("2024 abc (x)") is False
    assert is_traditional("") is False
    assert is_traditional("本機關 2023 年收到申請 12 件，辦結 12 件。") is True


# --------------------------------------------------------------- prepare


def test_plain_text_file_is_joined_once():
    doc = read_text_bytes("一、总体情况\n本机关（示例）2023年收到申请12件。\n".encode())
    prep = prepare(doc)
    assert prep.texts == ["一、总体情况", "本机关（示例）2023年收到申请12件。"]
    assert prep.norm == ["一、总体情况", "本机关(示例)2023年收到申请12件。"]
    assert prep.norm_text == "\n".join(prep.norm)
    assert prep.texts == _block_texts(doc.blocks, [])


def test_only_lines_with_a_hint_are_stripped_of_artifacts():
    lines = ["正文。", "更新栏目26个。\tComment by 707: 此处应指2020年", "", "[bookmark: _GoBack]（二）问题"]
    assert lines_with_artifacts(lines) == [1, 3]
    assert lines_with_artifacts(["甲\n[image: 图]", "乙", "批注 [A1]: 丙"]) == [0, 2]
    assert lines_with_artifacts(["正文。", "评论"]) == []
    prep = prepare(read_text_bytes("\n".join(lines).encode()))
    assert prep.texts == ["正文。", "更新栏目26个。", "", "（二）问题"]
    assert [(a.kind, a.text, a.where) for a in prep.artifacts] == [
        ("comment", "Comment by 707: 此处应指2020年", {"line": 2}),
        ("bookmark", "[bookmark: _GoBack]", {"line": 4}),
    ]


def test_artifacts_tables_and_line_breaks_take_the_general_path():
    comment = Paragraph("正文。\tComment by 张三: 请核对", {"line": 1})
    table = TableBlock([[TableCell("规章", {}), TableCell("3", {})]])
    prep = prepare(Document([comment, Paragraph("甲\n乙", {"paragraph": 2}), table]))
    assert prep.texts == ["正文。", "甲 乙", "规章\t3"]
    assert prep.norm_text == "正文。\n甲 乙\n规章\t3"
    assert [(a.kind, a.text, a.where) for a in prep.artifacts] == [("comment", "Comment by 张三: 请核对", {"line": 1})]
    assert prepare(Document([])).norm == []


# --------------------------------------------------------------- needs_reflow

_CONTENT = "本机关认真贯彻落实政府信息公开条例，全面推进政务公开工作，取得明显成效。"


def test_needs_reflow_sections_on_one_line():
    line = f"一、总体情况{_CONTENT}二、主动公开政府信息情况{_CONTENT}"
    assert needs_reflow(["标题", line]) is True
    assert needs_reflow(["标题", line], "标题\n" + line) is True
    assert needs_reflow(["标题", "一、总体情况", _CONTENT]) is False


def test_needs_reflow_spaced_table_row_is_not_glue():
    lines = ["规章 12 3 4", "行政规范性文件 5 6 7", "更新行政规范性文件9件，其他公开文件21条。"]
    assert needs_reflow(lines) is False
    assert needs_reflow(["规章0行政规范性文件77132470"]) is True


def test_needs_reflow_numbered_parts_with_a_table_word():
    # "第一部分、" is not among the two-marks sieve's lines; a table word before a digit on the
    # same line brings it to the close look, as it did before the sieve was narrowed.
    line = f"第一部分、总体情况{_CONTENT}第二部分、主动公开政府信息情况{_CONTENT}规章 12"
    assert needs_reflow([line]) is True
    assert needs_reflow([line.removesuffix("规章 12")]) is False


# --------------------------------------------------------------- headings, metadata bounds


def test_find_headings_from_the_joined_text_as_line_by_line():
    lines = [
        "标题",
        "\u3000一、总体情况",
        "（一）主动公开",
        " 第二部分、主动公开政府信息情况",
        "",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量",
    ]
    found = [(h.number, h.line) for h in find_headings(lines, "\n".join(lines))]
    assert found == [(1, 1), (2, 3), (3, 5)]
    assert [(h.number, h.line) for h in find_headings(lines)] == found
    broken = ["标题\n一、总体情况", "二、主动公开政府信息情况"]  # a line holding a break
    assert [(h.number, h.line) for h in find_headings(broken)] == [(2, 1)]


def test_lines_within_counts_the_line_that_reaches_the_limit():
    lines = ["甲" * 10] * 5
    assert _lines_within(lines, 5, 25) == 3
    assert _lines_within(lines, 5, 50) == 5
    assert _lines_within(lines, 4, 1000) == 4
    assert _lines_within(["甲" * 5000, "乙"], 2, 3000) == 1  # a line counts up to LINE_CAP


def test_signature_read_lazily_from_the_end():
    lines = ["正文。", "示例市司法局", " ? ", "2022年1月10日", "", "  "]
    assert find_signature(lines) == ("示例市司法局", 1, "2022-01-10", 3)
    assert find_signature(["正文。", "示例市司法局2022年1月10日"]) == ("示例市司法局", 1, "2022-01-10", 1)
    assert find_signature(["示例市司法局", "正文没有日期。"]) is None
    assert find_signature(["示例市司法局", "乙" * 300, "2022年1月10日"]) is None  # a long line between


def test_glue_hits_skip_quantities_in_prose():
    reflow_module = importlib.import_module("xxgk.extract.reflow")
    assert reflow_module._pair_sieve() is not None  # no table word starts inside a digit run
    prose = "2020年主动公开信息294条,更新行政规范性文件9件,其他公开文件42条。"
    assert list(reflow_module._glue_hits(prose)) == []
    assert needs_reflow([prose]) is False
    glued = "规章0行政规范性文件77132470"
    assert list(reflow_module._glue_hits(glued)) == [1, 9]
    assert reflow_module._marker_word("1.属于国家秘密") is True
    assert reflow_module._marker_word("1.5") is False


def test_markdown_markers_found_after_any_line_break():
    texts = lambda data: [b.text for b in read_text_bytes(data).blocks]  # noqa: E731
    assert texts("正文\r## 一、总体情况\r".encode()) == ["正文", "一、总体情况"]
    assert texts("正文\r\n## 二、主动公开\r\n".encode()) == ["正文", "二、主动公开"]
    assert texts("## 标题\n正文 # 不是标记\n".encode()) == ["标题", "正文 # 不是标记"]
    assert texts("正文 ## 不是标记\n第二行\n".encode()) == ["正文 ## 不是标记", "第二行"]


def test_is_traditional_ignores_pinyin_glosses_as_before():
    glossed = "嚴(yán)格落實(shí)上級關(guān)於政府信息公開工作的總體部署"
    assert is_traditional(glossed) is True
    assert is_traditional("严(yán)格落实(shí)上级关(guān)于政府信息公开工作") is False
    assert is_traditional("(Zhōng)(guó)") is False


def test_normalize_folds_each_wide_character_once_and_double_hyphens():
    assert normalize_text("２０２１（一）：ａ，ｂ；（二）") == "2021(一):a,b;(二)"
    assert normalize_text("￣x") == "\u0020\u0304x"  # a fold that is two characters long
    assert normalize_text("11--30 11—30 电话0591-2316") == "11-30 11-30 电话0591-2316"


def test_blank_lines_at_the_end_are_chrome_blanks_without_a_key():
    lines = ["正文。", "网站地图", "  ", "\u3000", ""]
    assert site_chrome_start(lines) == 1
    assert site_chrome_start(["正文。", "", " "]) is None


def test_signature_date_line_at_the_tail_limit_has_no_line_above():
    body = ["示例市司法局", "2022年1月10日"] + ["正文。"] * 58
    assert find_signature(body) == ("示例市司法局", 0, "2022-01-10", 1)
    assert find_signature(["示例市司法局"] + body[1:]) == ("示例市司法局", 0, "2022-01-10", 1)
    assert find_signature(["示例市司法局", "2022年1月10日"] + ["正文。"] * 59) is None


def test_format_signal_found_with_or_without_whitespace_inside():
    assert detect_format("表格\n本年制发件数\t3", None) == "2021"
    assert detect_format("表格\n本年 制发件数\t3", None) == "2021"  # only in the compacted text
    assert detect_format("正文。", None) is None


def test_artifact_hints_tested_by_one_character_first():
    assert lines_with_artifacts(["甲", "[bookmark: _GoBack]乙"]) == [1]
    assert lines_with_artifacts(["Commented [AB1]: 丙"]) == [0]
    assert lines_with_artifacts(["批准", "批 注", "mark k m ["]) == []


def test_control_soup_counted_on_utf8_bytes():
    for data, soup in [
        (("正文" * 100 + "\x01\x02").encode(), False),  # 2 in 202 characters: 1%, not more
        (("正文" * 99 + "\x01\x02\x03").encode(), True),
        (("正文" * 99).encode() + b"\xc2\x85\x01\x02", True),  # C1 counts: the text is scanned
        (b"\x01" + "正".encode() * 50, False),  # one stray control code
    ]:
        text = data.decode("utf-8", "replace")
        assert _has_control_soup(text, data) is soup
        assert _has_control_soup(text) is soup
        if b"\xc2" not in data:  # the count the reader took of the sample is used as it is
            assert _has_control_soup(text, data, sum(data.count(bytes([b])) for b in (1, 2, 3))) is soup
    assert _has_control_soup("正文" * 100, ("正文" * 100).encode(), 3) is True  # trusted, not recounted


def test_control_bytes_counted_once_decide_as_before():
    assert read_text_bytes(("正文" * 100 + "\x01\x02").encode()).blocks[0].text.startswith("正文")
    for data in [("正文" * 99 + "\x01\x02\x03").encode(), bytes(range(1, 9)) * 10]:
        with pytest.raises(InputError, match="控制字符"):
            read_text_bytes(data)


def test_compact_lines_in_one_pass_as_line_by_line():
    lines = [" 示例 市司法局 ", "??", "2023 年 ? 1 月", "", "\u3000甲\t乙\u3000"]
    assert compact_lines(lines) == ["示例市司法局", "", "2023年1月", "", "甲乙"]
    assert compact_lines(lines) == [compact_line(line) for line in lines]
    assert compact_lines(["甲\n乙", "丙 丁"]) == ["甲乙", "丙丁"]  # a line holding a break
    assert compact_lines(["甲\x00 乙", "丙 丁"]) == ["甲\x00乙", "丙丁"]  # a NUL: line by line
    assert compact_lines([]) == []


def test_prose_facts_read_each_kind_from_the_first_lines_that_give_it():
    norm = [
        "示例文件",
        "根据 2023年示例区人民政府信息公开工作安排,",
        "统计期限为2023年1月1日至12月31日。",
        "现将 2023 年 度政府信息公开工作情况报告如下:",
        "一、总体情况",
        "2023年,示例县交通运输局深入贯彻条例。",
        "2022年,示例市司法局另行公开。",
    ]
    guess = extract_meta(norm, 4)
    assert (guess.agency, guess.year) == ("示例区人民政府", 2023)
    assert guess.where == {"agency": {"line": 2, "via": "prose"}, "year": {"line": 3, "via": "period"}}
    guess = extract_meta(norm[4:], 0)
    assert (guess.agency, guess.year) == ("示例县交通运输局", 2023)
    assert guess.where == {"agency": {"line": 2, "via": "prose"}, "year": {"line": 2, "via": "prose"}}


def test_match_heading_cached_for_short_lines_as_uncached():
    uncached = tuple(SECTIONS_2021)  # another tuple: not the cached default
    lines = ["一、总体情况", " 二、主动公开政府信息情况", "\t一、本年新收政府信息公开申请数量", "第三部分、收到和处理政府信息公开申请情况"]
    lines += ["四、" + "政府信息公开行政复议、行政诉讼情况" * 5, "五、存在", "六、其他需要报告的事项"]
    assert [match_heading(line) for line in lines] == [1, 2, None, 3, 4, None, 6]
    assert [match_heading(line, uncached) for line in lines] == [1, 2, None, 3, 4, None, 6]


def test_chrome_kind_of_short_lines_cached_as_computed():
    artifacts = importlib.import_module("xxgk.text.artifacts")
    for line in ["网站地图", "国务院部门网站", "办理人大代表建议12件。", "电话:0591-1234", "甲" * 130 + "网站地图"]:
        assert artifacts._chrome_kind(line) == artifacts._line_kind(line)
    assert site_chrome_start(["正文。", "国务院部门网站", "其他网站", ""]) == 1


def test_strip_pinyin_all_glosses_or_some():
    assert strip_pinyin("嚴(yán)格落實(shí)，區(qū)域") == "嚴格落實，區域"  # every candidate a gloss
    assert strip_pinyin("嚴(yán)格使用(APP)和(wen)") == "嚴格使用(APP)和"  # (APP) stays
    assert strip_pinyin("使用(APP)") == "使用(APP)"


_GLUE_ALPHABET = "章件数他0123456789 .+-万元条年%一、。"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_GLUE_ALPHABET, max_size=24))
def test_glue_sieve_keeps_the_places_a_kept_value_follows(text):
    reflow_module = importlib.import_module("xxgk.extract.reflow")
    glued = importlib.import_module("xxgk.extract.glued")
    last = "".join(sorted({key[-1] for key in glued.vocabulary()}))
    sieve = re.compile(f"[{re.escape(last)}](?=[+-]?\\d)")

    def kept(at: int) -> bool:  # the run as VALUE_RUN.match takes it, then no measure word
        run = glued.VALUE_RUN.match(text, at)
        return run is not None and text[run.end() : run.end() + 1] not in glued.MEASURE_CHARS

    expected = [m.start() for m in sieve.finditer(text) if kept(m.end())]
    assert [m.start() for m in reflow_module._pair_sieve().finditer(text)] == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="一二三六七、.,\n甲 ", max_size=30))
def test_two_marks_on_the_lines_the_regex_finds_them(text):
    reflow_module = importlib.import_module("xxgk.extract.reflow")
    two_marks = re.compile(r"[一二三四五六][、.][^\n]*?[一二三四五六][、.]")  # the regex it replaced
    line_of = lambda at: text.count("\n", 0, at)  # noqa: E731
    expected = {line_of(m.start()) for m in two_marks.finditer(text)}
    assert {line_of(at) for at in reflow_module._two_marks(text)} == expected


def test_two_marks_exact():
    reflow_module = importlib.import_module("xxgk.extract.reflow")
    text = "一、总体情况 二、主动公开\n三、收到\n1.5 四.其他 五、 六."
    assert list(reflow_module._two_marks(text)) == [0, 23, 28]  # 三、 is alone on its line


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\u3000\u00a0\u2028\x1c\x85?？甲a\x00\n", max_size=20))
def test_compact_line_removes_what_the_regex_removed(text):
    assert compact_line(text) == re.sub(r"[\s?]+", "", text)
    assert compact_lines(text.split("\n")) == [re.sub(r"[\s?]+", "", line) for line in text.split("\n")]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="甲乙丙丁戊己庚辛壬。!?;,:\na1 ", max_size=24))
def test_prose_tests_read_as_the_regexes(text):
    preamble = importlib.import_module("xxgk.extract.preamble")
    assert (preamble._ENOUGH_CJK.match(text) is not None) == (len(re.findall("[\u3400-\u9fff]", text)) >= 8)
    assert preamble._is_sentence(text) == (re.search(r"[。!?;]|[,:].*[,:。]", text) is not None)


def test_header_labels_hold_the_hints_lines_are_filtered_by():
    title = importlib.import_module("xxgk.extract.title")
    agency_labels = re.match(r"\(\?:([^)]*)\)", title._HEADER_AGENCY.pattern).group(1).split("|")
    date_labels = re.search(r"\)\(([^)]*)\)", title._HEADER_DATE.pattern).group(1).split("|")
    assert len(agency_labels) == 8 and len(date_labels) == 10
    assert all(any(hint in label for hint in title._AGENCY_HINTS) for label in agency_labels)
    assert all("日期" in label or "时间" in label for label in date_labels)
    assert title.find_header(["来源:示例市司法局 发布时间:2024-01-05"], 1) == (
        ("示例市司法局", 0),
        (0, "2024-01-05", 0),
    )


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[【〖〔]】〗〕 \t20190号(甲", max_size=24))
def test_year_brackets_one_pattern_per_bracket_as_the_one_regex(text):
    old = re.compile(r"[\[【〖〔][ \t]*((?:19|20)\d\d)[ \t]*[\]】〗〕]")
    new = text
    for bracket, pattern in normalize_module._YEAR_BRACKETS.items():
        if bracket in new:
            new = pattern.sub(r"〔\1〕", new)
    assert new == old.sub(r"〔\1〕", text)


def _old_nfkc(text: str) -> str:  # _nfkc before the common full-width characters went first
    if unicodedata.is_normalized("NFKC", text):
        return text
    for ch in sorted(set(normalize_module._FOLD_CHARS.findall(text))):
        text = text.replace(ch, normalize_module._FOLD[ch])
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="，：（）；！Ａ１\u3000\u00a0\u0301\uf900甲a", max_size=16))
def test_nfkc_common_wide_characters_first_as_before(text):
    assert normalize_module._nfkc(text) == _old_nfkc(text)
    assert normalize_module._nfkc(text) == unicodedata.normalize("NFKC", text)


def test_normalize_script_flags_what_is_traditional_could_not_call_traditional():
    assert normalize_module.normalize_script("示例县（交通）局") == ("示例县(交通)局", True)
    assert normalize_module.normalize_script("示例縣交通局")[1] is False
    assert normalize_module.normalize_script("深沈")[1] is False  # t2s changes it in a phrase
    assert normalize_module.normalize_script("示例\uf900县")[1] is False  # a compatibility ideograph
    assert normalize_module.normalize_script("示例\U00020000县")[1] is False
    simplified = "示例县交通运输局2024年政府信息公开工作年度报告\n一、总体情况\n正文。"
    assert prepare(read_text_bytes(simplified.encode())).simplified is True
    compat = "\uf900\uf901\uf902\uf903 示例\n一、总体情况\n"  # t2s changes these: is_traditional decides
    prep = prepare(read_text_bytes(compat.encode()))
    assert prep.simplified is False
    assert extract_module._script(prep) == "traditional"
    assert extract_module._script(prepare(read_text_bytes(simplified.encode()))) == "simplified"
    traditional = "示例縣交通運輸局2024年政府資訊公開工作年度報告\n一、總體情況\n"
    assert extract_module._script(prepare(read_text_bytes(traditional.encode()))) == "traditional"


def test_meta_with_the_joined_text_as_without():
    lines = ["示例市司法局2023年政府信息公开工作年度报告", "根据《条例》编制本报告。", "一、总体情况", "2023年,示例市司法局…"]
    assert extract_meta(lines, 2, "\n".join(lines)) == extract_meta(lines, 2)
    assert _lines_within(["甲" * 10] * 5, 5, 25, total=50) == 3  # a total not under the limit: counted
    assert _lines_within(["甲" * 10] * 5, 5, 25, total=24) == 5
