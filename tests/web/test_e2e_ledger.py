"""The ledger end to end in a real headless Chromium against `xxgk serve`: a clerk registers an
application received on Friday 2025-09-26 (before 国庆节/中秋节, 10-01 to 10-08) with its
scanned form, sends a 补正 notice and downloads the letter, records the correction, extends,
replies with 部分公开; at each step the due date on the page is the one `xxgk deadline`
prints for the same facts; the case is then in the year's 表三 cell 部分公开/自然人 and in
that cell's list of cases."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from docx import Document
from servers import serving
from test_e2e import browser, sign_in  # noqa: F401  (the Chromium fixture)
from test_ledger import PDF

RECEIVED = "2025-09-26"


def cli_due(*args: str) -> str:
    """The due date `xxgk deadline` prints for the application received on RECEIVED."""
    command = [sys.executable, "-m", "xxgk.cli", "deadline", RECEIVED, "--format", "json", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["due"]


def shown_due(page) -> str | None:
    found = page.locator("#deadline .due-date")
    return found.inner_text() if found.count() else None


def act(page, kind: str, day: str, **fields: str) -> None:
    box = page.locator(f'details[data-kind="{kind}"]')
    box.locator("summary").click()
    box.locator("input[name=date]").fill(day)
    for name, value in fields.items():
        field = box.locator(f"[name={name}]")
        if name in ("outcome", "letter_format"):
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        box.locator("button[type=submit]").click()


def test_a_clerk_works_a_case_in_the_browser(browser, world, db_url, tmp_path):  # noqa: F811
    shots = tmp_path / "screenshots"
    shots.mkdir()
    scan = tmp_path / "申请表.pdf"
    scan.write_bytes(PDF)
    with serving(db_url, tmp_path, workers=1) as served:
        base = served.base
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        sign_in(page, base, "jiaotong")
        page.goto(f"{base}/ledger/new")
        page.fill("#received", RECEIVED)
        page.select_option("#channel", "in_person")
        page.select_option("#applicant_type", "natural_person")
        page.fill("#applicant_name", "张三")
        page.fill("#applicant_contact", "13800000000")
        page.select_option("#id_doc_type", "resident_id")
        page.fill("#id_doc_number", "110101199001011234")
        page.fill("#request", "2024年城区道路维修经费明细")
        page.set_input_files("#attachments", [str(scan)])
        with page.expect_navigation():
            page.click("#new-case button[type=submit]")
        assert page.locator("h1").inner_text() == "申请 2025-0001"
        assert shown_due(page) == cli_due() == "2025-10-30"
        assert "国庆节、中秋节 2025-10-01 至 2025-10-08 不计" in page.locator("#deadline").inner_text()
        page.screenshot(path=shots / "registered.png", full_page=True)

        act(page, "correction_requested", "2025-09-29", items="请写明所需文件的名称或文号")
        assert page.locator("#status").inner_text() == "等待补正"
        assert shown_due(page) is None  # the clock waits for the correction
        with page.expect_download() as info:
            page.click('tr[data-letter="correction"] a')
        download = info.value
        assert download.suggested_filename == "2025-0001-补正告知书.docx"
        text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs)
        assert "请写明所需文件的名称或文号" in text and "示例县交通运输局" in text

        act(page, "correction_received", "2025-10-09")
        assert shown_due(page) == cli_due("--corrected", "2025-10-09") == "2025-11-05"

        act(page, "extension", "2025-11-03", approved_by="王局长", letter_format="")
        assert shown_due(page) == cli_due("--corrected", "2025-10-09", "--extend") == "2025-12-03"

        act(page, "reply", "2025-11-20", outcome="partially_granted", letter_format="docx")
        assert page.locator("#status").inner_text() == "已办结（部分公开，2025-11-20）"
        assert page.locator('tr[data-letter="reply"]').count() == 1
        assert page.locator("#timeline tbody tr").count() == 5  # receipt and four events
        page.screenshot(path=shots / "case.png", full_page=True)

        page.goto(f"{base}/ledger/stats?year=2025")
        cell = page.locator('td[data-ref="applications/partially_granted/natural_person"] a')
        assert cell.inner_text() == "1"
        assert page.locator('td[data-ref="applications/received/natural_person"] a').inner_text() == "1"
        page.screenshot(path=shots / "stats.png", full_page=True)
        with page.expect_navigation():
            cell.click()
        assert page.locator("#cell-cases tbody tr").count() == 1
        assert page.locator("#cell-cases tbody tr td").first.inner_text() == "2025-0001"
        assert "部分公开" in page.locator("#cell-cases").inner_text()
    assert sorted(p.name for p in shots.iterdir()) == ["case.png", "registered.png", "stats.png"]
