"""The aggregate report of a government node over HTTP (SQLite and PostgreSQL): the preview
with coverage, compiling the accepted members' sum as a new draft version through the
filing's own save, its clean check against the members, and who may do it."""

from __future__ import annotations

from sqlalchemy import select
from test_dashboard_cycle import accept, example, file_and_submit, open_county_cycle, org_ids

from xxgk.accounts.users import find_user
from xxgk.services import cycle
from xxgk.services.cycle import head_version
from xxgk.services.cycle_content import content_report
from xxgk.store.audit import entries
from xxgk.store.cycle_tables import DRAFTING, Filing

RECEIVED = "applications/received/total"


def _url(filed, ids) -> str:
    return f"/cycles/{filed.cycle_id}/aggregate/{ids['示例县人民政府']}"


def test_compile_from_accepted_members_with_coverage(world, as_user):
    filed = open_county_cycle(world)
    ids = org_ids(world)
    jt, sf = filed.filings["示例县交通运输局"], filed.filings["示例县司法局"]
    file_and_submit(world, "jiaotong", jt, example("示例县交通运输局"))
    accept(world, jt)
    file_and_submit(world, "sifa", sf, example("示例县司法局"))  # submitted, not yet accepted

    page = as_user("xianfu").get(_url(filed, ids))
    assert page.status_code == 200, page.text
    assert "下级机构 2 个，已通过并纳入汇总 1 个；未纳入：示例县司法局（已提交）" in page.text

    response = as_user("xianfu").post(_url(filed, ids))
    assert response.status_code == 303, response.text
    gov = filed.filings["示例县人民政府"]
    assert response.headers["location"] == f"/filings/{gov}"
    assert _received(world, gov) == 17  # only the accepted member

    accept(world, sf)
    assert as_user("xianfu").post(_url(filed, ids)).status_code == 303
    assert _received(world, gov) == 34
    with world.read() as session:
        filing = session.get(Filing, gov)
        head = head_version(session, filing)
        assert (filing.status, head.number, head.origin) == (DRAFTING, 2, "aggregate")
        report = content_report(head.content)
        assert report.meta.agency == "示例县人民政府" and report.meta.year == 2025
        logged = [e for e in entries(session) if e.action == "filing.aggregate"]
        assert logged[0].detail["members"] == ["示例县交通运输局", "示例县司法局"]
        assert logged[0].detail["missing"] == []
        assert logged[1].detail["missing"] == ["示例县司法局"]

    page = as_user("xianfu").get(_url(filed, ids))
    assert "下级机构 2 个，已通过并纳入汇总 2 个" in page.text
    assert 'id="member-check" data-errors="0"' in page.text  # XG801 finds nothing to say
    assert "本汇总报告（2025年）与 2 份成员报告核对" in page.text  # XG802
    assert 'data-group="sum" data-received="34"' in page.text
    assert 'data-group="current" data-received="34"' in page.text


def _received(db, filing_id: int):
    with db.read() as session:
        head = head_version(session, session.get(Filing, filing_id))
        return content_report(head.content).value(RECEIVED)


def test_a_changed_aggregate_is_checked_against_its_members(world, as_user):
    filed = open_county_cycle(world)
    ids = org_ids(world)
    for login, org in (("jiaotong", "示例县交通运输局"), ("sifa", "示例县司法局")):
        file_and_submit(world, login, filed.filings[org], example(org))
        accept(world, filed.filings[org])
    gov = filed.filings["示例县人民政府"]
    wrong = example("示例县人民政府")  # one member's numbers, not the sum
    with world.write() as session:
        cycle.save_draft(session, find_user(session, "xianfu"), gov, 0, wrong)
    page = as_user("county").get(_url(filed, ids))
    assert page.status_code == 200
    assert 'id="member-check" data-errors="' in page.text and 'data-errors="0"' not in page.text
    assert "与成员报告之和不符" in page.text
    assert "汇总 17，2 份成员报告之和 34" in page.text


def test_who_may_compile(world, as_user):
    filed = open_county_cycle(world)
    ids = org_ids(world)
    url = _url(filed, ids)
    assert as_user("xianfu").post(url).status_code == 400  # nothing accepted yet
    assert "还没有审核通过的下级报告" in as_user("xianfu").post(url).text
    jt = filed.filings["示例县交通运输局"]
    file_and_submit(world, "jiaotong", jt, example("示例县交通运输局"))
    accept(world, jt)
    assert as_user("county").post(url).status_code == 403  # a supervisor reviews, never fills in
    assert as_user("admin").post(url).status_code == 403
    assert as_user("jiaotong").post(url).status_code == 404  # not its node
    assert as_user("jiaotong").get(url).status_code == 404
    assert as_user("district").get(url).status_code == 404
    assert as_user("xianfu").post(url, csrf=False).status_code == 403  # no CSRF token
    leaf = f"/cycles/{filed.cycle_id}/aggregate/{ids['示例县交通运输局']}"
    assert as_user("jiaotong").post(leaf).status_code == 400  # no members to sum
    with world.read() as session:
        assert (
            session.scalar(select(Filing.status).where(Filing.id == filed.filings["示例县人民政府"]))
            == "not_started"
        )
