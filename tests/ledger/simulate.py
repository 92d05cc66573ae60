"""A random but realistic ledger (seeded): cases with events in legal order, and beside each
case the TRUTH the events encode (received date, applicant type, closure, reviews), so a test
can count the truth directly and compare with what the statistics make of the events.

The events carry the noise a real ledger has: a registration entered wrong and amended, a
reply entered with the wrong outcome and replaced (``supersedes``), an extension entered by
mistake and voided, notes after closure. Recording order (event ids) is the order a clerk would
type them, which is not always date order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from xxgk.ledger.records import APPLICANT_TYPES, CHANNELS, OUTCOMES, CaseRecord, EventRecord

TYPE_WEIGHTS = {
    "natural_person": 75,
    "commercial": 9,
    "research": 2,
    "social_welfare": 2,
    "legal_services": 7,
    "other_org": 5,
}
# Outcomes a plain reply gives (the special ones come from their own paths).
REPLY_WEIGHTS = {
    "granted": 40,
    "partially_granted": 10,
    "withheld_state_secret": 1,
    "withheld_prohibited": 1,
    "withheld_security": 1,
    "withheld_third_party": 3,
    "withheld_internal": 2,
    "withheld_process": 3,
    "withheld_enforcement_file": 2,
    "withheld_inquiry": 2,
    "unavailable_not_held": 15,
    "unavailable_needs_creation": 4,
    "declined_petition": 4,
    "declined_repeat": 3,
    "declined_publication": 1,
    "declined_excessive": 1,
    "declined_confirmation": 1,
    "other_misc": 2,
}
RESULT_WEIGHTS = {"upheld": 70, "corrected": 20, "other": 10}
SURNAMES = "张王李赵刘陈杨黄周吴"
ORG_NAMES = ("某某科技有限公司", "某某律师事务所", "某某研究院", "某某公益基金会", "某某合作社")


@dataclass
class TrueProceeding:
    kind: str  # review | lawsuit
    filed: date
    after_review: bool = False
    decided: date | None = None
    result: str | None = None


@dataclass
class Truth:
    received: date
    applicant_type: str
    closed_on: date | None = None
    outcome: str | None = None
    proceedings: list[TrueProceeding] = field(default_factory=list)


@dataclass
class SimCase:
    case: CaseRecord
    events: list[EventRecord]
    truth: Truth


def simulate(seed: int, cases: int = 5200, first: date = date(2024, 1, 1), last: date = date(2025, 12, 31)):
    """`cases` cases received from three months before `first` to `last`."""
    rng = random.Random(seed)
    ids = iter(range(1, 10**9))
    start = first - timedelta(days=92)
    span = (last - start).days + 1
    received = sorted(_workday(start + timedelta(days=rng.randrange(span))) for _ in range(cases))
    return [_Case(rng, ids, n, day).build() for n, day in enumerate(received, start=1)]


def _workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Case:
    def __init__(self, rng: random.Random, ids, n: int, received: date):
        self.rng, self.ids, self.n = rng, ids, n
        self.truth = Truth(received, _pick(rng, TYPE_WEIGHTS))
        self.events: list[EventRecord] = []
        self.t = received

    def later(self, low: int, high: int) -> date:
        self.t += timedelta(days=self.rng.randint(low, high))
        return self.t

    def add(
        self, kind: str, day: date, data: dict | None = None, supersedes: int | None = None
    ) -> EventRecord:
        event = EventRecord(kind, day, data or {}, case_id=self.n, id=next(self.ids), supersedes=supersedes)
        self.events.append(event)
        return event

    def close(self, kind: str, outcome: str) -> None:
        day = self.t
        if kind == "reply" and self.rng.random() < 0.03:
            # Entered with a wrong outcome, then replaced by the right one.
            wrong = self.add("reply", day, {"outcome": _pick(self.rng, REPLY_WEIGHTS)})
            self.add("reply", day, {"outcome": outcome}, supersedes=wrong.id)
        else:
            self.add(kind, day, {"outcome": outcome} if kind == "reply" else {})
        self.truth.closed_on, self.truth.outcome = day, outcome

    def build(self) -> SimCase:
        rng, truth = self.rng, self.truth
        case = CaseRecord(
            number=f"{truth.received.year}-{self.n:05d}",
            received=truth.received,
            channel=rng.choice(list(CHANNELS)),
            applicant_type=truth.applicant_type,
            applicant_name=self._name(),
            request=f"申请公开第{self.n}号文件",
            id=self.n,
        )
        self._misregistered(case)
        self._handle()
        if truth.closed_on is not None:
            self._after_closure()
        elif rng.random() < 0.3:
            self._proceedings(self.later(40, 60))
        return SimCase(case, self.events, truth)

    def _name(self) -> str:
        if self.truth.applicant_type == "natural_person":
            return self.rng.choice(SURNAMES) + self.rng.choice("伟芳娜敏静丽强磊军洋")
        return self.rng.choice(ORG_NAMES)

    def _misregistered(self, case: CaseRecord) -> None:
        """Some registrations are typed wrong and amended within the year of receipt."""
        truth, rng = self.truth, self.rng
        year_end = date(truth.received.year, 12, 31)
        typo = truth.received + timedelta(days=rng.randint(1, 3))
        if rng.random() < 0.02 and typo <= year_end:
            case.received = typo
            self.add("case_amended", typo, {"fields": {"received": truth.received.isoformat()}})
        if rng.random() < 0.03:
            case.applicant_type = rng.choice([t for t in APPLICANT_TYPES if t != truth.applicant_type])
            when = min(truth.received + timedelta(days=rng.randint(0, 10)), year_end)
            self.add("case_amended", when, {"fields": {"applicant_type": truth.applicant_type}})

    def _handle(self) -> None:
        rng = self.rng
        corrected = False
        if rng.random() < 0.10:
            self.add("correction_requested", self.later(1, 6), {"items": "请明确所需信息的名称、文号"})
            if rng.random() < 0.2:
                self.later(15, 30)
                return self.close("reply", "other_no_correction")
            self.add("correction_received", self.later(2, 20))
            corrected = True
        if rng.random() < 0.08:
            self._consult()
        if rng.random() < 0.03:
            self.add("fee_notice", self.later(1, 10), {"method": "count", "amount": "100.00"})
            if rng.random() < 0.25:
                self.later(28, 35)
                return self.close("fee_lapsed", "other_unpaid_fee")
            self.add("fee_paid", self.later(1, 25), {"amount": "100.00"})
        if rng.random() < 0.02:
            mistake = self.add("extension", self.t, {"approved_by": "误录"})
            self.add("void", self.t, {"reason": "误录"}, supersedes=mistake.id)
        if rng.random() < 0.10:
            self.add("extension", self.later(5, 20), {"approved_by": "办公室主任"})
        if rng.random() < 0.03:
            self.later(1, 20)
            return self.close("withdrawn", "other_misc")
        if rng.random() < 0.015:
            return None  # never answered: stays open
        self.later(1, 25)
        outcome = "unavailable_unclear" if corrected and rng.random() < 0.15 else _pick(rng, REPLY_WEIGHTS)
        return self.close("reply", outcome)

    def _consult(self) -> None:
        parties = ["某某有限公司"] + (["某某局"] if self.rng.random() < 0.2 else [])
        for party in parties:
            self.add("consultation_started", self.later(0, 8), {"party": party, "kind": "third_party"})
        for party in parties:
            self.add("consultation_ended", self.later(3, 20), {"party": party})

    def _after_closure(self) -> None:
        rng = self.rng
        if rng.random() < 0.05:
            self.add("note", self.later(0, 30), {"text": "申请人来电询问"})
        if rng.random() < 0.05:
            self._proceedings(self.later(5, 55))

    def _proceedings(self, filed: date) -> None:
        rng, truth = self.rng, self.truth
        if rng.random() < 0.3:
            truth.proceedings.append(self._file("lawsuit", filed, after_review=False))
            return
        review = self._file("review", filed)
        truth.proceedings.append(review)
        if review.decided is not None and rng.random() < 0.25:
            self.t = review.decided
            truth.proceedings.append(self._file("lawsuit", self.later(5, 15), after_review=True))

    def _file(self, kind: str, filed: date, after_review: bool = False) -> TrueProceeding:
        data = {"after_review": after_review} if kind == "lawsuit" else {}
        self.add(f"{kind}_filed", filed, data)
        proceeding = TrueProceeding(kind, filed, after_review)
        if self.rng.random() < 0.7:
            self.t = filed
            proceeding.decided = self.later(20, 150)
            proceeding.result = _pick(self.rng, RESULT_WEIGHTS)
            self.add(f"{kind}_decided", proceeding.decided, {"result": proceeding.result})
        return proceeding


assert set(REPLY_WEIGHTS) < set(OUTCOMES)
