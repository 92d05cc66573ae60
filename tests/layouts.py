"""Write a report as plain text in the layouts of the five seed reports (`shared/seeds/`).

`write_layout(layout, values, sections, agency, year)` lays out the three tables of the
2021 format (values keyed by cell reference, e.g. ``applications/received/total``) and the
prose of the six sections the way one of the seeds does:

* ``000`` - the cell-per-line `` |`` layout of 003 (with complete table-四 headers, the
  agency named in the first paragraph, no title and no link list), converted to traditional
  characters: OpenCC ``s2t``, then the seed's own variants where OpenCC differs (復, 于, 范,
  后, 系, 為, 眾, 布, 核 ...), then a pinyin gloss ``字(pīnyīn)`` after every character that
  carries one in seed 000 (57 characters, each glossed at every occurrence there).
* ``001`` - one cell per line, each indented by a tab; blank lines between rows; header
  cells wrapped onto two lines (``商业`` / ``企业``, ``结果`` / ``纠正``); a sentence before
  each table; Word comment and bookmark artifacts in section 五; a signature at the end.
* ``002`` - one row per line, tab-separated, with the seed's empty leading cells and
  trailing tab; ``(一) 予以公开`` / ``1. 属于国家秘密`` label spelling; the ``3. 其他`` row
  pushed to the left; table 四 as four tab rows.
* ``003`` - one cell per line ending in `` |``, header rows padded with ``|||``; ASCII
  punctuation; truncated table-四 headers (``结果 |`` ``其他 |`` ``尚未 |``); no title and
  no agency name; the site's link list after section 六.
* ``004`` - tab rows like 002 but with the header cells split over two rows
  (``社会 公益`` ... ``组织``), ``三、本 年度办 理结果``, a blank line inside tables, the
  ``3.要求提供公开出版物`` row pushed left, and rows 三(五)4 to 四 carrying an extra
  trailing ``0`` (8 numbers for 7 columns). Table 四 is one tab row of 15 values; when the
  复议 cells are blank it reproduces the seed's line (5 blanks, then 11 numbers).

A blank cell (value None) is written as an empty cell: a `` |`` line (000/003), a lone tab
line (001), an empty tab field (002/004). Only seed 004 shows blank cells (table 四); the
other renderings are inferred.

The writers are exact for the seeds: writing a seed's own values in its layout gives back the
seed's table part line for line (see tests/test_roundtrip_layouts.py).

Also here: `consistent_tables(rng)` (random tables that satisfy every identity of the 2021
format, all 200 values distinct) and `prose_with_numbers(rng)` (section prose full of numbers).
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from xxgk.formats import FORMAT_2021, Row

Value = int | Decimal | None

LAYOUTS = ("000", "001", "002", "003", "004")

FMT = FORMAT_2021
ACTIVE = FMT.table("active")
APPLICATIONS = FMT.table("applications")
REVIEWS = FMT.table("reviews")
REFS: tuple[str, ...] = tuple(FMT.refs())

_NUMERALS = "一二三四五六"
HEADINGS: dict[str, str] = {str(s.number): f"{_NUMERALS[s.number - 1]}、{s.title}" for s in FMT.sections}

RESULTS_GROUP = "三、本年度办理结果"
SUBGROUPS = ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理")
REVIEW_FIELDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Seed 004: these rows carry 8 numbers for 7 columns; the eighth is a stray 0.
EXTRA_VALUE_ROWS_004 = (
    "declined_excessive",
    "declined_confirmation",
    "other_no_correction",
    "other_unpaid_fee",
    "other_misc",
    "total",
    "carried_forward",
)
EXTRA_VALUE_004 = "0"

# Every character that carries a gloss in seed 000 carries it at every occurrence there.
PINYIN_000: dict[str, str] = {
    "區": "qū", "嚴": "yán", "實": "shí", "關": "guān", "續": "xù", "強": "qiáng", "動": "dòng", "識": "shí",
    "責": "zé", "時": "shí", "準": "zhǔn", "發": "fā", "務": "wù", "據": "jù", "現": "xiàn", "報": "bào",
    "號": "hào", "網": "wǎng", "設": "shè", "優": "yōu", "態": "tài", "機": "jī", "預": "yù", "標": "biāo",
    "領": "lǐng", "進": "jìn", "質": "zhì", "導": "dǎo", "細": "xì", "構": "gòu", "協": "xié", "聯": "lián",
    "臺": "tái", "內": "nèi", "規": "guī", "監": "jiān", "認": "rèn", "項": "xiàng", "數": "shù", "費": "fèi",
    "業": "yè", "計": "jì", "會": "huì", "結": "jié", "轉": "zhuǎn", "穩": "wěn", "護": "hù", "權": "quán",
    "執": "zhí", "補": "bǔ", "復": "fù", "當": "dāng", "經": "jīng", "節": "jié", "點": "diǎn", "應": "yīng",
    "環": "huán",
}  # fmt: skip

# Seed 000 was converted character by character; OpenCC picks other variants for these.
_VARIANTS_000 = str.maketrans(
    {"於": "于", "範": "范", "後": "后", "係": "系", "繫": "系", "祕": "秘", "製": "制", "佈": "布",
     "覈": "核", "衆": "眾", "爲": "為", "複": "復", "覆": "復"}
)  # fmt: skip

# Seeds 000 and 003 come from a site that prints these as ASCII.
_ASCII_PUNCT = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})

NAV_003 = ("国务院部门网站", "地方政府网站", "市政府部门网站", "区(县)政府网站", "部门街镇网站", "其他网站")


# ---------------------------------------------------------------- cells and rows


def cell_text(value: Value) -> str:
    """A value as the source prints it; a blank cell is the empty string."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def row_texts(values: dict[str, Value], table_key: str, row: Row) -> list[str]:
    return [cell_text(values.get(f"{table_key}/{row.key}/{f.key}")) for f in row.fields]


def active_blocks() -> list[tuple[str, list[Row]]]:
    """Table 二 as (block caption, rows), in order."""
    blocks: list[tuple[str, list[Row]]] = []
    for row in ACTIVE.rows:
        if not blocks or blocks[-1][0] != row.block:
            blocks.append((row.block, []))
        blocks[-1][1].append(row)
    return blocks


def application_rows() -> Iterator[tuple[Row, bool]]:
    """Table 三 rows with a flag: True for the first row of a subgroup （三）…（六）."""
    previous_group = None
    for row in APPLICATIONS.rows:
        yield row, row.group in SUBGROUPS and row.group != previous_group
        previous_group = row.group


def _split_header(label: str) -> str:
    """结果维持 -> 结果\\n维持 (a header cell wrapped in two, as in seed 001)."""
    return f"{label[:2]}\n{label[2:]}" if len(label) == 4 else label


def _paren_spaced(label: str) -> str:
    """（二）部分公开（区分处理的，…） -> (二) 部分公开 (区分处理的, …)  (seeds 002, 004)."""
    label = re.sub(r"^（(.)）", r"(\1) ", label)
    return label.replace("（", " (").replace("）", ")").replace("，", ", ")


def _number_spaced(label: str) -> str:
    """1.属于国家秘密 -> 1. 属于国家秘密  (seed 002)."""
    return re.sub(r"^(\d)\.", r"\1. ", label)


def _paragraphs(text: str | None) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


# ---------------------------------------------------------------- 000 / 003: one cell per line, " |"


def _pipe_tables(values: dict[str, Value], truncated_review_headers: bool) -> dict[str, list[str]]:
    """Tables of seeds 000/003 (before the ASCII punctuation of the site is applied)."""
    t2: list[str] = []
    for block, rows in active_blocks():
        t2.append(f"{block} | |||")
        t2.append("信息内容 |")
        many = len(rows[0].fields) > 1
        for fld in rows[0].fields:
            t2.append(f"{fld.label} |" if many else f"{fld.label} | ||")
        for row in rows:
            t2.append(f"{row.label} |")
            for text in row_texts(values, "active", row):
                t2.append(f"{text} |" if many or row.key == "fees" else f"{text} | ||")

    t3 = [
        f"{APPLICATIONS.note} |",
        "申请人情况 | ||||||||",
        "自然人 |",
        "法人或其他组织 |",
        "总计 | |||||||",
        "商业 企业 |",
        "科研 机构 |",
        "社会公益组织 |",
        "法律服务机构 |",
        "其他 | |||||",
    ]
    for row, first_in_group in application_rows():
        if row.key == "granted":
            t3.append(f"{RESULTS_GROUP} |")
        if first_in_group:
            t3.append(f"{row.group} |")
        t3.append(f"{row.label} |")
        texts = row_texts(values, "applications", row)
        t3.extend(f"{text} |" for text in texts[:-1])
        if row.key == "carried_forward":
            tail = " |"
        elif row.key == "granted" or first_in_group:
            tail = " | |"
        else:
            tail = " | ||"
        t3.append(f"{texts[-1]}{tail}")

    if truncated_review_headers:  # seed 003 lost the second line of the wrapped headers
        first = ["结果维持", "结果", "其他", "尚未", "总计"]
        later = ["结果", "结果", "其他", "尚未", "总计"]
    else:
        first = later = list(REVIEW_FIELDS)
    t4 = ["行政复议 |", "行政诉讼 | |||||||||||||"]
    t4 += [f"{h} |" for h in first]
    t4 += ["未经复议直接起诉 |", "复议后起诉 | ||||||||"]
    t4 += [f"{h} |" for h in later] + [f"{h} |" for h in later[:-1]] + [f"{later[-1]} | |||||"]
    for row in REVIEWS.rows:
        t4.extend(f"{text} |" for text in row_texts(values, "reviews", row))
    return {"2": t2, "3": t3, "4": t4}


def _pipe_document(
    values: dict[str, Value], sections: dict[str, str], preamble: str, truncated: bool, tail: tuple[str, ...]
) -> str:
    tables = _pipe_tables(values, truncated)
    lines: list[str] = []
    for key, heading in HEADINGS.items():
        lines.append(heading)
        if key == "1":
            lines.append(preamble)
        lines += _paragraphs(sections.get(key))
        lines += tables.get(key, [])
    lines += tail
    return "\n".join(lines).translate(_ASCII_PUNCT)


def write_003(values: dict[str, Value], sections: dict[str, str], agency: str | None, year: int) -> str:
    # Seed 003 never names its agency; the writer does not either.
    preamble = (
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》规定，"
        "编制本年度报告。本报告依据上一年度政府信息公开情况编制，"
        f"所列数据的统计时限自{year}年1月1日至{year}年12月31日。"
    )
    return _pipe_document(values, sections, preamble, truncated=True, tail=NAV_003)


def write_000(values: dict[str, Value], sections: dict[str, str], agency: str | None, year: int) -> str:
    preamble = (
        f"{year} 年，{agency}深入贯彻《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》），"
        "严格落实上级关于政府信息公开工作的总体部署，持续强化主动公开意识，切实履行政府信息公开职责，"
        f"及时、准确地发布各类政务信息。根据工作要求，现将{agency} {year} 年政府信息公开工作情况报告如下："
    )
    simplified = _pipe_document(values, sections, preamble, truncated=False, tail=())
    return to_seed_000_script(simplified)


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_seed_000_script(text: str) -> str:
    """Simplified -> traditional as seed 000 has it: OpenCC s2t, the seed's variants, pinyin glosses."""
    text = _s2t().convert(text.replace("复", "復")).translate(_VARIANTS_000)
    return "".join(f"{ch}({PINYIN_000[ch]})" if ch in PINYIN_000 else ch for ch in text)


# ---------------------------------------------------------------- 001: one cell per line, tab-indented


def write_001(values: dict[str, Value], sections: dict[str, str], agency: str | None, year: int) -> str:
    t2: list[str] = []
    for block, rows in active_blocks():
        t2 += [f"\t{block}", "", "\t信息内容"] + [f"\t{f.label}" for f in rows[0].fields] + [""]
        for row in rows:
            t2 += [f"\t{row.label}"] + [f"\t{t}" for t in row_texts(values, "active", row)] + [""]
    t2.append("")

    t3 = [f"\t{APPLICATIONS.note}", "\t申请人情况", "", "\t", "\t自然人", "\t法人或其他组织", "\t总计", ""]
    t3 += ["\t", "\t", "\t商业\n企业", "\t科研\n机构", "\t社会公益组织", "\t法律服务机构", "\t其他", "\t", ""]
    for row, first_in_group in application_rows():
        if row.key == "granted":
            t3.append(f"\t{RESULTS_GROUP}")
        elif first_in_group:
            t3 += ["\t", f"\t{row.group}"]
        elif row.group in SUBGROUPS:
            t3 += ["\t", "\t"]
        elif row.key in ("partially_granted", "total"):
            t3.append("\t")
        t3.append(f"\t{row.label}")
        t3 += [f"\t{t}" for t in row_texts(values, "applications", row)] + [""]
    t3.append("")

    t4 = ["\t行政复议", "\t行政诉讼", "", "\t结果维持"] + [f"\t{_split_header(h)}" for h in REVIEW_FIELDS[1:]]
    t4 += ["\t未经复议直接起诉", "\t复议后起诉", ""] + ["\t"] * 5
    t4 += [f"\t{_split_header(h)}" for h in REVIEW_FIELDS] * 2 + [""]
    for row in REVIEWS.rows:
        t4 += [f"\t{t}" for t in row_texts(values, "reviews", row)]
    t4 += ["", ""]
    tables = {"2": t2, "3": t3, "4": t4}

    lines = [
        f"{agency}{year}年政府",
        "信息公开工作年度报告",
        "",
        "依据《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》）第五十条和"
        "《关于印发中华人民共和国政府信息公开工作年度报告格式的通知》（国办公开办函〔2021〕30号）规定，"
        "编制本报告。本年度报告全文包括：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"所列统计数据时间范围为{year}年1月1日至{year}年12月31日。"
        f"如本报告有疑问，请联系：{agency}办公室，地址：古田四路长安路27号，电话：027-83350601。",
    ]
    for key, heading in HEADINGS.items():
        lines.append(heading)
        prose = _paragraphs(sections.get(key))
        if key == "5" and len(prose) >= 2:  # the Word comment and bookmark of seed 001
            i = 1 if len(prose) >= 3 else 0
            prose[i] += f"\tComment by 707: 此处上年度应指{year - 1}年，而不是{year}年。"
            prose[i + 1] = "[bookmark: _GoBack]" + prose[i + 1]
        lines += prose + tables.get(key, [])
    lines += ["", " " * 15, f"{agency}", f"{year + 1}年1月10日", " "]
    return "\n".join(lines)


# ---------------------------------------------------------------- 002 / 004: one row per line, tab-separated


def _tab_active(values: dict[str, Value], blank_after_regulations: bool) -> list[str]:
    out: list[str] = []
    for block, rows in active_blocks():
        out.append(f"{block}\t\t\t")
        out.append(
            "\t".join(["信息内容"] + [f.label for f in rows[0].fields] + [""] * (3 - len(rows[0].fields)))
        )
        for row in rows:
            texts = row_texts(values, "active", row)
            out.append("\t".join([row.label] + texts + [""] * (3 - len(texts))))
            if blank_after_regulations and row.key == "regulations":
                out.append("")
    return out


def _tab_applications_002(values: dict[str, Value]) -> list[str]:
    out = [
        f"({APPLICATIONS.note[1:-1]})\t\t申请人情况\t\t\t\t\t\t总计\t",
        "\t\t自然人\t法人或其他组织\t\t\t\t\t\t",
        "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t",
    ]
    for row, first_in_group in application_rows():
        label = _number_spaced(_paren_spaced(row.label))
        texts = row_texts(values, "applications", row)
        if row.key == "granted":
            cells = [RESULTS_GROUP, label, *texts, ""]
        elif row.key == "partially_granted":
            cells = ["", label, *texts, ""]
        elif row.key == "other_misc":  # the seed's "3. 其他" lost its two leading cells
            cells = [label, "", *texts, ""]
        elif first_in_group:
            cells = ["", _paren_spaced(row.group), label, *texts]
        elif row.group in SUBGROUPS:
            cells = ["", "", label, *texts]
        else:  # 一, 二, (七), 四
            cells = [label, "", *texts, ""]
        out.append("\t".join(cells))
    return out


def _tab_applications_004(values: dict[str, Value]) -> list[str]:
    out = [
        f"{APPLICATIONS.note}\t申请人情况\t\t\t\t\t\t",
        "\t自然 人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t商业 企业\t科研 机构\t社会 公益\t法律 服务\t其他\t",
        "",
        "\t\t\t\t\t组织\t机构\t\t\t",
    ]
    for row, first_in_group in application_rows():
        label = _paren_spaced(row.label)
        texts = row_texts(values, "applications", row)
        if row.key in EXTRA_VALUE_ROWS_004:
            texts = [*texts, EXTRA_VALUE_004]
        if row.key == "granted":
            cells = ["三、本 年度办 理结果", label, *texts, ""]
        elif row.key == "partially_granted":
            cells = ["", label, *texts, ""]
        elif row.key == "declined_publication":  # pushed left, like 002's "3. 其他"
            cells = [label, "", *texts, ""]
        elif row.key == "other_no_correction":
            cells = [_paren_spaced(row.group), "", label, *texts]
        elif first_in_group:
            cells = ["", _paren_spaced(row.group), label, *texts]
        elif row.group in SUBGROUPS:
            cells = ["", "", label, *texts]
        elif row.key == "total":
            cells = ["", label, "", *texts]
        elif row.key == "carried_forward":
            cells = [label, "", "", *texts]
        else:  # 一, 二
            cells = [label, "", *texts, ""]
        out.append("\t".join(cells))
        if row.key == "declined_publication":  # and followed by a blank line
            out.append("")
    return out


def _review_values(values: dict[str, Value]) -> list[str]:
    return [t for row in REVIEWS.rows for t in row_texts(values, "reviews", row)]


def _tab_reviews_002(values: dict[str, Value]) -> list[str]:
    spaced = [f"{h[:2]} {h[2:]}" if len(h) == 4 else h for h in REVIEW_FIELDS]
    return [
        "行政复议" + "\t" * 5 + "行政诉讼" + "\t" * 9,
        "\t".join(spaced) + "\t未经复议直接起诉" + "\t" * 5 + "复议后起诉" + "\t" * 4,
        "\t" * 5 + "\t".join(spaced * 2),
        "\t".join(_review_values(values)),
    ]


def _tab_reviews_004(values: dict[str, Value]) -> list[str]:
    spaced = [" ".join(h) for h in REVIEW_FIELDS]
    texts = _review_values(values)
    if all(t == "" for t in texts[:5]):  # seed 004: blank 复议 cells, then a stray trailing 0
        texts.append(EXTRA_VALUE_004)
    return [
        "行政复议" + "\t" * 5 + "行政诉讼" + "\t" * 10,
        "\t".join(spaced) + "\t未经复议直接起诉" + "\t" * 5 + "复议后起诉" + "\t" * 5,
        "\t" * 5 + "\t".join(spaced * 2) + "\t",
        "\t".join(texts),
    ]


def _tab_document(
    head: list[str],
    preamble: str | None,
    sections: dict[str, str],
    tables: dict[str, list[str]],
    page_breaks: tuple[str, ...] = (),
) -> str:
    """Seeds 002/004: every heading, paragraph and table followed by a blank line.

    In the sections named by `page_breaks` the longest paragraph is cut in two by a blank
    line mid-sentence, as page breaks do in seed 004 (sections 一 and 六).
    """
    lines = list(head)
    for key, heading in HEADINGS.items():
        lines += [heading, ""]
        if key == "1" and preamble:
            lines += [preamble, ""]
        paragraphs = _paragraphs(sections.get(key))
        longest = max(paragraphs, key=len, default="")
        for para in paragraphs:
            lines += [*(_page_break(para) if key in page_breaks and para is longest else [para]), ""]
        if key in tables:
            lines += [*tables[key], ""]
    while lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def write_002(values: dict[str, Value], sections: dict[str, str], agency: str | None, year: int) -> str:
    head = ["", "", f"{agency} {year} 年政府信息公开工作年度报告", ""]
    preamble = (
        "根据《中华人民共和国政府信息公开条例》（国务院令第 711 号）规定，"
        f"现将{agency} {year} 年政府信息公开工作年度报告内容公开如下："
    )
    tables = {
        "2": _tab_active(values, blank_after_regulations=False),
        "3": _tab_applications_002(values),
        "4": _tab_reviews_002(values),
    }
    return _tab_document(head, preamble, sections, tables)


def write_004(values: dict[str, Value], sections: dict[str, str], agency: str | None, year: int) -> str:
    head = [
        "",
        "",
        f"{agency}",
        "",
        f"{year}年政府信息公开工作年度报告",
        "",
        "根据《中华人民共和国政府信息公开条例》规定和《国务院办公厅政府信息与政务公开办公室关于印发"
        "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，"
        f"现发布《{agency}{year}年政府信息公开工作年度报告》，本报告统计数据从{year}年1月1日至12月31日。",
        "",
    ]
    tables = {
        "2": _tab_active(values, blank_after_regulations=True),
        "3": _tab_applications_004(values),
        "4": _tab_reviews_004(values),
    }
    return _tab_document(head, None, sections, tables, page_breaks=("1", "6"))


def _page_break(para: str) -> list[str]:
    """Cut a paragraph near its middle, between two Chinese characters (never inside a number)."""
    for i in range(len(para) // 2, len(para) - 1):
        if _is_han(para[i - 1]) and _is_han(para[i]) and para[i + 1] != "、":
            return [para[:i], "", para[i:]]
    return [para]


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and ch not in _NUMERALS


WRITERS: dict[str, Callable[[dict[str, Value], dict[str, str], str | None, int], str]] = {
    "000": write_000,
    "001": write_001,
    "002": write_002,
    "003": write_003,
    "004": write_004,
}


def write_layout(
    layout: str, values: dict[str, Value], sections: dict[str, str], agency: str, year: int
) -> str:
    """The report as plain text in the layout of seed `layout` ("000" … "004").

    `values`: cell reference -> value (int, Decimal for the fee, None for a blank cell; a
    missing reference is written blank). `sections`: "1".."6" -> prose, one paragraph per line.
    """
    return WRITERS[layout](values, sections, agency, year)


# ---------------------------------------------------------------- random reports


def consistent_tables(rng: random.Random) -> dict[str, Value]:
    """Random values for all 200 cells satisfying every identity of the 2021 format, all distinct.

    Per applicant column the outcome rows sum to 三(七) and 一+二 = 三(七)+四; the 总计 column
    is the sum of the six applicant columns in every row; in table 四 维持+纠正+其他+尚未审结 = 总计.
    The fee is a Decimal with two decimals (never a whole number, so it differs from every count).
    """
    while True:
        values = _draw_tables(rng)
        numbers = list(values.values())
        if len(set(numbers)) == len(numbers) and all(v >= 0 for v in numbers):
            return values


def _draw_tables(rng: random.Random) -> dict[str, Value]:
    """Free cells drawn without repetition from one pool; sums and totals derived from them."""
    columns = [f.key for f in APPLICATIONS.rows[0].fields if f.key != "total"]
    outcome_rows = [r.key for r in APPLICATIONS.rows if r.outcome]
    count_refs = [r for r in ACTIVE.refs() if r != "active/fees/amount"]
    free = len(count_refs) + len(outcome_rows) * len(columns) + 2 * len(columns) + 3 * 4
    pool = iter(rng.sample(range(0, 700), free))

    values: dict[str, Value] = {ref: next(pool) for ref in count_refs}
    cents = rng.randrange(0, 1000) * 100 + rng.randrange(1, 100)  # never a whole number of 万元
    values["active/fees/amount"] = Decimal(cents).scaleb(-2)

    for col in columns:
        for row in outcome_rows:
            values[f"applications/{row}/{col}"] = next(pool)
        done = sum(values[f"applications/{row}/{col}"] for row in outcome_rows)
        carried_over, carried_forward = next(pool), next(pool)
        values[f"applications/total/{col}"] = done
        values[f"applications/carried_over/{col}"] = carried_over
        values[f"applications/carried_forward/{col}"] = carried_forward
        values[f"applications/received/{col}"] = done + carried_forward - carried_over
    for row in APPLICATIONS.rows:
        values[f"applications/{row.key}/total"] = sum(values[f"applications/{row.key}/{c}"] for c in columns)

    for row in REVIEWS.rows:
        four = [next(pool) for _ in range(4)]
        for key, value in zip(("upheld", "corrected", "other", "pending"), four, strict=True):
            values[f"reviews/{row.key}/{key}"] = value
        values[f"reviews/{row.key}/total"] = sum(four)
    return {ref: values[ref] for ref in REFS}


def prose_with_numbers(rng: random.Random, year: int = 2024) -> dict[str, str]:
    """Prose for the six sections, one paragraph per line, with numbers in most sentences.

    No line is only a number (a table cell could be that) and no line starts like a section
    heading (一、 … 六、); sub-heads like （一） and 1. do occur, as in the seeds.
    """

    def n(lo: int = 1, hi: int = 400) -> int:
        return rng.randint(lo, hi)

    numbered = rng.random() < 0.5
    heads = ["主动公开情况", "依申请公开情况", "政府信息管理情况", "政府信息公开平台建设情况", "监督保障情况"]
    marks = [f"{i}. " for i in range(1, 6)] if numbered else [f"（{c}）" for c in "一二三四五"]
    bodies = [
        f"{year}年，本机关主动公开政府信息{n()}条，其中政策文件{n(1, 30)}件，机构职能{n(1, 9)}条。",
        f"本年共收到申请{n()}件，办结{n()}件，平均办理时间{n(2, 20)}个工作日。",
        f"安排分管领导{n(1, 3)}名、工作人员{n(2, 9)}名专职负责，全年审核稿件{n()}篇，开展保密审查{n()}次。",
        f"网站发布信息{n()}条，微信公众号发布{n()}篇，政务新媒体粉丝{n(1000, 90000)}人。",
        f"全年开展培训{n(1, 12)}次，参训{n(20, 300)}人次，整改问题{n(1, 20)}个。",
    ]
    section1 = [
        f"{year}年，本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作，共召开专题会议{n(1, 9)}次。"
    ]
    for mark, head, body in zip(marks, heads, bodies, strict=True):
        section1 += [f"{mark}{head}", body]
    return {
        "1": "\n".join(section1),
        "2": f"{year}年主动公开信息{n()}条，更新行政规范性文件{n(1, 20)}件，其他公开文件{n(1, 50)}条。",
        "3": f"{year}年共收到政府信息公开申请{n()}件，上年结转{n(1, 30)}件，结转下年度继续办理{n(1, 30)}件。",
        "4": f"{year}年度，因政府信息公开工作被申请行政复议{n(1, 30)}件，被提起行政诉讼{n(1, 30)}件。",
        "5": "\n".join(
            [
                "（一）上年度存在问题的改进情况",
                f"针对{year - 1}年发现的{n(2, 9)}个问题，已全部整改，更新栏目{n(1, 40)}个。",
                "（二）本年度存在的问题及下年度改进举措",
                f"{year + 1}年将新增公开目录{n(1, 40)}项，力争回复率达到{n(90, 99)}%。",
            ]
        ),
        "6": "\n".join(
            [
                f"本年度收取信息处理费{n(0, 900)}.{n(10, 99)}元，发出收费通知{n(1, 9)}份。",
                f"办理人大代表建议{n(1, 20)}件、政协委员提案{n(1, 20)}件，满意率100%。",
            ]
        ),
    }


# ---------------------------------------------------------------- seeds


def seed_dir() -> Path | None:
    """Where the seed texts are: $XXGK_SEEDS, tests/fixtures/seeds/, or the shared workspace."""
    from shared import SEEDS

    here = Path(__file__).resolve().parent
    candidates = [os.environ.get("XXGK_SEEDS"), here / "fixtures" / "seeds", SEEDS]
    for candidate in candidates:
        if candidate and any(Path(candidate).glob("00[0-4]_*.txt")):
            return Path(candidate)
    return None


def seed_texts() -> Path:
    """`seed_dir()`; without it the test is skipped (fails under CI) as for ../shared/."""
    from shared import missing

    directory = seed_dir()
    if directory is None:
        missing()
    return directory


# ---------------------------------------------------------------- comparing a parsed report


def value_mismatches(report, expected: dict[str, Value]) -> list[str]:
    """One line per cell whose parsed value differs from `expected`, naming the cell, what was
    read and where. A blank must come back as None and a count as an int."""
    out = []
    for ref, want in expected.items():
        if not report.has(ref):
            out.append(f"{ref} ({FMT.describe(ref)}): expected {want!r}, cell not read")
            continue
        cell = report.cells[ref]
        if not same_value(want, cell.value, FMT.fields_by_ref[ref][2].kind):
            out.append(
                f"{ref} ({FMT.describe(ref)}): expected {want!r}, got {cell.value!r}"
                f" (raw {cell.raw!r}, where {cell.where}, confidence {cell.confidence})"
            )
    return out


def same_value(want: Value, got: object, kind: str) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if isinstance(got, bool) or not isinstance(got, int | Decimal):
        return False
    if kind == "count" and not isinstance(got, int):
        return False
    return got == want


def seed_report(prefix: str):
    """Seed `prefix` (e.g. "004") parsed; the test is skipped when the seed texts are absent."""
    from xxgk.extract import parse_bytes

    path = seed_path(prefix)
    return parse_bytes(path.read_bytes(), str(path))


def seed_path(prefix: str) -> Path:
    """The text of seed `prefix`; the test is skipped when the seed texts are absent."""
    return next(seed_texts().glob(f"{prefix}_*.txt"))


def write_text_reports(directory: Path, count: int, agency: str = "示例区第{n}局") -> Path:
    """`count` distinct consistent text reports (layout 002, year 2024) as r{n}.txt in a new folder."""
    directory.mkdir()
    for n in range(count):
        text = write_layout("002", consistent_tables(random.Random(n)), {}, agency.format(n=n), 2024)
        (directory / f"r{n}.txt").write_text(text, encoding="utf-8")
    return directory
