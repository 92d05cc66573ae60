"""The supervisor's dashboard of a cycle over HTTP, on SQLite and PostgreSQL: statuses,
lateness, findings, key numbers with last year's, subtotals, the filter, the scope of each
role; the 汇总.xlsx and dataset exports; 雷同 in the cycle.

The cycle (`filed_cycle`): the county supervisor opens 2025 for 县 → 交通局, 司法局. Both
bureaus file the bundled 2025 example (17 new applications each, so their narratives are
identical) and are accepted; 交通局 has last year's report uploaded (11 new applications);
县人民政府 has not started and its deadline passed 10 days ago.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
import pytest
from websupport import GOOD_TXT, PASSWORD, YAML_2025

from xxgk import api
from xxgk.accounts.users import add_user, find_user
from xxgk.batch.columns import TABLE_NAMES
from xxgk.formats import FORMAT_2021
from xxgk.orgs import OrgSpec, add_org, find_org
from xxgk.services import cycle
from xxgk.services.cycle_content import report_content
from xxgk.services.reports import finding_key
from xxgk.source import load_source
from xxgk.store.base import utc_now
from xxgk.store.tables import Org, StoredReport

YEAR = 2025
RECEIVED = "applications/received/total"


@dataclass
class Filed:
    cycle_id: int
    filings: dict[str, int]  # org name -> filing id
    today: date
    gov_due: date


def example(agency: str) -> dict:
    report = load_source(str(YAML_2025))
    report.meta.agency = agency
    return report_content(report)


def file_and_submit(db, login: str, filing_id: int, content: dict) -> None:
    with db.write() as session:
        user = find_user(session, login)
        revision = cycle.get_filing(session, user, filing_id).revision
        result = cycle.save_draft(session, user, filing_id, revision, content)
        assert result.conflict is None
        cycle.submit(session, user, filing_id)


def accept(db, filing_id: int, login: str = "county") -> None:
    with db.write() as session:
        cycle.accept(session, find_user(session, login), filing_id)


def open_county_cycle(db) -> Filed:
    today = date.today()
    gov_due = today - timedelta(days=10)
    with db.write() as session:
        add_user(session, "测试", "xianfu", "clerk", "示例县人民政府", PASSWORD)
        county = find_user(session, "county")
        opened = cycle.open_cycle(
            session, county, YEAR, {"人民政府": gov_due, "政府部门": today + timedelta(days=30)}
        )
        filings = {org.name: f.id for f, org in cycle.filings_in_scope(session, county, opened.id)}
        jiaotong = find_org(session, "示例县交通运输局")
        last_year = api.load_report(str(GOOD_TXT)).to_json()
        session.add(
            StoredReport(
                org_id=jiaotong.id, uploaded_by=county.id, uploaded_at=utc_now(), filename="上年.txt",
                media_kind="text", sha256="0" * 64, size=1, content=b"-", status="done",
                agency="示例县交通运输局", year=YEAR - 1, report_json=last_year,
            )
        )  # fmt: skip
    return Filed(opened.id, filings, today, gov_due)


@pytest.fixture
def filed_cycle(world) -> Filed:
    filed = open_county_cycle(world)
    for login, org in (("jiaotong", "示例县交通运输局"), ("sifa", "示例县司法局")):
        file_and_submit(world, login, filed.filings[org], example(org))
        accept(world, filed.filings[org])
    return filed


def rows_of(html: str) -> dict[str, str]:
    """org id / subtotal -> the row's HTML."""
    out = {}
    for m in re.finditer(r'<tr data-(org|subtotal)="(\d+)"[^>]*>(.*?)</tr>', html, re.S):
        out[f"{m.group(1)}:{m.group(2)}"] = m.group(3)
    return out


def cell(row: str, cls: str) -> str:
    found = re.search(rf'<td class="{cls}"[^>]*>(.*?)</td>', row, re.S)
    assert found, cls
    return re.sub(r"\s+", " ", found.group(1)).strip()


def number(row: str, name: str, change: bool = False) -> str:
    attr = "data-change" if change else "data-number"
    found = re.search(rf'{attr}="{name}"[^>]*>(.*?)</td>', row, re.S)
    assert found, name
    return found.group(1).strip()


def org_ids(db) -> dict[str, int]:
    with db.read() as session:
        return {o.name: o.id for o in session.query(Org)}


def test_dashboard_statuses_lateness_numbers_and_subtotals(filed_cycle, as_user, world):
    ids = org_ids(world)
    page = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/dashboard")
    assert page.status_code == 200, page.text
    rows = rows_of(page.text)
    gov, jt, sf = (ids[n] for n in ("示例县人民政府", "示例县交通运输局", "示例县司法局"))
    assert set(rows) == {f"org:{gov}", f"subtotal:{gov}", f"org:{jt}", f"org:{sf}"}
    assert cell(rows[f"org:{gov}"], "status") == "未开始"
    assert cell(rows[f"org:{gov}"], "late") == "逾期 10 天"
    assert cell(rows[f"org:{jt}"], "status") == "已通过" and cell(rows[f"org:{jt}"], "late") == ""
    assert cell(rows[f"org:{jt}"], "errors") == "0"
    subtotal = rows[f"subtotal:{gov}"]
    assert cell(subtotal, "status") == "未开始 1、已通过 2"
    assert cell(subtotal, "late") == "1 个逾期"
    report = load_source(str(YAML_2025))
    assert report.value(RECEIVED) == 17
    assert number(rows[f"org:{jt}"], "received") == "17"
    assert number(rows[f"org:{jt}"], "received", change=True) == "+6"  # last year's upload: 11
    assert number(rows[f"org:{sf}"], "received", change=True) == "—"  # no report last year
    assert number(rows[f"org:{gov}"], "received") == "—"  # not submitted: not counted
    assert number(subtotal, "received") == "34"
    assert number(subtotal, "received", change=True) == "—"  # 司法局 has no last year to compare
    concluded = report.value("applications/total/total")
    disclosed = report.value("applications/granted/total") + report.value(
        "applications/partially_granted/total"
    )
    assert number(subtotal, "concluded") == str(2 * concluded)
    assert number(subtotal, "disclosure_rate") == f"{round(disclosed / concluded, 4) * 100:.1f}%"
    assert "<svg" in page.text and "各节点状态" in page.text and "<script" not in page.text.split("<main>")[1]


def test_the_dashboards_json_twin(filed_cycle, as_user, world):
    ids = org_ids(world)
    data = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/dashboard.json").json()
    assert data["cycle"] == {"id": filed_cycle.cycle_id, "year": YEAR, "root": "示例县人民政府"}
    gov, jt = data["rows"][0], data["rows"][1]
    assert (gov["org_id"], gov["status"], gov["days_late"], gov["numbers"]["received"]["value"]) == (
        ids["示例县人民政府"],
        "not_started",
        10,
        None,
    )
    assert gov["subtotal"]["statuses"] == {"not_started": 1, "accepted": 2}
    assert gov["subtotal"]["numbers"]["received"] == {"value": 34, "last_year": None, "change": None}
    assert jt["numbers"]["received"] == {"value": 17, "last_year": 11, "change": 6}
    assert as_user("jiaotong").get(f"/cycles/{filed_cycle.cycle_id}/dashboard.json").status_code == 403


def test_only_problems_filter(filed_cycle, as_user, world):
    ids = org_ids(world)
    page = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/dashboard?problems=1")
    rows = rows_of(page.text)
    assert set(rows) == {f"org:{ids['示例县人民政府']}", f"subtotal:{ids['示例县人民政府']}"}
    assert "1 / 3 个节点" in page.text


def test_a_node_without_a_filing_is_shown_as_such(filed_cycle, as_user, world):
    with world.write() as session:  # added to the tree after the cycle was opened
        add_org(session, "测试", OrgSpec("示例县档案馆", "其他", "县", "示例县人民政府"))
    ids = org_ids(world)
    late = (filed_cycle.today - cycle.default_deadlines(YEAR)["其他"]).days
    for url in ("", "?problems=1"):
        rows = rows_of(as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/dashboard{url}").text)
        archive = rows[f"org:{ids['示例县档案馆']}"]
        assert cell(archive, "status") == "无报告" and cell(archive, "late") == f"逾期 {late} 天"
        assert cell(rows[f"subtotal:{ids['示例县人民政府']}"], "status") == "无报告 1、未开始 1、已通过 2"


def test_scope_of_the_dashboard_both_ways(filed_cycle, as_user):
    url = f"/cycles/{filed_cycle.cycle_id}/dashboard"
    assert as_user("district").get(url).status_code == 404  # another subtree: no such cycle
    assert as_user("jiaotong").get(url).status_code == 403  # a clerk has a to-do, not a dashboard
    admin = as_user("admin").get(url)
    assert admin.status_code == 200 and "示例县司法局" in admin.text
    for path in ("export.xlsx", "dataset.zip", "reminders.xlsx", "reminders.csv", "similarity"):
        assert as_user("district").get(f"/cycles/{filed_cycle.cycle_id}/{path}").status_code == 404, path
        assert as_user("sifa").get(f"/cycles/{filed_cycle.cycle_id}/{path}").status_code == 403, path
    assert as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/reminders.pdf").status_code == 404


def test_a_lower_supervisor_sees_only_its_part(world, as_user):
    """The city supervisor's cycle, seen by the county supervisor: only the county's subtree."""
    with world.write() as session:
        add_user(session, "测试", "shi", "supervisor", "示例市人民政府", PASSWORD)
        opened = cycle.open_cycle(session, find_user(session, "shi"), YEAR)
    page = as_user("county").get(f"/cycles/{opened.id}/dashboard")
    assert page.status_code == 200
    assert "示例县交通运输局" in page.text and "示例区教育局" not in page.text
    assert "示例区教育局" in as_user("shi").get(f"/cycles/{opened.id}/dashboard").text


def test_export_xlsx_holds_the_dashboards_numbers(filed_cycle, as_user):
    response = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book[TABLE_NAMES["applications"]]
    refs = FORMAT_2021.table("applications").refs()
    column = 5 + refs.index(RECEIVED) + 1
    data = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(r[4], r[3], r[column - 1]) for r in data] == [
        ("示例县交通运输局", YEAR, 17),
        ("示例县司法局", YEAR, 17),
    ]  # accepted filings only: 县人民政府 has none
    assert sheet.cell(2, column).value == "总计"


def test_dataset_zip_of_the_accepted_filings(filed_cycle, as_user):
    response = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/dataset.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        names = set(z.namelist())
        assert {
            "reports.parquet",
            "reports.csv",
            "cells.parquet",
            "findings.csv",
            "汇总.xlsx",
            "dataset.md",
        } <= names
        rows = list(csv.DictReader(io.StringIO(z.read("reports.csv").decode("utf-8-sig"))))
    # each report named inside the archive's own terms, never by the export's temporary folder
    assert [(r["report"], r["agency"], r["year"], r[RECEIVED]) for r in rows] == [
        ("2025年度填报/示例县交通运输局.json", "示例县交通运输局", "2025", "17"),
        ("2025年度填报/示例县司法局.json", "示例县司法局", "2025", "17"),
    ]
    # the batch's cohort check saw two identical narratives (XG901 in each report's count)
    assert [int(r["warnings"]) for r in rows] == [1, 1]


def test_similarity_in_the_cycle(filed_cycle, as_user):
    page = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/similarity")
    assert page.status_code == 200
    jt, sf = filed_cycle.filings["示例县交通运输局"], filed_cycle.filings["示例县司法局"]
    assert page.text.count('class="n best">100%') == 2
    assert "疑似雷同组：（示例县交通运输局、示例县司法局）" in page.text
    one = as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/similarity/{jt}")
    assert one.status_code == 200
    assert "XG901 叙述文字与同年度“示例县司法局”的报告相似度 100%" in one.text
    assert "相同的段落" in one.text
    assert f'data-other="{sf}"' in one.text
    assert as_user("county").get(f"/cycles/{filed_cycle.cycle_id}/similarity/999999").status_code == 404


def test_answered_warnings_and_last_years_copy(world, as_user):
    """司法局's report of last year has the same text: XG703 twice and XG702, all three
    confirmed by the clerk before submitting; the dashboard counts them, 雷同 shows 100%."""
    filed = open_county_cycle(world)
    sf = filed.filings["示例县司法局"]
    last = load_source(str(YAML_2025))
    last.meta.agency, last.meta.year = "示例县司法局", YEAR - 1
    with world.write() as session:
        sifa = find_user(session, "sifa")
        session.add(
            StoredReport(
                org_id=find_org(session, "示例县司法局").id, uploaded_by=sifa.id, uploaded_at=utc_now(),
                filename="上年.yaml", media_kind="yaml", sha256="1" * 64, size=1, content=b"-", status="done",
                agency="示例县司法局", year=YEAR - 1, report_json=last.to_json(),
            )
        )  # fmt: skip
        cycle.save_draft(session, sifa, sf, 0, example("示例县司法局"))
    with world.write() as session:
        sifa = find_user(session, "sifa")
        filing = cycle.get_filing(session, sifa, sf)
        report = cycle.checked_report(session, filing, cycle.head_version(session, filing))
        warnings = [f for f in report.findings if f.severity == "warning"]
        assert sorted(f.code for f in warnings) == ["XG702", "XG703", "XG703"]
        for f in warnings:
            cycle.note_warning(session, sifa, sf, finding_key(f), "confirmed", "")
        cycle.submit(session, sifa, sf)
    rows = rows_of(as_user("county").get(f"/cycles/{filed.cycle_id}/dashboard").text)
    row = rows[f"org:{org_ids(world)['示例县司法局']}"]
    assert (cell(row, "status"), cell(row, "errors"), cell(row, "warnings"), cell(row, "dismissed")) == (
        "已提交",
        "0",
        "3",
        "3",
    )
    assert number(row, "received", change=True) == "+0"  # same numbers as last year
    page = as_user("county").get(f"/cycles/{filed.cycle_id}/similarity/{sf}").text
    assert '全部叙述文字相似度 <b class="last-year">100%</b>' in page
    assert "XG703 第一部分（总体情况）与上年（2024年）报告相似度 100%" in page
