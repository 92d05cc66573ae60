"""The dashboard's pure parts, without a database: tree rows and subtotals, lateness, the
filter, the key numbers through the batch indicators, SVG charts, the 催报 files and the
aggregate of member reports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
from websupport import GOOD_TXT, WRONG_TXT, YAML_2025

from xxgk import api
from xxgk.batch.rows import table_values
from xxgk.services.cycle_aggregate import base_report, member_findings, sum_members
from xxgk.services.cycle_content import content_report, report_content
from xxgk.services.cycle_dashboard import counted_json
from xxgk.services.cycle_numbers import Filed, change, indicators, key_numbers
from xxgk.services.cycle_reminders import HEADER, reminder_rows, reminders_csv, reminders_xlsx
from xxgk.services.cycle_tree import NodeFacts, days_late, only_problems, tree_rows
from xxgk.source import load_source
from xxgk.web.charts import compare_chart, status_chart


def _tree() -> list[NodeFacts]:
    # 市(1) → 县(2) → 交通(3), 司法(4); 市 → 区(5) → 教育(6)
    return [
        NodeFacts(1, "市", None, "人民政府", "drafting", 10),
        NodeFacts(2, "县", 1, "人民政府", "accepted", 20, errors=0, warnings=1),
        NodeFacts(3, "交通", 2, "政府部门", "accepted", 30, warnings=2, dismissed=1),
        NodeFacts(4, "司法", 2, "政府部门", "returned", 40, errors=3, days_late=5),
        NodeFacts(5, "区", 1, "人民政府", "published", 50),
        NodeFacts(6, "教育", 5, "政府部门", "none", contacts=("=jiaoyu",), deadline=date(2025, 1, 31)),
    ]


def test_rows_in_tree_order_with_subtotals_of_every_subtree():
    rows = tree_rows(_tree(), 1)
    assert [(r.facts.name, r.depth) for r in rows] == [
        ("市", 0), ("县", 1), ("交通", 2), ("司法", 2), ("区", 1), ("教育", 2)
    ]  # fmt: skip
    city, county, transport = rows[0].subtotal, rows[1].subtotal, rows[2].subtotal
    assert transport is None  # a node without members has no subtotal
    assert (county.nodes, county.late, county.errors, county.warnings, county.dismissed) == (3, 1, 3, 3, 1)
    assert county.status_text() == "退回修改 1、已通过 2"
    assert county.members == [3, 4]
    assert (city.nodes, city.late, city.errors, city.warnings) == (6, 1, 3, 3)
    assert city.status_text() == "无报告 1、填写中 1、退回修改 1、已通过 2、已发布 1"
    assert city.members == [3, 4, 6]  # the nodes whose numbers add up; never an aggregate


def test_a_supervisors_subtree_only():
    rows = tree_rows(_tree(), 5)
    assert [r.facts.name for r in rows] == ["区", "教育"]
    assert tree_rows(_tree(), 99) == []


def test_only_problems_keeps_problem_nodes_and_the_nodes_above_them():
    rows = only_problems(tree_rows(_tree(), 1))
    # 交通 has warnings only (not a problem); 县 and 区 stay for their members' problems
    assert [r.facts.name for r in rows] == ["市", "县", "司法", "区", "教育"]
    clean = [NodeFacts(1, "甲", None, "政府部门", "accepted", 1, warnings=4)]
    assert only_problems(tree_rows(clean, 1)) == []


def test_days_late():
    due = date(2025, 1, 31)
    assert days_late(due, date(2025, 1, 31), date(2025, 3, 1)) is None
    assert days_late(due, date(2025, 2, 3), date(2025, 3, 1)) == 3
    assert days_late(due, None, date(2025, 2, 10)) == 10  # not done: late as of today
    assert days_late(due, None, date(2025, 1, 2)) is None
    assert days_late(None, None, date(2030, 1, 1)) is None


def test_key_numbers_are_the_batch_indicators_per_group_and_year():
    good, wrong = api.load_report(str(GOOD_TXT)).to_json(), api.load_report(str(WRONG_TXT)).to_json()
    found = indicators([
        Filed("a", 2024, good, ("own:a", "sub")),
        Filed("b", 2024, wrong, ("own:b", "sub")),
        Filed("a-1", 2023, good, ("own:a",)),
    ])  # fmt: skip
    a, b, total = (
        key_numbers(found[("own:a", 2024)]),
        key_numbers(found[("own:b", 2024)]),
        found[("sub", 2024)],
    )
    assert a == {
        "received": 11, "concluded": 11, "disclosure_rate": 0.5455, "reconsideration_decided": 1,
        "reconsideration_correction_rate": None, "litigation_decided": 0, "litigation_correction_rate": None,
    }  # fmt: skip
    assert b["received"] == 11 and b["disclosure_rate"] == 0.6364
    assert key_numbers(total)["received"] == 22 and total["reports"] == 2
    assert key_numbers(total)["disclosure_rate"] == 0.5909  # from the sums, not a mean of rates
    assert ("sub", 2023) not in found
    assert key_numbers(None)["received"] is None
    assert (
        change(22, 11, False) == 11 and change(0.5909, 0.5455, True) == 4.5 and change(3, None, False) is None
    )


def test_charts_are_inline_svg_with_escaped_labels():
    svg = status_chart(
        [("accepted", "已通过", 2), ("none", "无报告", 1), ("returned", "退回修改", 0)], "状态"
    )
    assert svg.count("<rect") == 4 and "已通过 2" in svg and "退回修改" not in svg
    assert 'width="426.7"' in svg  # 2 of 3 nodes of 640 pixels
    assert status_chart([], "状态") == ""
    svg = compare_chart([("<b>局</b>", 10, 5), ("空", None, None)], "新收申请")
    assert "&lt;b&gt;局&lt;/b&gt;" in svg and "<b>" not in svg and "空" not in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_reminders_list_the_owing_nodes_neutralised():
    nodes = _tree()
    rows = reminder_rows(nodes, {n.org_id: n.name for n in nodes})
    assert [r[0] for r in rows] == ["司法", "市", "教育"]  # the latest first
    assert rows[0] == ["司法", "县", "政府部门", "退回修改", "", 5, "（未设经办人员账号）"]
    assert rows[2][4:] == ["2025-01-31", 0, "=jiaoyu"]
    text = reminders_csv(rows).decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0] == HEADER and parsed[3][6] == "'=jiaoyu"
    sheet = openpyxl.load_workbook(io.BytesIO(reminders_xlsx(rows))).active
    assert [c.value for c in sheet[1]] == HEADER
    assert [c.value for c in sheet[2]][:6] == ["司法", "县", "政府部门", "退回修改", None, 5]
    assert sheet["G4"].value == "'=jiaoyu" and sheet["G4"].data_type == "s"


def test_aggregate_is_the_sum_of_members_and_checks_clean():
    a, b = api.load_report(str(GOOD_TXT)), api.load_report(str(WRONG_TXT))
    agg = sum_members(base_report(None, "示例县人民政府", 2024), [a, b])
    for ref in ("applications/received/total", "applications/total/total", "reviews/reconsideration/total"):
        assert agg.value(ref) == (a.value(ref) or 0) + (b.value(ref) or 0), ref
    assert agg.value("applications/received/total") == 22
    found = member_findings(agg, [a, b])
    assert [(f.code, f.severity) for f in found] == [("XG802", "info")]
    agg.set("applications/received/total", 23)
    found = member_findings(agg, [a, b])
    assert [(f.code, f.severity) for f in found][0] == ("XG801", "error")
    assert "汇总 23，2 份成员报告之和 22" in found[0].message


def test_numbers_read_from_the_content_are_the_reports():
    report = load_source(str(YAML_2025))
    report.set("active/fees/amount", Decimal("12.30"))
    content = report_content(report)
    assert content["active"]["fees"]["amount"] == "12.3"  # an amount is kept as exact text
    fast = table_values(counted_json(SimpleNamespace(content=content)))
    assert fast == table_values(content_report(content).to_json())
    assert fast["active/fees/amount"] == Decimal("12.30") and fast["applications/received/total"] == 17
    content["applications"]["received"]["total"] = "17a"  # typed, not a number: blank
    assert table_values(counted_json(SimpleNamespace(content=content)))["applications/received/total"] is None


def test_a_frozen_versions_report_is_made_once(monkeypatch):
    from xxgk.services import cycle_dashboard

    content = report_content(load_source(str(YAML_2025)))
    made = []
    monkeypatch.setattr(cycle_dashboard, "content_report", lambda c: made.append(1) or content_report(c))
    submitted = {"submitted_at": date(2026, 1, 5), "fingerprint": "f" * 64, "content": content}
    frozen = SimpleNamespace(**submitted, report_json=None)  # no report kept with it
    draft = SimpleNamespace(submitted_at=None, fingerprint=None, content=content, report_json=None)
    first, second = cycle_dashboard.version_report(frozen), cycle_dashboard.version_report(frozen)
    assert len(made) == 1 and first is not second  # each caller gets its own Report to change
    assert first.to_json() == second.to_json() == content_report(content).to_json()
    cycle_dashboard.version_report(draft), cycle_dashboard.version_report(draft)
    assert len(made) == 3  # a draft changes as the clerk types: never kept
    kept = SimpleNamespace(**submitted | {"fingerprint": "e" * 64}, report_json=first.to_json())
    assert cycle_dashboard.version_report(kept).to_json() == first.to_json()
    assert len(made) == 3  # the report kept at submission is read, not made again


def test_an_amount_with_many_decimals_does_not_upset_the_counts():
    report = api.load_report(str(GOOD_TXT))
    report.set("active/fees/amount", Decimal("0.1234567"))  # beyond the dataset's 6 decimals
    found = indicators([Filed("a", 2024, report.to_json(), ("own:a",))])
    assert key_numbers(found[("own:a", 2024)])["received"] == 11
