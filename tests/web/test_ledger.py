"""The ledger in the web app, over HTTP on SQLite and PostgreSQL: registering, the case page's
deadlines (equal to the library's `compute_deadline`, which `xxgk deadline` prints), the
actions the law allows offered and the others refused, letters kept with the case, the
timeline with voided events struck through, today's work, duplicates, lists and search,
export and import, the year's statistics and a cell's cases."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import quote

from docx import Document
from openpyxl import Workbook
from sqlalchemy import select

from xxgk.ledger.calendar import default_calendar
from xxgk.ledger.deadline import compute_deadline
from xxgk.services.casework import year_report_for_org
from xxgk.store.tables import AuditEntry, Org, User

FRIDAY_BEFORE_NATIONAL_DAY = "2025-09-26"
APPLICATION = {
    "received": FRIDAY_BEFORE_NATIONAL_DAY,
    "channel": "in_person",
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "applicant_contact": "13800000000",
    "id_doc_type": "resident_id",
    "id_doc_number": "110101199001011234",
    "request": "2024年城区道路维修经费明细",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def register(browser, files=(), **fields) -> str:
    response = browser.post(
        "/ledger/new", APPLICATION | fields, files=[("attachments", f) for f in files] or None
    )
    assert response.status_code == 303, error_of(response.text)
    return response.headers["location"].split("n=", 1)[1]


def act(browser, number: str, kind: str, day: str, **fields):
    data = {"kind": kind, "date": day, "letter_format": ""} | fields
    return browser.post(f"/ledger/case/event?n={quote(number)}", data)


def case_page(browser, number: str) -> str:
    response = browser.get(f"/ledger/case?n={quote(number)}")
    assert response.status_code == 200, error_of(response.text)
    return response.text


def error_of(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', html, re.S)
    return found.group(1).strip() if found else ""


def shown_due(html: str, block: str = "deadline") -> str | None:
    found = re.search(rf'id="{block}">.*?class="due-date">([\d-]+)<', html, re.S)
    return found.group(1) if found else None


def explanation(html: str, block: str = "deadline") -> list[str]:
    part = re.search(rf'id="{block}">.*?<ul class="explain">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r"<li>(.*?)</li>", part)


def offered(html: str) -> list[str]:
    return re.findall(r'<details data-kind="(\w+)"', html)


def test_a_case_from_registration_to_reply_with_the_librarys_deadlines(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    assert number == "2025-0001"
    received = date(2025, 9, 26)
    html = case_page(clerk, number)
    expected = compute_deadline(received, calendar=default_calendar())
    assert shown_due(html) == expected.due.isoformat() == "2025-10-30"
    assert explanation(html) == expected.explanation
    assert "国庆节、中秋节 2025-10-01 至 2025-10-08 不计" in explanation(html)
    assert "居民身份证 110101199001011234" in html
    assert offered(html) == [
        "correction_requested", "consultation_started", "extension", "fee_notice", "withdrawn",
        "review_filed", "lawsuit_filed", "note", "reply", "void",
    ]  # fmt: skip

    assert act(clerk, number, "correction_requested", "2025-09-29", items="请写明文件名称").status_code == 303
    html = case_page(clerk, number)
    assert shown_due(html) is None and "等待补正" in html
    assert "extension" not in offered(html) and "correction_requested" not in offered(html)
    refused = act(clerk, number, "extension", "2025-09-30", approved_by="王五")
    assert refused.status_code == 400
    assert (
        error_of(refused.text)
        == "申请 2025-0001：2025-09-30 延期答复：等待补正期间答复期限尚未起算，不能延期"
    )

    assert act(clerk, number, "correction_received", "2025-10-09").status_code == 303
    html = case_page(clerk, number)
    expected = compute_deadline(received, restarted=date(2025, 10, 9), calendar=default_calendar())
    assert shown_due(html) == expected.due.isoformat() == "2025-11-05"
    assert explanation(html) == expected.explanation

    assert act(clerk, number, "extension", "2025-11-03", approved_by="王五").status_code == 303
    html = case_page(clerk, number)
    expected = compute_deadline(
        received, restarted=date(2025, 10, 9), extended=True, calendar=default_calendar()
    )
    assert shown_due(html) == expected.due.isoformat() == "2025-12-03"
    assert explanation(html) == expected.explanation
    assert "extension" not in offered(html)

    assert act(clerk, number, "reply", "2025-11-20", outcome="partially_granted").status_code == 303
    html = case_page(clerk, number)
    assert re.search(r'id="status">已办结（部分公开，2025-11-20）<', html)
    assert shown_due(html) is None
    assert offered(html) == ["review_filed", "lawsuit_filed", "note", "void"]
    again = act(clerk, number, "reply", "2025-11-21", outcome="granted")
    assert again.status_code == 400
    assert "本申请已于 2025-11-20 办结" in error_of(again.text)


def test_each_action_can_produce_its_letter_kept_with_the_case(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    response = act(
        clerk, number, "correction_requested", "2025-09-29", items="请写明文件名称", letter_format="docx"
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("#files")
    html = case_page(clerk, number)
    link = re.search(r'<tr data-letter="correction"><td><a href="([^"]+)">([^<]+)</a>', html)
    assert link.group(2) == "2025-0001-补正告知书.docx"
    letter = clerk.get(link.group(1).replace("&amp;", "&"))
    assert letter.status_code == 200
    assert letter.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''" + quote("2025-0001-补正告知书.docx")
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
    assert "请写明文件名称" in text and "示例县交通运输局" in text and "张三" in text


def test_the_offices_own_template_is_used_and_a_broken_one_refused(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    bad = clerk.post("/ledger/templates", {"name": "receipt.txt", "text": "回执\n{收件人}"})
    assert bad.status_code == 400
    assert error_of(bad.text).startswith("模板 receipt.txt：模板中的占位符 {收件人} 无法识别")
    assert "{收件人}" in bad.text  # what the clerk typed is still there
    own = "本局登记回执\n{申请人}：你于{收到日期}提交的申请已登记，登记号{登记号}。"
    assert clerk.post("/ledger/templates", {"name": "receipt.txt", "text": own}).status_code == 303
    made = clerk.post(f"/ledger/case/letter?n={number}", {"letter": "receipt", "letter_format": "docx"})
    assert made.status_code == 303
    file_id = re.search(r"made=(\d+)", made.headers["location"]).group(1)
    letter = clerk.get(f"/ledger/case/file?n={number}&id={file_id}")
    paragraphs = [p.text for p in Document(io.BytesIO(letter.content)).paragraphs if p.text]
    assert paragraphs[:2] == ["本局登记回执", "张三：你于2025年9月26日提交的申请已登记，登记号2025-0001。"]
    other = as_user("sifa")  # another office keeps the built-in template
    assert "本局登记回执" not in other.get("/ledger/templates").text


def test_voided_events_stay_in_the_timeline_struck_through(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    act(clerk, number, "extension", "2025-10-10", approved_by="王五")
    assert act(clerk, number, "void", "2025-10-11", supersedes="1", reason="录错了").status_code == 303
    html = case_page(clerk, number)
    rows = re.findall(r'<tr data-kind="(\w+)" class="(\w*)">(.*?)</tr>', html, re.S)
    assert [(kind, cls) for kind, cls, _ in rows] == [("extension", "voided"), ("void", "")]
    assert "<s>延期答复</s>" in rows[0][2]
    assert "作废 #1" in rows[1][2] and "原因：录错了" in rows[1][2]
    assert shown_due(html) == "2025-10-30"  # the extension no longer counts
    assert "extension" in offered(html)


def test_bad_registration_keeps_what_was_typed(as_user):
    clerk = as_user("jiaotong")
    response = clerk.post("/ledger/new", APPLICATION | {"received": "2025-13-01", "applicant_type": ""})
    assert response.status_code == 400
    assert error_of(response.text) == (
        "收到日期“2025-13-01”无效（应为 YYYY-MM-DD）；请选择申请人类型（决定计入表三的哪一列）"
    )
    assert 'value="2025-13-01"' in response.text and "2024年城区道路维修经费明细</textarea>" in response.text
    assert "2025-0001" not in clerk.get("/ledger/cases").text


def test_attachments_are_sniffed_and_limited(as_user):
    clerk = as_user("jiaotong")
    refused = clerk.post(
        "/ledger/new", APPLICATION, files=[("attachments", ("申请表.pdf", b"<html><script>x</script>"))]
    )
    assert refused.status_code == 400
    assert error_of(refused.text) == "申请表.pdf：不接受此类文件（只接受 PDF、图片、Word/WPS、OFD 和纯文本）"
    assert (
        "没有符合" not in clerk.get("/ledger/cases").text
        and "2025-0001" not in clerk.get("/ledger/cases").text
    )
    number = register(clerk, files=[("申请表.pdf", PDF)])
    big = clerk.post(
        f"/ledger/case/files?n={number}", files=[("attachments", ("大.pdf", PDF + b"0" * (20 * 1024 * 1024)))]
    )
    assert big.status_code == 400 and error_of(big.text) == "未接收：大.pdf：文件过大（20.0 MB，上限 20 MB）"
    html = case_page(clerk, number)
    link = (
        re.search(r'<a href="(/ledger/case/file[^"]+)">申请表.pdf</a>', html).group(1).replace("&amp;", "&")
    )
    got = clerk.get(link)
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")


def test_todays_work_lists_overdue_cases_with_their_reason(as_user):
    clerk = as_user("jiaotong")
    register(clerk)  # due 2025-10-30: long overdue today
    html = clerk.get("/ledger").text
    row = re.search(r'id="group-overdue">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    overdue = (date.today() - date(2025, 10, 30)).days
    assert cells[1:] == [
        "张三",
        "办理中",
        "2025-10-30",
        f"答复期限：2025-10-30（星期四），已逾期 {overdue} 天",
    ]
    assert '<span class="count" data-status="办理中">办理中 1 件</span>' in html


def test_the_same_applicant_asking_the_same_thing_within_30_days_is_flagged(as_user):
    clerk = as_user("jiaotong")
    first = register(clerk)
    second = register(clerk, received="2025-10-20", request="2024年城区道路维修经费明细。")
    later = register(clerk, received="2025-11-30")  # 65 days after the first, 41 after the second
    other = register(clerk, received="2025-10-21", request="2025年公交补贴发放名单")
    assert f'<a href="/ledger/case?n={first}">{first}</a>（2025-09-26）' in case_page(clerk, second)
    assert 'id="duplicate"' not in case_page(clerk, later)
    assert 'id="duplicate"' not in case_page(clerk, other)
    assert "不予处理·重复申请" in case_page(clerk, second)


def test_lists_filter_and_search(as_user):
    clerk = as_user("jiaotong")
    register(clerk)
    second = register(
        clerk, received="2024-05-06", applicant_type="commercial", applicant_name="某公司", request="公交补贴"
    )
    act(clerk, second, "reply", "2024-05-20", outcome="granted")

    def numbers(query: str) -> list[str]:
        return re.findall(
            r'<a href="/ledger/case\?n=[^"]+">([^<]+)</a>', clerk.get(f"/ledger/cases?{query}").text
        )

    assert numbers("") == ["2025-0001", "2024-0001"]
    assert numbers("year=2024") == ["2024-0001"]
    assert numbers("status=closed") == ["2024-0001"]
    assert numbers("outcome=granted") == ["2024-0001"]
    assert numbers("applicant_type=natural_person") == ["2025-0001"]
    assert numbers("overdue=on") == ["2025-0001"]
    assert numbers("q=" + quote("某公司")) == ["2024-0001"]
    assert numbers("q=" + quote("道路维修")) == ["2025-0001"]
    assert numbers("q=" + quote("100%")) == []
    bad = clerk.get("/ledger/cases?year=二〇二五")
    assert bad.status_code == 400 and error_of(bad.text) == "年度“二〇二五”应为四位数字"


def test_export_is_audited_and_import_is_all_or_nothing(as_user, world):
    clerk = as_user("jiaotong")
    register(clerk)
    exported = clerk.get("/ledger/export?format=xlsx")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    with world.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "ledger.export")).one()
        assert (entry.actor, entry.detail) == ("jiaotong", {"format": "xlsx", "cases": 1, "events": 0})

    book = Workbook()
    sheet = book.active
    sheet.title = "申请"
    sheet.append(["登记号", "收到日期", "渠道", "申请人类型", "申请人", "联系方式", "申请内容"])
    sheet.append(["2024-0100", "2024-03-01", "网上申请", "自然人", "李四", "", "某文件"])
    sheet.append(["2024-0101", "2024-03-02", "飞鸽", "自然人", "王五", "", "某文件"])
    bad = io.BytesIO()
    book.save(bad)
    response = clerk.post("/ledger/import", files=[("file", ("台账.xlsx", bad.getvalue()))])
    assert response.status_code == 400
    assert "台账.xlsx：工作表“申请”第 3 行，“渠道”列：未知的渠道“飞鸽”" in response.text
    assert "/tmp" not in response.text
    assert "2024-0100" not in clerk.get("/ledger/cases").text  # nothing imported
    sheet.delete_rows(3)
    good = io.BytesIO()
    book.save(good)
    response = clerk.post("/ledger/import", files=[("file", ("台账.xlsx", good.getvalue()))])
    assert response.status_code == 200 and "已导入 1 件申请、0 条事件" in response.text
    assert "2024-0100" in clerk.get("/ledger/cases").text
    assert "2024-0100" not in as_user("sifa").get("/ledger/cases").text  # it went to the importer's node


def test_the_years_statistics_and_a_cells_cases(as_user, world):
    clerk = as_user("jiaotong")
    first = register(clerk)
    act(clerk, first, "reply", "2025-10-20", outcome="partially_granted")
    register(clerk, received="2025-12-30", applicant_type="commercial", applicant_name="某公司")
    html = clerk.get("/ledger/stats?year=2025").text
    cell = re.search(
        r'data-ref="applications/partially_granted/natural_person"><a href="([^"]+)">(\d+)</a>', html
    )
    assert cell.group(2) == "1"
    assert re.search(r'data-ref="applications/carried_forward/commercial"><a [^>]+>1</a>', html)
    listed = clerk.get(cell.group(1).replace("&amp;", "&")).text
    assert re.findall(r'<a href="/ledger/case\?n=[^"]+">([^<]+)</a>', listed) == [first]
    assert "张三" in listed
    with world.read() as session:
        org_id = session.scalar(select(Org.id).where(Org.name == "示例县交通运输局"))
        report = year_report_for_org(session, org_id, 2025)
        assert report.meta.agency == "示例县交通运输局"
        assert report.value("applications/received/total") == 2
        assert report.value("applications/partially_granted/total") == 1
        assert report.value("applications/carried_forward/total") == 1
        before = year_report_for_org(session, org_id, 2025, as_of=date.today().replace(year=2020))
        assert before.value("applications/received/total") == 0  # nothing was recorded yet in 2020


def test_one_click_starts_the_years_filing_from_the_ledgers_numbers(as_user, world):
    from xxgk.services.cycle import open_cycle
    from xxgk.services.cycle_content import content_report
    from xxgk.store.cycle_tables import Filing, FilingVersion

    clerk = as_user("jiaotong")
    number = register(clerk)
    act(clerk, number, "reply", "2025-10-20", outcome="partially_granted")
    assert 'id="start-filing"' not in clerk.get("/ledger/stats?year=2025").text  # no cycle yet
    with world.write() as session:
        county = session.scalar(select(User).where(User.login == "county"))
        open_cycle(session, county, 2025)
    html = clerk.get("/ledger/stats?year=2025").text
    form = re.search(
        r'<form method="post" action="(/filings/\d+/start)"[^>]*id="start-filing">(.*?)</form>', html, re.S
    )
    assert form and 'name="how" value="ledger"' in form.group(2)
    assert 'id="start-filing"' not in clerk.get("/ledger/stats?year=2025&as_of=2026-01-01").text
    assert 'id="start-filing"' not in as_user("county").get("/ledger/stats?year=2025").text
    revision = re.search(r'name="revision" value="(\d+)"', form.group(2)).group(1)
    started = clerk.post(form.group(1), {"how": "ledger", "revision": revision})
    assert started.status_code == 303
    with world.read() as session:
        filing_id = int(form.group(1).split("/")[2])
        assert session.get(Filing, filing_id).org_id == session.scalar(
            select(Org.id).where(Org.name == "示例县交通运输局")
        )
        version = session.scalars(select(FilingVersion).where(FilingVersion.filing_id == filing_id)).one()
        assert version.origin == "ledger"
        report = content_report(version.content)
        assert report.value("applications/partially_granted/natural_person") == 1
        assert report.value("applications/received/total") == 1


def test_a_letter_as_pdf(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    made = clerk.post(f"/ledger/case/letter?n={number}", {"letter": "receipt", "letter_format": "pdf"})
    assert made.status_code == 303
    file_id = re.search(r"made=(\d+)", made.headers["location"]).group(1)
    letter = clerk.get(f"/ledger/case/file?n={number}&id={file_id}")
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF-")
    refused = clerk.post(f"/ledger/case/letter?n={number}", {"letter": "reply", "letter_format": "docx"})
    assert refused.status_code == 400
    assert error_of(refused.text) == "文书未生成：登记号 2025-0001 尚未办结，不能生成答复书"


def test_two_consultations_pause_the_clock_and_end_one_by_one(as_user):
    clerk = as_user("jiaotong")
    number = register(clerk)
    assert act(clerk, number, "consultation_started", "2025-10-09", party="甲公司").status_code == 303
    assert (
        act(
            clerk, number, "consultation_started", "2025-10-10", party="乙局", party_kind="agency"
        ).status_code
        == 303
    )
    html = case_page(clerk, number)
    ended = re.search(r'<details data-kind="consultation_ended">.*?</details>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)">', ended)[:2] == ["甲公司", "乙局"]
    assert act(clerk, number, "consultation_ended", "2025-10-17", party="乙局").status_code == 303
    assert act(clerk, number, "consultation_ended", "2025-10-20", party="甲公司").status_code == 303
    html = case_page(clerk, number)
    assert "consultation_ended" not in offered(html)
    pauses = [(date(2025, 10, 9), date(2025, 10, 20)), (date(2025, 10, 10), date(2025, 10, 17))]
    expected = compute_deadline(date(2025, 9, 26), pauses=pauses, calendar=default_calendar())
    assert shown_due(html) == expected.due.isoformat() == "2025-11-12"
    assert explanation(html) == expected.explanation


def test_the_years_statistics_as_recorded_on_a_day(as_user):
    clerk = as_user("jiaotong")
    register(clerk)
    html = clerk.get("/ledger/stats?year=2025&as_of=2020-01-01").text
    assert "（按 2020-01-01 的记录）" in html
    assert re.search(r'data-ref="applications/received/total"><a href="([^"]+)">0</a>', html)
    cell = re.search(r'data-ref="applications/received/total"><a href="([^"]+)">', html).group(1)
    assert "as_of=2020-01-01" in cell
    assert "<td>2025-0001</td>" not in clerk.get(cell.replace("&amp;", "&")).text
    bad = clerk.get("/ledger/stats?year=2025&as_of=去年")
    assert bad.status_code == 400 and error_of(bad.text) == "“截至记录日期”“去年”无效（应为 YYYY-MM-DD）"


def test_an_import_with_warnings_needs_them_accepted(as_user):
    clerk = as_user("jiaotong")
    book = Workbook()
    sheet = book.active
    sheet.title = "申请"
    sheet.append(["登记号", "收到日期", "渠道", "申请人类型", "申请人", "联系方式", "申请内容"])
    sheet.append(["2007-0001", "2007-03-01", "信函", "自然人", "李四", "", "某文件"])
    data = io.BytesIO()
    book.save(data)
    files = [("file", ("旧台账.xlsx", data.getvalue()))]
    held = clerk.post("/ledger/import", files=files)
    assert held.status_code == 400
    assert "警告：旧台账.xlsx：工作表“申请”第 2 行，“收到日期”列：" in held.text
    assert "2007-0001" not in clerk.get("/ledger/cases").text
    taken = clerk.post("/ledger/import", {"accept_warnings": "on"}, files=files)
    assert taken.status_code == 200 and "已导入 1 件申请、0 条事件" in taken.text
    assert "2007-0001" in clerk.get("/ledger/cases").text
