"""Shared helpers of the web tests: the example files, the organisation tree and accounts,
a signed-in client (`Browser`), uploading and running jobs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from xxgk.orgs import OrgSpec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WRONG_TXT = EXAMPLES / "示例县交通运输局-2024-含错误.txt"
GOOD_TXT = EXAMPLES / "示例区司法局-2024-网页单元格.txt"
DOCX_2025 = EXAMPLES / "编制" / "示例区司法局-2025-年度报告.docx"
PDF_2025 = EXAMPLES / "编制" / "示例区司法局-2025-年度报告.pdf"
YAML_2025 = EXAMPLES / "编制" / "示例区司法局-2025-年度报告源文件.yaml"
PASSWORD = "correct-horse-1"

# The tree: 市 → 县 → 交通局, 司法局; 市 → 区 → 教育局.
TREE = [
    OrgSpec("示例市人民政府", "人民政府", "市"),
    OrgSpec("示例县人民政府", "人民政府", "县", "示例市人民政府"),
    OrgSpec("示例县交通运输局", "政府部门", "县", "示例县人民政府"),
    OrgSpec("示例县司法局", "政府部门", "县", "示例县人民政府"),
    OrgSpec("示例区人民政府", "人民政府", "县", "示例市人民政府"),
    OrgSpec("示例区教育局", "政府部门", "县", "示例区人民政府"),
]
ACCOUNTS = {
    "admin": ("admin", "示例市人民政府"),
    "county": ("supervisor", "示例县人民政府"),  # reads 县, 交通局, 司法局
    "district": ("supervisor", "示例区人民政府"),  # reads 区, 教育局
    "jiaotong": ("clerk", "示例县交通运输局"),
    "sifa": ("clerk", "示例县司法局"),
    "jiaoyu": ("clerk", "示例区教育局"),
}


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


@dataclass
class Browser:
    """A TestClient signed in as one account, with its session's CSRF token."""

    client: TestClient
    csrf: str

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict | None = None, csrf: bool = True, **kw):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.csrf
        return self.client.post(url, data=data, **kw)

    def upload(self, *files: tuple[str, bytes], csrf: bool = True):
        return self.post("/reports", csrf=csrf, files=[("files", (name, content)) for name, content in files])


def sign_in(app, login: str, password: str = PASSWORD) -> Browser:
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login")
    response = client.post(
        "/login", data={"login": login, "password": password, "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303, response.text
    return Browser(client, csrf_of(client.get("/reports").text))


def upload_done(browser: Browser, run_jobs, path: Path, name: str | None = None) -> int:
    """Upload one file, run the job, return the report id."""
    response = browser.upload((name or path.name, path.read_bytes()))
    assert response.status_code == 303, response.text
    run_jobs()
    return int(response.headers["location"].rsplit("/", 1)[1])
