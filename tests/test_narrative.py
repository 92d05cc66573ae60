"""Paragraphs written from the numbers (xxgk.source.narrative): exact wording, every number read
back by the prose rules, no XG3xx finding on consistent tables, XG301 once a number goes stale;
the preamble written from meta and the contact details, told apart from a reworded one."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layouts import consistent_tables
from xxgk.api import load_report
from xxgk.check import check_report
from xxgk.check.prose_facts import facts
from xxgk.formats import FORMAT_2021
from xxgk.model import Meta, Report
from xxgk.source import dump_source, loads_source, starter_report
from xxgk.source.narrative import (
    ACTIVE,
    APPLICATIONS,
    FEE,
    GENERATORS,
    PREAMBLE,
    REVIEWS,
    FeeFigures,
    contact_text,
    could_be_generated,
    generated_texts,
    parse_contact,
    parse_fee,
    parse_preamble,
)
from xxgk.text.normalize import normalize_text

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "示例区司法局-2024-制表符行.txt"
APP = FORMAT_2021.table("applications")
COLUMNS = [f.key for f in APP.rows[0].fields if f.key != "total"]


def zero_report(year: int = 2025) -> Report:
    report = Report(format="2021", meta=Meta(agency="示例区司法局", year=year))
    for ref in FORMAT_2021.refs():
        report.set(ref, 0)
    return report


def set_row(report: Report, table: str, row: str, value: int, field: str = "natural_person") -> None:
    """Put `value` in one field of a row and keep the row's 总计 equal to its parts."""
    report.set(f"{table}/{row}/{field}", value)
    parts = [f.key for f in FORMAT_2021.table(table).row(row).fields if f.key != "total"]
    report.set(f"{table}/{row}/total", sum(report.value(f"{table}/{row}/{p}") or 0 for p in parts))


def read_back(text: str, section: str, year: int = 2025) -> list[tuple[str, object]]:
    return [(f.kind, f.value) for f in facts(normalize_text(text), year, section == "4")]


# ---------------------------------------------------------------- exact wording


def test_the_example_report_gives_these_paragraphs():
    texts = generated_texts(load_report(str(EXAMPLE)), FeeFigures(2, Decimal("35.5")))
    assert texts == {
        ACTIVE: "本年度制发行政规范性文件2件，废止行政规范性文件1件，现行有效行政规范性文件5件。"
        "作出行政许可决定36件、行政处罚决定12件、行政强制决定0件。未收取行政事业性收费。",
        APPLICATIONS: "本年度新收政府信息公开申请11件，上年结转政府信息公开申请1件。"
        "本年度办结政府信息公开申请11件，其中予以公开5件、部分公开1件、不予公开1件、无法提供3件、不予处理1件。"
        "结转下年度继续办理1件。",
        REVIEWS: "本年度因政府信息公开工作被申请行政复议1件，其中结果维持1件。"
        "因政府信息公开工作被提起行政诉讼1件，其中未经复议直接起诉1件（尚未审结1件）。",
        FEE: "本年度共发出收费通知2件，实际收取信息处理费35.5元。",
        PREAMBLE: "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求编制。"
        "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。",
    }


def test_all_zero_tables_say_so_in_plain_words():
    texts = generated_texts(zero_report(), FeeFigures())
    assert texts[APPLICATIONS] == "本年度未收到政府信息公开申请。"
    assert texts[REVIEWS] == "本年度没有因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    assert texts[FEE] == "本年度未收取信息处理费。"
    assert texts[ACTIVE] == (
        "本年度制发行政规范性文件0件，废止行政规范性文件0件，现行有效行政规范性文件0件。"
        "作出行政许可决定0件、行政处罚决定0件、行政强制决定0件。未收取行政事业性收费。"
    )


def test_zero_outcome_groups_are_left_out_and_other_handling_sums_its_rows():
    report = zero_report()
    set_row(report, "applications", "received", 7)
    set_row(report, "applications", "granted", 3)
    set_row(report, "applications", "other_no_correction", 1)
    set_row(report, "applications", "other_misc", 2, field="commercial")
    set_row(report, "applications", "total", 6)
    set_row(report, "applications", "carried_forward", 1)
    assert GENERATORS[APPLICATIONS].text(report, FeeFigures()) == (
        "本年度新收政府信息公开申请7件。本年度办结政府信息公开申请6件，其中予以公开3件、其他处理3件。"
        "结转下年度继续办理1件。"
    )


def test_reviews_when_only_litigation_after_reconsideration():
    report = zero_report()
    report.set("reviews/litigation_after_reconsideration/corrected", 2)
    report.set("reviews/litigation_after_reconsideration/total", 2)
    assert GENERATORS[REVIEWS].text(report, FeeFigures()) == (
        "本年度没有因政府信息公开工作被申请行政复议的情况。"
        "因政府信息公开工作被提起行政诉讼2件，其中复议后起诉2件（结果纠正2件）。"
    )
    report.set("reviews/reconsideration/pending", 1)
    report.set("reviews/reconsideration/total", 1)
    report.set("reviews/litigation_after_reconsideration/total", 0)
    assert GENERATORS[REVIEWS].text(report, FeeFigures()) == (
        "本年度因政府信息公开工作被申请行政复议1件，其中尚未审结1件。没有因政府信息公开工作被提起行政诉讼的情况。"
    )


def test_regulations_appear_only_when_the_row_has_numbers():
    report = zero_report()
    report.set("active/regulations/in_force", 4)
    report.set("active/fees/amount", Decimal("1.20"))
    assert GENERATORS[ACTIVE].text(report, FeeFigures()) == (
        "本年度制发行政规范性文件0件，废止行政规范性文件0件，现行有效行政规范性文件0件。"
        "制发规章0件，废止规章0件，现行有效规章4件。"
        "作出行政许可决定0件、行政处罚决定0件、行政强制决定0件。收取行政事业性收费1.2万元。"
    )


def test_a_blank_cell_the_paragraph_needs_gives_a_placeholder_not_a_false_zero():
    report = zero_report()
    report.set("reviews/reconsideration/upheld", None)
    report.set("applications/received/total", None)  # the parts are there: their sum stands in
    set_row(report, "applications", "received", 2)
    report.set("applications/received/total", None)
    texts = generated_texts(report, FeeFigures())
    assert texts[REVIEWS] == "【请填写：表四中的空白单元格；填好后本段按表中数字自动生成】"
    assert texts[APPLICATIONS] == "本年度新收政府信息公开申请2件。"
    for ref in FORMAT_2021.table("applications").refs():
        if "/received/" in ref:
            report.set(ref, None)
    assert generated_texts(report, FeeFigures())[APPLICATIONS].startswith("【请填写：表三中的空白单元格")


# ---------------------------------------------------------------- the prose rules read every number


def test_every_generated_number_is_read_by_the_prose_rules():
    texts = generated_texts(load_report(str(EXAMPLE)), FeeFigures(3, 120))
    assert read_back(texts[APPLICATIONS], "3") == [
        ("received", 11),
        ("carried_in", 1),
        ("handled", 11),
        ("granted", 5),
        ("partial", 1),
        ("withheld", 1),
        ("unavailable", 3),
        ("declined", 1),
        ("carried_forward", 1),
    ]
    assert read_back(texts[REVIEWS], "4") == [
        ("reconsideration", 1),
        ("litigation", 1),
        ("litigation_direct", 1),
    ]
    assert read_back(texts[ACTIVE], "2") == [
        ("norm_issued", 2),
        ("norm_repealed", 1),
        ("norm_in_force", 5),
        ("licensing", 36),
        ("penalty", 12),
        ("coercion", 0),
    ]
    assert read_back(texts[FEE], "6") == [("processing_fee", 120)]
    zero = generated_texts(zero_report(), FeeFigures())
    assert read_back(zero[APPLICATIONS], "3") == [("received", 0)]
    assert read_back(zero[REVIEWS], "4") == [("reconsideration", 0), ("litigation", 0)]
    assert read_back(zero[FEE], "6") == [("processing_fee", 0)]


# Cells whose number the generated prose states, one per kind of fact XG301 compares.
STATED = (
    "applications/received/total",
    "applications/carried_over/total",
    "applications/total/total",
    "applications/carried_forward/total",
    "applications/granted/total",
    "applications/partially_granted/total",
    "applications/withheld_third_party/total",
    "applications/unavailable_not_held/total",
    "applications/declined_repeat/total",
    "applications/other_misc/total",
    "reviews/reconsideration/total",
    "reviews/litigation_direct/total",
    "reviews/litigation_after_reconsideration/total",
    "active/normative_documents/issued",
    "active/normative_documents/repealed",
    "active/normative_documents/in_force",
    "active/regulations/issued",
    "active/regulations/in_force",
    "active/licensing/decisions",
    "active/penalty/decisions",
    "active/coercion/decisions",
    "active/fees/amount",
)


TABLES_MARK = "\n# ---------------------------------------------------------------- 表二"


def from_starter_source(values: dict) -> Report:
    """`xxgk new`'s source with the numbers typed into its tables, loaded. Its paragraphs were
    written for all-zero tables; loading writes them afresh from the numbers."""
    starter = starter_report("示例区司法局", 2025)
    text = dump_source(starter)
    for ref, value in values.items():
        starter.set(ref, value)
    typed = dump_source(starter)
    assert '- 文字: "本年度未收到政府信息公开申请。"' in text
    return loads_source(text.split(TABLES_MARK)[0] + TABLES_MARK + typed.split(TABLES_MARK)[1])


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), stale=st.sampled_from(STATED))
def test_consistent_tables_give_no_prose_finding_and_a_stale_number_gives_xg301(seed, stale):
    values = consistent_tables(random.Random(seed))
    report = from_starter_source(values)
    findings = check_report(report)
    assert [f for f in findings if f.code.startswith("XG3")] == []
    # The starter's 【请填写：…】 paragraphs are errors (XG502) until replaced; nothing else is.
    assert not any(f.severity == "error" and f.code != "XG502" for f in findings)
    # The tables change after the paragraphs were written: the text is stale.
    report.set(stale, report.value(stale) + 1000)
    report.findings = []
    stale_findings = [f for f in check_report(report) if f.code == "XG301"]
    assert stale_findings and all(f.severity == "error" for f in stale_findings)
    assert any(stale in f.cells for f in stale_findings), [f.message for f in stale_findings]


# ---------------------------------------------------------------- telling stale text from reworded text


def test_stale_text_is_recognised_and_reworded_text_is_not():
    report = zero_report()
    old = GENERATORS[APPLICATIONS].text(report, FeeFigures())
    set_row(report, "applications", "received", 4)
    set_row(report, "applications", "declined_repeat", 4)
    set_row(report, "applications", "total", 4)
    new = GENERATORS[APPLICATIONS].text(report, FeeFigures())
    assert new != old
    assert could_be_generated(APPLICATIONS, old) and could_be_generated(APPLICATIONS, new)
    assert could_be_generated(APPLICATIONS, new.replace("4", "17"))
    assert not could_be_generated(APPLICATIONS, new.replace("本年度办结", "全年办结"))
    assert not could_be_generated(REVIEWS, new)
    assert could_be_generated(REVIEWS, GENERATORS[REVIEWS].incomplete)


@given(
    notices=st.integers(0, 10**6),
    yuan=st.one_of(st.integers(0, 10**7), st.decimals("0.01", "99999.99", places=2)),
)
def test_fee_sentences_parse_back_to_their_figures(notices, yuan):
    text = GENERATORS[FEE].compose({"notices": notices, "yuan": yuan})
    parsed = parse_fee(text)
    assert parsed is not None
    assert GENERATORS[FEE].compose({"notices": parsed.notices, "yuan": parsed.yuan}) == text
    assert parse_fee(text[:-1] + "，另有说明。") is None


_FIELD_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1, max_size=20)


@given(address=st.none() | _FIELD_TEXT, phone=st.none() | _FIELD_TEXT, email=st.none() | _FIELD_TEXT)
def test_a_contact_line_parses_back_or_is_not_taken_for_one(address, phone, email):
    contact = {"address": address, "phone": phone, "email": email}
    line = contact_text(contact)
    if line is None:
        assert not (address or phone or email)
        return
    parsed = parse_contact(line)
    if parsed is not None:  # a value with “；联系电话：” in it may not parse; then it stays text
        assert contact_text(parsed) == line


def test_contact_line_exact():
    contact = {"address": "示例区人民路1号", "phone": "0000-00000000", "email": "sfj@example.gov.cn"}
    line = "联系地址：示例区人民路1号；联系电话：0000-00000000；电子邮箱：sfj@example.gov.cn。"
    assert contact_text(contact) == line
    assert parse_contact(line) == contact
    assert contact_text({"phone": "12345"}) == "联系电话：12345。"
    assert parse_contact("联系电话：12345；联系地址：某路。") is None  # out of order: a clerk's own line


@pytest.mark.parametrize("name", [name for name, gen in GENERATORS.items() if gen.parse is None])
def test_each_generator_has_a_small_set_of_wordings(name):
    from xxgk.source.narrative import _masked_shapes

    assert 2 <= len(_masked_shapes(name)) <= 5000


# ---------------------------------------------------------------- the preamble (前言)

LAW = "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）"
CONTACT = {"address": "示例区人民路1号", "phone": "0000-00000000", "email": "sfj@example.gov.cn"}


def preamble_of(report: Report, contact: dict | None = None) -> str:
    return GENERATORS[PREAMBLE].text(report, FeeFigures(), contact)


@pytest.mark.parametrize(
    ("contact", "ask"),
    [
        (
            CONTACT,
            "如对本报告有疑问，请与示例区司法局联系（地址：示例区人民路1号；电话：0000-00000000；电子邮箱：sfj@example.gov.cn）。",
        ),
        ({"phone": "0000-00000000"}, "如对本报告有疑问，请与示例区司法局联系（电话：0000-00000000）。"),
        (
            {"address": "示例区人民路1号", "email": "a@b.cn"},
            "如对本报告有疑问，请与示例区司法局联系（地址：示例区人民路1号；电子邮箱：a@b.cn）。",
        ),
        ({"address": None, "phone": "", "email": None}, ""),
        (None, ""),
    ],
)
def test_the_preamble_names_the_contact_details_given(contact, ask):
    assert preamble_of(zero_report(2025), contact) == (
        f"{LAW}和国办公开办函〔2021〕30号要求编制。本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。{ask}"
    )


def test_the_preamble_cites_the_format_the_tables_follow():
    report = zero_report(2020)
    report.format = "2019"
    assert preamble_of(report).startswith(
        f"{LAW}和国办公开办函〔2019〕60号要求编制。本报告所列数据的统计期限自2020年"
    )
    report.format = "pre2019"
    assert preamble_of(report) == f"{LAW}编制。本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
    report.meta.year = None
    assert preamble_of(report) == "【请填写：机关名称和报告年度；填好后本段自动生成】"


def test_the_preamble_gives_no_front_matter_finding():
    """Rebuilt from the report's text (JSON, YAML), the generated preamble satisfies XG206 and
    XG207, and a preamble of the wrong year is caught by XG207."""
    report = zero_report(2025)
    report.preamble = preamble_of(report, CONTACT)
    assert [f.code for f in check_report(report) if f.code in ("XG206", "XG207")] == []
    stale = zero_report(2025)
    stale.preamble = preamble_of(zero_report(2024), CONTACT)
    found = [f for f in check_report(stale) if f.code == "XG207"]
    assert [f.message for f in found] == ["开头统计期限“2024年1月1日起至2024年12月31日”与报告年度2025年不符"]


def test_a_stale_preamble_is_recognised_and_a_reworded_one_is_not():
    old = preamble_of(zero_report(2024), CONTACT)
    renamed = zero_report(2025)
    renamed.meta.agency = "示例区民政局"
    new = preamble_of(renamed, {"phone": "1234"})
    assert could_be_generated(PREAMBLE, old) and could_be_generated(PREAMBLE, new)
    assert could_be_generated(PREAMBLE, GENERATORS[PREAMBLE].incomplete)
    assert parse_preamble(new) == {
        "agency": "示例区民政局",
        "year": 2025,
        "format": "2021",
        "contact": {"address": None, "phone": "1234", "email": None},
    }
    assert not could_be_generated(PREAMBLE, new.replace("如对本报告有疑问", "如有疑问"))
    assert not could_be_generated(PREAMBLE, new.replace("2025年12月31日", "2025年6月30日"))
    assert not could_be_generated(PREAMBLE, new + "本报告电子版可在示例区人民政府门户网站下载。")
    assert not could_be_generated(APPLICATIONS, new)


@given(
    agency=_FIELD_TEXT,
    year=st.integers(1990, 2100),
    fmt=st.sampled_from(["2021", "2019", "pre2019"]),
    address=st.none() | _FIELD_TEXT,
    phone=st.none() | _FIELD_TEXT,
    email=st.none() | _FIELD_TEXT,
)
def test_a_composed_preamble_parses_back_to_the_same_text(agency, year, fmt, address, phone, email):
    report = zero_report(year)
    report.meta.agency, report.format = agency, fmt
    contact = {"address": address, "phone": phone, "email": email}
    text = preamble_of(report, contact)
    if not agency.strip():
        assert text == GENERATORS[PREAMBLE].incomplete
        return
    parsed = parse_preamble(text)
    assert parsed is not None and parsed["year"] == year
    # A value with “；电话：” in it may be split otherwise; the text it gives is the same.
    again = zero_report(year)
    again.meta.agency, again.format = parsed["agency"] or agency, fmt
    assert preamble_of(again, parsed["contact"]) == text
