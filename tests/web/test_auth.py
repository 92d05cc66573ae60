"""Sign-in, sessions, CSRF, throttling, API tokens and the audit log, over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient
from websupport import PASSWORD, WRONG_TXT, csrf_of, sign_in

from xxgk.accounts.sessions import MAX_PER_LOGIN
from xxgk.store.audit import entries


def login(client: TestClient, name: str, password: str):
    page = client.get("/login")
    return client.post("/login", data={"login": name, "password": password, "csrf_token": csrf_of(page.text)})


def test_session_cookie_is_signed_httponly_samesite(app):
    client = TestClient(app, follow_redirects=False)
    response = login(client, "jiaotong", PASSWORD)
    assert (response.status_code, response.headers["location"]) == (303, "/reports")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("xxgk_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=43200" in cookie
    assert client.get("/reports").status_code == 200
    token, mac = client.cookies["xxgk_session"].rsplit(".", 1)
    forged = TestClient(app, follow_redirects=False, cookies={"xxgk_session": f"{token}.{'0' * len(mac)}"})
    assert forged.get("/reports").headers["location"] == "/login"


def test_wrong_password_unknown_login_and_refused_login_form(app):
    client = TestClient(app, follow_redirects=False)
    wrong = login(client, "jiaotong", "wrong-password")
    unknown = login(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "登录名或密码错误" in response.text
    no_token = client.post("/login", data={"login": "jiaotong", "password": PASSWORD, "csrf_token": "x"})
    assert no_token.status_code == 403
    assert "安全校验失败（登录页已过期），请刷新页面后重试" in no_token.text


def test_throttled_after_repeated_failures_even_with_the_right_password(app, world):
    client = TestClient(app, follow_redirects=False)
    for _ in range(MAX_PER_LOGIN):
        assert login(client, "sifa", "wrong-password").status_code == 401
    refused = login(client, "sifa", PASSWORD)
    assert refused.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in refused.text
    assert login(client, "jiaotong", PASSWORD).status_code == 303  # another login is not affected
    with world.read() as session:
        actions = [(e.action, e.target) for e in entries(session)][:3]
    assert actions == [("login.ok", "jiaotong"), ("login.failed", "sifa"), ("login.failed", "sifa")]


def test_every_form_refuses_a_missing_or_wrong_csrf_token(as_user, run_jobs):
    clerk = as_user("jiaotong")
    ok = clerk.upload(("a.txt", WRONG_TXT.read_bytes()))
    report = ok.headers["location"]
    refusals = [
        clerk.upload(("b.txt", WRONG_TXT.read_bytes()), csrf=False),
        clerk.post(f"{report}/retry", csrf=False),
        clerk.post(f"{report}/findings/{'0' * 16}", {"decision": "dismissed", "reason": "x"}, csrf=False),
        clerk.post("/logout", {"csrf_token": "forged"}, csrf=False),
    ]
    admin = as_user("admin")
    refusals += [
        admin.post("/admin/orgs", {"name": "甲", "kind": "其他", "level": "县"}, csrf=False),
        admin.post(
            "/admin/users",
            {"login": "x1", "role": "clerk", "org": "示例区教育局", "password": "12345678"},
            csrf=False,
        ),
        admin.post("/admin/users/jiaotong/token", csrf=False),
        admin.post(
            "/admin/orgs/import", csrf=False, files={"file": ("t.csv", "名称,类型,层级,上级\n".encode())}
        ),
    ]
    for response in refusals:
        assert response.status_code == 403, response.request.url
        assert "安全校验失败（表单已过期或来源不明），请刷新页面后重试" in response.text
    run_jobs()
    by_header = clerk.client.post(f"{report}/retry", headers={"X-CSRF-Token": clerk.csrf})  # as htmx sends it
    assert (by_header.status_code, by_header.headers["location"]) == (303, report)


def test_logout_ends_the_session_in_the_database(app):
    browser = sign_in(app, "jiaotong")
    cookie = browser.client.cookies["xxgk_session"]
    assert browser.post("/logout").status_code == 303
    replay = TestClient(app, follow_redirects=False, cookies={"xxgk_session": cookie})
    assert replay.get("/reports").headers["location"] == "/login"


def test_api_token_from_the_admin_page_works_for_scripts(as_user, app):
    page = as_user("admin").post("/admin/users/jiaoyu/token")
    assert page.status_code == 200
    token = page.text.split('<code id="new-token">')[1].split("</code>")[0]
    client = TestClient(app)
    listed = client.get("/api/reports", headers={"Authorization": f"Bearer {token}"})
    assert (listed.status_code, listed.json()) == (200, {"reports": []})
    # a token is not a cookie: no CSRF token needed, and none of the session's
    upload = client.post(
        "/api/reports",
        headers={"Authorization": f"Bearer {token}"},
        params={"org": "示例县交通运输局"},
        files={"file": ("a.txt", WRONG_TXT.read_bytes())},
    )
    assert (upload.status_code, upload.json()) == (404, {"error": "机构不存在或无权访问"})


def test_the_audit_log_records_changes_and_cannot_be_changed(as_user):
    path = "/admin/audit"
    admin = as_user("admin")
    admin.post(
        "/admin/orgs", {"name": "示例区财政局", "kind": "政府部门", "level": "县", "parent": "示例区人民政府"}
    )
    page = admin.get(path).text
    assert "新增机构" in page and "示例区财政局" in page
    for method in ("post", "put", "delete"):
        assert getattr(admin.client, method)(path).status_code == 405
