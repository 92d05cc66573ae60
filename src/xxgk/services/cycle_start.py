"""Start points of a filing: empty (what `xxgk new` writes), last year's report (上年结转 and
现行有效 carried), an uploaded file once read (its low-confidence cells to be confirmed), the
ledger's statistics of the year (表三 and 表四), and a table pasted from a spreadsheet. Each
start is a new version, so whatever was drafted before stays as the previous version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import XxgkError
from ..model import LOW, Report
from ..store.cycle_tables import Cycle, Filing
from ..store.tables import Org, User
from .cycle import SaveResult, head_version, previous_report, save_draft
from .cycle_content import (
    carried_content,
    content_report,
    empty_content,
    merged_content,
    paste_cells,
    read_content,
    refs,
)
from .reports import report_model
from .scope import filing_for_write, report_for_write

STARTS = {
    "empty": "空白报告（与 xxgk new 相同）",
    "last_year": "上年度报告（上年结转、现行有效件数结转）",
    "upload": "上传的报告文件",
    "ledger": "本机构依申请公开台账的年度统计",
}


def _agency_year(session: Session, filing: Filing) -> tuple[str, int]:
    return session.get(Org, filing.org_id).name, session.get(Cycle, filing.cycle_id).year


def start(
    session: Session, user: User, filing_id: int, how: str, base_revision: int, upload_id: int | None = None
) -> SaveResult:
    """Start (or start over) the filing from `how` (a key of STARTS) as a new version."""
    filing = filing_for_write(session, user, filing_id)
    agency, year = _agency_year(session, filing)
    unconfirmed: list[str] = []
    if how == "empty":
        content = empty_content(agency, year)
    elif how == "last_year":
        previous = previous_report(session, filing)
        if previous is None:
            raise XxgkError(f"没有找到本机构 {year - 1} 年度的报告（上年度的填报或上传的报告）")
        content = carried_content(agency, year, previous)
    elif how == "upload":
        content, unconfirmed = _from_upload(session, user, upload_id, agency, year)
    elif how == "ledger":
        content = merged_content(
            agency, year, ledger_report(session, filing.org_id, year), previous_report(session, filing)
        )
    else:
        raise XxgkError("请选择填报的起点")
    return save_draft(
        session,
        user,
        filing.id,
        base_revision,
        content,
        origin=how,
        new_version=True,
        unconfirmed=unconfirmed,
        upload_id=upload_id if how == "upload" else None,
    )


def _from_upload(
    session: Session, user: User, upload_id: int | None, agency: str, year: int
) -> tuple[dict, list[str]]:
    if upload_id is None:
        raise XxgkError("请先上传报告文件")
    stored = report_for_write(session, user, upload_id)
    read = report_model(stored)
    if read is None:
        raise XxgkError("上传的报告尚未读取完成（或读取失败），请稍候再试")
    content = read_content(agency, year, read)
    known = set(refs())
    return content, [ref for ref, cell in read.cells.items() if cell.confidence == LOW and ref in known]


def ledger_report(session: Session, org_id: int, year: int) -> Report:
    """The year's 表三 and 表四 from the node's ledger (no personal data is read)."""
    from .casework import year_report_for_org

    return year_report_for_org(session, org_id, year)


def paste(
    session: Session,
    user: User,
    filing_id: int,
    base_revision: int,
    grid_rows: list[list[str]],
    start_ref: str,
    tsv: str,
) -> SaveResult:
    """Paste a spreadsheet's cells (tab-separated lines) into the draft from `start_ref`."""
    filing = filing_for_write(session, user, filing_id)
    head = head_version(session, filing)
    if head is None:
        raise XxgkError("请先选择填报起点，再粘贴表格")
    content = paste_cells(head.content, grid_rows, start_ref, tsv)
    content_report(content)  # the pasted content must still be a report
    return save_draft(session, user, filing.id, base_revision, content, origin="paste")
