"""The filing cycle over HTTP: opening a cycle, every state transition by the role allowed to
make it, and the illegal ones refused with the filing unchanged; scope (another node's
clerk gets 404); the audit log of every change. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

from cyclesupport import YEAR, filing_id, filled, form_fields, open_cycle, started, status_of
from sqlalchemy import select

from xxgk.store.cycle_tables import CycleDeadline, Filing, FilingVersion, WarningNote
from xxgk.store.tables import AuditEntry

RECEIVED = "cell:applications/received/commercial"
RECEIVED_TOTAL = "cell:applications/received/total"


def message(html: str) -> str:
    found = re.search(r'id="page-message"[^>]*>([^<]*)<', html) or re.search(
        r'<div class="msg error"[^>]*>([^<]*)<', html
    )
    return found.group(1).strip() if found else ""


def submitted(as_user, world, clerk: str = "jiaotong", org: str = "示例县交通运输局") -> tuple[int, int]:
    """A cycle opened by the county; the clerk's filing filled in and submitted."""
    cycle_id = open_cycle(as_user("county"))
    fid = filing_id(world, cycle_id, org)
    browser = as_user(clerk)
    fields = filled(started(browser, fid))
    response = browser.post(f"/filings/{fid}/submit", fields)
    assert response.status_code == 303, message(response.text)
    assert status_of(world, fid) == "submitted"
    return cycle_id, fid


def test_a_supervisor_opens_a_cycle_for_its_subtree_with_the_statutory_deadlines(as_user, world):
    county = as_user("county")
    cycle_id = open_cycle(county)
    with world.read() as session:
        filings = session.scalars(
            select(Filing).where(Filing.cycle_id == cycle_id).order_by(Filing.org_id)
        ).all()
        deadlines = {d.org_kind: d.due for d in session.scalars(select(CycleDeadline))}
    assert [f.status for f in filings] == ["not_started"] * 3
    assert deadlines["人民政府"] == date(YEAR + 1, 3, 31)
    assert deadlines["政府部门"] == date(YEAR + 1, 1, 31)
    page = county.get(f"/cycles/{cycle_id}").text
    assert re.findall(r'data-org="([^"]+)"', page) == ["示例县人民政府", "示例县交通运输局", "示例县司法局"]
    assert page.count('<td class="status">未开始</td>') == 3
    fid = filing_id(world, cycle_id, "示例县交通运输局")
    assert "尚未开始填写" in county.get(f"/filings/{fid}").text
    assert 'id="start-last_year"' in as_user("jiaotong").get(f"/filings/{fid}").text
    again = county.post("/cycles", {"year": str(YEAR)})
    assert again.status_code == 400
    assert f"{YEAR} 年度已有填报包含以下机构：示例县人民政府、示例县交通运输局、示例县司法局" in again.text


def test_deadlines_are_edited_by_the_opening_supervisor_only(as_user, world):
    cycle_id = open_cycle(as_user("county"))
    changed = as_user("county").post(f"/cycles/{cycle_id}/deadlines", {"due:政府部门": f"{YEAR + 1}-02-15"})
    assert changed.status_code == 303
    with world.read() as session:
        due = session.scalar(select(CycleDeadline.due).where(CycleDeadline.org_kind == "政府部门"))
    assert due == date(YEAR + 1, 2, 15)
    with world.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "cycle.deadlines"))
    assert (entry.actor, entry.target, entry.detail) == (
        "county",
        f"年度填报 #{cycle_id}",
        {"政府部门": f"{YEAR + 1}-02-15"},
    )
    assert (
        as_user("jiaotong").post(f"/cycles/{cycle_id}/deadlines", {"due:政府部门": "2026-01-01"}).status_code
        == 403
    )
    assert (
        as_user("district").post(f"/cycles/{cycle_id}/deadlines", {"due:政府部门": "2026-01-01"}).status_code
        == 404
    )
    bad = as_user("county").post(f"/cycles/{cycle_id}/deadlines", {"due:政府部门": "二月"})
    assert bad.status_code == 400 and "政府部门的截止日期“二月”不是有效的日期" in bad.text


def test_only_a_supervisor_opens_a_cycle(as_user):
    for login in ("jiaotong", "admin"):
        response = as_user(login).post("/cycles", {"year": str(YEAR)})
        assert response.status_code == 403
        assert "只有监督人员可以开启年度填报" in response.text
    assert as_user("county").post("/cycles", {"year": "2019"}).status_code == 400


def test_the_full_cycle_and_every_illegal_step_on_the_way(as_user, world):
    cycle_id, fid = submitted(as_user, world)
    clerk, county = as_user("jiaotong"), as_user("county")
    # submitted: the clerk can neither edit nor accept; the supervisor cannot publish
    fields = form_fields(clerk.get(f"/filings/{fid}?version=1").text) or {"revision": "3"}
    edit = clerk.post(f"/filings/{fid}/save", {**fields, "revision": "3", RECEIVED: "1"})
    assert edit.status_code == 403 and "报告已提交，等待审核，不能修改" in edit.text
    assert clerk.post(f"/filings/{fid}/accept").status_code == 403
    assert clerk.post(f"/filings/{fid}/return", {"comment:0": "x"}).status_code == 403
    assert (
        county.post(
            f"/filings/{fid}/publish", {"on": f"{YEAR + 1}-01-20", "url": "https://x.gov.cn/a"}
        ).status_code
        == 403
    )
    # returned with a comment on a cell: the clerk sees it, cannot publish, fixes and resubmits
    no_comment = county.post(f"/filings/{fid}/return", {"target:0": "", "comment:0": " "})
    assert no_comment.status_code == 400 and "退回时请至少填写一条意见" in no_comment.text
    back = county.post(
        f"/filings/{fid}/return",
        {"target:0": "applications/received/commercial", "comment:0": "请与台账核对"},
    )
    assert back.status_code == 303 and status_of(world, fid) == "returned"
    assert county.post(f"/filings/{fid}/accept").status_code == 403  # a returned filing is not accepted
    refused = clerk.post(f"/filings/{fid}/publish", {"on": f"{YEAR + 1}-01-20", "url": "https://x.gov.cn/a"})
    assert (
        refused.status_code == 403 and "只有审核通过的报告可以登记发布（当前状态：退回修改）" in refused.text
    )
    page = clerk.get(f"/filings/{fid}").text
    assert 'class="comment">审核意见：请与台账核对' in page
    assert re.search(
        r'>表三 一、本年新收政府信息公开申请数量／商业企业</a>：\s*<span class="comment-text">请与台账核对<',
        page,
    )
    fields = form_fields(page)
    assert clerk.post(f"/filings/{fid}/submit", fields).status_code == 303
    # accepted: nobody edits it; accepting twice is refused
    assert county.post(f"/filings/{fid}/accept").status_code == 303
    assert status_of(world, fid) == "accepted"
    assert county.post(f"/filings/{fid}/accept").status_code == 403
    locked = clerk.post(f"/filings/{fid}/save", {**fields, "revision": str(int(fields["revision"]) + 1)})
    assert locked.status_code == 403 and "报告已审核通过，不能修改" in locked.text
    assert clerk.post(f"/filings/{fid}/start", {"how": "empty", "revision": "9"}).status_code == 403
    # published with a date and an address; the published version is fingerprinted
    bad_url = clerk.post(f"/filings/{fid}/publish", {"on": f"{YEAR + 1}-01-20", "url": "javascript:alert(1)"})
    assert bad_url.status_code == 400 and "请填写以 http:// 或 https:// 开头的发布网址" in bad_url.text
    early = clerk.post(f"/filings/{fid}/publish", {"on": f"{YEAR}-12-01", "url": "https://x.gov.cn/a"})
    assert early.status_code == 400 and f"发布日期应在 {YEAR + 1} 年 1 月 1 日之后" in early.text
    done = clerk.post(f"/filings/{fid}/publish", {"on": f"{YEAR + 1}-01-20", "url": "https://x.gov.cn/a"})
    assert done.status_code == 303 and status_of(world, fid) == "published"
    with world.read() as session:
        published = session.scalars(select(FilingVersion).where(FilingVersion.filing_id == fid)).all()
    assert [(v.number, v.published_on, len(v.fingerprint or "")) for v in published] == [
        (1, None, 64),
        (2, date(YEAR + 1, 1, 20), 64),
    ]
    # a change after publication is a new version; the published one stays as it was
    assert clerk.post(f"/filings/{fid}/revise").status_code == 303
    assert status_of(world, fid) == "drafting"
    with world.read() as session:
        rows = session.scalars(
            select(FilingVersion).where(FilingVersion.filing_id == fid).order_by(FilingVersion.number)
        )
        after = [(v.number, v.origin, v.published_on, v.fingerprint) for v in rows]
    assert after[1] == (2, published[1].origin, date(YEAR + 1, 1, 20), published[1].fingerprint)
    assert after[2][:3] == (3, "revision", None)
    with world.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.target == f"填报 #{fid}")).all()
    with world.read() as session:
        opened = session.scalars(select(AuditEntry.target).where(AuditEntry.action == "cycle.open")).all()
    assert opened == [f"年度填报 #{cycle_id}"]
    assert [a for a in actions if a != "filing.version"] == [
        "filing.start",
        "filing.submit",
        "filing.return",
        "filing.submit",
        "filing.accept",
        "filing.publish",
    ]
    assert actions.count("filing.version") == 3


def test_scope_another_nodes_clerk_and_another_subtree_get_404(as_user, world):
    cycle_id, fid = submitted(as_user, world)
    for login in ("sifa", "jiaoyu", "district"):
        browser = as_user(login)
        assert browser.get(f"/filings/{fid}").status_code == 404, login
        assert browser.post(f"/filings/{fid}/save", {"revision": "1"}).status_code == 404, login
        assert browser.get(f"/filings/{fid}/download/docx").status_code == 404, login
    assert as_user("district").post(f"/filings/{fid}/accept").status_code == 404
    assert as_user("district").get(f"/cycles/{cycle_id}").status_code == 404
    assert as_user("sifa").get(f"/cycles/{cycle_id}").text.count('data-org="') == 1  # its own filing only
    # the admin reads, and changes nothing
    assert as_user("admin").get(f"/filings/{fid}").status_code == 200
    assert as_user("admin").post(f"/filings/{fid}/accept").status_code == 403


def test_a_supervisor_cannot_fill_in_and_csrf_is_required(as_user, world):
    cycle_id = open_cycle(as_user("county"))
    fid = filing_id(world, cycle_id, "示例县交通运输局")
    assert (
        as_user("county").post(f"/filings/{fid}/start", {"how": "empty", "revision": "0"}).status_code == 403
    )
    missing = as_user("jiaotong").post(f"/filings/{fid}/start", {"how": "empty", "revision": "0"}, csrf=False)
    assert missing.status_code == 403 and "安全校验失败" in missing.text
    assert status_of(world, fid) == "not_started"


def test_errors_block_submission_and_warnings_must_be_answered(as_user, world):
    cycle_id = open_cycle(as_user("county"))
    fid = filing_id(world, cycle_id, "示例县交通运输局")
    clerk = as_user("jiaotong")
    fields = started(clerk, fid)
    placeholders = clerk.post(f"/filings/{fid}/submit", fields)
    assert placeholders.status_code == 400 and message(placeholders.text).startswith(
        "还有 9 处【请填写】未替换"
    )
    fields = form_fields(placeholders.text)  # each save moves the revision on
    wrong = clerk.post(f"/filings/{fid}/submit", filled({**fields, RECEIVED: "3"}))
    assert wrong.status_code == 400 and message(wrong.text) == "检查发现 2 个错误，改正后才能提交"
    assert sorted(re.findall(r'data-code="(XG\d+)"', wrong.text)) == ["XG101", "XG103"]
    assert status_of(world, fid) == "drafting"
    # an English word in a Chinese sentence is a warning (XG503): confirm or explain it first
    fields = filled({**form_fields(wrong.text), RECEIVED: "0"})
    fields["text:5:0"] += "\n本年度组织了 training 活动。"
    page = clerk.post(f"/filings/{fid}/submit", fields)
    assert page.status_code == 400 and message(page.text) == "还有 1 个警告未确认或说明"
    assert re.findall(r'<div class="warning-note" data-code="([^"]+)"', page.text) == ["XG503"]
    key = re.search(r'name="note:([0-9a-f]+)"', page.text).group(1)
    unexplained = clerk.post(f"/filings/{fid}/submit", {**form_fields(page.text), f"note:{key}": "explained"})
    assert unexplained.status_code == 400 and "请填写说明" in unexplained.text
    fields = {
        **form_fields(clerk.get(f"/filings/{fid}").text),
        f"note:{key}": "explained",
        f"notetext:{key}": "培训活动的正式名称含英文",
    }
    assert clerk.post(f"/filings/{fid}/submit", fields).status_code == 303
    assert status_of(world, fid) == "submitted"
    with world.read() as session:
        notes = session.execute(select(WarningNote.code, WarningNote.decision, WarningNote.text)).all()
    assert notes == [("XG503", "explained", "培训活动的正式名称含英文")]


def test_a_submitted_version_keeps_its_checked_report(as_user, world):
    """Frozen at submission with the report as checked, so that the dashboard, 雷同 and the
    exports read it instead of regenerating it from the source; a draft keeps none."""
    from xxgk.model import Report
    from xxgk.services.cycle_content import content_report
    from xxgk.services.cycle_dashboard import version_report

    _cycle_id, fid = submitted(as_user, world)
    with world.read() as session:
        (version,) = session.scalars(select(FilingVersion).where(FilingVersion.filing_id == fid)).all()
        kept = Report.from_json(version.report_json)
        assert kept.meta.agency == "示例县交通运输局"
        assert kept.cells == content_report(version.content).cells
        assert {f.code for f in kept.findings} == {f.code for f in version_report(version).findings}
        assert version.warnings == sum(f.severity == "warning" for f in kept.findings)
        draft = as_user("sifa")
        other = filing_id(world, _cycle_id, "示例县司法局")
    started(draft, other)
    with world.read() as session:
        (head,) = session.scalars(select(FilingVersion).where(FilingVersion.filing_id == other)).all()
        assert head.report_json is None and head.submitted_at is None
