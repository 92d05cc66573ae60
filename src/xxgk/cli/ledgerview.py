"""What `ledger show` and `ledger list` print: a case with its state, its deadlines and how
they were computed, and every recorded event as a history line marked when voided or corrected
(`print_case`); the to-do list as a table aligned for CJK text (`print_table`); and the Chinese
names of statuses and outcomes (`STATUS_NAMES`, `OUTCOME_LABELS`) that ledgercmds also reads
when a clerk names an outcome.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from ..ledger import domain
from ..ledger.labels import OUTCOME_LABELS, STATUS_NAMES  # noqa: F401  (re-exported)
from ..ledger.records import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, CaseRecord, EventRecord

# -- ledger show -----------------------------------------------------------------------


def _describe_data(e: EventRecord) -> str:
    parts = []
    for key, value in sorted(e.data.items()):
        if key == "outcome":
            parts.append(f"结果：{OUTCOME_LABELS.get(value, value)}")
        else:
            parts.append(f"{key}={value}")
    return "，".join(parts)


def _when(moment: Any) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _event_line(e: EventRecord, effective: set[int], events: list[EventRecord]) -> str:
    line = f"  #{e.id}  {e.date.isoformat()}  {EVENT_KINDS.get(e.kind, e.kind)}"
    if e.supersedes is not None:
        line += f" #{e.supersedes}" if e.kind == "void" else f"（更正 #{e.supersedes}）"
    if e.data:
        line += f"  {_describe_data(e)}"
    line += f"  —— {e.recorded_by} {_when(e.recorded_at)}"
    if e.kind != "void" and e.id not in effective:
        later = [r for r in events if r.supersedes == e.id]
        what = "已作废" if later and later[-1].kind == "void" else "已更正"
        line += f"  [{what}，见 #{later[-1].id}]" if later else "  [已作废]"
    return line


def print_case(case: CaseRecord, events: list[EventRecord], day: date) -> None:
    """The case as of `day`; its history lines mark what was voided or corrected by any date."""
    state = domain.case_state(case, events, day)
    latest = max([day, *(e.date for e in events)])
    effective = {e.id for e in domain.case_state(case, events, latest).events}
    current = state.case
    print(f"登记号：{case.number}")
    print(f"收到日期：{current.received.isoformat()}（{CHANNELS[current.channel]}）")
    print(f"申请人：{current.applicant_name}（{APPLICANT_TYPES[current.applicant_type]}）")
    if current.applicant_contact:
        print(f"联系方式：{current.applicant_contact}")
    print(f"申请内容：{current.request}")
    print(f"登记人：{case.recorded_by}，{_when(case.recorded_at)}")
    status = STATUS_NAMES.get(state.status, state.status)
    if state.status == "closed" and state.outcome:
        status += f"（{OUTCOME_LABELS.get(state.outcome, state.outcome)}，{state.closed_on}）"
    print(f"状态（截至 {day.isoformat()}）：{status}")
    for title, deadline in (("答复期限", state.deadline), ("补正通知期限", state.correction_due)):
        if deadline is not None:
            overdue = "（已逾期）" if deadline.due < day and state.status != "closed" else ""
            print(f"{title}：{deadline.due.isoformat()}{overdue}")
            for line in deadline.explanation:
                print(f"  {line}")
    for problem in state.problems:
        print(f"注意：{problem}")
    print(f"事件（{len(events)} 条）：" if events else "事件：无")
    for e in events:
        print(_event_line(e, effective, events))


# -- ledger list -----------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, width: int) -> str:
    out = ""
    for ch in text.replace("\n", " "):
        if _width(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


def print_table(rows: list[tuple[date, Any]], day: date) -> None:
    """The to-do list: (due date, or date.max when none; case state) rows in the order given."""
    if not rows:
        print(f"没有符合条件的申请（截至 {day.isoformat()}）")
        return
    header = ("登记号", "收到日期", "申请人", "状态", "答复期限", "申请内容")
    lines = []
    for due, state in rows:
        mark = "（已逾期）" if due < day and state.status != "closed" else ""
        due_text = due.isoformat() + mark if due != date.max else "—"
        status = STATUS_NAMES.get(state.status, state.status)
        case = state.case
        lines.append(
            (case.number, case.received.isoformat(), _clip(case.applicant_name, 16), status, due_text)
            + (_clip(case.request, 30),)
        )
    widths = [max(_width(r[i]) for r in [header, *lines]) for i in range(len(header) - 1)]
    for line in [header, *lines]:
        print("  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=False)) + "  " + line[-1])
    print(f"共 {len(lines)} 件（截至 {day.isoformat()}）")
