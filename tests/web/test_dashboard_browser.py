"""The dashboard in a real headless Chromium against `xxgk serve`: the supervisor sees the
statuses, the late node and the charts, filters to the problems, downloads the 汇总 XLSX with
the same numbers; the late government's clerk finds the filing in its to-do."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from servers import serving
from test_dashboard_cycle import RECEIVED, filed_cycle  # noqa: F401  (a fixture)
from test_e2e import browser, sign_in  # noqa: F401  (a fixture)

from xxgk.batch.columns import TABLE_NAMES
from xxgk.formats import FORMAT_2021


def test_supervisor_dashboard_and_clerk_todo(browser, filed_cycle, db_url, tmp_path):  # noqa: F811
    with serving(db_url, tmp_path) as served:
        base = served.base
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        sign_in(page, base, "county")
        page.click("text=年度填报")
        page.click("text=2025 年度")
        page.click("text=监督看板")
        page.wait_for_selector("#dashboard")
        assert page.locator("figure svg").count() == 4  # statuses, 新收申请, 实质公开率, 逾期天数
        assert page.locator("tr.node").count() == 3
        late = page.locator("tr.node", has_text="示例县人民政府").locator("td.late")
        assert late.inner_text() == "逾期 10 天"
        page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
        page.click("text=只看有问题的")
        page.wait_for_url("**/dashboard?problems=1")
        assert page.locator("tr.node").count() == 1
        with page.expect_download() as info:
            page.click("text=汇总表（XLSX）")
        sheet = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))[
            TABLE_NAMES["applications"]
        ]
        column = 6 + FORMAT_2021.table("applications").refs().index(RECEIVED)
        assert [sheet.cell(r, column).value for r in (3, 4)] == [17, 17]

        clerk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
        sign_in(clerk, base, "xianfu")
        clerk.click("text=待办")
        row = clerk.locator("#todo tr[data-kind=fill]")
        assert "已逾期 10 天" in row.inner_text()
        clerk.screenshot(path=tmp_path / "todo.png")
        assert row.locator("a").get_attribute("href") == f"/filings/{filed_cycle.filings['示例县人民政府']}"
