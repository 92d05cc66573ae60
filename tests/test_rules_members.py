"""Aggregate rules (XG801, XG802): a district government's report against its member reports.

Members and aggregates are text in the tab-row layout of the example report (see
`tab_report` in tests/test_rules_crossyear.py), parsed with `parse_bytes`.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layouts import REFS, consistent_tables
from test_rules_crossyear import AGENCY, EXAMPLE_VALUES, REPORT_2020, applications, parse, tab_report
from xxgk.check import Context, check_report
from xxgk.formats import FORMAT_2021
from xxgk.model import Report, number_text

GOVERNMENT = "示例区人民政府"
CIVIL = "示例区民政局"
OFFICE = "示例区人民政府办公室"

CIVIL_VALUES = {
    **applications(
        natural_person={
            "granted": 6,
            "unavailable_not_held": 2,
            "declined_repeat": 1,
            "carried_forward": 2,
        },
        social_welfare={"granted": 1},
    ),
    "active/normative_documents/issued": 1,
    "active/normative_documents/repealed": 0,
    "active/normative_documents/in_force": 7,
    "active/licensing/decisions": 120,
    "active/penalty/decisions": 0,
    "active/fees/amount": Decimal("0.35"),
    "reviews/reconsideration/upheld": 1,
    "reviews/reconsideration/total": 1,
    "reviews/litigation_direct/pending": 0,
    "reviews/litigation_direct/total": 0,
}

OFFICE_VALUES = {
    **applications(
        natural_person={
            "granted": 12,
            "partially_granted": 2,
            "unavailable_not_held": 4,
            "other_misc": 1,
            "carried_over": 3,
            "carried_forward": 1,
        },
        commercial={"granted": 2, "withheld_third_party": 1},
        legal_services={"granted": 1},
    ),
    "active/normative_documents/issued": 3,
    "active/normative_documents/repealed": 2,
    "active/normative_documents/in_force": 21,
    "active/licensing/decisions": 0,
    "active/penalty/decisions": 0,
    "active/fees/amount": Decimal("0"),
    "reviews/reconsideration/upheld": 0,
    "reviews/reconsideration/total": 0,
    "reviews/litigation_direct/upheld": 1,
    "reviews/litigation_direct/pending": 0,
    "reviews/litigation_direct/total": 1,
}


def summed(*tables: dict) -> dict:
    """Cell-wise sum over the references of the first table (absent cells count 0)."""
    return {ref: sum((t.get(ref) or 0 for t in tables[1:]), tables[0][ref] or 0) for ref in tables[0]}


def full(values: dict) -> dict:
    return {**EXAMPLE_VALUES, **values}


MEMBER_TABLES = [full({}), full(CIVIL_VALUES), full(OFFICE_VALUES)]
TOTALS = summed(*MEMBER_TABLES)


def member(agency: str, values: dict, year: int = 2024) -> Report:
    return parse(tab_report(agency, year, values), f"{agency}-{year}.txt")


@pytest.fixture
def members() -> list[Report]:
    return [member(AGENCY, {}), member(CIVIL, CIVIL_VALUES), member(OFFICE, OFFICE_VALUES)]


def aggregate(changes: dict | None = None, totals: dict | None = None) -> Report:
    return parse(
        tab_report(GOVERNMENT, 2024, {**(totals or TOTALS), **(changes or {})}), "示例区人民政府-2024.txt"
    )


def found(report: Report, members: list[Report], code: str = "XG8") -> list[tuple[str, str, list[str]]]:
    return [
        (f.severity, f.message, f.cells)
        for f in check_report(report, Context(members=members), select=[code])
    ]


SUMMARY = (
    "info",
    "本汇总报告（2024年）与 3 份成员报告核对：示例区司法局（2024年）、示例区民政局（2024年）、示例区人民政府办公室（2024年）",
    [],
)


# ---------------------------------------------------------------- the fixtures themselves


def test_members_and_aggregate_are_consistent_reports(members):
    agg = aggregate()
    for report in (*members, agg):
        assert report.format == "2021" and len(report.cells) == 200
        assert [f.code for f in check_report(report, select=["XG1"])] == []
    assert (agg.meta.agency, agg.meta.year) == (GOVERNMENT, 2024)
    assert agg.value("applications/received/total") == 11 + 12 + 21
    assert agg.value("active/fees/amount") == Decimal("0.35")


# ---------------------------------------------------------------- XG801


def test_no_members_no_findings():
    assert found(aggregate(), []) == []


def test_aggregate_equal_to_sum_only_lists_coverage(members):
    assert found(aggregate(), members) == [SUMMARY]


def test_row_with_differing_columns_is_one_finding(members):
    agg = aggregate({"applications/received/natural_person": 39, "applications/received/total": 46})
    assert found(agg, members, "XG801") == [
        (
            "error",
            "“一、本年新收政府信息公开申请数量”行与成员报告之和不符：自然人 汇总 39，3 份成员报告之和 37；"
            "总计 汇总 46，3 份成员报告之和 44",
            ["applications/received/natural_person", "applications/received/total"],
        )
    ]
    finding = next(f for f in check_report(agg, Context(members=members)) if f.code == "XG801")
    assert finding.where == {"line": 35}


def test_fee_is_summed_as_decimal_and_reviews_are_compared(members):
    agg = aggregate(
        {
            "active/fees/amount": Decimal("0.4"),
            "reviews/reconsideration/upheld": 3,
            "reviews/reconsideration/total": 3,
        }
    )
    assert found(agg, members, "XG801") == [
        (
            "error",
            "“行政事业性收费”行与成员报告之和不符：汇总 0.4，3 份成员报告之和 0.35",
            ["active/fees/amount"],
        ),
        (
            "error",
            "“行政复议”行与成员报告之和不符：结果维持 汇总 3，3 份成员报告之和 2；总计 汇总 3，3 份成员报告之和 2",
            ["reviews/reconsideration/upheld", "reviews/reconsideration/total"],
        ),
    ]


def test_blank_aggregate_cell_counts_as_zero_and_says_so(members):
    agg = aggregate()
    agg.cells["active/penalty/decisions"].value = None
    assert found(agg, members, "XG801") == [
        (
            "error",
            "“行政处罚”行与成员报告之和不符：汇总 空白，3 份成员报告之和 12（空白单元格按 0 计）",
            ["active/penalty/decisions"],
        )
    ]


def test_member_in_the_2019_format_gives_incomplete_coverage(members):
    old = parse(REPORT_2020.replace(AGENCY, CIVIL).replace("2020年", "2024年"), "民政局-2024-旧格式.txt")
    assert (old.format, old.meta.year) == ("2019", 2024)
    shared = {ref: cell.value for ref, cell in old.cells.items() if ref in FORMAT_2021.fields_by_ref}
    totals = summed(MEMBER_TABLES[0], shared, MEMBER_TABLES[2])
    group = [members[0], old, members[2]]
    result = found(aggregate(totals=totals), group, "XG801")
    assert [(s, m) for s, m, _ in result] == [
        (
            "warning",
            "成员报告“示例区民政局”（2019 年格式）缺少汇总报告中的 28 个单元格"
            "（第二部分主动公开表 7 个、第三部分申请情况表 21 个），这些单元格未与成员之和比较，汇总核对覆盖不完整",
        )
    ]
    assert result[0][2][:2] == ["active/regulations/issued", "active/regulations/repealed"]
    assert "applications/other_misc/total" in result[0][2]
    # 处理决定数量 of 行政许可/处罚/强制 means the same in both formats: compared, not missing.
    assert "active/licensing/decisions" not in result[0][2]
    # The shared cells are still compared.
    wrong = aggregate({"applications/granted/total": 1}, totals=totals)
    assert [m for _, m, _ in found(wrong, group, "XG801")][0].startswith(
        "“三(一)予以公开”行与成员报告之和不符："
    )


# ---------------------------------------------------------------- XG802


def test_member_of_another_year_and_duplicate_member(members):
    civil_2023 = member(CIVIL, CIVIL_VALUES, year=2023)
    group = [members[0], civil_2023, member(AGENCY, {})]
    assert found(aggregate(), group, "XG802") == [
        (
            "info",
            "本汇总报告（2024年）与 3 份成员报告核对：示例区司法局（2024年）、示例区民政局（2023年）、示例区司法局（2024年）",
            [],
        ),
        ("warning", "1 份成员报告的年度与汇总报告（2024年）不同：“示例区民政局”（2023年）", []),
        ("warning", "成员报告“示例区司法局”出现 2 次（第1、3份），其数字会被重复计入汇总", []),
    ]


def test_member_without_agency_is_named_by_file_and_duplicated_by_content(members):
    first, second = member(OFFICE, OFFICE_VALUES), member(OFFICE, OFFICE_VALUES)
    for report in (first, second):
        report.meta.agency = None
    result = found(aggregate(), [members[0], first, second], "XG802")
    assert result[0][1] == (
        "本汇总报告（2024年）与 3 份成员报告核对：示例区司法局（2024年）、示例区人民政府办公室-2024.txt（2024年）、"
        "示例区人民政府办公室-2024.txt（2024年）"
    )
    assert result[1:] == [
        (
            "warning",
            "成员报告“示例区人民政府办公室-2024.txt”出现 2 次（第2、3份），其数字会被重复计入汇总",
            [],
        )
    ]


def test_members_loaded_from_json(members):
    stored = [Report.from_json(json.loads(json.dumps(m.to_json(), ensure_ascii=False))) for m in members]
    agg = aggregate({"applications/granted/commercial": 4, "applications/granted/total": 26})
    expected = found(agg, members)
    assert found(Report.from_json(agg.to_json()), stored) == expected
    assert [s for s, _, _ in expected] == ["error", "info"]


# ---------------------------------------------------------------- property: sums of consistent tables

RNG_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _report(values: dict, agency: str) -> Report:
    report = Report(format="2021")
    report.meta.agency, report.meta.year = agency, 2024
    for ref, value in values.items():
        report.set(ref, value)
    return report


@settings(max_examples=60, deadline=None)
@given(
    seeds=st.lists(RNG_SEEDS, min_size=1, max_size=5),
    pick=st.integers(min_value=0, max_value=len(REFS) - 1),
    step=st.sampled_from([-3, -1, 1, 2, 50]),
)
def test_sum_of_consistent_members_is_silent_and_one_changed_cell_is_named(seeds, pick, step):
    tables = [consistent_tables(random.Random(seed)) for seed in seeds]
    members = [_report(t, f"示例区第{i + 1}部门") for i, t in enumerate(tables)]
    agg = _report(summed(*tables), GOVERNMENT)
    assert found(agg, members, "XG801") == []

    ref = REFS[pick]
    before = agg.value(ref)
    after = before + (Decimal(step).scaleb(-2) if isinstance(before, Decimal) else step)
    agg.cells[ref].value = after
    result = found(agg, members, "XG801")
    assert [cells for _, _, cells in result] == [[ref]]
    assert f"汇总 {number_text(after)}，{len(members)} 份成员报告之和 {number_text(before)}" in result[0][1]
