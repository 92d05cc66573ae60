"""The year's statistics of a ledger (表三, 表四, each cell linked to its cases), the open and
overdue counts of a supervisor's subtree, and the admin's working-day calendar page."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..accounts.users import CLERK
from ..errors import InputError
from ..formats import FORMAT_2021
from ..ledger.calendar import parse_day
from ..services import casework_calendar, casework_stats
from ..services.casework import year_report_for_org
from ..services.scope import NotFound, require_admin
from ..store.tables import Org
from .deps import CSRF_FIELD, caller, check_csrf, database
from .routes_ledger import page, today

router = APIRouter()
TABLES = ("applications", "reviews")


def _params(year: str, as_of: str) -> tuple[int, dt.date | None]:
    if not year.strip().isdecimal():
        raise InputError(f"年度“{year}”应为四位数字")
    day = parse_day(as_of) if as_of.strip() else None
    if as_of.strip() and day is None:
        raise InputError(f"“截至记录日期”“{as_of}”无效（应为 YYYY-MM-DD）")
    casework_stats.check_year(int(year))
    return int(year), day


@router.get("/ledger/stats")
def stats_page(request: Request, year: str = "", org: int | None = None, as_of: str = ""):
    with database(request).read() as session:
        who = caller(request, session)
        number, day = _params(year or str(today().year), as_of)
        org_id = org if org is not None else who.user.org_id
        casework_stats.ledger_for_stats(session, who.user, org_id)  # refuses a node out of scope
        report = year_report_for_org(session, org_id, number, day)
        load = [] if who.user.role == CLERK else casework_stats.subtree_load(session, who.user, today())
        nodes = casework_stats.readable_nodes(session, who.user)
        return page(
            request,
            session,
            who,
            "ledger_stats.html",
            report=report,
            year=number,
            as_of=day,
            org_id=org_id,
            nodes=nodes,
            load=load,
            tables=[FORMAT_2021.table(key) for key in TABLES],
            filing=None if day else casework_stats.startable_filing(session, who.user, number),
        )


@router.get("/ledger/stats/cell")
def cell_page(request: Request, ref: str = "", year: str = "", org: int | None = None, as_of: str = ""):
    with database(request).read() as session:
        who = caller(request, session)
        number, day = _params(year, as_of)
        ledger = casework_stats.ledger_for_stats(session, who.user, org)
        cases = casework_stats.cell_cases(ledger, number, ref, day)
        return page(
            request,
            session,
            who,
            "ledger_cell.html",
            cases=cases,
            ref=ref,
            cell=casework_stats.cell_name(ref),
            year=number,
            as_of=day,
            personal=ledger.personal,
            org=session.get(Org, ledger.org_id),
        )


@router.get("/admin/calendar")
def calendar_page(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        require_admin(who.user)
        return _calendar(request, session, who)


def _calendar(request, session, who, status: int = 200, **context):
    calendar = casework_calendar.office_calendar(session)
    years = [today().year, today().year + 1]
    return page(
        request,
        session,
        who,
        "calendar_admin.html",
        status,
        years=[(y, calendar.known(y), casework_calendar.special_days(calendar, y)) for y in years],
        override=casework_calendar.newest_override(session),
        provisional=casework_calendar.provisional_cases(session, today()),
        **context,
    )


@router.get("/admin/calendar/override.yaml")
def calendar_file(request: Request):
    """The override in force, for `xxgk deadline --calendar` to count the same days."""
    with database(request).read() as session:
        require_admin(caller(request, session).user)
        override = casework_calendar.newest_override(session)
        if override is None:
            raise NotFound("还没有上传过节假日安排")
        headers = {"Content-Disposition": "attachment; filename=xxgk-calendar.yaml"}
        return Response(override.text + "\n", media_type="text/plain; charset=utf-8", headers=headers)


@router.post("/admin/calendar")
async def upload_calendar(request: Request):
    form = await request.form(max_files=1)
    text = form.get("text")
    text = text if isinstance(text, str) else ""
    upload = form.get("file")
    readable = True
    if isinstance(upload, UploadFile) and upload.filename:  # a chosen file wins over the box
        raw = await upload.read(casework_calendar.MAX_OVERRIDE_CHARS * 4 + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, readable = "", False
    return await run_in_threadpool(_save_calendar, request, str(form.get(CSRF_FIELD) or ""), text, readable)


def _save_calendar(request: Request, token: str, text: str, readable: bool):
    db = database(request)
    try:
        with db.write() as session:
            who = caller(request, session)
            check_csrf(request, who, token)
            require_admin(who.user)
            if not readable:
                raise InputError("上传的节假日安排不是 UTF-8 文本（请用记事本等另存为 UTF-8）")
            casework_calendar.upload_override(session, who.user, text)
    except InputError as err:
        with db.read() as session:
            return _calendar(request, session, caller(request, session), 400, error=str(err), text=text)
    return RedirectResponse("/admin/calendar", status_code=303)
