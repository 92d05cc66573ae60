"""The supervisor's tree of a cycle as rows: one row per node, in tree order, and for every node
with members a subtotal of its subtree. Pure functions over plain records, so the arithmetic
of the subtotals is tested without a database.

What a subtotal adds up:
* statuses, lateness, errors, warnings and dismissed findings: every node of the subtree,
  the node itself included (each is one filing to chase or review);
* the key numbers: the filings of the subtree's nodes that have no members in the cycle. A
  node with members files an aggregate report (本级政府 = 各成员之和), so adding it to its
  members would count every application twice; its own numbers stand beside the subtotal,
  where a difference shows an aggregate that does not match its members.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..store.cycle_tables import NOT_STARTED, RETURNED, STATUS_LABELS

NO_FILING = "none"
STATUS_NAMES = {NO_FILING: "无报告", **STATUS_LABELS}


@dataclass
class NodeFacts:
    """One node of a cycle as the dashboard needs it."""

    org_id: int
    name: str
    parent_id: int | None
    kind: str
    status: str = NO_FILING
    filing_id: int | None = None
    deadline: date | None = None
    days_late: int | None = None  # None: not late
    errors: int = 0
    warnings: int = 0
    dismissed: int = 0
    contacts: tuple[str, ...] = ()  # the node's clerks' logins

    @property
    def late(self) -> bool:
        return self.days_late is not None

    @property
    def status_label(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def problem(self) -> bool:
        """What "只看有问题的" keeps: late, errors, returned, not started or no report at all."""
        return self.late or self.errors > 0 or self.status in (NO_FILING, NOT_STARTED, RETURNED)


@dataclass
class Subtotal:
    nodes: int = 0
    statuses: Counter = field(default_factory=Counter)
    late: int = 0
    errors: int = 0
    warnings: int = 0
    dismissed: int = 0
    members: list[int] = field(default_factory=list)  # org ids whose numbers are summed

    def add(self, facts: NodeFacts) -> None:
        self.nodes += 1
        self.statuses[facts.status] += 1
        self.late += facts.late
        self.errors += facts.errors
        self.warnings += facts.warnings
        self.dismissed += facts.dismissed

    def status_text(self) -> str:
        """Like "已通过 2、填写中 1", in the cycle's order of statuses."""
        return "、".join(f"{STATUS_NAMES[s]} {self.statuses[s]}" for s in STATUS_NAMES if self.statuses[s])


@dataclass
class TreeRow:
    facts: NodeFacts
    depth: int
    subtotal: Subtotal | None = None  # only for a node with members in the cycle
    numbers: dict[str, Any] = field(default_factory=dict)  # filled in by the dashboard
    subtotal_numbers: dict[str, Any] = field(default_factory=dict)

    @property
    def problem(self) -> bool:
        if self.facts.problem:
            return True
        s = self.subtotal
        return s is not None and (s.late or s.errors or any(s.statuses[x] for x in _PROBLEM_STATUSES))


_PROBLEM_STATUSES = (NO_FILING, NOT_STARTED, RETURNED)


def tree_rows(nodes: list[NodeFacts], root_id: int) -> list[TreeRow]:
    """The subtree of `root_id` among `nodes`, parents before children, siblings by id."""
    children: dict[int | None, list[NodeFacts]] = {}
    for facts in sorted(nodes, key=lambda f: f.org_id):
        children.setdefault(facts.parent_id, []).append(facts)
    by_id = {f.org_id: f for f in nodes}
    if root_id not in by_id:
        return []
    rows: list[TreeRow] = []
    _walk(by_id[root_id], 0, children, rows)
    return rows


def _walk(facts: NodeFacts, depth: int, children: dict, rows: list[TreeRow]) -> Subtotal:
    row = TreeRow(facts, depth)
    rows.append(row)
    total = Subtotal()
    total.add(facts)
    below = children.get(facts.org_id, [])
    if not below:
        total.members.append(facts.org_id)
        return total
    for child in below:
        sub = _walk(child, depth + 1, children, rows)
        total.nodes += sub.nodes
        total.statuses.update(sub.statuses)
        total.late += sub.late
        total.errors += sub.errors
        total.warnings += sub.warnings
        total.dismissed += sub.dismissed
        total.members += sub.members
    row.subtotal = total
    return total


def only_problems(rows: list[TreeRow]) -> list[TreeRow]:
    """The rows "只看有问题的" shows: problem nodes, and the nodes above them for context."""
    return [row for row in rows if row.problem]


def days_late(due: date | None, done_on: date | None, today: date) -> int | None:
    """Days past `due` of what was done on `done_on` (or, not done yet, of today)."""
    if due is None:
        return None
    late = ((done_on or today) - due).days
    return late if late > 0 else None
