"""Everything one filing page shows, for the caller: the version shown (the head, or an older
one asked for), whether the caller may edit it, review it, publish or revise it; the form or
report view; warnings to answer; comments; last year's numbers; the uploaded file read as a
start point (side by side); conflicts kept for the caller; and downloads of a version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.users import SUPERVISOR
from ..errors import XxgkError
from ..jobs.queue import latest_job
from ..ledger.models import CaseRow
from ..model import Finding, Report
from ..source.yamlread import TABLE_NAMES
from ..store.cycle_tables import (
    ACCEPTED,
    PUBLISHED,
    STATUS_LABELS,
    SUBMITTED,
    Cycle,
    Filing,
    FilingComment,
    FilingConflict,
    FilingVersion,
)
from ..store.tables import Job, Org, StoredReport, User
from . import cycle
from .cycle_content import content_report
from .cycle_start import STARTS
from .cycle_view import SPEC, FilingView, compared, form_view
from .exports import KINDS, Download, render_bytes
from .reports import finding_key, report_model
from .reportview import source_view
from .scope import NotFound, may_write, report_for_read

DOWNLOADS = ("docx", "pdf", "yaml", "json")


@dataclass
class FilingPage:
    filing: Filing
    org: Org
    cycle: Cycle
    status_label: str
    due: date | None
    late: bool
    versions: list[FilingVersion]
    version: FilingVersion | None
    report: Report | None
    view: FilingView | None
    editable: bool
    may_fill: bool  # the node's clerk
    may_review: bool
    may_publish: bool
    may_revise: bool
    warnings: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, key), unanswered
    comments: list[tuple[FilingComment, str, int]] = field(default_factory=list)
    comparison: list[tuple[str, str, str, str]] = field(default_factory=list)
    has_previous: bool = False
    upload: StoredReport | None = None
    upload_job: Job | None = None
    source_lines: list = field(default_factory=list)
    conflicts: list[FilingConflict] = field(default_factory=list)
    starts: dict[str, str] = field(default_factory=lambda: dict(STARTS))

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(ref, Chinese name) of every cell, for comments on a cell."""
        return [(ref, f"{TABLE_NAMES[ref.split('/')[0]]} {SPEC.describe(ref)}") for ref in SPEC.refs()]


def filing_page(
    session: Session, user: User, filing_id: int, version: int | None = None, upload_id: int | None = None
) -> FilingPage:
    filing = cycle.get_filing(session, user, filing_id)
    org, found = session.get(Org, filing.org_id), session.get(Cycle, filing.cycle_id)
    versions = cycle.versions(session, filing)
    shown = _shown(versions, version)
    writer = may_write(user, filing.org_id)
    head = versions[-1] if versions else None
    editable = writer and filing.status in cycle.EDITABLE and shown is not None and shown is head
    due = cycle.due_date(session, filing)
    page = FilingPage(
        filing,
        org,
        found,
        STATUS_LABELS[filing.status],
        due,
        cycle.is_late(filing, due),
        versions,
        shown,
        None,
        None,
        editable,
        writer,
        may_review=user.role == SUPERVISOR and filing.status == SUBMITTED,
        may_publish=writer and filing.status == ACCEPTED,
        may_revise=writer and filing.status == PUBLISHED,
    )
    page.comments = cycle.comments(session, filing)
    if not keeps_ledger(session, filing.org_id):
        page.starts.pop("ledger")
    if writer:
        page.conflicts = [c for c in cycle.conflicts(session, user, filing_id) if c.user_id == user.id]
    if shown is not None:
        _fill_report(session, page, filing, shown)
    if upload_id is not None and writer:
        page.upload = report_for_read(session, user, upload_id)
        page.upload_job = latest_job(session, upload_id)
    if shown is not None and shown.upload_id is not None:
        page.source_lines = source_view(session.get(StoredReport, shown.upload_id))
    return page


def keeps_ledger(session: Session, org_id: int) -> bool:
    """The node keeps its 依申请公开 ledger in xxgk (at least one case)."""
    return session.scalar(select(CaseRow.id).where(CaseRow.org_id == org_id).limit(1)) is not None


def _shown(versions: list[FilingVersion], number: int | None) -> FilingVersion | None:
    if number is None:
        return versions[-1] if versions else None
    found = next((v for v in versions if v.number == number), None)
    if found is None:
        raise NotFound("没有这一版")
    return found


def _fill_report(session: Session, page: FilingPage, filing: Filing, shown: FilingVersion) -> None:
    report = cycle.checked_report(session, filing, shown)
    notes = cycle.warning_notes(session, shown)
    latest = max((number for _, _, number in page.comments), default=None)
    in_place = [c for c, _, number in page.comments if number == latest]
    page.report = report
    page.view = form_view(report, shown, notes, in_place, page.editable)
    page.warnings = [
        (f, finding_key(f))
        for f in report.findings
        if f.severity == "warning" and finding_key(f) not in notes
    ]
    previous = cycle.previous_report(session, filing)
    page.has_previous = previous is not None
    page.comparison = compared(report, previous)


def download(session: Session, user: User, filing_id: int, kind: str, version: int | None) -> Download:
    """A version of the filing (the head by default) as DOCX, PDF, YAML source or JSON."""
    if kind not in DOWNLOADS:
        raise NotFound("没有这种下载格式")
    filing = cycle.get_filing(session, user, filing_id)
    shown = _shown(cycle.versions(session, filing), version)
    if shown is None:
        raise XxgkError("尚未开始填写，没有可下载的报告")
    report = cycle.checked_report(session, filing, shown)
    org, found = session.get(Org, filing.org_id), session.get(Cycle, filing.cycle_id)
    media_type, suffix = KINDS[kind]
    stem = PurePath(f"{org.name}-{found.year}-年度报告-第{shown.number}版").name
    return Download(render_bytes(report, kind), stem + suffix, media_type)


def upload_summary(stored: StoredReport) -> tuple[int, int] | None:
    """(cells read, low-confidence cells) of an uploaded report once read."""
    read = report_model(stored)
    if read is None:
        return None
    return len(read.cells), sum(c.confidence == "low" for c in read.cells.values())


def conflict_download(session: Session, user: User, filing_id: int, conflict_id: int) -> Download:
    """A conflict copy, to its author only, as a YAML source."""
    found = next((c for c in cycle.conflicts(session, user, filing_id) if c.id == conflict_id), None)
    if found is None or found.user_id != user.id:
        raise NotFound("没有这份冲突稿")
    media_type, suffix = KINDS["yaml"]
    return Download(
        render_bytes(content_report(found.content), "yaml"), f"冲突稿{found.id}-{suffix}", media_type
    )
