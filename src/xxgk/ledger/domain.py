"""The state of a case as of a date, derived from its events (pure; no storage).

CONTRACT (filled in by the domain work; signatures are fixed):

    @dataclass
    class CaseState:
        case: CaseRecord
        events: list[EventRecord]          # effective events (voided and superseded ones removed), by date
        status: str                        # "open" | "awaiting_correction" | "consulting" | "awaiting_fee"
                                           # | "closed"
        outcome: str | None                # 表三 row key once closed (records.OUTCOMES)
        closed_on: date | None
        deadline: Deadline | None          # reply due date with explanation (None once closed)
        correction_due: Deadline | None    # 补正通知 due (7 working days of receipt) while relevant

    def case_state(case: CaseRecord, events: list[EventRecord], as_of: date,
                   calendar: WorkCalendar | None = None) -> CaseState
    def validate_event(case: CaseRecord, events: list[EventRecord], new: EventRecord) -> list[str]
        # Chinese messages for an event that cannot happen (reply before receipt, two replies,
        # unknown outcome, consultation ended before it started …); [] when fine.
"""
