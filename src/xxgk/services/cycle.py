"""The yearly filing cycle (年度填报): open a cycle, fill in, submit, review, publish.

A supervisor opens a cycle for its subtree and a year; every node in scope gets a filing
(未开始). The node's clerk fills it in from a start point (cycle_start.py) and saves drafts;
submitting runs the full rule catalogue (errors block, warnings must be confirmed or
explained); a supervisor above the node accepts it or returns it with comments; the clerk
records the publication of an accepted filing. Every transition is in the audit log.

    not_started ─save─▶ drafting ─submit─▶ submitted ─accept─▶ accepted ─publish─▶ published
                          ▲                   │                                    │
                returned ◀┘◀──────return──────┘            drafting ◀──revise──────┘

The content of a version is the report's YAML source as a dict (cycle_content.py).
Concurrency is optimistic: every save names the filing revision it was made on; a save on
an older revision is refused and kept whole as a `FilingConflict` (nothing typed is lost).
Scope is checked by services/scope.py: a filing outside the caller's scope is NotFound.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.users import SUPERVISOR
from ..errors import XxgkError
from ..model import Report
from ..orgs import KINDS, subtree_ids
from ..source import open_placeholders
from ..store.audit import record
from ..store.base import utc_now
from ..store.cycle_tables import (
    ACCEPTED,
    DRAFTING,
    NOT_STARTED,
    PUBLISHED,
    RETURNED,
    SUBMITTED,
    Cycle,
    CycleDeadline,
    Filing,
    FilingComment,
    FilingVersion,
)
from ..store.tables import Org, User
from .cycle_content import cell_problems, fingerprint
from .cycle_versions import (
    EDITABLE,
    MAX_COMMENT,
    NOTE_DECISIONS,
    SaveResult,
    StateRefused,
    SubmitRefused,
    checked_report,
    comments,
    confirm_cell,
    conflicts,
    get_filing,
    head_version,
    note_warning,
    previous_report,
    published_version,
    require_status,
    save_draft,
    versions,
    warning_notes,
    write_version,
)
from .reports import finding_key
from .scope import Forbidden, NotFound, filing_for_review, filing_for_write, readable_filings

MAX_URL = 500
GOVERNMENT = "人民政府"
CYCLE_NOT_FOUND = "填报年度不存在或无权查看"


# ---------------------------------------------------------------- cycles


def default_deadlines(year: int) -> dict[str, date]:
    """条例第四十九条: 县级以上人民政府 by 3月31日, departments (and every other kind) by
    1月31日 of the following year (check/dates.py statutory_deadline says the same)."""
    return {kind: date(year + 1, 3 if kind == GOVERNMENT else 1, 31) for kind in KINDS}


def open_cycle(session: Session, user: User, year: int, deadlines: dict[str, date] | None = None) -> Cycle:
    """Open `year`'s cycle for the subtree of the supervisor's node: one filing per node
    (未开始). A node already in another cycle of the same year is refused."""
    if user.role != SUPERVISOR:
        raise Forbidden("只有监督人员可以开启年度填报")
    if not 2021 <= year <= 2100:
        raise XxgkError(f"报告年度应为 2021 年以后（2021 年格式），不是 {year}")
    nodes = subtree_ids(session, user.org_id)
    taken = session.scalars(
        select(Org.name)
        .join(Filing, Filing.org_id == Org.id)
        .join(Cycle, Cycle.id == Filing.cycle_id)
        .where(Cycle.year == year, Filing.org_id.in_(nodes))
        .order_by(Org.id)
    ).all()
    if taken:
        raise XxgkError(
            f"{year} 年度已有填报包含以下机构：{'、'.join(taken[:5])}{'等' if len(taken) > 5 else ''}"
        )
    now = utc_now()
    cycle = Cycle(root_org_id=user.org_id, year=year, opened_by=user.id, opened_at=now)
    session.add(cycle)
    session.flush()
    for kind, due in (default_deadlines(year) | (deadlines or {})).items():
        session.add(CycleDeadline(cycle_id=cycle.id, org_kind=kind, due=due))
    for org_id in sorted(nodes):
        session.add(Filing(cycle_id=cycle.id, org_id=org_id, status=NOT_STARTED, revision=0, updated_at=now))
    root = session.get(Org, user.org_id)
    record(
        session,
        user.login,
        "cycle.open",
        f"年度填报 #{cycle.id}",
        year=year,
        root=root.name,
        nodes=len(nodes),
    )
    return cycle


def readable_cycles(session: Session, user: User) -> list[Cycle]:
    """Cycles with at least one filing the caller may read, newest year first."""
    ids = select(readable_filings(session, user).with_only_columns(Filing.cycle_id).subquery().c.cycle_id)
    return list(session.scalars(select(Cycle).where(Cycle.id.in_(ids)).order_by(Cycle.year.desc(), Cycle.id)))


def get_cycle(session: Session, user: User, cycle_id: int) -> Cycle:
    found = next((c for c in readable_cycles(session, user) if c.id == cycle_id), None)
    if found is None:
        raise NotFound(CYCLE_NOT_FOUND)
    return found


def cycle_deadlines(session: Session, cycle_id: int) -> dict[str, date]:
    rows = session.scalars(select(CycleDeadline).where(CycleDeadline.cycle_id == cycle_id))
    return {row.org_kind: row.due for row in rows}


def set_deadlines(session: Session, user: User, cycle_id: int, deadlines: dict[str, date]) -> None:
    """Change deadlines: only a supervisor at the cycle's root node."""
    cycle = get_cycle(session, user, cycle_id)
    if user.role != SUPERVISOR or user.org_id != cycle.root_org_id:
        raise Forbidden("只有开启本次填报的监督机构可以修改截止日期")
    rows = {
        r.org_kind: r
        for r in session.scalars(select(CycleDeadline).where(CycleDeadline.cycle_id == cycle.id))
    }
    for kind, due in deadlines.items():
        if kind not in rows:
            raise XxgkError(f"未知的机构类型“{kind}”")
        rows[kind].due = due
    record(
        session,
        user.login,
        "cycle.deadlines",
        f"年度填报 #{cycle.id}",
        **{k: d.isoformat() for k, d in deadlines.items()},
    )


def filings_in_scope(session: Session, user: User, cycle_id: int) -> list[tuple[Filing, Org]]:
    """The cycle's filings the caller may read, with their nodes, in node order."""
    get_cycle(session, user, cycle_id)
    query = readable_filings(session, user).where(Filing.cycle_id == cycle_id)
    query = query.add_columns(Org).join(Org, Org.id == Filing.org_id).order_by(Org.id)
    return [(f, o) for f, o in session.execute(query)]


def due_date(session: Session, filing: Filing) -> date | None:
    org = session.get(Org, filing.org_id)
    return cycle_deadlines(session, filing.cycle_id).get(org.kind)


def is_late(filing: Filing, due: date | None, today: date | None = None) -> bool:
    """Late: first submitted after the deadline, or still not submitted once it passed."""
    if due is None:
        return False
    if filing.first_submitted_at is not None:
        return filing.first_submitted_at.astimezone().date() > due
    return (today or date.today()) > due


# ---------------------------------------------------------------- transitions


def submit(session: Session, user: User, filing_id: int) -> FilingVersion:
    """Submit the head version: no cell that is not a number, no unconfirmed low-confidence
    cell, no 【请填写】 left, no error, every warning confirmed or explained."""
    filing = filing_for_write(session, user, filing_id)
    require_status(filing, (DRAFTING, RETURNED), "只有填写中或退回修改的报告可以提交")
    head = head_version(session, filing)
    report = checked_report(session, filing, head)
    _submittable(session, head, report)
    now = utc_now()
    head.submitted_at, head.fingerprint = now, fingerprint(head.content)
    head.report_json = report.to_json()
    head.errors, head.warnings = 0, sum(f.severity == "warning" for f in report.findings)
    filing.status, filing.submitted_at, filing.updated_at = SUBMITTED, now, now
    filing.first_submitted_at = filing.first_submitted_at or now
    record(
        session,
        user.login,
        "filing.submit",
        f"填报 #{filing.id}",
        version=head.number,
        sha256=head.fingerprint,
    )
    return head


def _submittable(session: Session, head: FilingVersion, report: Report) -> None:
    if problems := cell_problems(head.content):
        raise SubmitRefused(f"有 {len(problems)} 个单元格填写的不是有效数字，请改正后再提交")
    if head.unconfirmed:
        raise SubmitRefused(f"还有 {len(head.unconfirmed)} 个低置信度单元格未确认，请核对原文后确认")
    if placeholders := open_placeholders(report):
        raise SubmitRefused(f"还有 {len(placeholders)} 处【请填写】未替换：{placeholders[0]}")
    errors = [f for f in report.findings if f.severity == "error"]
    if errors:
        raise SubmitRefused(f"检查发现 {len(errors)} 个错误，改正后才能提交", errors)
    notes = warning_notes(session, head)
    open_warnings = [f for f in report.findings if f.severity == "warning" and finding_key(f) not in notes]
    if open_warnings:
        raise SubmitRefused(f"还有 {len(open_warnings)} 个警告未确认或说明", open_warnings)


def accept(session: Session, user: User, filing_id: int) -> Filing:
    filing = filing_for_review(session, user, filing_id)
    require_status(filing, (SUBMITTED,), "只有已提交的报告可以审核通过")
    filing.status, filing.accepted_at, filing.updated_at = ACCEPTED, utc_now(), utc_now()
    head = head_version(session, filing)
    record(
        session,
        user.login,
        "filing.accept",
        f"填报 #{filing.id}",
        version=head.number,
        sha256=head.fingerprint,
    )
    return filing


def return_filing(session: Session, user: User, filing_id: int, notes: list[tuple[str, str]]) -> Filing:
    """Return a submitted filing to its clerk with comments: (target, text), the target a
    cell ref, "finding:" + a finding key, or "" for the whole report. At least one comment."""
    filing = filing_for_review(session, user, filing_id)
    require_status(filing, (SUBMITTED,), "只有已提交的报告可以退回")
    notes = [(target.strip(), text.strip()) for target, text in notes if text and text.strip()]
    if not notes:
        raise XxgkError("退回时请至少填写一条意见")
    head = head_version(session, filing)
    now = utc_now()
    for target, text in notes:
        if len(text) > MAX_COMMENT:
            raise XxgkError(f"意见不能超过 {MAX_COMMENT} 字")
        session.add(
            FilingComment(
                filing_id=filing.id,
                version_id=head.id,
                target=target[:200],
                text=text,
                user_id=user.id,
                at=now,
            )
        )
    filing.status, filing.updated_at = RETURNED, now
    record(
        session,
        user.login,
        "filing.return",
        f"填报 #{filing.id}",
        version=head.number,
        comments=[t for _, t in notes],
    )
    return filing


def publish(session: Session, user: User, filing_id: int, on: date, url: str) -> FilingVersion:
    """The clerk records the publication (date and address) of the accepted version."""
    filing = filing_for_write(session, user, filing_id)
    require_status(filing, (ACCEPTED,), "只有审核通过的报告可以登记发布")
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")) or len(url) > MAX_URL or any(c.isspace() for c in url):
        raise XxgkError("请填写以 http:// 或 https:// 开头的发布网址")
    year = session.get(Cycle, filing.cycle_id).year
    if on < date(year + 1, 1, 1) or on > date.today():
        raise XxgkError(f"发布日期应在 {year + 1} 年 1 月 1 日之后、今天之前")
    head = head_version(session, filing)
    head.published_on, head.published_url = on, url
    filing.status, filing.updated_at = PUBLISHED, utc_now()
    record(
        session,
        user.login,
        "filing.publish",
        f"填报 #{filing.id}",
        version=head.number,
        on=on.isoformat(),
        url=url,
        sha256=head.fingerprint,
    )
    return head


def revise(session: Session, user: User, filing_id: int) -> FilingVersion:
    """A change after publication: a new version (copy of the published one), filled in and
    filed again; the published version stays as it was."""
    filing = filing_for_write(session, user, filing_id)
    require_status(filing, (PUBLISHED,), "只有已发布的报告可以新建修订版本")
    head = head_version(session, filing)
    filing.status, filing.revision, filing.updated_at = DRAFTING, filing.revision + 1, utc_now()
    return write_version(session, user, filing, dict(head.content), "revision", True, None)


__all__ = [
    "EDITABLE",
    "MAX_COMMENT",
    "NOTE_DECISIONS",
    "SaveResult",
    "StateRefused",
    "SubmitRefused",
    "accept",
    "checked_report",
    "comments",
    "confirm_cell",
    "conflicts",
    "cycle_deadlines",
    "default_deadlines",
    "due_date",
    "filings_in_scope",
    "get_cycle",
    "get_filing",
    "head_version",
    "is_late",
    "note_warning",
    "open_cycle",
    "previous_report",
    "publish",
    "published_version",
    "readable_cycles",
    "return_filing",
    "revise",
    "save_draft",
    "set_deadlines",
    "submit",
    "versions",
    "warning_notes",
]
