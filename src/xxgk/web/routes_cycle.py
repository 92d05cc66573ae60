"""The yearly cycle's pages: the list of cycles (a supervisor opens one for its subtree), one
cycle with its filings and deadlines. The supervisor's dashboard is routes of its own."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ..errors import XxgkError
from ..orgs import KINDS
from ..services import cycle
from ..services.scope import Forbidden
from ..store.cycle_tables import STATUS_LABELS
from .deps import CSRF_FIELD, caller, check_csrf, database, render

router = APIRouter()


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise XxgkError(f"{what}“{text}”不是有效的日期（应写成 2026-01-31 的形式）") from None


def _deadlines(form) -> dict[str, date]:
    return {
        kind: parse_day(str(form[f"due:{kind}"]), f"{kind}的截止日期")
        for kind in KINDS
        if form.get(f"due:{kind}")
    }


def _list_page(request, session, who, status=200, error=None, year=None):
    year = year or date.today().year - 1
    return render(
        request,
        "cycle_list.html",
        who,
        status,
        cycles=cycle.readable_cycles(session, who.user),
        error=error,
        year=year,
        defaults=cycle.default_deadlines(year),
    )


@router.get("/cycles")
def cycles(request: Request):
    with database(request).read() as session:
        return _list_page(request, session, caller(request, session))


@router.post("/cycles")
async def open_cycle(request: Request):
    form = await request.form()
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, str(form.get(CSRF_FIELD) or ""))
        text = str(form.get("year") or "").strip()
        if not text.isdigit():
            return _list_page(request, session, who, 400, "请填写四位数的报告年度，如 2025")
        try:
            opened = cycle.open_cycle(session, who.user, int(text), _deadlines(form))
        except Forbidden:
            raise
        except XxgkError as err:
            return _list_page(request, session, who, 400, str(err), int(text))
        cycle_id = opened.id
    return RedirectResponse(f"/cycles/{cycle_id}", status_code=303)


@router.get("/cycles/{cycle_id}")
def cycle_page(request: Request, cycle_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        found = cycle.get_cycle(session, who.user, cycle_id)
        deadlines = cycle.cycle_deadlines(session, cycle_id)
        rows = [
            (f, org, deadlines.get(org.kind), cycle.is_late(f, deadlines.get(org.kind)))
            for f, org in cycle.filings_in_scope(session, who.user, cycle_id)
        ]
        return render(
            request,
            "cycle_page.html",
            who,
            cycle=found,
            rows=rows,
            deadlines=deadlines,
            labels=STATUS_LABELS,
            may_edit=who.user.role == "supervisor" and who.user.org_id == found.root_org_id,
        )


@router.post("/cycles/{cycle_id}/deadlines")
async def deadlines(request: Request, cycle_id: int):
    form = await request.form()
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, str(form.get(CSRF_FIELD) or ""))
        cycle.set_deadlines(session, who.user, cycle_id, _deadlines(form))
    return RedirectResponse(f"/cycles/{cycle_id}?done=deadlines", status_code=303)
