"""Every permission rule at the HTTP level: each role × own / other node × read / write.
A report outside the caller's scope is a 404 (it does not exist for them); a report the
caller may read but not change is a 403; admin pages are for admins only."""

from __future__ import annotations

import re

import pytest
from websupport import GOOD_TXT, WRONG_TXT, upload_done


@pytest.fixture
def reports(as_user, run_jobs):
    """交通局's report (a wrong one) and 教育局's, each uploaded by its clerk."""
    jt = upload_done(as_user("jiaotong"), run_jobs, WRONG_TXT)
    jy = upload_done(as_user("jiaoyu"), run_jobs, GOOD_TXT)
    return {"jiaotong": jt, "jiaoyu": jy}


def first_finding_key(html: str) -> str:
    return re.search(r'id="finding-([0-9a-f]{16})"', html).group(1)


READ = [  # (who, whose report, status)
    ("jiaotong", "jiaotong", 200),
    ("jiaotong", "jiaoyu", 404),
    ("sifa", "jiaotong", 404),  # a sibling node
    ("jiaoyu", "jiaoyu", 200),
    ("county", "jiaotong", 200),  # in the subtree
    ("county", "jiaoyu", 404),
    ("district", "jiaoyu", 200),
    ("district", "jiaotong", 404),
    ("admin", "jiaotong", 200),
    ("admin", "jiaoyu", 200),
]


@pytest.mark.parametrize(("who", "whose", "status"), READ)
def test_read_a_report_page_its_source_status_and_downloads(as_user, reports, who, whose, status):
    browser, report_id = as_user(who), reports[whose]
    for url in (
        f"/reports/{report_id}",
        f"/reports/{report_id}/source",
        f"/reports/{report_id}/download/json",
        f"/reports/{report_id}/download/findings.csv",
        f"/api/reports/{report_id}",
    ):
        response = browser.get(url)
        assert response.status_code == status, url
        if status == 404:
            assert "报告不存在或无权查看" in response.text


WRITE = [  # (who, whose report, status of a review and of a retry)
    ("jiaotong", "jiaotong", 303),
    ("jiaotong", "jiaoyu", 404),
    ("sifa", "jiaotong", 404),
    ("county", "jiaotong", 403),  # may read, may not change
    ("county", "jiaoyu", 404),
    ("admin", "jiaotong", 403),
]


@pytest.mark.parametrize(("who", "whose", "status"), WRITE)
def test_change_a_report_review_and_retry(as_user, reports, who, whose, status):
    owner_page = as_user(whose).get(f"/reports/{reports[whose]}").text
    key = first_finding_key(owner_page) if whose == "jiaotong" else "0" * 16
    browser, report_id = as_user(who), reports[whose]
    review = browser.post(
        f"/reports/{report_id}/findings/{key}", {"decision": "dismissed", "reason": "已核实"}
    )
    retry = browser.post(f"/reports/{report_id}/retry")
    assert (review.status_code, retry.status_code) == (status, status)
    if status == 403:
        assert "只能查看，无权修改此报告（只有本机构的经办人员可以）" in review.text
    if status == 404:
        assert "报告不存在或无权查看" in review.text


def test_only_a_clerk_uploads_and_only_to_its_own_node(as_user):
    content = ("a.txt", WRONG_TXT.read_bytes())
    for who in ("county", "admin"):
        response = as_user(who).upload(content)
        assert response.status_code == 403
        assert "只有经办人员可以上传报告" in response.text
    clerk = as_user("jiaotong")
    other = clerk.post("/reports", {"org": "示例区教育局"}, files=[("files", content)])
    assert other.status_code == 404 and "机构不存在或无权访问" in other.text
    own = clerk.post("/reports", {"org": "示例县交通运输局"}, files=[("files", content)])
    assert own.status_code == 303


def test_lists_hold_exactly_the_reports_in_scope(as_user, reports, run_jobs):
    sifa = upload_done(as_user("sifa"), run_jobs, GOOD_TXT)
    expected = {
        "jiaotong": {reports["jiaotong"]},
        "sifa": {sifa},
        "jiaoyu": {reports["jiaoyu"]},
        "county": {reports["jiaotong"], sifa},
        "district": {reports["jiaoyu"]},
        "admin": {reports["jiaotong"], reports["jiaoyu"], sifa},
    }
    for who, ids in expected.items():
        listed = {r["id"] for r in as_user(who).get("/api/reports").json()["reports"]}
        assert listed == ids, who
        page = as_user(who).get("/reports").text
        assert {int(i) for i in re.findall(r'href="/reports/(\d+)"', page)} == ids, who


ADMIN_PAGES = ["/admin/orgs", "/admin/users", "/admin/audit", "/admin/orgs/export/机构树.csv"]


@pytest.mark.parametrize("who", ["jiaotong", "county"])
def test_admin_pages_refuse_everyone_else(as_user, who):
    browser = as_user(who)
    for url in ADMIN_PAGES:
        response = browser.get(url)
        assert response.status_code == 403, url
        assert "只有系统管理员可以管理机构和账号" in response.text
    add = browser.post("/admin/orgs", {"name": "新机构", "kind": "其他", "level": "县"})
    user = browser.post(
        "/admin/users", {"login": "x1", "role": "clerk", "org": "示例区教育局", "password": "12345678"}
    )
    token = browser.post("/admin/users/jiaotong/token")
    assert (add.status_code, user.status_code, token.status_code) == (403, 403, 403)


def test_admin_pages_serve_the_admin(as_user):
    browser = as_user("admin")
    assert [browser.get(url).status_code for url in ADMIN_PAGES] == [200, 200, 200, 200]
    added = browser.post(
        "/admin/orgs", {"name": "示例区财政局", "kind": "政府部门", "level": "县", "parent": "示例区人民政府"}
    )
    assert added.status_code == 303
    assert "示例区财政局" in browser.get("/admin/orgs").text


def test_strangers_are_sent_to_the_login_page_or_get_401(app):
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False)
    for url in ("/reports", "/reports/1", "/admin/orgs"):
        response = client.get(url)
        assert (response.status_code, response.headers["location"]) == (303, "/login")
    api = client.get("/api/reports")
    assert (api.status_code, api.json()) == (401, {"error": "请先登录"})
    bad_token = client.get("/api/reports", headers={"Authorization": "Bearer xxgk_nope"})
    assert (bad_token.status_code, bad_token.json()) == (401, {"error": "API 令牌无效"})
