"""Arithmetic rules: each fires on a realistic mistake and stays silent on a consistent report."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from layouts import seed_report
from xxgk.check import RULES, check_report
from xxgk.extract import parse_bytes
from xxgk.model import Report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD = EXAMPLES / "示例区司法局-2024-制表符行.txt"


@pytest.fixture
def good() -> Report:
    return parse_bytes(GOOD.read_bytes(), str(GOOD))


def _codes(report: Report, **kw) -> list[tuple[str, str]]:
    # Changing a table cell also makes the prose disagree (XG301); these tests judge XG1 only.
    kw.setdefault("select", ["XG1"])
    return [(f.code, f.message) for f in check_report(report, **kw)]


def test_consistent_report_has_no_findings(good):
    assert [(f.code, f.message) for f in check_report(good)] == []


def test_balance_rule_names_column_and_cells(good):
    good.cells["applications/carried_over/commercial"].value = 2
    good.cells["applications/carried_over/total"].value = 3
    findings = check_report(good, select=["XG1"])
    balance = [f for f in findings if f.code == "XG101"]
    assert [f.message for f in balance] == [
        "第2列（商业企业）：一+二=4，三(七)+四=2，勾稽关系不成立",
        "第7列（总计）：一+二=14，三(七)+四=12，勾稽关系不成立",
    ]
    assert "applications/carried_over/commercial" in balance[0].cells
    assert {f.code for f in findings} == {"XG101"}


def test_outcome_sum_rule(good):
    good.cells["applications/granted/natural_person"].value = 5
    good.cells["applications/granted/total"].value = 6
    found = [m for c, m in _codes(good) if c == "XG102"]
    assert found == [
        "第1列（自然人）：三(一)至三(六)各项之和=10，三(七)总计=9，不相等",
        "第7列（总计）：三(一)至三(六)各项之和=12，三(七)总计=11，不相等",
    ]


def test_row_total_rule(good):
    good.cells["applications/received/total"].value = 12
    found = [m for c, m in _codes(good) if c == "XG103"]
    assert found == ["“一、本年新收政府信息公开申请数量”行：六类申请人之和=11，总计=12，不相等"]


def test_review_rule_blank_counts_as_zero_and_says_so(good):
    good.cells["reviews/reconsideration/upheld"].value = None
    found = [m for c, m in _codes(good) if c == "XG104"]
    assert found == ["行政复议：维持+纠正+其他+尚未审结=0，总计=1，不相等（空白单元格按 0 计）"]


def test_value_range_rule(good):
    good.cells["active/penalty/decisions"].value = -2
    good.cells["active/penalty/decisions"].raw = "-2"
    good.cells["active/fees/amount"].value = Decimal("-0.5")
    good.cells["active/fees/amount"].raw = "-0.5"
    found = sorted(m for c, m in _codes(good) if c == "XG105")
    assert found == ["行政事业性收费：-0.5，金额不能为负数", "行政处罚：-2，应为非负整数"]


def test_select_and_ignore_by_prefix(good):
    good.cells["applications/received/total"].value = 12
    assert {c for c, _ in _codes(good)} == {"XG101", "XG103"}
    assert {c for c, _ in _codes(good, select=["XG103"])} == {"XG103"}
    assert {c for c, _ in _codes(good, ignore=["XG10"])} == set()


def test_every_rule_is_documented():
    for code, rule in RULES.items():
        assert code.startswith("XG") and len(code) == 5
        assert rule.summary and len(rule.doc) > 40, code
        assert rule.severity in ("error", "warning", "info")


def test_check_keeps_reader_findings_once(good):
    report = seed_report("004")
    first = [f.code for f in check_report(report)]
    second = [f.code for f in check_report(report)]
    assert first == second and first.count("XG001") == 8


def test_identity_over_a_missing_cell_says_nothing_and_blanks_count_zero(good):
    # Column 2's balance loses a cell (a partial source): that identity is skipped, the
    # column-7 one still fails; a blank cell counts 0 and the message says so.
    good.cells["applications/carried_over/commercial"].value = 2
    good.cells["applications/carried_over/total"].value = 3
    del good.cells["applications/received/commercial"]
    good.cells["applications/received/total"].value = None
    assert [m for c, m in _codes(good) if c == "XG101"] == [
        "第7列（总计）：一+二=3，三(七)+四=12，勾稽关系不成立（空白单元格按 0 计）",
    ]


def test_decimal_zero_and_single_ref_getter():
    from xxgk.check.arithmetic import _getter

    assert _getter(("a",))({"a": 1}) == (1,)
    assert _getter(("a", "b"))({"a": 1, "b": Decimal("0.0")}) == (1, Decimal("0.0"))


def test_compiled_identities_agree_with_each_identity(good):
    # The one-expression test of all identities (every cell there and filled) names the same
    # failing identities as the per-identity loop; a blank or missing cell leaves it to the loop.
    from xxgk.check.arithmetic import _each_identity, _failing
    from xxgk.check.view import cell_values

    identities = good.spec.identities
    good.cells["applications/carried_over/commercial"].value = 2
    good.cells["reviews/reconsideration/upheld"].value = Decimal("1.5")
    values = cell_values(good)
    failing = _failing(identities, values)
    assert [(i.code, i.subject) for i in failing] == [
        ("XG101", "第2列（商业企业）"),
        ("XG103", "“二、上年结转政府信息公开申请数量”行"),
        ("XG104", "行政复议"),
    ]
    assert failing == list(_each_identity(identities, values))
    assert _failing(identities, {**values, "reviews/reconsideration/total": None}) is None
    missing = dict(values)
    del missing["applications/carried_over/total"]  # in row 二's total and column 7's balance
    assert _failing(identities, missing) is None
    assert [i.subject for i in _each_identity(identities, missing)] == ["第2列（商业企业）", "行政复议"]


def test_compiled_identities_sum_as_sum_does():
    from xxgk.check.arithmetic import _compile
    from xxgk.formats.base import Identity

    one = Identity("XG103", "row_total", "行", ("a", "b"), ("t",))
    same = Identity("XG104", "review_total", "组", ("t",), ("t",))
    differ = _compile((one, same))
    assert differ({"a": 1, "b": Decimal("0.5"), "t": Decimal("1.5")}) == (False, False)
    assert differ({"a": 1, "b": 2, "t": 4}) == (True, False)
    assert _compile(())({}) == ()
