"""Statutory deadlines in working days (条例 Art. 30, 33; 国办函〔2020〕109号), explained.

CONTRACT (filled in by the deadline work; signatures are fixed):

    @dataclass
    class Deadline:
        due: date
        provisional: bool          # a day past the calendar's known years was counted Mon–Fri
        explanation: list[str]     # Chinese lines, e.g. "收到申请 2025-09-26（星期五），次日起算"

    def compute_deadline(received: date, *, days: int = 20, restarted: date | None = None,
                         pauses: Sequence[tuple[date, date]] = (), extended: bool = False,
                         extension_days: int = 20, calendar: WorkCalendar | None = None) -> Deadline
"""
