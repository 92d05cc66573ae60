"""The year's statistics of a node's ledger (表三, 表四) in the web app, each cell with the
list of cases it counts, "as recorded on" a date for reproducing a published report, and the
overdue counts of a supervisor's subtree. All of it reads the ledger without personal data
unless the caller is a clerk of the node."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.users import CLERK
from ..errors import InputError
from ..formats import FORMAT_2021
from ..ledger import domain
from ..ledger.history import as_recorded
from ..ledger.labels import OUTCOME_LABELS, STATUS_NAMES
from ..ledger.records import APPLICANT_TYPES, CaseRecord, EventRecord
from ..ledger.stats import case_refs, year_report
from ..ledger.store import Ledger
from ..model import Report
from ..store.tables import Org, User
from .casework import node_ledger, office_ledger, statistics_ledger
from .casework_calendar import office_calendar
from .scope import readable_org_ids

History = tuple[CaseRecord, list[EventRecord]]
EARLIEST_YEAR = 2008  # the 条例 took effect on 2008-05-01


def org_year_report(session: Session, org_id: int, year: int, as_of: dt.date | None = None) -> Report:
    """The year's 表三 and 表四 of one node from its ledger, as a Report (ledger.stats.year_report);
    with `as_of`, from the cases and events recorded by the end of that day. No personal data
    is read. The caller has checked that the node may be read."""
    org = session.get(Org, org_id)
    if org is None:
        raise InputError("机构不存在")
    ledger = node_ledger(session, org_id, personal=False)
    return year_report(_histories(ledger, year, as_of), year, org.name)


def _histories(ledger: Ledger, year: int, as_of: dt.date | None) -> Iterable[History]:
    check_year(year)
    histories = ledger.cases(received_before=dt.date(year + 1, 1, 1))
    if as_of is None:
        return histories
    end = dt.datetime.combine(as_of, dt.time.max).astimezone()
    return as_recorded(histories, end)


def check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= dt.date.today().year + 1:
        raise InputError(f"年度 {year} 不在可统计的范围（{EARLIEST_YEAR}—{dt.date.today().year + 1}）")


def ledger_for_stats(session: Session, user: User, org_id: int | None) -> Ledger:
    """The ledger whose numbers the caller asked for: a clerk's own node with personal data
    (so the cell lists can name applicants), any other readable node without."""
    if user.role == CLERK and org_id in (None, user.org_id):
        return office_ledger(session, user)
    return statistics_ledger(session, user, org_id if org_id is not None else user.org_id)


@dataclass
class CellCase:
    number: str
    received: dt.date
    applicant_type: str
    applicant_name: str  # "" without personal data
    status: str
    outcome: str


def cell_cases(ledger: Ledger, year: int, ref: str, as_of: dt.date | None = None) -> list[CellCase]:
    """The cases one cell of the year counts (a case twice when it counts twice)."""
    if ref not in _REFS:
        raise InputError(f"表中没有单元格“{ref}”")
    found = []
    for case, events in _histories(ledger, year, as_of):
        times = case_refs(case, events, year).count(ref)
        if times:
            state = domain.replay(case, events, dt.date(year, 12, 31))
            found += [_cell_case(state)] * times
    return found


def _cell_case(state: domain.CaseState) -> CellCase:
    c = state.case
    return CellCase(
        c.number,
        c.received,
        APPLICANT_TYPES[c.applicant_type],
        c.applicant_name,
        STATUS_NAMES[state.status],
        OUTCOME_LABELS.get(state.outcome or "", ""),
    )


_REFS = frozenset(FORMAT_2021.table("applications").refs() + FORMAT_2021.table("reviews").refs())


def cell_name(ref: str) -> str:
    return FORMAT_2021.describe(ref)


def readable_nodes(session: Session, user: User) -> list[Org]:
    """The nodes whose statistics the user may choose: the nodes whose reports the user may
    read (`scope.readable_org_ids`: a clerk's own, a supervisor's subtree, every node for an admin)."""
    ids = readable_org_ids(session, user)
    query = select(Org).order_by(Org.id)
    return list(session.scalars(query if ids is None else query.where(Org.id.in_(ids))))


@dataclass
class NodeLoad:
    org: Org
    open: int
    overdue: int


def subtree_load(session: Session, user: User, today: dt.date) -> list[NodeLoad]:
    """Open and overdue cases of each node the caller may read (no personal data read)."""
    calendar = office_calendar(session)
    out = []
    for org in readable_nodes(session, user):
        ledger = statistics_ledger(session, user, org.id)
        open_count = overdue = 0
        for case, events in ledger.cases(open_on=today):
            state = domain.case_state(case, events, today, calendar)
            open_count += 1
            overdue += bool(state.deadline and state.deadline.due < today)
        out.append(NodeLoad(org, open_count, overdue))
    return out


def startable_filing(session: Session, user: User, year: int):
    """The clerk's filing of `year` in the filing cycle that may still start from the ledger's
    numbers (not started, drafting or returned), for the statistics page's one-click start."""
    from ..store.cycle_tables import DRAFTING, NOT_STARTED, RETURNED, Cycle, Filing

    if user.role != CLERK:
        return None
    query = (
        select(Filing)
        .join(Cycle, Cycle.id == Filing.cycle_id)
        .where(Cycle.year == year, Filing.org_id == user.org_id)
        .where(Filing.status.in_((NOT_STARTED, DRAFTING, RETURNED)))
        .order_by(Filing.id.desc())
        .limit(1)
    )
    return session.scalar(query)
