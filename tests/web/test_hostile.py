"""Bad and hostile requests: every refusal is a Chinese message with a 4xx status, never a
traceback or a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from websupport import WRONG_TXT


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")
    return buffer.getvalue()


def test_hostile_files_fail_their_jobs_with_a_reason(as_user, run_jobs):
    clerk = as_user("jiaotong")
    files = {
        "炸弹.docx": (zip_bomb(), "解压后内容过大（超过上限 200 MB），可能是压缩炸弹"),
        "实体.html": (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<html><body>&b;&b;</body></html>",
            None,
        ),
        "源文件.yaml": (b"meta: [", "YAML 格式错误（第 1 行第 8 列）：请检查缩进、冒号和引号"),
        "报告.json": (b'{"schema": "x"}', "不是 xxgk.report/1 格式的报告（schema 字段缺失或不符）"),
    }
    response = clerk.upload(*[(name, content) for name, (content, _) in files.items()])
    assert response.status_code == 200
    run_jobs()
    listed = {r["filename"]: r for r in clerk.get("/api/reports").json()["reports"]}
    for name, (_, reason) in files.items():
        state = clerk.get(listed[name]["url"]).json()
        assert state["status"] in ("done", "failed"), name
        if reason:
            assert (state["status"], state["error"]) == ("failed", reason), name
        page = clerk.get(f"/reports/{listed[name]['id']}")
        assert page.status_code == 200 and "Traceback" not in page.text


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("not-multipart", 400, "请选择要上传的文件"),
        ("broken-multipart", 400, "请选择要上传的文件"),  # the unterminated part holds no file
        ("too-large", 413, "上传的内容过大（一次最多 120 MB）"),
    ],
)
def test_malformed_upload_requests(as_user, kind, status, message):
    clerk = as_user("jiaotong")
    if kind == "not-multipart":
        response = clerk.client.post("/reports", json={"files": "x"}, headers={"X-CSRF-Token": clerk.csrf})
    elif kind == "broken-multipart":
        response = clerk.client.post(
            "/reports",
            content=b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nabc',
            headers={"Content-Type": "multipart/form-data; boundary=xyz", "X-CSRF-Token": clerk.csrf},
        )
    else:
        response = clerk.client.post(
            "/reports",
            content=b"x",
            headers={"Content-Length": str(200 * 1024 * 1024), "X-CSRF-Token": clerk.csrf},
        )
    assert response.status_code == status
    assert message in response.text and "Traceback" not in response.text


def test_oversized_fields_and_unknown_values(as_user, run_jobs):
    clerk = as_user("jiaotong")
    report = clerk.upload(("a.txt", WRONG_TXT.read_bytes())).headers["location"]
    run_jobs()
    key = "0" * 16
    long_reason = clerk.post(f"{report}/findings/{key}", {"decision": "dismissed", "reason": "长" * 2001})
    assert long_reason.status_code == 400 and "理由不能超过 2000 字" in long_reason.text
    unknown = clerk.post(f"{report}/findings/{key}", {"decision": "dismissed", "reason": "x"})
    assert unknown.status_code == 400 and "该检查问题不存在（报告可能已重新检查）" in unknown.text
    admin = as_user("admin")
    bad_org = admin.post("/admin/orgs", {"name": "\x01坏", "kind": "其他", "level": "县"})
    assert bad_org.status_code == 400 and "名称无效（超过 200 字或含控制字符）" in bad_org.text
    no_file = admin.post("/admin/orgs/import")
    assert no_file.status_code == 400 and "文件名须以 .csv 或 .xlsx 结尾" in no_file.text
    junk = admin.post("/admin/orgs/import", files={"file": ("机构.xlsx", b"PK\x03\x04junk")})
    assert junk.status_code == 400 and "XLSX 文件已损坏或不完整" in junk.text
    weak = admin.post(
        "/admin/users", {"login": "新人", "role": "clerk", "org": "示例区教育局", "password": "short"}
    )
    assert weak.status_code == 400 and "密码至少 8 个字符" in weak.text
    missing = admin.post("/admin/users/nobody/token")
    assert missing.status_code == 400 and "账号“nobody”不存在" in missing.text
