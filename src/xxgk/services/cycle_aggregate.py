"""The aggregate report of a government node (本级政府年度报告 = 各成员之和), compiled from the
accepted filings of its members in a cycle.

The cells summed are exactly those rule XG801 compares (`check.members.summed_refs`), summed
the way it sums them, so a compiled aggregate checks clean against its members by
construction; what remains for the supervisor is the coverage (which members are missing or
not yet accepted, which lack cells) and the XG802 list, shown before and after compiling.
The prose and preamble are kept from the node's current draft, or start as `xxgk new` starts
them; paragraphs marked 自动生成 are regenerated from the summed numbers when the draft is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..check import Context, check_report
from ..check.members import summed_refs
from ..errors import XxgkError
from ..model import Finding, Report
from ..source import starter_report
from ..store.audit import record
from ..store.cycle_tables import ACCEPTED, PUBLISHED, Cycle, Filing
from ..store.tables import Org, User
from .cycle import EDITABLE, get_cycle, head_version, save_draft
from .cycle_content import report_content
from .cycle_dashboard import number_views, version_report
from .cycle_numbers import Filed, indicators
from .cycle_tree import NO_FILING, STATUS_NAMES
from .scope import FILING_NOT_FOUND, NotFound, filing_for_write, may_write, readable_filings

MEMBER_RULES = ("XG801", "XG802")


@dataclass
class Member:
    org_id: int
    name: str
    status_label: str
    filing_id: int | None
    report: Report | None  # the accepted version; None when the member is not (yet) accepted

    @property
    def included(self) -> bool:
        return self.report is not None


@dataclass
class Coverage:
    members: list[Member] = field(default_factory=list)

    @property
    def included(self) -> list[Member]:
        return [m for m in self.members if m.included]

    @property
    def missing(self) -> list[Member]:
        return [m for m in self.members if not m.included]

    def summary(self) -> str:
        total, done = len(self.members), len(self.included)
        text = f"下级机构 {total} 个，已通过并纳入汇总 {done} 个"
        if self.missing:
            text += "；未纳入：" + "、".join(f"{m.name}（{m.status_label}）" for m in self.missing)
        return text


def sum_members(base: Report, members: list[Report]) -> Report:
    """`base` with every summed cell set to the members' sum (blank when every member left it
    blank; unchanged when no member has the cell)."""
    spec = base.spec
    if spec is None:
        return base
    for ref in summed_refs(base, spec):
        values = [m.value(ref) for m in members if m.has(ref)]
        if not values:
            continue
        if all(v is None for v in values):
            base.set(ref, None)
        else:
            base.set(ref, sum((v or 0 for v in values), start=0))
    return base


def base_report(current: Report | None, agency: str, year: int) -> Report:
    """What the aggregate starts from: the node's draft (its prose kept), else a new report."""
    if current is not None and current.spec is not None:
        return current
    return starter_report(agency, year)


def member_findings(report: Report, members: list[Report]) -> list[Finding]:
    """The aggregate against its members (XG801 sums and coverage, XG802 the list)."""
    if not members:
        return []
    copy = Report.from_json(report.to_json())
    return check_report(copy, Context(members=members), select=MEMBER_RULES)


# ---------------------------------------------------------------- in a cycle


@dataclass
class AggregateView:
    cycle: Cycle
    org: Org
    filing: Filing
    coverage: Coverage
    numbers: dict[str, list]  # "member:<org id>" | "sum" | "current" -> NumberView list
    current_findings: list[Finding]  # the node's current version against its members
    can_compile: bool


def _government(session: Session, user: User, cycle_id: int, org_id: int) -> tuple[Cycle, Org, Filing]:
    cycle = get_cycle(session, user, cycle_id)
    filing = session.scalar(
        readable_filings(session, user).where(Filing.cycle_id == cycle.id, Filing.org_id == org_id)
    )
    if filing is None:
        raise NotFound(FILING_NOT_FOUND)
    return cycle, session.get(Org, org_id), filing


def coverage(session: Session, cycle: Cycle, org: Org) -> Coverage:
    """The node's direct members in the cycle. Read here, outside the caller's own scope, on
    purpose: the clerk compiling a government's aggregate needs its members' accepted numbers
    (which are about to be published) and their statuses, nothing else."""
    children = session.scalars(select(Org).where(Org.parent_id == org.id).order_by(Org.id)).all()
    if not children:
        raise XxgkError(f"“{org.name}”没有下级机构，不能汇总")
    filings = {
        f.org_id: f
        for f in session.scalars(
            select(Filing).where(Filing.cycle_id == cycle.id, Filing.org_id.in_([c.id for c in children]))
        )
    }
    out = Coverage()
    for child in children:
        filing = filings.get(child.id)
        status = STATUS_NAMES[filing.status if filing else NO_FILING]
        report = None
        if filing is not None and filing.status in (ACCEPTED, PUBLISHED):
            report = version_report(head_version(session, filing))
        out.members.append(Member(child.id, child.name, status, filing.id if filing else None, report))
    return out


def _current(session: Session, filing: Filing) -> Report | None:
    head = head_version(session, filing)
    return version_report(head) if head is not None else None


def compiled(session: Session, cycle: Cycle, org: Org, filing: Filing, cover: Coverage) -> Report:
    current = _current(session, filing)
    return sum_members(base_report(current, org.name, cycle.year), [m.report for m in cover.included])


def preview(session: Session, user: User, cycle_id: int, org_id: int) -> AggregateView:
    """Coverage, the members' key numbers and their sum, and the node's current version
    checked against its members (XG801, XG802)."""
    cycle, org, filing = _government(session, user, cycle_id, org_id)
    cover = coverage(session, cycle, org)
    members = [m.report for m in cover.included]
    current = _current(session, filing)
    filed = [
        Filed(f"m{m.org_id}", cycle.year, m.report.to_json(), (f"member:{m.org_id}", "sum"))
        for m in cover.included
    ]
    if current is not None:
        filed.append(Filed("current", cycle.year, current.to_json(), ("current",)))
    found = indicators(filed)
    keys = [f"member:{m.org_id}" for m in cover.members] + ["sum", "current"]
    numbers = {k: number_views(found.get((k, cycle.year)), None) for k in keys}
    findings = member_findings(current, members) if current is not None else []
    can = may_write(user, org.id) and filing.status in EDITABLE and bool(members)
    return AggregateView(cycle, org, filing, cover, numbers, findings, can)


def compile_aggregate(session: Session, user: User, cycle_id: int, org_id: int) -> int:
    """Store the sum of the accepted members as a new draft version of the node's filing
    (its clerk only, while the filing is editable); returns the filing's id."""
    cycle, org, filing = _government(session, user, cycle_id, org_id)
    filing = filing_for_write(session, user, filing.id)
    cover = coverage(session, cycle, org)
    if not cover.included:
        raise XxgkError("还没有审核通过的下级报告，无法汇总")
    report = compiled(session, cycle, org, filing, cover)
    result = save_draft(
        session,
        user,
        filing.id,
        filing.revision,
        report_content(report),
        origin="aggregate",
        new_version=True,
    )
    record(
        session,
        user.login,
        "filing.aggregate",
        f"填报 #{filing.id}",
        members=[m.name for m in cover.included],
        missing=[m.name for m in cover.missing],
        version=result.version.number if result.version else None,
    )
    return filing.id
