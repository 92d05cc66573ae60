"""The in-app to-do of each role and the 催报 list (XLSX and CSV) over HTTP, on SQLite and
PostgreSQL: what is due, returned, waiting for review or publication, late; each role sees
only its own part."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import openpyxl
from test_dashboard_cycle import accept, example, file_and_submit, open_county_cycle

from xxgk.accounts.users import find_user
from xxgk.orgs import OrgSpec, add_org
from xxgk.services import cycle
from xxgk.services.cycle_reminders import HEADER


def items(browser) -> list[tuple[str, str]]:
    """(kind, text) of each to-do row."""
    page = browser.get("/todo")
    assert page.status_code == 200, page.text
    return re.findall(r'<tr data-kind="(\w+)".*?<a href="[^"]+">([^<]+)</a>', page.text, re.S)


def test_todo_follows_the_filing_through_the_cycle(world, as_user):
    filed = open_county_cycle(world)
    jt = filed.filings["示例县交通运输局"]
    dept_due = (filed.today + timedelta(days=30)).isoformat()  # set so by open_county_cycle
    assert items(as_user("jiaotong")) == [
        ("fill", f"填写并提交 2025 年度报告（期限 {dept_due}，还有 30 天）")
    ]
    assert items(as_user("xianfu")) == [
        ("fill", f"填写并提交 2025 年度报告（期限 {filed.gov_due.isoformat()}，已逾期 10 天）")
    ]
    late = ("late", "示例县人民政府 2025 年度报告逾期 10 天未提交（未开始）")
    assert items(as_user("county")) == [late]
    assert items(as_user("admin")) == [late]
    assert items(as_user("district")) == []
    assert "暂无待办事项" in as_user("district").get("/todo").text
    assert "示例县交通运输局" not in as_user("sifa").get("/todo").text

    assert as_user("xianfu").get("/todo.json").json() == {
        "items": [
            {
                "kind": "fill", "label": "待填写", "year": 2025, "org": "示例县人民政府",
                "text": f"填写并提交 2025 年度报告（期限 {filed.gov_due.isoformat()}，已逾期 10 天）",
                "url": f"/filings/{filed.filings['示例县人民政府']}", "due": filed.gov_due.isoformat(),
                "days_late": 10,
            }
        ]
    }  # fmt: skip
    file_and_submit(world, "jiaotong", jt, example("示例县交通运输局"))
    assert items(as_user("jiaotong")) == []
    assert items(as_user("county")) == [late, ("review", "示例县交通运输局 2025 年度报告已提交，请审核")]
    assert items(as_user("admin")) == [late]  # admin reads, never reviews

    with world.write() as session:
        cycle.return_filing(session, find_user(session, "county"), jt, [("", "请核对表三")])
    assert items(as_user("jiaotong")) == [
        ("returned", f"2025 年度报告被退回，请按审核意见修改后重新提交（期限 {dept_due}，还有 30 天）")
    ]
    file_and_submit(world, "jiaotong", jt, example("示例县交通运输局"))
    accept(world, jt)
    assert items(as_user("jiaotong")) == [("publish", "2025 年度报告已审核通过：发布后请登记发布日期和网址")]
    assert items(as_user("county")) == [late]


def test_reminders_list_owing_nodes_neutralised(world, as_user):
    filed = open_county_cycle(world)
    jt = filed.filings["示例县交通运输局"]
    file_and_submit(world, "jiaotong", jt, example("示例县交通运输局"))
    accept(world, jt)
    with world.write() as session:  # a node added after the cycle opened: no filing
        add_org(session, "测试", OrgSpec("=示例县档案馆", "其他", "县", "示例县人民政府"))
    response = as_user("county").get(f"/cycles/{filed.cycle_id}/reminders.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    gov_due = filed.gov_due.isoformat()
    dept_due = (filed.today + timedelta(days=30)).isoformat()
    other_due = cycle.default_deadlines(2025)["其他"]  # the cycle kept the default for 其他
    other_late = (filed.today - other_due).days
    assert rows == [
        HEADER,
        [
            "'=示例县档案馆",
            "示例县人民政府",
            "其他",
            "无报告",
            other_due.isoformat(),
            other_late,
            "（未设经办人员账号）",
        ],
        ["示例县人民政府", None, "人民政府", "未开始", gov_due, 10, "xianfu"],
        ["示例县司法局", "示例县人民政府", "政府部门", "未开始", dept_due, 0, "sifa"],
    ]  # the latest first
    text = as_user("county").get(f"/cycles/{filed.cycle_id}/reminders.csv").content.decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text[1:])))
    assert parsed[0] == HEADER and parsed[2] == [
        "示例县人民政府",
        "",
        "人民政府",
        "未开始",
        gov_due,
        "10",
        "xianfu",
    ]
    assert parsed[1][0] == "'=示例县档案馆"
    assert len(parsed) == 4
