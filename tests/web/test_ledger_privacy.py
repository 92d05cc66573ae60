"""Who sees what of the ledger, each rule both ways, on SQLite and PostgreSQL: the node's clerks
see its cases with the applicants' personal data; another node's clerk does not know they
exist; supervisors see the statistics and overdue counts of their subtree and never a name
(not in the cell lists, not through export or search); the admin manages the calendar and
nobody else may. The query layer itself never reads the personal columns for them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select
from test_ledger import PDF, act, error_of, register

from xxgk.errors import InputError
from xxgk.ledger.calendar import WorkCalendar, default_calendar, parse_overrides
from xxgk.services import casework
from xxgk.services.casework_calendar import banner
from xxgk.services.scope import Forbidden, NotFound
from xxgk.store.tables import AuditEntry, Org, User

NAME, CONTACT, ID_NUMBER, REQUEST = "张三", "13800000000", "110101199001011234", "2024年城区道路维修经费明细"
PERSONAL = (NAME, CONTACT, ID_NUMBER, REQUEST)


@pytest.fixture
def filed(as_user):
    """One overdue case of 交通局 with an attachment and a letter; returns the file URLs."""
    clerk = as_user("jiaotong")
    number = register(clerk, files=[("申请表.pdf", PDF)])
    act(clerk, number, "correction_requested", "2025-09-29", items="请写明文件名称", letter_format="docx")
    act(clerk, number, "correction_received", "2025-10-09")
    html = clerk.get(f"/ledger/case?n={number}").text
    return [url.replace("&amp;", "&") for url in re.findall(r'href="(/ledger/case/file[^"]+)"', html)]


def org_id(world, name: str) -> int:
    with world.read() as session:
        return session.scalar(select(Org.id).where(Org.name == name))


def test_the_nodes_clerk_sees_the_case_with_personal_data(as_user, filed):
    clerk = as_user("jiaotong")
    html = clerk.get("/ledger/case?n=2025-0001").text
    assert all(value in html for value in PERSONAL)
    assert len(filed) == 2 and all(clerk.get(url).status_code == 200 for url in filed)
    assert NAME in clerk.get("/ledger/cases?q=" + "道路").text
    assert clerk.get("/ledger/export?format=csv").text.count(NAME) == 1


def test_another_nodes_clerk_does_not_know_the_case_exists(as_user, filed):
    other = as_user("sifa")
    response = other.get("/ledger/case?n=2025-0001")
    assert response.status_code == 404 and error_of(response.text) == "申请不存在或无权查看"
    assert all(other.get(url).status_code == 404 for url in filed)
    refused = act(other, "2025-0001", "reply", "2025-11-20", outcome="granted")
    assert refused.status_code == 404
    assert (
        other.post("/ledger/case/files?n=2025-0001", files=[("attachments", ("a.pdf", PDF))]).status_code
        == 404
    )
    assert other.post("/ledger/case/letter?n=2025-0001", {"letter": "receipt"}).status_code == 404
    for url in ("/ledger/cases", "/ledger/cases?q=" + NAME, "/ledger", "/ledger/export?format=csv"):
        assert "2025-0001" not in other.get(url).text
        assert not any(value in other.get(url).text for value in PERSONAL[1:])
    assert "2025-0001" not in other.get("/ledger/stats?year=2025").text
    cells = other.get("/ledger/stats/cell?ref=applications/received/total&year=2025").text
    assert "2025-0001" not in cells


@pytest.mark.parametrize("login", ["county", "admin"])
def test_supervisors_and_admins_see_numbers_never_names(as_user, world, filed, login):
    reader = as_user(login)
    jiaotong = org_id(world, "示例县交通运输局")
    stats = reader.get(f"/ledger/stats?year=2025&org={jiaotong}")
    assert stats.status_code == 200
    assert re.search(r'data-ref="applications/received/natural_person"><a href="([^"]+)">1</a>', stats.text)
    cell = reader.get(f"/ledger/stats/cell?ref=applications/received/total&year=2025&org={jiaotong}")
    assert cell.status_code == 200 and "<td>2025-0001</td>" in cell.text
    for response in (stats, cell):
        assert not any(value in response.text for value in PERSONAL)
    for url in ("/ledger/case?n=2025-0001", "/ledger/cases", "/ledger/cases?q=" + NAME, "/ledger/export?format=xlsx",
                "/ledger/new", "/ledger/import", "/ledger/templates", *filed):  # fmt: skip
        response = reader.get(url)
        assert response.status_code == 403, url
        assert error_of(response.text) == casework.CLERKS_ONLY
        assert NAME not in response.text
    assert reader.get("/ledger").status_code == 303  # to the statistics
    with world.read() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "ledger.export")).all() == []


def test_a_supervisor_sees_overdue_counts_of_its_subtree_only(as_user, world, filed):
    county = as_user("county")
    html = county.get("/ledger/stats?year=2025").text
    load = re.findall(r'<tr data-org="([^"]+)">.*?</a></td><td>(\d+)</td><td[^>]*>(\d+)</td>', html)
    assert load == [("示例县人民政府", "0", "0"), ("示例县交通运输局", "1", "1"), ("示例县司法局", "0", "0")]
    district = as_user("district")
    jiaotong = org_id(world, "示例县交通运输局")
    assert district.get(f"/ledger/stats?year=2025&org={jiaotong}").status_code == 404
    cell = district.get(f"/ledger/stats/cell?ref=applications/received/total&year=2025&org={jiaotong}")
    assert cell.status_code == 404
    assert "示例县交通运输局" not in district.get("/ledger/stats?year=2025").text


def test_the_query_layer_reads_no_personal_data_for_others(world, filed):
    jiaotong = org_id(world, "示例县交通运输局")
    with world.read() as session:
        users = {u.login: u for u in session.scalars(select(User))}
        ledger = casework.statistics_ledger(session, users["county"], jiaotong)
        ((case, events),) = ledger.cases()
        assert (case.number, case.applicant_name, case.applicant_contact, case.request) == (
            "2025-0001",
            "",
            "",
            "",
        )
        assert [e.kind for e in events] == ["correction_requested", "correction_received"]
        with pytest.raises(NotFound):
            casework.statistics_ledger(session, users["district"], jiaotong)
        for login in ("county", "admin", "district"):
            with pytest.raises(Forbidden):
                casework.office_ledger(session, users[login])
        mine = casework.office_ledger(session, users["jiaotong"])
        assert mine.case("2025-0001")[0].applicant_name == NAME
        with pytest.raises(InputError):
            casework.office_ledger(session, users["sifa"]).case("2025-0001")


def test_only_the_admin_manages_the_calendar(as_user, world, filed):
    for login in ("jiaotong", "county"):
        browser = as_user(login)
        assert browser.get("/admin/calendar").status_code == 403
        assert browser.post("/admin/calendar", {"text": "2027:\n  holidays: [2027-01-01]"}).status_code == 403
    admin = as_user("admin")
    assert admin.get("/admin/calendar/override.yaml").status_code == 404
    html = admin.get("/admin/calendar").text
    expected = banner(default_calendar(), date.today())  # from November on while next year is unknown
    assert (expected is not None) == ('id="calendar-banner"' in html)
    assert expected is None or expected in html
    assert "<tr><td>2026-10-01</td><td>节假日</td><td>国庆节</td></tr>" in html
    assert 'id="provisional"' not in html  # the case is due in 2025: nothing provisional
    bad = admin.post("/admin/calendar", {"text": "2027:\n  holidays: [2027-02-30]"})
    assert bad.status_code == 400
    assert (
        error_of(bad.text)
        == "上传的节假日安排：2027 年 holidays 中的“2027-02-30”不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）"
    )
    assert "[2027-02-30]</textarea>" in bad.text
    good = "2027:\n  holidays: {2027-01-01: 元旦, 2027-02-06..2027-02-12: 春节}\n  workdays: [2027-02-14]\n"
    assert admin.post("/admin/calendar", {"text": good}).status_code == 303
    html = admin.get("/admin/calendar").text
    uploaded = WorkCalendar(parse_overrides(good, "test"))
    assert (banner(uploaded, date.today()) is not None) == ('id="calendar-banner"' in html)
    assert "<tr><td>2027-02-06</td><td>节假日</td><td>春节</td></tr>" in html
    assert "<tr><td>2027-02-14</td><td>调休上班</td><td>调休上班</td></tr>" in html
    clerks_page = as_user("jiaotong").get("/ledger").text
    assert (banner(uploaded, date.today()) is not None) == ('id="calendar-banner"' in clerks_page)
    download = admin.get("/admin/calendar/override.yaml")
    assert download.text == good and download.headers["content-disposition"].startswith("attachment;")
    assert as_user("county").get("/admin/calendar/override.yaml").status_code == 403
    with world.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.upload")).one()
        assert (entry.actor, entry.detail) == ("admin", {"years": [2027]})


def test_the_calendar_can_be_uploaded_as_a_file(as_user):
    admin = as_user("admin")
    gbk = "2027:\n  holidays: {2027-01-01: 元旦}\n".encode("gbk")
    refused = admin.post("/admin/calendar", {"text": ""}, files=[("file", ("2027.yaml", gbk))])
    assert refused.status_code == 400
    assert error_of(refused.text) == "上传的节假日安排不是 UTF-8 文本（请用记事本等另存为 UTF-8）"
    good = "2027:\n  holidays: {2027-01-01: 元旦}\n".encode()
    assert (
        admin.post("/admin/calendar", {"text": ""}, files=[("file", ("2027.yaml", good))]).status_code == 303
    )
    assert "<tr><td>2027-01-01</td><td>节假日</td><td>元旦</td></tr>" in admin.get("/admin/calendar").text
    clerk = as_user("jiaotong")
    assert clerk.post("/admin/calendar", {"text": ""}, files=[("file", ("x.yaml", gbk))]).status_code == 403


def test_every_ledger_form_needs_the_sessions_csrf_token(as_user, filed):
    clerk = as_user("jiaotong")
    forged = [
        ("/ledger/new", {"received": "2025-10-10", "channel": "mail", "applicant_type": "natural_person",
                         "applicant_name": "李四", "request": "某文件"}),
        ("/ledger/case/event?n=2025-0001", {"kind": "reply", "date": "2025-11-20", "outcome": "granted"}),
        ("/ledger/case/letter?n=2025-0001", {"letter": "receipt", "letter_format": "docx"}),
        ("/ledger/templates", {"name": "receipt.txt", "text": "回执"}),
    ]  # fmt: skip
    for url, data in forged:
        response = clerk.post(url, data, csrf=False)
        assert response.status_code == 403, url
        assert error_of(response.text).startswith("安全校验失败")
    html = clerk.get("/ledger/case?n=2025-0001").text
    assert "李四" not in clerk.get("/ledger/cases").text
    assert 'id="status">办理中<' in html and html.count('data-letter="receipt"') == 0


def test_the_banner_shows_from_november_while_next_year_is_unknown():
    unknown = default_calendar()  # the package's data ends with 2026
    assert banner(unknown, date(2026, 10, 31)) is None
    assert banner(unknown, date(2026, 11, 1)) == (
        "2027 年的节假日安排尚未录入：跨入 2027 年的期限按周一至周五临时计算。"
        "国务院办公厅公布后，请系统管理员在“工作日历”页面上传。"
    )
    known = WorkCalendar(parse_overrides("2027:\n  holidays: [2027-01-01]", "test"))
    assert banner(known, date(2026, 12, 31)) is None
