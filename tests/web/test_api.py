"""The JSON API for scripts: bearer tokens, 201 with the checked report when reading is quick,
202 and a URL to poll otherwise, JSON errors in Chinese, OpenAPI docs served locally."""

from __future__ import annotations

import re
import threading
import time

import pytest
from fastapi.testclient import TestClient
from websupport import PDF_2025, WRONG_TXT

from xxgk.accounts.users import issue_token
from xxgk.jobs.worker import Worker


@pytest.fixture
def worker(world):
    stop = threading.Event()
    thread = threading.Thread(target=Worker(world, poll=0.05).run, args=(stop,), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(30)


@pytest.fixture
def api(app, world):
    def client_for(login: str) -> TestClient:
        with world.write() as session:
            token = issue_token(session, "测试", login)
        return TestClient(app, headers={"Authorization": f"Bearer {token}"})

    return client_for


def test_a_text_report_comes_back_checked_with_201(api, worker):
    response = api("jiaotong").post("/api/reports", files={"file": ("年报.txt", WRONG_TXT.read_bytes())})
    assert response.status_code == 201
    body = response.json()
    assert body["schema"] == "xxgk.report/1" and body["status"] == "done" and isinstance(body["id"], int)
    assert [f["code"] for f in body["findings"]] == [
        "XG101",
        "XG102",
        "XG102",
        "XG103",
        "XG103",
        "XG104",
        "XG301",
    ]
    assert api("jiaotong").get(f"/api/reports/{body['id']}").json() == body


def test_a_pdf_is_accepted_with_202_and_a_url_to_poll(api, worker):
    client = api("sifa")
    response = client.post("/api/reports", files={"file": ("年报.pdf", PDF_2025.read_bytes())})
    assert response.status_code == 202
    body = response.json()
    # the worker may already have claimed the job when the answer is written
    assert (body["status"], body["stage"]) in (("queued", "排队等候"), ("queued", "正在读取"), ("running", "正在读取"))
    assert body["url"] == f"/api/reports/{body['id']}" and set(body) == {"id", "status", "stage", "url"}
    deadline = time.monotonic() + 120
    while (state := client.get(body["url"]).json())["status"] != "done":
        assert time.monotonic() < deadline and state["status"] in ("queued", "running")
        time.sleep(0.2)
    assert state["meta"]["agency"] == "示例区司法局" and state["id"] == body["id"]


def test_errors_are_json_in_chinese(api, worker):
    clerk = api("jiaotong")
    empty = clerk.post("/api/reports", files={"file": ("空.txt", b"")})
    assert (empty.status_code, empty.json()) == (400, {"error": "空.txt：文件为空"})
    no_file = clerk.post("/api/reports")
    assert (no_file.status_code, no_file.json()) == (400, {"error": "请求缺少必填项或格式不正确"})
    bad_yaml = clerk.post("/api/reports", files={"file": ("源文件.yaml", b"meta: [")})
    assert bad_yaml.status_code == 422
    assert bad_yaml.json()["error"] == "YAML 格式错误（第 1 行第 8 列）：请检查缩进、冒号和引号"
    supervisor = api("county").post("/api/reports", files={"file": ("a.txt", WRONG_TXT.read_bytes())})
    assert (supervisor.status_code, supervisor.json()) == (403, {"error": "只有经办人员可以上传报告"})
    missing = clerk.get("/api/reports/424242")
    assert (missing.status_code, missing.json()) == (404, {"error": "报告不存在或无权查看"})


def test_docs_are_served_from_this_server_only(app):
    client = TestClient(app)
    page = client.get("/api/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r"url: '([^']+)'", page)
    assert "/static/swagger/swagger-ui-bundle.js" in assets and "/static/swagger/swagger-ui.css" in assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in (
        "/static/swagger/swagger-ui-bundle.js",
        "/static/swagger/swagger-ui.css",
        "/static/htmx.min.js",
    ):
        assert client.get(asset).status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert {"/api/reports", "/api/reports/{report_id}"} <= set(spec["paths"])
