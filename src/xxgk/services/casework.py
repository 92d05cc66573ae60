"""The 依申请公开 ledger of one node in the web app, on the ledger library (`xxgk.ledger`):
who may open which node's ledger, today's work, registering an application, one case with
its timeline, deadlines and the actions the law allows now, recording an action.

Privacy is decided here, in the queries: only the clerks of a node open its ledger with the
applicants' personal data (`office_ledger`); everybody else who may see a node's numbers
gets a ledger that never reads those columns (`statistics_ledger`). Supervisors and admins
therefore cannot obtain a name, whatever page or export they ask for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ..accounts.users import CLERK
from ..errors import InputError
from ..ledger import domain
from ..ledger.calendar import WorkCalendar
from ..ledger.deadline import Deadline, add_working_days, fee_payment_deadline
from ..ledger.history import active_ids
from ..ledger.labels import OUTCOME_LABELS, STATUS_NAMES
from ..ledger.records import EVENT_KINDS, OUTCOMES, CaseRecord, EventRecord
from ..ledger.store import Ledger, event_numbers
from ..model import Report
from ..store.tables import User
from .casework_calendar import office_calendar
from .scope import ORG_NOT_FOUND, Forbidden, NotFound, readable_org_ids

DUE_SOON_DAYS = 5
LABEL = "台账"
CLERKS_ONLY = "只有本机构的经办人员可以查看和办理依申请公开申请（含申请人个人信息）"


def node_ledger(session: Session, org_id: int | None, *, personal: bool) -> Ledger:
    """A node's ledger on the session's database (org_id None: every node). Its reads never
    take the write lock, even beside a writing session; its writes take their own."""
    ledger = Ledger(session.get_bind().execution_options(xxgk_write=False), LABEL)
    return ledger if org_id is None else ledger.for_org(org_id, personal=personal)


def office_ledger(session: Session, user: User) -> Ledger:
    """The user's node's ledger with personal data: clerks only."""
    if user.role != CLERK:
        raise Forbidden(CLERKS_ONLY)
    return node_ledger(session, user.org_id, personal=True)


CASE_NOT_FOUND = "申请不存在或无权查看"


def get_case(ledger: Ledger, number: str) -> tuple[CaseRecord, list[EventRecord]]:
    """A case of the ledger's node; another node's case does not exist for the caller."""
    try:
        return ledger.case(number)
    except InputError:
        raise NotFound(CASE_NOT_FOUND) from None


def statistics_ledger(session: Session, user: User, org_id: int) -> Ledger:
    """A node's ledger without personal data, for whoever may read the node."""
    allowed = readable_org_ids(session, user)
    if allowed is not None and org_id not in allowed:
        raise NotFound(ORG_NOT_FOUND)
    return node_ledger(session, org_id, personal=False)


def year_report_for_org(session: Session, org_id: int, year: int, as_of: dt.date | None = None) -> Report:
    """The year's 表三 and 表四 of one node as a Report (ledger.stats.year_report), as recorded
    by the end of `as_of` when given; for the filing cycle's "start from the ledger". The
    caller has checked that the node may be read; no personal data is read."""
    from .casework_stats import org_year_report  # it builds on this module

    return org_year_report(session, org_id, year, as_of)


# ---------------------------------------------------------------- today's work


@dataclass
class WorkItem:
    state: domain.CaseState
    due: dt.date | None
    reason: str  # one line: what is due, when, why
    group: str  # overdue | soon | correction | fee | consultation | other


@dataclass
class Today:
    day: dt.date
    groups: dict[str, list[WorkItem]]
    counts: dict[str, int]  # status label -> open cases in it


GROUP_TITLES = {
    "overdue": "已逾期",
    "soon": f"{DUE_SOON_DAYS} 个工作日内到期",
    "correction": "等待补正",
    "fee": "等待缴费",
    "consultation": "等待征求意见答复",
}


def todays_work(ledger: Ledger, calendar: WorkCalendar, today: dt.date) -> Today:
    soon = add_working_days(today, DUE_SOON_DAYS, calendar)
    groups: dict[str, list[WorkItem]] = {key: [] for key in GROUP_TITLES}
    counts = {label: 0 for status, label in STATUS_NAMES.items() if status != domain.CLOSED}
    for case, events in ledger.cases(open_on=today):
        state = domain.case_state(case, events, today, calendar)
        counts[STATUS_NAMES[state.status]] += 1
        item = work_item(state, today, soon, calendar)
        if item.group in groups:
            groups[item.group].append(item)
    for items in groups.values():
        items.sort(key=lambda i: (i.due or dt.date.max, i.state.case.number))
    return Today(today, groups, counts)


def work_item(state: domain.CaseState, today: dt.date, soon: dt.date, calendar: WorkCalendar) -> WorkItem:
    if state.status == domain.AWAITING_CORRECTION:
        asked = _last(state.events, "correction_requested")
        return WorkItem(
            state,
            None,
            f"{asked.date.isoformat()} 已告知补正，等待申请人补正（答复期限暂不起算）",
            "correction",
        )
    if state.status == domain.AWAITING_FEE:
        notice = _last(state.events, "fee_notice")
        due = fee_payment_deadline(notice.date, calendar)
        return WorkItem(state, due.due, f"等待缴费，{due.explanation[-1]}", "fee")
    deadline = state.deadline
    assert deadline is not None  # open or consulting cases always have one
    line = deadline.explanation[-1]
    if deadline.due < today:
        overdue = (today - deadline.due).days
        return WorkItem(state, deadline.due, f"{line}，已逾期 {overdue} 天", "overdue")
    if state.status == domain.CONSULTING:
        return WorkItem(state, deadline.due, f"征求意见中（期限暂停计算），{line}", "consultation")
    if state.correction_due is not None and state.correction_due.due <= soon:
        return WorkItem(state, state.correction_due.due, state.correction_due.explanation[-1], "soon")
    if deadline.due <= soon:
        return WorkItem(state, deadline.due, line, "soon")
    return WorkItem(state, deadline.due, line, "other")


def _last(events: list[EventRecord], kind: str) -> EventRecord:
    return [e for e in events if e.kind == kind][-1]


# ---------------------------------------------------------------- one case


@dataclass
class TimelineEntry:
    n: int
    event: EventRecord
    label: str
    summary: str
    voided: bool
    target: int | None  # the 序号 a void or a correction names


@dataclass
class CaseView:
    case: CaseRecord  # as registered
    state: domain.CaseState  # as of today
    extra: dict[str, Any]
    timeline: list[TimelineEntry]
    actions: dict[str, str]  # event kind -> label, in the order offered
    outcomes: dict[str, str]  # reply outcomes possible now
    fee_due: Deadline | None
    consulting: list[str]  # parties whose consultation is running
    duplicates: list[CaseRecord] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        label = STATUS_NAMES[self.state.status]
        if self.state.outcome:
            label += f"（{OUTCOME_LABELS[self.state.outcome]}，{self.state.closed_on.isoformat()}）"
        return label


# Data that makes each action's event well formed, to ask the library whether it may happen.
PROBES: dict[str, dict[str, Any]] = {
    "correction_requested": {"items": "补正事项"},
    "correction_received": {},
    "consultation_started": {"party": "（探测）", "kind": "third_party"},
    "consultation_ended": {},
    "extension": {"approved_by": "负责人"},
    "fee_notice": {"method": "count", "amount": "0"},
    "fee_paid": {"amount": "0"},
    "fee_lapsed": {},
    "withdrawn": {},
    "reply": {},
    "review_filed": {},
    "review_decided": {"result": "upheld"},
    "lawsuit_filed": {"after_review": False},
    "lawsuit_decided": {"result": "upheld"},
    "note": {"text": "备注"},
}


def case_view(session: Session, ledger: Ledger, number: str, today: dt.date) -> CaseView:
    from .casework_register import case_extra, duplicates_of

    calendar = office_calendar(session)
    case, events = get_case(ledger, number)
    state = domain.case_state(case, events, today, calendar)
    outcomes = {k: OUTCOME_LABELS[k] for k in OUTCOMES if _possible(case, events, "reply", {"outcome": k})}
    consulting = running_consultations(case, events)
    probes = PROBES | {"consultation_ended": {"party": consulting[0]} if consulting else {}}
    actions = {k: EVENT_KINDS[k] for k in probes if k != "reply" and _possible(case, events, k, probes[k])}
    if outcomes:
        actions["reply"] = EVENT_KINDS["reply"]
    fee_due = None
    if state.status == domain.AWAITING_FEE:
        fee_due = fee_payment_deadline(_last(state.events, "fee_notice").date, calendar)
    return CaseView(
        case=case,
        state=state,
        extra=case_extra(ledger, case),
        timeline=timeline(events),
        actions=actions,
        outcomes=outcomes,
        fee_due=fee_due,
        consulting=consulting,
        duplicates=duplicates_of(ledger, case),
    )


def running_consultations(case: CaseRecord, events: list[EventRecord]) -> list[str]:
    """The parties consulted and not yet answered, in the order they were asked."""
    running: list[str] = []
    for e in domain.replay(case, events, dt.date.max).events:
        party = str(e.data.get("party") or "").strip()
        if e.kind == "consultation_started" and party not in running:
            running.append(party)
        elif e.kind == "consultation_ended" and running:  # an impossible end was skipped
            running.remove(party if party in running else running[0])
    return running


def _possible(case: CaseRecord, events: list[EventRecord], kind: str, data: dict[str, Any]) -> bool:
    last = max([case.received, *(e.date for e in events)])
    probe = EventRecord(kind, last, dict(data), id=-1)
    return not domain.validate_event(case, events, probe)


def timeline(events: list[EventRecord]) -> list[TimelineEntry]:
    """Every recorded event in recorded order; voided and replaced ones stay, marked."""
    numbers = event_numbers(events)
    alive = active_ids(events)
    return [
        TimelineEntry(
            n=numbers[e.id],
            event=e,
            label=EVENT_KINDS.get(e.kind, e.kind),
            summary=describe(e),
            voided=e.kind != "void" and e.id not in alive,
            target=numbers.get(e.supersedes) if e.supersedes is not None else None,
        )
        for e in sorted(events, key=lambda e: numbers[e.id])
    ]


DATA_LABELS = {
    "items": "补正事项",
    "party": "征求对象",
    "kind": "类别",
    "approved_by": "批准人",
    "method": "计费方式",
    "amount": "金额",
    "pages": "页数",
    "outcome": "结果",
    "note": "说明",
    "result": "结果",
    "after_review": "复议后起诉",
    "case_no": "案号",
    "text": "内容",
    "reason": "原因",
    "fields": "更正",
}
RESULT_LABELS = {"upheld": "维持", "corrected": "纠正", "other": "其他"}


def describe(e: EventRecord) -> str:
    parts = []
    for key, value in sorted(e.data.items()):
        if key == "outcome":
            value = OUTCOME_LABELS.get(value, value)
        elif key == "result":
            value = RESULT_LABELS.get(value, value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        parts.append(f"{DATA_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


# ---------------------------------------------------------------- recording an action


def event_from_form(kind: str, form: dict[str, str]) -> EventRecord:
    """The event a case page's action form describes; bad input is an InputError in Chinese."""
    from ..ledger.calendar import parse_day

    if kind not in PROBES and kind != "void":
        raise InputError(f"未知的办理事项“{kind}”")
    day = parse_day(form.get("date", ""))
    if day is None:
        raise InputError(f"日期“{form.get('date', '')}”无效（应为 YYYY-MM-DD）")
    if kind == "void":
        reason = _required(form, "reason", "请写明作废的原因")
        return EventRecord(
            kind, day, {"reason": reason}, supersedes=_int(form.get("supersedes"), "要作废的事件")
        )
    if kind == "note":
        return EventRecord(kind, day, {"text": _required(form, "text", "备注内容不能为空")})
    return EventRecord(kind, day, _event_data(kind, form))


FORM_DATA = ("items", "party", "approved_by", "method", "amount", "outcome", "note", "result", "case_no")


def _event_data(kind: str, form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {key: form[key].strip() for key in FORM_DATA if (form.get(key) or "").strip()}
    if kind == "consultation_started":
        data["kind"] = form.get("party_kind") or "third_party"
    if kind == "lawsuit_filed":
        data["after_review"] = form.get("after_review") == "on"
    if (form.get("pages") or "").strip():
        data["pages"] = _int(form["pages"], "页数")
    if kind == "reply" and "outcome" not in data:
        raise InputError("请选择答复结果（表三的哪一行）")
    return data


def _required(form: dict[str, str], key: str, message: str) -> str:
    value = (form.get(key) or "").strip()
    if not value:
        raise InputError(message)
    return value


def _int(text: str | None, what: str) -> int:
    text = (text or "").strip()
    if not text.isdecimal():
        raise InputError(f"{what}“{text}”应为非负整数")
    return int(text)


def record_action(ledger: Ledger, user: User, number: str, kind: str, form: dict[str, str]) -> EventRecord:
    """Append the action's event; the library refuses what the law does not allow. A void
    names the event by its 序号 on the case page, turned into its id here."""
    _, events = get_case(ledger, number)
    event = event_from_form(kind, form)
    if event.supersedes is not None:
        by_n = {n: i for i, n in event_numbers(events).items()}
        if event.supersedes not in by_n:
            raise InputError(f"申请 {number} 没有序号为 {event.supersedes} 的事件")
        event.supersedes = by_n[event.supersedes]
    return ledger.add_event(number, event, user.login)
