"""End to end in a real headless Chromium (Playwright driving Debian's chromium): sign in,
upload a report with wrong cells, see them marked, dismiss a finding with a reason, download
the DOCX; the supervisor sees the reason. Screenshots of the key pages go to the test's
folder (and, with XXGK_WEB_IMAGES=dir, two of them to that folder: scripts/make-web-images.sh).
Without Chromium or Playwright the test is skipped locally and fails under CI."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from docx import Document
from servers import serving
from websupport import PASSWORD, WRONG_TXT

import shared

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]
IMAGES = {"report.png": "web-report.png", "list.png": "web-list.png"}


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright 未安装（pip install -e '.[test]'）")
    if not Path(CHROMIUM).exists():
        missing("Chromium 未安装（运行 scripts/setup-system.sh）")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def missing(message: str) -> None:
    if shared.is_ci():
        pytest.fail(message)
    pytest.skip(message)


def sign_in(page, base: str, login: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/reports")


def test_clerk_uploads_sees_marks_dismisses_downloads(browser, world, db_url, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with serving(db_url, tmp_path, workers=1) as served:
        base = served.base
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        page.goto(f"{base}/login")
        page.screenshot(path=shots / "login.png")
        sign_in(page, base, "jiaotong")
        page.set_input_files("#files", [str(WRONG_TXT)])
        page.click("text=上传并检查")
        # the page polls the job with htmx and reloads itself when the report is checked
        page.wait_for_selector("#summary", timeout=60_000)
        cell = page.locator("#cell-applications-received-commercial")
        assert cell.get_attribute("class").split() == ["mark-error"]
        assert "XG101 错误：第2列（商业企业）" in cell.get_attribute("data-note")
        assert page.locator("td.mark-error").count() == 62
        cell.evaluate("el => el.scrollIntoView({block: 'center'})")
        cell.focus()  # the finding shows beside the cell on focus (and on hover)
        page.screenshot(path=shots / "report.png")
        finding = page.locator(".finding[data-code=XG301]")
        finding.locator("summary").click()
        finding.locator("input[value=dismissed]").check()
        finding.locator("textarea").fill("正文所述为上年度数字，已与台账核实")
        finding.locator("button[type=submit]").click()
        page.wait_for_selector(".finding.dismissed[data-code=XG301]")
        assert (
            "不予采纳理由：正文所述为上年度数字，已与台账核实（jiaotong，"
            in page.locator(".finding[data-code=XG301]").inner_text()
        )
        with page.expect_download() as info:
            page.click("text=DOCX")
        download = info.value
        assert download.suggested_filename == "示例县交通运输局-2024-含错误.docx"
        text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs)
        assert "示例县交通运输局2024年" in text
        page.goto(f"{base}/reports")
        page.screenshot(path=shots / "list.png")
        supervisor = context.browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN"
        ).new_page()
        sign_in(supervisor, base, "county")
        supervisor.click("text=示例县交通运输局-2024-含错误.txt")
        assert (
            supervisor.locator(".finding.dismissed[data-code=XG301] .meta")
            .last.inner_text()
            .startswith("不予采纳理由：正文所述为上年度数字")
        )
        assert supervisor.locator("text=确认或不予采纳").count() == 0  # reads, cannot change
        supervisor.screenshot(path=shots / "supervisor.png")
    assert sorted(p.name for p in shots.iterdir()) == [
        "list.png",
        "login.png",
        "report.png",
        "supervisor.png",
    ]
    target = os.environ.get("XXGK_WEB_IMAGES")
    if target:
        for name, published in IMAGES.items():
            shutil.copyfile(shots / name, Path(target) / published)
