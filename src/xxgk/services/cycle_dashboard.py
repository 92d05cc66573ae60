"""The supervisor's view of a cycle (填报总览): the tree of its nodes with status, lateness,
findings and key numbers against last year, and subtotals per subtree (cycle_tree.py).

Scope: a supervisor sees the part of the cycle in its own subtree, an admin the whole cycle
(read only); a clerk has no dashboard (its to-do is cycle_todo.py). The filings come from
`cycle.filings_in_scope`, so the scope is the one every filing page uses.

Key numbers count a filing once it is submitted (已提交, 已通过, 已发布): a draft's numbers
change as the clerk types and would make the subtotals meaningless. The dashboard, the
汇总.xlsx export and the dataset therefore agree on what an accepted filing says.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.users import CLERK
from ..formats import AMOUNT_TEXT, get_format
from ..model import Report
from ..orgs import subtree_ids
from ..store.cycle_tables import ACCEPTED, PUBLISHED, SUBMITTED, Cycle, Filing, FilingVersion, WarningNote
from ..store.tables import Org, User
from .cycle import cycle_deadlines, filings_in_scope, get_cycle, is_late, previous_report
from .cycle_content import FORMAT, cell_value, content_report, parse_cell
from .cycle_numbers import KEY_NUMBERS, LABELS, Filed, change, indicators, key_numbers
from .cycle_tree import NodeFacts, TreeRow, days_late, only_problems, tree_rows
from .scope import Forbidden, readable_org_ids

COUNTED = (SUBMITTED, ACCEPTED, PUBLISHED)
FROZEN_KEPT = 512  # Reports of submitted versions kept in memory (some 50 KB each)
_FROZEN: OrderedDict[str, dict] = OrderedDict()
_FROZEN_LOCK = threading.Lock()
SPEC = get_format(FORMAT)


@dataclass
class CycleNode:
    """A node of the cycle with what the pages and exports need from the database."""

    facts: NodeFacts
    org: Org
    filing: Filing | None
    head: FilingVersion | None


@dataclass
class NumberView:
    name: str
    label: str
    rate: bool
    value: Any
    before: Any
    change: Any


@dataclass
class Dashboard:
    cycle: Cycle
    root: Org
    rows: list[TreeRow]
    all_rows: int
    problems_only: bool
    deadlines: dict[str, date]
    numbers: dict[str, list[NumberView]] = field(default_factory=dict)  # "own:<id>" / "sub:<id>"

    @property
    def heads(self) -> list[str]:
        return [LABELS[name] for name, _rate in KEY_NUMBERS]

    def numbers_of(self, row: TreeRow, subtotal: bool = False) -> list[NumberView]:
        return self.numbers.get(f"{'sub' if subtotal else 'own'}:{row.facts.org_id}", [])


def supervised_cycle(session: Session, user: User, cycle_id: int) -> Cycle:
    if user.role == CLERK:
        raise Forbidden("只有监督人员和系统管理员可以查看填报总览")
    return get_cycle(session, user, cycle_id)


def view_root(session: Session, user: User, cycle: Cycle) -> int:
    """The cycle's root when the caller reads it, else the caller's own node inside the cycle."""
    readable = readable_org_ids(session, user)
    return cycle.root_org_id if readable is None or cycle.root_org_id in readable else user.org_id


def cycle_nodes(session: Session, user: User, cycle: Cycle, today: date) -> tuple[int, list[CycleNode]]:
    """(root node, every node of the caller's part of the cycle); a node added to the tree
    after the cycle was opened has no filing and is listed as such."""
    root = view_root(session, user, cycle)
    deadlines = cycle_deadlines(session, cycle.id)
    filings = {org.id: f for f, org in filings_in_scope(session, user, cycle.id)}
    ids = subtree_ids(session, root)
    orgs = session.scalars(select(Org).where(Org.id.in_(ids)).order_by(Org.id)).all()
    heads = _heads(session, [f.id for f in filings.values()])
    dismissed = _dismissed(session, [h.id for h in heads.values()])
    contacts = _clerks(session, ids)
    out = []
    for org in orgs:
        filing = filings.get(org.id)
        head = heads.get(filing.id) if filing else None
        facts = NodeFacts(org.id, org.name, org.parent_id if org.id != root else None, org.kind)
        facts.deadline, facts.contacts = deadlines.get(org.kind), tuple(contacts.get(org.id, ()))
        if filing is not None:
            facts.status, facts.filing_id = filing.status, filing.id
            facts.days_late = _days_late(filing, facts.deadline, today)
        else:  # nothing can be submitted without a filing: late once the deadline passed
            facts.days_late = days_late(facts.deadline, None, today)
        if head is not None:
            facts.errors, facts.warnings = head.errors, head.warnings
            facts.dismissed = dismissed.get(head.id, 0)
        out.append(CycleNode(facts, org, filing, head))
    return root, out


def _days_late(filing: Filing, due: date | None, today: date) -> int | None:
    if not is_late(filing, due, today):
        return None
    done = filing.first_submitted_at.astimezone().date() if filing.first_submitted_at else today
    return (done - due).days


def _heads(session: Session, filing_ids: list[int]) -> dict[int, FilingVersion]:
    if not filing_ids:
        return {}
    latest = (
        select(FilingVersion.filing_id, func.max(FilingVersion.number).label("number"))
        .where(FilingVersion.filing_id.in_(filing_ids))
        .group_by(FilingVersion.filing_id)
        .subquery()
    )
    query = select(FilingVersion).join(
        latest, (latest.c.filing_id == FilingVersion.filing_id) & (latest.c.number == FilingVersion.number)
    )
    return {v.filing_id: v for v in session.scalars(query)}


def _dismissed(session: Session, version_ids: list[int]) -> dict[int, int]:
    """Warnings the clerk confirmed or explained, per version (distinct findings)."""
    if not version_ids:
        return {}
    query = (
        select(WarningNote.version_id, func.count(func.distinct(WarningNote.finding_key)))
        .where(WarningNote.version_id.in_(version_ids))
        .group_by(WarningNote.version_id)
    )
    return dict(session.execute(query).all())


def _clerks(session: Session, org_ids: set[int]) -> dict[int, list[str]]:
    query = (
        select(User.org_id, User.login)
        .where(User.role == CLERK, User.active.is_(True), User.org_id.in_(org_ids))
        .order_by(User.login)
    )
    out: dict[int, list[str]] = {}
    for org_id, login in session.execute(query):
        out.setdefault(org_id, []).append(login)
    return out


def dashboard(
    session: Session, user: User, cycle_id: int, today: date | None = None, problems_only: bool = False
) -> Dashboard:
    cycle = supervised_cycle(session, user, cycle_id)
    root, nodes = cycle_nodes(session, user, cycle, today or date.today())
    rows = tree_rows([n.facts for n in nodes], root)
    view = Dashboard(
        cycle, session.get(Org, root), rows, len(rows), problems_only, cycle_deadlines(session, cycle.id)
    )
    view.numbers = _numbers(session, cycle, nodes, rows)
    if problems_only:
        view.rows = only_problems(rows)
    return view


def _numbers(session: Session, cycle: Cycle, nodes: list[CycleNode], rows: list[TreeRow]) -> dict:
    """NumberView lists per group: "own:<org>" a node's filing, "sub:<org>" its members' sum.
    A subtotal is compared with last year only when every member it counts has last year's
    report: 34 against one member's 11 would be no change at all."""
    groups: dict[int, list[str]] = {n.org.id: [f"own:{n.org.id}"] for n in nodes}
    for row in rows:
        if row.subtotal is not None:
            for member in row.subtotal.members:
                groups[member].append(f"sub:{row.facts.org_id}")
    filed, partial = [], set()
    for node in nodes:
        counted = node.filing is not None and node.filing.status in COUNTED and node.head is not None
        mine = tuple(groups[node.org.id]) if counted else groups[node.org.id][:1]
        if counted:
            filed.append(Filed(str(node.org.id), cycle.year, counted_json(node.head), mine))
        previous = previous_report(session, node.filing) if node.filing is not None else None
        if previous is not None:
            filed.append(Filed(f"{node.org.id}-1", cycle.year - 1, previous.to_json(), mine))
        elif counted:
            partial.update(mine[1:])
    found = indicators(filed)
    names = {g for gs in groups.values() for g in gs}
    return {
        g: number_views(found.get((g, cycle.year)), None if g in partial else found.get((g, cycle.year - 1)))
        for g in names
    }


def counted_json(head: FilingVersion) -> dict:
    """The version's tables as `batch.rows.table_values` reads them, straight from the content
    (a count as stored, an amount's exact text as a Decimal, a cell that is not a number as
    blank): turning the content into a Report writes and parses its YAML, 100 ms a filing."""
    content = head.content
    out: dict = {"format": content.get("format") or FORMAT}
    for ref, (_table, _row, fld) in SPEC.fields_by_ref.items():
        table, row, key = ref.split("/")
        value = cell_value(content, ref)
        if fld.kind == AMOUNT_TEXT:
            key = f"{key}_text"  # kept as written, like the report JSON
        elif isinstance(value, str):
            parsed, problem = parse_cell(ref, value)
            value = None if problem else Decimal(parsed) if isinstance(parsed, str) else parsed
        out.setdefault(table, {}).setdefault(row, {})[key] = value
    return out


def version_report(version: FilingVersion) -> Report:
    """The Report of a version. A submitted version is frozen and its fingerprint is the hash
    of its content, so its Report is kept in memory once made: making one writes and parses
    the YAML source (some 100 ms), and the 雷同 page and the exports need every filing's."""
    if version.submitted_at is None or version.fingerprint is None:
        return content_report(version.content)
    if version.report_json is not None:  # kept at submission
        return Report.from_json(version.report_json)
    key = version.fingerprint
    with _FROZEN_LOCK:
        data = _FROZEN.get(key)
        if data is not None:
            _FROZEN.move_to_end(key)
    if data is None:
        data = content_report(version.content).to_json()
        with _FROZEN_LOCK:
            _FROZEN[key] = data
            while len(_FROZEN) > FROZEN_KEPT:
                _FROZEN.popitem(last=False)
    return Report.from_json(data)


def number_views(now: dict | None, before: dict | None) -> list[NumberView]:
    values, last = key_numbers(now), key_numbers(before)
    return [
        NumberView(name, LABELS[name], rate, values[name], last[name], change(values[name], last[name], rate))
        for name, rate in KEY_NUMBERS
    ]


def dashboard_json(view: Dashboard) -> dict[str, Any]:
    """The page's JSON twin: the same rows, numbers and subtotals."""

    def numbers(views: list[NumberView]) -> dict[str, Any]:
        return {n.name: {"value": n.value, "last_year": n.before, "change": n.change} for n in views}

    rows = []
    for row in view.rows:
        f, s = row.facts, row.subtotal
        rows.append({
            "org_id": f.org_id, "name": f.name, "kind": f.kind, "depth": row.depth, "filing_id": f.filing_id,
            "status": f.status, "status_label": f.status_label,
            "deadline": f.deadline.isoformat() if f.deadline else None, "days_late": f.days_late,
            "errors": f.errors, "warnings": f.warnings, "dismissed": f.dismissed,
            "numbers": numbers(view.numbers_of(row)),
            "subtotal": None if s is None else {
                "nodes": s.nodes, "statuses": dict(s.statuses), "late": s.late, "errors": s.errors,
                "warnings": s.warnings, "dismissed": s.dismissed, "numbers": numbers(view.numbers_of(row, True)),
            },
        })  # fmt: skip
    return {
        "cycle": {"id": view.cycle.id, "year": view.cycle.year, "root": view.root.name},
        "deadlines": {kind: due.isoformat() for kind, due in view.deadlines.items()},
        "problems_only": view.problems_only,
        "rows": rows,
    }
