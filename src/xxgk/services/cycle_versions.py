"""A filing's versions: reading them (with last year's report as the cross-year context),
saving a draft with optimistic concurrency, confirming low-confidence cells, answering
warnings. The transitions between statuses are in cycle.py, which re-exports these."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..check import Context, check_report
from ..errors import XxgkError
from ..model import Finding, Report
from ..store.audit import record
from ..store.base import utc_now
from ..store.cycle_tables import (
    ACCEPTED,
    DRAFTING,
    NOT_STARTED,
    PUBLISHED,
    RETURNED,
    STATUS_LABELS,
    SUBMITTED,
    Cycle,
    Filing,
    FilingComment,
    FilingConflict,
    FilingVersion,
    WarningNote,
)
from ..store.tables import StoredReport, User
from .cycle_content import cell_problems, cell_value, content_report
from .reports import finding_key
from .scope import Forbidden, filing_for_read, filing_for_write

EDITABLE = (NOT_STARTED, DRAFTING, RETURNED)
MAX_COMMENT = 2000
NOTE_DECISIONS = {"confirmed": "确认无误", "explained": "说明"}


class StateRefused(Forbidden):
    """The filing's status does not allow this (e.g. editing an accepted filing)."""


class SubmitRefused(XxgkError):
    """Submission blocked: errors, unanswered warnings, unconfirmed cells or placeholders."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class SaveResult:
    revision: int
    version: FilingVersion | None = None
    conflict: FilingConflict | None = None
    report: Report | None = None
    problems: dict[str, str] = field(default_factory=dict)  # typed cells that are not numbers


# ---------------------------------------------------------------- reading


def get_filing(session: Session, user: User, filing_id: int) -> Filing:
    """The filing if the caller may read it; NotFound otherwise (even when it exists)."""
    return filing_for_read(session, user, filing_id)


def versions(session: Session, filing: Filing) -> list[FilingVersion]:
    query = select(FilingVersion).where(FilingVersion.filing_id == filing.id).order_by(FilingVersion.number)
    return list(session.scalars(query))


def head_version(session: Session, filing: Filing) -> FilingVersion | None:
    query = select(FilingVersion).where(FilingVersion.filing_id == filing.id)
    return session.scalar(query.order_by(FilingVersion.number.desc()).limit(1))


def published_version(session: Session, filing: Filing) -> FilingVersion | None:
    query = select(FilingVersion).where(
        FilingVersion.filing_id == filing.id, FilingVersion.published_on.is_not(None)
    )
    return session.scalar(query.order_by(FilingVersion.number.desc()).limit(1))


def previous_report(session: Session, filing: Filing) -> Report | None:
    """Last year's report of the filing's node: its accepted or published filing of last
    year's cycle, else its newest uploaded report of last year."""
    year = session.get(Cycle, filing.cycle_id).year - 1
    query = (
        select(FilingVersion.content)
        .join(Filing, Filing.id == FilingVersion.filing_id)
        .join(Cycle, Cycle.id == Filing.cycle_id)
        .where(Cycle.year == year, Filing.org_id == filing.org_id, Filing.status.in_((ACCEPTED, PUBLISHED)))
        .where(FilingVersion.submitted_at.is_not(None))
        .order_by(FilingVersion.number.desc())
        .limit(1)
    )
    content = session.scalar(query)
    if content is not None:
        return content_report(content)
    stored = session.scalar(
        select(StoredReport)
        .where(
            StoredReport.org_id == filing.org_id,
            StoredReport.year == year,
            StoredReport.report_json.is_not(None),
        )
        .order_by(StoredReport.id.desc())
        .limit(1)
    )
    return None if stored is None else Report.from_json(stored.report_json)


def checked_report(session: Session, filing: Filing, version: FilingVersion) -> Report:
    """The version's report with the full rule catalogue's findings (last year's report as
    the cross-year context)."""
    report = content_report(version.content)
    check_report(report, Context(previous=previous_report(session, filing)))
    return report


def warning_notes(session: Session, version: FilingVersion) -> dict[str, WarningNote]:
    query = select(WarningNote).where(WarningNote.version_id == version.id).order_by(WarningNote.id)
    return {note.finding_key: note for note in session.scalars(query)}


def comments(session: Session, filing: Filing) -> list[tuple[FilingComment, str, int]]:
    """(comment, author's login, version number), oldest first."""
    query = (
        select(FilingComment, User.login, FilingVersion.number)
        .join(User, User.id == FilingComment.user_id)
        .join(FilingVersion, FilingVersion.id == FilingComment.version_id)
        .where(FilingComment.filing_id == filing.id)
        .order_by(FilingComment.id)
    )
    return [tuple(row) for row in session.execute(query)]


def conflicts(session: Session, user: User, filing_id: int) -> list[FilingConflict]:
    filing = filing_for_read(session, user, filing_id)
    return list(
        session.scalars(
            select(FilingConflict).where(FilingConflict.filing_id == filing.id).order_by(FilingConflict.id)
        )
    )


def require_status(filing: Filing, allowed: tuple[str, ...], message: str) -> None:
    if filing.status not in allowed:
        raise StateRefused(f"{message}（当前状态：{STATUS_LABELS[filing.status]}）")


def _edit_refusal(filing: Filing) -> None:
    messages = {
        SUBMITTED: "报告已提交，等待审核，不能修改；需要修改请联系审核人员退回",
        ACCEPTED: "报告已审核通过，不能修改",
        PUBLISHED: "报告已发布，不能直接修改；如需更正，请新建修订版本",
    }
    if filing.status not in EDITABLE:
        raise StateRefused(messages[filing.status])


# ---------------------------------------------------------------- saving


def save_draft(
    session: Session,
    user: User,
    filing_id: int,
    base_revision: int,
    content: dict,
    *,
    origin: str = "edit",
    new_version: bool = False,
    unconfirmed: list[str] | None = None,
    upload_id: int | None = None,
) -> SaveResult:
    """Save the clerk's content over revision `base_revision`. When the filing has moved on
    since, nothing is overwritten: the content is kept as a FilingConflict and returned as
    such. The head draft is updated in place; a frozen head (submitted) or `new_version`
    (a start point) makes a new version."""
    filing = filing_for_write(session, user, filing_id)
    _edit_refusal(filing)
    now = utc_now()
    claimed = session.execute(
        update(Filing)
        .where(Filing.id == filing.id, Filing.revision == base_revision)
        .values(revision=Filing.revision + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(filing)
    if claimed != 1:
        return SaveResult(filing.revision, conflict=_keep_lost(session, user, filing, base_revision, content))
    version = write_version(session, user, filing, content, origin, new_version, upload_id)
    if unconfirmed is not None:
        version.unconfirmed = sorted(unconfirmed)
    if filing.status == NOT_STARTED:
        filing.status = DRAFTING
        record(session, user.login, "filing.start", f"填报 #{filing.id}", origin=origin)
    report = checked_report(session, filing, version)
    version.errors = sum(f.severity == "error" for f in report.findings)
    version.warnings = sum(f.severity == "warning" for f in report.findings)
    return SaveResult(filing.revision, version, report=report, problems=cell_problems(content))


def _keep_lost(session: Session, user: User, filing: Filing, base: int, content: dict) -> FilingConflict:
    """The content of a save that lost. A tab that keeps autosaving on the same old revision
    updates its one copy (the form holds everything typed so far) instead of adding one per
    keystroke."""
    query = select(FilingConflict).where(
        FilingConflict.filing_id == filing.id,
        FilingConflict.user_id == user.id,
        FilingConflict.base_revision == base,
    )
    lost = session.scalar(query.order_by(FilingConflict.id.desc()).limit(1))
    if lost is None:
        lost = FilingConflict(
            filing_id=filing.id, base_revision=base, content=content, user_id=user.id, at=utc_now()
        )
        session.add(lost)
        session.flush()
        record(
            session, user.login, "filing.conflict", f"填报 #{filing.id}", base=base, current=filing.revision
        )
    else:
        lost.content, lost.at = content, utc_now()
    return lost


def write_version(session, user, filing, content, origin, new_version, upload_id) -> FilingVersion:
    head = head_version(session, filing)
    now = utc_now()
    if head is not None and head.submitted_at is None and not new_version:
        head.unconfirmed = [ref for ref in head.unconfirmed if _same_cell(head.content, content, ref)]
        head.content, head.saved_at = content, now
        return head
    version = FilingVersion(
        filing_id=filing.id,
        number=(head.number + 1) if head else 1,
        origin=origin,
        content=content,
        unconfirmed=[],
        upload_id=upload_id,
        errors=0,
        warnings=0,
        created_by=user.id,
        created_at=now,
        saved_at=now,
    )
    session.add(version)
    session.flush()
    record(session, user.login, "filing.version", f"填报 #{filing.id}", number=version.number, origin=origin)
    return version


def _same_cell(before: dict, after: dict, ref: str) -> bool:
    """A low-confidence cell stays unconfirmed until its value is changed or confirmed."""
    return cell_value(before, ref) == cell_value(after, ref)


def confirm_cell(session: Session, user: User, filing_id: int, ref: str) -> FilingVersion:
    """The clerk confirms a cell read with low confidence (its value is right as read)."""
    filing = filing_for_write(session, user, filing_id)
    _edit_refusal(filing)
    head = head_version(session, filing)
    if head is None or ref not in head.unconfirmed:
        raise XxgkError("该单元格无需确认")
    head.unconfirmed = [r for r in head.unconfirmed if r != ref]
    record(session, user.login, "filing.confirm_cell", f"填报 #{filing.id}", cell=ref, version=head.number)
    return head


def note_warning(
    session: Session, user: User, filing_id: int, key: str, decision: str, text: str
) -> WarningNote:
    """The clerk confirms a warning of the current version as correct, or explains it."""
    filing = filing_for_write(session, user, filing_id)
    _edit_refusal(filing)
    text = (text or "").strip()
    if decision not in NOTE_DECISIONS:
        raise XxgkError("请选择“确认无误”或“说明”")
    if decision == "explained" and not text:
        raise XxgkError("请填写说明")
    if len(text) > MAX_COMMENT:
        raise XxgkError(f"说明不能超过 {MAX_COMMENT} 字")
    head = head_version(session, filing)
    report = checked_report(session, filing, head) if head else None
    found = {finding_key(f): f for f in (report.findings if report else []) if f.severity == "warning"}
    if key not in found:
        raise XxgkError("该警告不存在（报告可能已修改）")
    note = WarningNote(
        version_id=head.id,
        finding_key=key,
        code=found[key].code,
        decision=decision,
        text=text,
        user_id=user.id,
        at=utc_now(),
    )
    session.add(note)
    record(
        session,
        user.login,
        "filing.warning",
        f"填报 #{filing.id}",
        code=found[key].code,
        decision=decision,
        text=text,
    )
    return note
