"""Notifications without network: an in-app to-do per role, and the 催报 list as a file.

* clerk: its own node's filings — to fill in (with the deadline), returned with comments,
  accepted and waiting for the publication to be recorded; late ones say so;
* supervisor: in its subtree — filings submitted and waiting for review, nodes late;
* admin: every cycle, read only — the late nodes.

Everything is read through `cycle_dashboard.cycle_nodes`, i.e. through the cycle's scoped
filing queries: a clerk's to-do never names another node's filing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..accounts.users import ADMIN, CLERK, SUPERVISOR
from ..store.cycle_tables import ACCEPTED, DRAFTING, NOT_STARTED, RETURNED, SUBMITTED, Cycle
from ..store.tables import User
from .cycle import readable_cycles
from .cycle_dashboard import CycleNode, cycle_nodes, supervised_cycle
from .cycle_reminders import reminder_rows, reminders_csv, reminders_xlsx
from .cycle_tree import NodeFacts
from .scope import NotFound

KINDS = {
    "fill": "待填写",
    "returned": "退回修改",
    "publish": "待登记发布",
    "review": "待审核",
    "late": "逾期未提交",
}


@dataclass
class TodoItem:
    kind: str
    year: int
    org: str
    text: str
    url: str
    due: date | None = None
    days_late: int | None = None

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def todo(session: Session, user: User, today: date | None = None) -> list[TodoItem]:
    """What the caller should do next, the latest first."""
    today = today or date.today()
    items: list[TodoItem] = []
    for cycle in readable_cycles(session, user):
        _root, nodes = cycle_nodes(session, user, cycle, today)
        for node in nodes:
            items += _items(user, cycle, node, today)
    return sorted(items, key=lambda i: (-(i.days_late or 0), i.due or date.max, -i.year, i.org))


def _items(user: User, cycle: Cycle, node: CycleNode, today: date) -> list[TodoItem]:
    f = node.facts
    if f.filing_id is None:
        return []
    url = f"/filings/{f.filing_id}"
    if user.role == CLERK:
        return _clerk_items(cycle, f, url, today)
    if f.status == SUBMITTED and user.role == SUPERVISOR:
        return [
            TodoItem(
                "review", cycle.year, f.name, f"{f.name} {cycle.year} 年度报告已提交，请审核", url, f.deadline
            )
        ]
    if f.late and f.status in (NOT_STARTED, DRAFTING, RETURNED) and user.role in (SUPERVISOR, ADMIN):
        text = f"{f.name} {cycle.year} 年度报告逾期 {f.days_late} 天未提交（{f.status_label}）"
        return [TodoItem("late", cycle.year, f.name, text, url, f.deadline, f.days_late)]
    return []


def _clerk_items(cycle: Cycle, f: NodeFacts, url: str, today: date) -> list[TodoItem]:
    year, due = cycle.year, f.deadline
    if f.status in (NOT_STARTED, DRAFTING):
        when = _when(due, today, f.days_late)
        return [TodoItem("fill", year, f.name, f"填写并提交 {year} 年度报告{when}", url, due, f.days_late)]
    if f.status == RETURNED:
        text = f"{year} 年度报告被退回，请按审核意见修改后重新提交{_when(due, today, f.days_late)}"
        return [TodoItem("returned", year, f.name, text, url, due, f.days_late)]
    if f.status == ACCEPTED:
        text = f"{year} 年度报告已审核通过：发布后请登记发布日期和网址"
        return [TodoItem("publish", year, f.name, text, url, due)]
    return []


def _when(due: date | None, today: date, days_late: int | None) -> str:
    if due is None:
        return ""
    if days_late:
        return f"（期限 {due.isoformat()}，已逾期 {days_late} 天）"
    return f"（期限 {due.isoformat()}，还有 {(due - today).days} 天）"


def item_json(item: TodoItem) -> dict:
    return {
        "kind": item.kind, "label": item.label, "year": item.year, "org": item.org, "text": item.text,
        "url": item.url, "due": item.due.isoformat() if item.due else None, "days_late": item.days_late,
    }  # fmt: skip


def reminders_file(
    session: Session, user: User, cycle_id: int, kind: str, today: date | None = None
) -> tuple[str, bytes]:
    """(file name, bytes) of the 催报 list of the caller's part of a cycle, XLSX or CSV."""
    if kind not in ("xlsx", "csv"):
        raise NotFound("没有这种导出格式")
    cycle = supervised_cycle(session, user, cycle_id)
    root, nodes = cycle_nodes(session, user, cycle, today or date.today())
    names = {n.org.id: n.org.name for n in nodes}
    rows = reminder_rows([n.facts for n in nodes], names)
    content = reminders_xlsx(rows) if kind == "xlsx" else reminders_csv(rows)
    return f"{cycle.year}年度催报名单-{names[root]}.{kind}", content


__all__ = ["KINDS", "TodoItem", "item_json", "reminders_file", "todo"]
