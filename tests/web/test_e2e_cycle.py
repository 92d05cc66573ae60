"""The yearly cycle end to end in headless Chromium (Playwright on Debian's chromium), the
issue's "Done when": the county supervisor opens 2025 for its tree of 3 nodes; clerk A
(交通局) starts from last year's report, types an arithmetic error, sees the cells marked
as typed, fills the total from its parts, completes and submits; clerk B (司法局) uploads a
DOCX, confirms its low-confidence cells and submits; the supervisor returns A with a comment
on a cell, A sees it, fixes and resubmits, the supervisor accepts both; the government
node's aggregate is compiled from them and checks clean; the dashboard shows the statuses,
the numbers and the one late node (the government's deadline is yesterday); the XLSX export
holds the same numbers. The last part uses the dashboard's pages (routes_dashboard.py)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
from servers import serving
from test_cycle_form import _docx_with_a_doubtful_row
from test_e2e import ARGS, CHROMIUM, browser, sign_in  # noqa: F401  (the browser fixture)
from websupport import PASSWORD, WRONG_TXT

from xxgk.accounts.users import add_user
from xxgk.batch.columns import TABLE_NAMES
from xxgk.formats import FORMAT_2021
from xxgk.orgs import find_org

YEAR = 2025
A, B, GOVERNMENT = "示例县交通运输局", "示例县司法局", "示例县人民政府"


def cell(page, ref: str):
    return page.locator(f'input[name="cell:{ref}"]')


def note(page, ref: str):
    return page.locator("#note-cell-" + ref.replace("/", "-"))


def type_cells(page, values: dict[str, str]) -> None:
    """Type into cells as a clerk does, then wait for the autosave (htmx) to answer."""
    for ref, value in values.items():
        before = page.locator("#revision").get_attribute("value")
        cell(page, ref).fill(value)
        page.wait_for_function(
            "before => document.querySelector('#revision').value !== before", arg=before, timeout=20_000
        )


def replace_placeholders(page) -> None:
    for area in page.locator("textarea.text-block").all():
        text = area.input_value()
        if "【请填写" in text:
            area.fill(re.sub(r"【请填写[^】]*】", "本年度按计划推进了该项工作。", text))


def submit(page) -> None:
    """Submit; warnings are answered (confirmed) once if the first try lists them."""
    page.click("#submit-filing")
    page.wait_for_load_state()
    if page.locator("#warnings .warning-note").count():
        for radio in page.locator('#warnings input[value="confirmed"]').all():
            radio.check()
        page.click("#submit-filing")
        page.wait_for_load_state()
    assert page.locator("#filing-status").get_attribute("data-status") == "submitted", page.locator(
        "#page-message"
    ).all_inner_texts()


def open_filing(page, base: str, cycle_id: int, org: str) -> None:
    page.goto(f"{base}/cycles/{cycle_id}")
    page.click(f'tr[data-org="{org}"] a')
    page.wait_for_selector("#filing-status")


def test_the_cycle_end_to_end(browser, world, db_url, tmp_path):  # noqa: F811  (the fixture)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    doubtful = tmp_path / "司法局-2025-年度报告.docx"
    doubtful.write_bytes(_docx_with_a_doubtful_row())
    with world.write() as session:  # the government node's own clerk (the tree has none)
        add_user(session, "测试", "xianzf", "clerk", GOVERNMENT, PASSWORD)
        government_id = find_org(session, GOVERNMENT).id
    with serving(db_url, tmp_path, workers=1) as served:
        base = served.base

        def new_page(login: str):
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page = context.new_page()
            sign_in(page, base, login)
            return page

        # last year's report of A, uploaded and read (the start point of A's filing)
        a = new_page("jiaotong")
        a.set_input_files("#files", [str(WRONG_TXT)])
        a.click("text=上传并检查")
        a.wait_for_selector("#summary", timeout=60_000)

        # the supervisor opens the cycle; the government's deadline is yesterday
        supervisor = new_page("county")
        supervisor.goto(f"{base}/cycles")
        supervisor.fill("#year", str(YEAR))
        today = date.today()
        supervisor.locator('input[name="due:人民政府"]').fill((today - timedelta(days=1)).isoformat())
        supervisor.locator('input[name="due:政府部门"]').fill((today + timedelta(days=30)).isoformat())
        supervisor.click("text=开启年度填报")
        supervisor.wait_for_selector("#filings")
        cycle_id = int(supervisor.url.rsplit("/", 1)[1])
        assert supervisor.locator("#filings td.status").all_inner_texts() == ["未开始"] * 3

        # clerk A: from last year's report; an arithmetic error marked as typed; fixed
        open_filing(a, base, cycle_id, A)
        a.click("#start-last_year")
        a.wait_for_selector("#filing-form")
        assert cell(a, "applications/carried_over/natural_person").input_value() == "1"  # carried
        type_cells(a, {"applications/received/commercial": "2"})
        assert "mark-error" in note(a, "applications/received/total").get_attribute("class")
        assert (
            note(a, "applications/received/total").text_content().split("\n")
            == [
                "XG101 错误：第7列（总计）：一+二=1，三(七)+四=0，勾稽关系不成立",  # from the start: 1 carried over
                "XG103 错误：“一、本年新收政府信息公开申请数量”行：六类申请人之和=2，总计=0，不相等",
            ]
        )
        note(a, "applications/received/total").evaluate("el => el.parentElement.scrollIntoView()")
        a.screenshot(path=shots / "error-typed.png")
        a.click('button[value="fill:applications/received/total"]')  # one click, never silent
        a.wait_for_selector("#filing-form")
        assert cell(a, "applications/received/total").input_value() == "2"
        type_cells(
            a,
            {
                "applications/granted/natural_person": "1",
                "applications/granted/commercial": "2",
                "applications/granted/total": "3",
                "applications/total/natural_person": "1",
                "applications/total/commercial": "2",
                "applications/total/total": "3",
                "applications/carried_forward/natural_person": "0",
                "applications/carried_forward/total": "0",
            },
        )
        assert a.locator('#live-findings .finding[data-code^="XG1"]').count() == 0  # arithmetic clean
        assert "mark-error" not in note(a, "applications/received/total").get_attribute("class")
        replace_placeholders(a)
        a.wait_for_function("document.querySelector('#count-error').textContent === '0'", timeout=20_000)
        submit(a)

        # clerk B: a DOCX uploaded, read, its doubtful cells confirmed, submitted
        b = new_page("sifa")
        open_filing(b, base, cycle_id, B)
        b.set_input_files("#start-file", [str(doubtful)])
        b.click("#upload-start")
        b.wait_for_selector("#start-upload", timeout=90_000)  # the page reloads when read
        b.click("#start-upload")
        b.wait_for_selector("#filing-form")
        assert b.locator("button.confirm").count() == 7
        assert b.locator(".source-side").count() == 1  # what was read, side by side
        b.screenshot(path=shots / "upload-confirm.png")
        # the clerk checks the doubtful row against the original: six cells corrected (which
        # confirms them), the first one right as read and confirmed with its button
        type_cells(
            b,
            {
                f"applications/granted/{col}": value
                for col, value in (
                    ("commercial", "1"),
                    ("research", "0"),
                    ("social_welfare", "1"),
                    ("legal_services", "0"),
                    ("other_org", "0"),
                    ("total", "7"),
                )
            },
        )
        b.click('button[value="confirm:applications/granted/natural_person"]')
        b.wait_for_selector("#page-message")
        assert b.locator("button.confirm").count() == 0
        assert b.locator('#live-findings .finding[data-code^="XG1"]').count() == 0
        b_received = cell(b, "applications/received/total").input_value()
        replace_placeholders(b)
        submit(b)

        # the supervisor returns A with a comment on a cell; A fixes and resubmits
        open_filing(supervisor, base, cycle_id, A)
        supervisor.select_option("#target-0", "applications/received/commercial")
        supervisor.fill("#comment-0", "商业企业申请数请与台账核对")
        supervisor.click("#return")
        supervisor.wait_for_selector("#comments")
        assert supervisor.locator("#filing-status").inner_text() == "退回修改"
        open_filing(a, base, cycle_id, A)
        assert "商业企业申请数请与台账核对" in a.locator("#comments").inner_text()
        commented = a.locator("td#cell-applications-received-commercial")
        assert commented.get_attribute("class").split() == ["mark-commented"]
        assert "审核意见：商业企业申请数请与台账核对" in commented.inner_text()
        a.screenshot(path=shots / "returned.png")
        area = a.locator('textarea[name="text:3:0"]')
        area.fill("经与台账核对，商业企业申请2件无误。")
        submit(a)

        # the supervisor accepts both
        for org in (A, B):
            open_filing(supervisor, base, cycle_id, org)
            supervisor.click("#accept")
            supervisor.wait_for_selector("#page-message")
            assert supervisor.locator("#filing-status").inner_text() == "已通过"
        supervisor.screenshot(path=shots / "accepted.png")

        # the government node's clerk compiles its aggregate from the accepted members: it
        # checks clean against them (no XG8xx), and its arithmetic holds
        government = new_page("xianzf")
        government.goto(f"{base}/cycles/{cycle_id}/aggregate/{government_id}")
        assert government.locator("#coverage").inner_text() == "下级机构 2 个，已通过并纳入汇总 2 个"
        government.click("text=由已通过的下级报告生成汇总")
        government.wait_for_selector("#filing-form")
        assert cell(government, "applications/received/total").input_value() == str(2 + int(b_received))
        assert government.locator('#live-findings .finding[data-code^="XG8"]').count() == 0
        assert government.locator('#live-findings .finding[data-code^="XG1"]').count() == 0
        government.screenshot(path=shots / "aggregate.png")
        government.goto(f"{base}/cycles/{cycle_id}/aggregate/{government_id}")  # checked against them
        assert government.locator("#member-check").get_attribute("data-errors") == "0"
        assert government.locator('tr[data-group="current"]').get_attribute("data-received") == str(
            2 + int(b_received)
        )

        # the dashboard: statuses, numbers, the one late node
        supervisor.goto(f"{base}/cycles/{cycle_id}/dashboard")
        rows = supervisor.locator("#dashboard tr.node")
        names = [name.split()[0] for name in rows.locator("td.indent").all_inner_texts()]
        statuses = dict(zip(names, rows.locator("td.status").all_inner_texts(), strict=True))
        assert statuses == {GOVERNMENT: "填写中", A: "已通过", B: "已通过"}
        late = [t.strip() for t in rows.locator("td.late").all_inner_texts()]
        assert sum(1 for t in late if t.startswith("逾期")) == 1 and late[0].startswith("逾期")
        supervisor.screenshot(path=shots / "dashboard.png", full_page=True)
        received = dict(zip(names, rows.locator('td[data-number="received"]').all_inner_texts(), strict=True))
        assert (received[A], received[B]) == ("2", b_received)

        # the XLSX export holds the same numbers
        export = supervisor.request.get(f"{base}/cycles/{cycle_id}/export.xlsx")
        assert export.status == 200
        book = openpyxl.load_workbook(io.BytesIO(export.body()))
        sheet = book[TABLE_NAMES["applications"]]
        column = 5 + FORMAT_2021.table("applications").refs().index("applications/received/total")
        exported = {r[4]: r[column] for r in sheet.iter_rows(min_row=3, values_only=True)}
        assert (exported[A], exported[B]) == (2, int(b_received))
    assert sorted(p.name for p in shots.iterdir()) == [
        "accepted.png",
        "aggregate.png",
        "dashboard.png",
        "error-typed.png",
        "returned.png",
        "upload-confirm.png",
    ]


def test_a_block_pasted_from_excel_into_a_cell_fills_the_grid(browser, world, db_url, tmp_path):  # noqa: F811
    with serving(db_url, tmp_path, workers=0) as served:
        base = served.base
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        supervisor = context.new_page()
        sign_in(supervisor, base, "county")
        supervisor.goto(f"{base}/cycles")
        supervisor.fill("#year", str(YEAR))
        supervisor.click("text=开启年度填报")
        supervisor.wait_for_selector("#filings")
        cycle_id = int(supervisor.url.rsplit("/", 1)[1])
        clerk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
        sign_in(clerk, base, "jiaotong")
        open_filing(clerk, base, cycle_id, A)
        clerk.click("#start-empty")
        clerk.wait_for_selector("#filing-form")
        # what Excel puts on the clipboard for two rows of seven cells
        cell(clerk, "applications/received/natural_person").evaluate(
            """el => {
                const data = new DataTransfer();
                data.setData("text/plain", "1\\t2\\t0\\t0\\t0\\t0\\t3\\r\\n0\\t1\\t0\\t0\\t0\\t0\\t1\\r\\n");
                el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
            }"""
        )
        clerk.wait_for_selector("#page-message")
        got = [
            cell(clerk, f"applications/received/{c}").input_value()
            for c in ("natural_person", "commercial", "total")
        ]
        assert got == ["1", "2", "3"]
        assert cell(clerk, "applications/carried_over/commercial").input_value() == "1"
