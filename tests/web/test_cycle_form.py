"""The clerk's form over HTTP: the live check (htmx) marks the cells of a broken identity with
the rule's Chinese message; a total is filled from its parts only on request; a table
pasted from Excel; start points (last year's report, an uploaded file with low-confidence
cells to confirm, the ledger); two clerks saving the same filing lose nothing; downloads.
On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import threading
from datetime import date

import pytest
from cyclesupport import YEAR, filing_id, filled, form_fields, open_cycle, started, status_of
from docx import Document
from sqlalchemy import select
from websupport import DOCX_2025, WRONG_TXT, upload_done

from xxgk.accounts.users import add_user
from xxgk.formats.common import APPLICANT_COLUMNS
from xxgk.ledger.records import CaseRecord
from xxgk.ledger.store import Ledger
from xxgk.model import Report
from xxgk.services import cycle
from xxgk.services.cycle_content import cell_value, empty_content
from xxgk.store.cycle_tables import FilingConflict, FilingVersion
from xxgk.store.tables import Org, StoredReport, User

HX = {"HX-Request": "true"}
COMMERCIAL = "cell:applications/received/commercial"
TOTAL = "cell:applications/received/total"


def note(html: str, ref: str) -> tuple[str, str]:
    """(class, text) of a cell's live note."""
    anchor = "cell-" + ref.replace("/", "-")
    found = re.search(rf'<span id="note-{anchor}" class="([^"]*)"[^>]*>([^<]*)</span>', html)
    assert found, f"no note for {ref}"
    return found.group(1), found.group(2)


@pytest.fixture
def drafting(as_user, world):
    cycle_id = open_cycle(as_user("county"))
    fid = filing_id(world, cycle_id, "示例县交通运输局")
    return fid, started(as_user("jiaotong"), fid)


def test_the_live_check_marks_the_cells_of_a_broken_identity_as_typed(as_user, world, drafting):
    fid, fields = drafting
    clerk = as_user("jiaotong")
    live = clerk.post(f"/filings/{fid}/save", {**fields, COMMERCIAL: "3"}, headers=HX)
    assert live.status_code == 200
    assert re.search(
        r'<input type="hidden" id="revision" name="revision" value="2" hx-swap-oob="true">', live.text
    )
    assert note(live.text, "applications/received/total") == (
        "note mark-error",
        "XG103 错误：“一、本年新收政府信息公开申请数量”行：六类申请人之和=3，总计=0，不相等",
    )
    css, text = note(live.text, "applications/received/commercial")
    assert (
        css == "note mark-error"
        and text.split("\n")[0] == "XG101 错误：第2列（商业企业）：一+二=3，三(七)+四=0，勾稽关系不成立"
    )
    assert note(live.text, "applications/received/natural_person")[0] == "note mark-error"
    assert note(live.text, "applications/granted/natural_person") == ("note", "")
    # not a number: kept as typed, marked, and counted blank by the rules
    typed = clerk.post(f"/filings/{fid}/save", {**fields, "revision": "2", COMMERCIAL: "3件多"}, headers=HX)
    assert note(typed.text, "applications/received/commercial") == (
        "note mark-error",
        "“3件多”不是数字\nXG204 警告：收到和处理政府信息公开申请情况表“一、本年新收政府信息公开申请数量”行1格空白：商业企业",
    )
    with world.read() as session:
        head = session.scalar(select(FilingVersion).where(FilingVersion.filing_id == fid))
        assert cell_value(head.content, "applications/received/commercial") == "3件多"
    page = clerk.get(f"/filings/{fid}").text
    assert 'name="cell:applications/received/commercial" value="3件多"' in page
    # the generated paragraph of section 三 is rewritten from the numbers as they change
    assert re.search(r'<span class="gentext" id="text-gen-3-1">本年度未收到政府信息公开申请。</span>', page)
    again = clerk.post(f"/filings/{fid}/save", {**form_fields(page), COMMERCIAL: "3", TOTAL: "3"}, headers=HX)
    assert re.search(
        r'<span class="gentext" id="text-gen-3-1" hx-swap-oob="true">本年度新收政府信息公开申请3件。</span>',
        again.text,
    )


def test_a_total_is_filled_from_its_parts_only_by_the_button(as_user, world, drafting):
    fid, fields = drafting
    clerk = as_user("jiaotong")
    parts = {COMMERCIAL: "3", "cell:applications/received/natural_person": "4"}
    saved = clerk.post(f"/filings/{fid}/save", {**fields, **parts})
    assert saved.status_code == 303
    page = clerk.get(f"/filings/{fid}").text
    assert 'value="fill:applications/received/total"' in page  # offered, not done
    assert 'name="cell:applications/received/total" value="0"' in page
    filled_in = clerk.post(
        f"/filings/{fid}/save", {**form_fields(page), "action": "fill:applications/received/total"}
    )
    assert filled_in.status_code == 303
    page = clerk.get(f"/filings/{fid}").text
    assert 'name="cell:applications/received/total" value="7"' in page
    assert 'value="fill:applications/received/total"' not in page
    bad = clerk.post(
        f"/filings/{fid}/save", {**form_fields(page), "action": "fill:applications/received/commercial"}
    )
    assert bad.status_code == 400 and "该单元格不是可由分项合计的总计" in bad.text


def test_a_table_pasted_from_excel_fills_the_grid_from_the_chosen_cell(as_user, world, drafting):
    fid, fields = drafting
    clerk = as_user("jiaotong")
    tsv = "1\t2\t0\t0\t0\t0\t3\r\n0\t1\t0\t0\t0\t0\t1\r\n"
    pasted = clerk.post(
        f"/filings/{fid}/save",
        {
            **fields,
            "action": "paste:applications",
            "paste:applications": tsv,
            "paste_start:applications": "applications/received/natural_person",
        },
    )
    assert pasted.status_code == 303
    with world.read() as session:
        content = session.scalar(select(FilingVersion.content).where(FilingVersion.filing_id == fid))
    assert [
        cell_value(content, f"applications/received/{c}") for c in ("natural_person", "commercial", "total")
    ] == [
        1,
        2,
        3,
    ]
    assert [cell_value(content, f"applications/carried_over/{c}") for c in ("commercial", "total")] == [1, 1]
    page = form_fields(clerk.get(f"/filings/{fid}").text)
    too_wide = clerk.post(
        f"/filings/{fid}/save",
        {
            **page,
            "action": "paste:applications",
            "paste:applications": "1\t2\t3",
            "paste_start:applications": "applications/received/total",
        },
    )
    assert (
        too_wide.status_code == 400 and "粘贴内容第 1 行有 3 列，超出了表格（该行只有 1 列）" in too_wide.text
    )


def test_two_clerks_saving_the_same_filing_lose_nothing(as_user, world, drafting):
    fid, fields = drafting
    with world.write() as session:
        add_user(session, "测试", "jiaotong2", "clerk", "示例县交通运输局", "correct-horse-1")
    first, second = as_user("jiaotong"), as_user("jiaotong2")
    assert first.post(f"/filings/{fid}/save", {**fields, "text:1:0": "甲写的总体情况。"}).status_code == 303
    lost = second.post(f"/filings/{fid}/save", {**fields, "text:1:0": "乙写的总体情况。"})
    assert lost.status_code == 409
    assert "您的内容已另存为冲突稿" in lost.text and "甲写的总体情况。" in lost.text  # the current text shown
    live = second.post(f"/filings/{fid}/save", {**fields, "text:1:0": "乙又改了。"}, headers=HX)
    assert "未保存：此报告已在别处" in live.text and 'id="revision"' not in live.text
    with world.read() as session:
        kept = session.scalars(select(FilingConflict).order_by(FilingConflict.id)).all()
        head = session.scalar(select(FilingVersion).where(FilingVersion.filing_id == fid))
    # one copy per old revision: the later autosave on it updates the copy
    assert [c.content["sections"]["1"][0] for c in kept] == ["乙又改了。"]
    assert head.content["sections"]["1"][0] == "甲写的总体情况。"
    copy = second.get(f"/filings/{fid}/conflicts/{kept[0].id}")
    assert copy.status_code == 200 and "乙又改了。" in copy.content.decode()
    assert first.get(f"/filings/{fid}/conflicts/{kept[0].id}").status_code == 404  # its author's only


def test_simultaneous_saves_one_wins_the_other_is_kept(world, drafting):
    fid, _ = drafting
    with world.read() as session:
        clerk = session.scalar(select(User).where(User.login == "jiaotong"))
        base = cycle.get_filing(session, clerk, fid).revision
    content = empty_content("示例县交通运输局", YEAR)
    barrier, results = threading.Barrier(2), []

    def save(text: str) -> None:
        mine = {**content, "sections": {**content["sections"], "1": [text]}}
        barrier.wait()
        with world.write() as session:
            user = session.scalar(select(User).where(User.login == "jiaotong"))
            result = cycle.save_draft(session, user, fid, base, mine)
            results.append((text, result.conflict is None))

    threads = [threading.Thread(target=save, args=(t,)) for t in ("一号窗口", "二号窗口")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(ok for _, ok in results) == [False, True]
    winner = next(text for text, ok in results if ok)
    loser = next(text for text, ok in results if not ok)
    with world.read() as session:
        head = session.scalar(select(FilingVersion).where(FilingVersion.filing_id == fid))
        kept = session.scalars(select(FilingConflict)).all()
    assert head.content["sections"]["1"] == [winner]
    assert [c.content["sections"]["1"] for c in kept] == [[loser]]


def test_start_from_last_years_report_carries_the_carried_over_cells(as_user, world, run_jobs):
    clerk = as_user("jiaotong")
    upload_done(clerk, run_jobs, WRONG_TXT)
    with world.read() as session:
        stored = session.scalar(select(StoredReport).where(StoredReport.year == YEAR - 1))
        last = Report.from_json(stored.report_json)
    cycle_id = open_cycle(as_user("county"))
    fid = filing_id(world, cycle_id, "示例县交通运输局")
    fields = started(clerk, fid, "last_year")
    for col in ("natural_person", "commercial", "total"):
        assert fields[f"cell:applications/carried_over/{col}"] == str(
            last.value(f"applications/carried_forward/{col}")
        )
    assert fields["cell:active/normative_documents/in_force"] == str(
        last.value("active/normative_documents/in_force")
    )
    assert fields["cell:applications/received/total"] == "0"
    with world.read() as session:
        assert (
            session.scalar(select(FilingVersion.origin).where(FilingVersion.filing_id == fid)) == "last_year"
        )
    # no report of last year for the 司法局: a clear message, nothing started
    other = filing_id(world, cycle_id, "示例县司法局")
    refused = as_user("sifa").post(f"/filings/{other}/start", {"how": "last_year", "revision": "0"})
    assert refused.status_code == 400 and f"没有找到本机构 {YEAR - 1} 年度的报告" in refused.text
    assert status_of(world, other) == "not_started"


def _docx_with_a_doubtful_row() -> bytes:
    """The example report with one cell of 表三 reading "1 0": its row is read with low confidence."""
    doc = Document(str(DOCX_2025))
    cell = doc.tables[1].rows[5].cells[4]
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.text = ""
    cell.paragraphs[0].add_run("1 0")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_start_from_an_uploaded_file_flags_low_confidence_cells_to_confirm(as_user, world, run_jobs):
    cycle_id = open_cycle(as_user("district"))
    fid = filing_id(world, cycle_id, "示例区教育局")
    clerk = as_user("jiaoyu")
    sent = clerk.client.post(
        f"/filings/{fid}/upload",
        data={"csrf_token": clerk.csrf},
        files=[("file", ("年报.docx", _docx_with_a_doubtful_row()))],
    )
    assert sent.status_code == 303
    upload_id = int(sent.headers["location"].rsplit("=", 1)[1])
    assert "job-status" in clerk.get(sent.headers["location"]).text  # reading, polled
    run_jobs()
    page = clerk.get(sent.headers["location"]).text
    assert "读取到 200 个单元格，其中低置信度 7 个" in page
    started_page = clerk.post(
        f"/filings/{fid}/start", {"how": "upload", "revision": "0", "upload_id": str(upload_id)}
    )
    assert started_page.status_code == 303
    page = clerk.get(f"/filings/{fid}").text
    low = re.findall(r'name="action" value="confirm:([^"]+)"', page)
    assert low == [f"applications/granted/{c.key}" for c in APPLICANT_COLUMNS]
    assert "上传文件原文" in page  # side by side with what was read
    refused = clerk.post(f"/filings/{fid}/submit", form_fields(page))
    assert refused.status_code == 400 and "还有 7 个低置信度单元格未确认" in refused.text
    confirmed = clerk.post(
        f"/filings/{fid}/save", {**form_fields(refused.text), "action": f"confirm:{low[0]}"}
    )
    assert confirmed.status_code == 303
    with world.read() as session:
        version = session.scalar(select(FilingVersion).where(FilingVersion.filing_id == fid))
        assert (version.origin, version.upload_id, version.unconfirmed) == (
            "upload",
            upload_id,
            sorted(low[1:]),
        )
        assert version.content["meta"]["agency"] == "示例区教育局"
    # another node's upload cannot be used as a start
    other = filing_id(world, open_cycle(as_user("county")), "示例县司法局")
    stolen = as_user("sifa").post(
        f"/filings/{other}/start", {"how": "upload", "revision": "0", "upload_id": str(upload_id)}
    )
    assert stolen.status_code == 404


def test_start_from_the_ledger_takes_its_year_statistics(as_user, world):
    with world.read() as session:
        org_id = session.scalar(select(Org.id).where(Org.name == "示例县交通运输局"))
    ledger = Ledger(world.engine, "测试").for_org(org_id)
    ledger.add_case(CaseRecord("", date(YEAR, 3, 3), "online", "natural_person", "张三", "某文件"), "李四")
    cycle_id = open_cycle(as_user("county"))
    fid = filing_id(world, cycle_id, "示例县交通运输局")
    assert 'id="start-ledger"' in as_user("jiaotong").get(f"/filings/{fid}").text
    other = filing_id(world, cycle_id, "示例县司法局")  # keeps no ledger here: not offered
    assert 'id="start-ledger"' not in as_user("sifa").get(f"/filings/{other}").text
    fields = started(as_user("jiaotong"), fid, "ledger")
    assert fields["cell:applications/received/natural_person"] == "1"
    assert fields["cell:applications/received/total"] == "1"
    assert fields["cell:applications/carried_forward/total"] == "1"


def test_downloads_of_a_version(as_user, world, drafting):
    fid, fields = drafting
    clerk = as_user("jiaotong")
    clerk.post(f"/filings/{fid}/save", filled(fields))
    docx = clerk.get(f"/filings/{fid}/download/docx?version=1")
    assert docx.status_code == 200
    assert "filename*=UTF-8''" in docx.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert (
        text.startswith(f"示例县交通运输局{YEAR}年\n政府信息公开工作年度报告\n")
        and "本年度按计划开展了相关工作。" in text
    )
    assert as_user("county").get(f"/filings/{fid}/download/yaml").text.startswith("# 示例县交通运输局")
    assert clerk.get(f"/filings/{fid}/download/exe").status_code == 404
    assert clerk.get(f"/filings/{fid}/download/docx?version=7").status_code == 404
