"""The working-day calendar of the web app: the newest override file an admin uploaded (else
$XXGK_CALENDAR, as on the command line, else the package's data), its administration, and
which open cases have a provisional due date because a year is not known yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..ledger.calendar import HOLIDAY, MAKEUP, WorkCalendar, default_calendar, parse_overrides
from ..ledger.officemodels import CalendarOverride
from ..store.audit import record
from ..store.base import utc_now
from ..store.tables import Org, User
from .scope import require_admin

MAX_OVERRIDE_CHARS = 64 * 1024
BANNER_FROM_MONTH = 11  # from November on, an unknown next year is announced on every page
LABEL = "上传的节假日安排"

_cached: tuple[str, WorkCalendar] | None = None


def office_calendar(session: Session) -> WorkCalendar:
    """The calendar every deadline of the web app is counted with (rebuilt when a new
    override is uploaded, else shared so the year tables are built once)."""
    global _cached
    row = newest_override(session)
    if row is None:
        return default_calendar()
    if _cached is None or _cached[0] != row.text:  # the text, not the id: one per database
        _cached = (row.text, WorkCalendar(parse_overrides(row.text, LABEL), LABEL))
    return _cached[1]


def newest_override(session: Session) -> CalendarOverride | None:
    return session.scalar(select(CalendarOverride).order_by(CalendarOverride.id.desc()).limit(1))


def upload_override(session: Session, user: User, text: str) -> CalendarOverride:
    """Store a new override file after it parses; the old ones stay (append-only)."""
    require_admin(user)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise InputError("节假日安排是空的：请粘贴或上传 YAML 文件（格式见页面说明）")
    if len(text) > MAX_OVERRIDE_CHARS:
        raise InputError(f"节假日安排过长（{len(text)} 字，上限 {MAX_OVERRIDE_CHARS} 字）")
    years = parse_overrides(text, LABEL)
    if not years:
        raise InputError("节假日安排中没有任何年份")
    row = CalendarOverride(text=text, uploaded_by=user.login, uploaded_at=utc_now())
    session.add(row)
    session.flush()
    record(session, user.login, "calendar.upload", f"节假日安排 #{row.id}", years=sorted(years))
    return row


@dataclass
class DayView:
    day: dt.date
    kind: str  # 节假日 | 调休上班
    name: str


def special_days(calendar: WorkCalendar, year: int) -> list[DayView]:
    """The holidays and worked weekend days of a year, in order."""
    first = dt.date(year, 1, 1)
    days = []
    for offset, kind in enumerate(calendar.kinds(first, dt.date(year, 12, 31))):
        if kind in (HOLIDAY, MAKEUP):
            day = first + dt.timedelta(days=offset)
            days.append(DayView(day, "节假日" if kind == HOLIDAY else "调休上班", calendar.describe(day)))
    return days


def banner(calendar: WorkCalendar, today: dt.date) -> str | None:
    """The warning shown from November on while next year's holidays are unknown."""
    following = today.year + 1
    if today.month >= BANNER_FROM_MONTH and not calendar.known(following):
        return (
            f"{following} 年的节假日安排尚未录入：跨入 {following} 年的期限按周一至周五临时计算。"
            "国务院办公厅公布后，请系统管理员在“工作日历”页面上传。"
        )
    return None


@dataclass
class ProvisionalCase:
    org: str
    number: str
    due: dt.date


def provisional_cases(session: Session, today: dt.date) -> list[ProvisionalCase]:
    """Open cases of every node whose due date counts days of a year the calendar does not
    know (for the admin: numbers and nodes only, no personal data is read)."""
    from ..ledger import domain
    from .casework import node_ledger  # it builds on this module

    calendar = office_calendar(session)
    found = []
    for org in session.scalars(select(Org).order_by(Org.id)):
        ledger = node_ledger(session, org.id, personal=False)
        for case, events in ledger.cases(open_on=today):
            deadline = domain.case_state(case, events, today, calendar).deadline
            if deadline is not None and deadline.provisional:
                found.append(ProvisionalCase(org.name, case.number, deadline.due))
    return found
