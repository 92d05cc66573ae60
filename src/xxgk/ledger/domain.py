"""The state of a case as of a date, derived from its events (pure; no storage).

A case is its history. `history` turns the recorded events into the effective history (voids,
replacements, ``case_amended``); the state as of a day sees only the effective events dated on
or before it, and the case as amended by the amendments among them. Events of the same day keep
the order in which they were recorded.

Events that cannot happen (a second reply, a payment without a fee notice …) are skipped by
`case_state` and listed in `CaseState.problems`; `validate_event` refuses them before they are
stored. Statuses: open → awaiting_correction (补正, reply clock restarts on correction) →
open; consulting while a consultation runs (clock paused); awaiting_fee after a fee notice;
closed by a reply, a withdrawal (其他处理·其他), a lapsed fee (其他处理·2) or a reply with
``other_no_correction`` when the applicant never corrected (其他处理·1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .calendar import WorkCalendar
from .deadline import Deadline, compute_deadline, correction_notice_deadline
from .fees import fee_event_problems
from .history import AMENDABLE as AMENDABLE  # re-exported for callers that import it from here
from .history import active_ids, amend, amendment_problems, effective_events
from .records import EVENT_KINDS, OUTCOMES, REVIEW_RESULTS, CaseRecord, EventRecord

OPEN, CONSULTING, CLOSED = "open", "consulting", "closed"
AWAITING_CORRECTION, AWAITING_FEE = "awaiting_correction", "awaiting_fee"

# Whether the time between a fee notice and the payment is outside the reply period. 109号 is
# recalled to say so but the text was not verified (spec §4.1, [U]); one switch if it is wrong.
FEE_WAIT_PAUSES_CLOCK = True

# What may still be recorded once a case is closed.
AFTER_CLOSURE = frozenset(
    {"review_filed", "review_decided", "lawsuit_filed", "lawsuit_decided", "note", "case_amended"}
)


@dataclass
class CaseState:
    case: CaseRecord  # as amended up to the day of the state
    events: list[EventRecord]  # effective events up to the day, by date
    status: str
    outcome: str | None
    closed_on: date | None
    deadline: Deadline | None  # reply due date (None once closed or while awaiting 补正)
    correction_due: Deadline | None  # 补正通知 due, until it is sent or the 7 days have passed
    problems: list[str] = field(default_factory=list)  # events skipped as impossible
    extended: bool = False
    restarted: date | None = None  # receipt of the corrected application
    pauses: list[tuple[date, date]] = field(default_factory=list)  # clock stops up to the day
    proceedings: list[Proceeding] = field(default_factory=list)  # 行政复议 and 行政诉讼, as filed


@dataclass
class Proceeding:
    """One 行政复议 (kind "review") or 行政诉讼 (kind "lawsuit") about the case."""

    kind: str
    filed: date
    after_review: bool = False  # a lawsuit after 行政复议 (表四 复议后起诉)
    decided: date | None = None
    result: str | None = None  # records.REVIEW_RESULTS once decided


def case_state(
    case: CaseRecord, events: list[EventRecord], as_of: date, calendar: WorkCalendar | None = None
) -> CaseState:
    """The case as of the end of `as_of`, with its reply deadline explained."""
    state = replay(case, events, as_of)
    if state.status in (CLOSED, AWAITING_CORRECTION):
        return state
    received = state.case.received
    state.deadline = compute_deadline(
        received,
        restarted=state.restarted,
        pauses=state.pauses,
        extended=state.extended,
        calendar=calendar,
    )
    if state.restarted is None and not _has(state.events, "correction_requested"):
        due = correction_notice_deadline(received, calendar=calendar)
        state.correction_due = due if as_of <= due.due else None
    return state


def replay(case: CaseRecord, events: list[EventRecord], as_of: date) -> CaseState:
    """The state as of `as_of` without deadlines (no calendar needed): what statistics use."""
    history = [e for e in effective_events(events) if e.date <= as_of]
    return _run(case, history, as_of).state(history)


def _run(case: CaseRecord, history: list[EventRecord], as_of: date) -> _Run:
    run = _Run(amend(case, history), as_of)
    for event in history:
        run.apply(event)
    return run


class _Run:
    """Applies events one by one; an impossible event is skipped with a message."""

    def __init__(self, case: CaseRecord, as_of: date):
        self.case, self.as_of = case, as_of
        self.status, self.outcome, self.closed_on = OPEN, None, None
        self.skipped: list[tuple[EventRecord, str]] = []
        self.correction_requested = False
        self.restarted: date | None = None
        self.extended = False
        self.consulting: dict[str, date] = {}  # party -> start
        self.fee_since: date | None = None
        self.pauses: list[tuple[date, date]] = []
        self.proceedings: list[Proceeding] = []

    def apply(self, e: EventRecord) -> None:
        problem = self._problem(e)
        if problem:
            self.skipped.append((e, f"{e.date.isoformat()} {EVENT_KINDS.get(e.kind, e.kind)}：{problem}"))
            return
        getattr(self, f"_on_{e.kind}", _ignore)(e)

    def _problem(self, e: EventRecord) -> str | None:
        if e.kind not in EVENT_KINDS:
            return f"未知的事件类型“{e.kind}”"
        if e.date < self.case.received:
            return f"日期早于收到申请日期 {self.case.received.isoformat()}"
        if self.status == CLOSED and e.kind not in AFTER_CLOSURE:
            return f"本申请已于 {self.closed_on.isoformat()} 办结，之后只能登记行政复议、行政诉讼、备注或更正登记信息"
        for impossible, message in IMPOSSIBLE.get(e.kind, ()):
            if impossible(self, e):
                return message.format_map(_Blank(e.data, party=_party(e) or "未注明对象"))
        return None

    def filed(self, kind: str) -> list[Proceeding]:
        return [p for p in self.proceedings if p.kind == kind]

    def pending(self, kind: str) -> Proceeding | None:
        return next((p for p in self.filed(kind) if p.decided is None), None)

    # ---- transitions

    def _on_correction_requested(self, e):
        self.correction_requested = True
        self.status = AWAITING_CORRECTION

    def _on_correction_received(self, e):
        self.restarted = e.date
        self.status = OPEN
        self._settle()

    def _on_consultation_started(self, e):
        self.consulting[_party(e)] = e.date
        self._settle()

    def _on_consultation_ended(self, e):
        party = _party(e) or next(iter(self.consulting))
        self.pauses.append((self.consulting.pop(party), e.date))
        self._settle()

    def _on_extension(self, e):
        self.extended = True

    def _on_fee_notice(self, e):
        self.fee_since = e.date
        self._settle()

    def _on_fee_paid(self, e):
        if FEE_WAIT_PAUSES_CLOCK:
            self.pauses.append((self.fee_since, e.date))
        self.fee_since = None
        self._settle()

    def _on_fee_lapsed(self, e):
        self._close(e.date, "other_unpaid_fee")

    def _on_withdrawn(self, e):
        self._close(e.date, "other_misc")

    def _on_reply(self, e):
        self._close(e.date, e.data["outcome"])

    def _on_review_filed(self, e):
        self.proceedings.append(Proceeding("review", e.date))

    def _on_lawsuit_filed(self, e):
        self.proceedings.append(Proceeding("lawsuit", e.date, after_review=e.data.get("after_review", False)))

    def _on_review_decided(self, e):
        self._decide(self.pending("review"), e)

    def _on_lawsuit_decided(self, e):
        self._decide(self.pending("lawsuit"), e)

    @staticmethod
    def _decide(proceeding: Proceeding, e: EventRecord) -> None:
        proceeding.decided, proceeding.result = e.date, e.data["result"]

    def _close(self, day: date, outcome: str) -> None:
        self.status, self.outcome, self.closed_on = CLOSED, outcome, day
        self.consulting.clear()
        self.fee_since = None

    def _settle(self) -> None:
        if self.status in (CLOSED, AWAITING_CORRECTION):
            return
        if self.fee_since is not None:
            self.status = AWAITING_FEE
        else:
            self.status = CONSULTING if self.consulting else OPEN

    def state(self, history: list[EventRecord]) -> CaseState:
        pauses = list(self.pauses)
        if self.status != CLOSED:
            # A running consultation counts up to today: the due date if it ended today.
            pauses += [(start, self.as_of) for start in self.consulting.values()]
            if self.fee_since is not None and FEE_WAIT_PAUSES_CLOCK:
                pauses.append((self.fee_since, self.as_of))
        return CaseState(
            case=self.case,
            events=history,
            status=self.status,
            outcome=self.outcome,
            closed_on=self.closed_on,
            deadline=None,
            correction_due=None,
            problems=[message for _, message in self.skipped],
            extended=self.extended,
            restarted=self.restarted,
            pauses=sorted(pauses),
            proceedings=self.proceedings,
        )


# When an event cannot happen in the run so far: (test on the run and the event, message).
_NO_FEE = "没有待缴费的收费通知"
IMPOSSIBLE: dict[str, tuple[tuple[Callable[[_Run, EventRecord], Any], str], ...]] = {
    "correction_requested": (
        (lambda r, e: r.correction_requested, "补正只能一次性告知（条例第三十条），本申请已告知过补正"),
    ),
    "correction_received": ((lambda r, e: r.status != AWAITING_CORRECTION, "没有待补正的补正通知"),),
    "consultation_started": (
        (lambda r, e: r.status == AWAITING_CORRECTION, "申请人尚未补正，不能征求意见"),
        (lambda r, e: _party(e) in r.consulting, "正在征求“{party}”的意见，尚未结束"),
    ),
    "consultation_ended": (
        (
            lambda r, e: not _party(e) and len(r.consulting) > 1,
            "同时有多项征求意见在进行，请注明结束的是哪一方",
        ),
        (
            lambda r, e: (_party(e) or next(iter(r.consulting), "")) not in r.consulting,
            "没有对应的征求意见开始记录（{party}）",
        ),
    ),
    "extension": (
        (lambda r, e: r.extended, "答复期限只能延长一次（条例第三十三条第二款）"),
        (lambda r, e: r.status == AWAITING_CORRECTION, "等待补正期间答复期限尚未起算，不能延期"),
    ),
    "fee_notice": ((lambda r, e: r.fee_since is not None, "已发出收费通知，申请人尚未缴费"),),
    "fee_paid": ((lambda r, e: r.fee_since is None, _NO_FEE),),
    "fee_lapsed": ((lambda r, e: r.fee_since is None, _NO_FEE),),
    "reply": (
        (lambda r, e: e.data.get("outcome") not in OUTCOMES, "未知的答复结果“{outcome}”"),
        (
            lambda r, e: e.data["outcome"] == "other_no_correction" and r.status != AWAITING_CORRECTION,
            "没有待补正的补正通知，不能以“逾期不补正”办结",
        ),
        (
            lambda r, e: e.data["outcome"] == "other_unpaid_fee" and r.fee_since is None,
            _NO_FEE + "，不能以“逾期未缴费”办结",
        ),
        (
            lambda r, e: e.data["outcome"] == "unavailable_unclear" and r.restarted is None,
            "没有收到补正材料的记录，不能以“补正后申请内容仍不明确”答复",
        ),
    ),
    "review_filed": ((lambda r, e: r.pending("review"), "已有尚未决定的行政复议"),),
    "review_decided": (
        (lambda r, e: not r.pending("review"), "没有对应的行政复议申请"),
        (
            lambda r, e: e.data.get("result") not in REVIEW_RESULTS,
            "未知的结果“{result}”（应为维持、纠正或其他）",
        ),
    ),
    "lawsuit_filed": (
        (lambda r, e: r.pending("lawsuit"), "已有尚未判决的行政诉讼"),
        (lambda r, e: not isinstance(e.data.get("after_review", False), bool), "“复议后起诉”应为是或否"),
        (
            lambda r, e: e.data.get("after_review") and not r.filed("review"),
            "本申请没有行政复议记录，不能登记为复议后起诉",
        ),
    ),
    "lawsuit_decided": (
        (lambda r, e: not r.pending("lawsuit"), "没有对应的行政诉讼"),
        (
            lambda r, e: e.data.get("result") not in REVIEW_RESULTS,
            "未知的结果“{result}”（应为维持、纠正或其他）",
        ),
    ),
}


def _ignore(e: EventRecord) -> None:
    return None


class _Blank(dict):
    """Event data for a message; a missing key reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _has(events: list[EventRecord], kind: str) -> bool:
    return any(e.kind == kind for e in events)


def _party(e: EventRecord) -> str:
    return str(e.data.get("party") or "").strip()


# ---------------------------------------------------------------- validation


def validate_event(case: CaseRecord, events: list[EventRecord], new: EventRecord) -> list[str]:
    """Chinese messages why `new` cannot be added to the case's recorded `events`; [] when fine.

    Besides the event's own data, the whole history is replayed with and without it: whatever
    becomes impossible because of the new event (including later events it would contradict,
    e.g. a back-dated reply before a recorded correction) is reported."""
    problems = _static_problems(events, new)
    if problems:
        return problems
    before = {message for _, message in _run(case, effective_events(events), date.max).skipped}
    after = _run(case, effective_events([*events, new]), date.max).skipped
    return [
        message if event is new else f"与已登记的事件冲突：{message}"
        for event, message in after
        if message not in before
    ]


def _static_problems(events: list[EventRecord], new: EventRecord) -> list[str]:
    if new.kind not in EVENT_KINDS:
        return [f"未知的事件类型“{new.kind}”（可用：{'、'.join(EVENT_KINDS)}）"]
    problems = _target_problems(events, new)
    checker = _DATA_CHECKS.get(new.kind)
    if checker:
        problems += checker(new.data)
    return problems


def _target_problems(events: list[EventRecord], new: EventRecord) -> list[str]:
    if new.supersedes is None:
        return ["作废事件必须指明被作废的事件"] if new.kind == "void" else []
    if not any(e.id == new.supersedes for e in events):
        return [f"要更正或作废的事件 #{new.supersedes} 不存在"]
    if new.supersedes not in active_ids(events):
        return [f"事件 #{new.supersedes} 已被更正或作废"]
    return []


# Data replay does not look at; outcomes and results are checked by the replay itself.
_DATA_CHECKS = {
    "fee_notice": lambda data: fee_event_problems("fee_notice", data),
    "fee_paid": lambda data: fee_event_problems("fee_paid", data),
    "case_amended": amendment_problems,
}
