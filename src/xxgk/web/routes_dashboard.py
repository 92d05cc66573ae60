"""The supervisor's pages of a cycle: the dashboard (tree, subtotals, charts), its exports
(汇总.xlsx, the dataset, the 催报 list), 雷同 in the cycle, the aggregate report of a
government node; and every role's to-do. Thin: each route is one service call."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..services import cycle_aggregate, cycle_dashboard, cycle_exports, cycle_similarity, cycle_todo
from ..services.cycle_tree import STATUS_NAMES
from . import charts
from .deps import caller, check_csrf, database, render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "zip": "application/zip"}


def _file(content: bytes, filename: str) -> Response:
    media = MEDIA[filename.rsplit(".", 1)[1]]
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/cycles/{cycle_id}/dashboard")
def dashboard(request: Request, cycle_id: int, problems: str = ""):
    with database(request).read() as session:
        who = caller(request, session)
        view = cycle_dashboard.dashboard(session, who.user, cycle_id, problems_only=problems == "1")
        return render(
            request, "dashboard_cycle.html", who, view=view, charts=_charts(view), statuses=STATUS_NAMES
        )


@router.get("/cycles/{cycle_id}/dashboard.json")
def dashboard_json(request: Request, cycle_id: int, problems: str = ""):
    with database(request).read() as session:
        who = caller(request, session)
        view = cycle_dashboard.dashboard(session, who.user, cycle_id, problems_only=problems == "1")
        return JSONResponse(cycle_dashboard.dashboard_json(view))


def _charts(view) -> list[str]:
    top = view.rows[0].subtotal if view.rows and view.rows[0].subtotal else None
    statuses = top.statuses if top else {r.facts.status: 1 for r in view.rows}
    out = [
        charts.status_chart([(s, STATUS_NAMES[s], statuses.get(s, 0)) for s in STATUS_NAMES], "各节点状态")
    ]
    for name, title in (("received", "新收申请（件）"), ("disclosure_rate", "实质公开率（%）")):
        pairs = []
        for row in view.rows:
            found = {n.name: n for n in view.numbers_of(row)}.get(name)
            if found is not None:
                scale = 100 if found.rate else 1
                pairs.append((row.facts.name, _scaled(found.value, scale), _scaled(found.before, scale)))
        out.append(charts.compare_chart(pairs, title))
    late = [(r.facts.name, r.facts.days_late) for r in view.rows if r.facts.late]
    out.append(charts.bar_chart(late, "逾期天数"))
    return [c for c in out if c]


def _scaled(value, scale: int):
    return None if value is None else round(value * scale, 2)


def _download(request: Request, make, *args) -> Response:
    with database(request).read() as session:
        who = caller(request, session)
        name, content = make(session, who.user, *args)
    return _file(content, name)


@router.get("/cycles/{cycle_id}/export.xlsx")
def export_xlsx(request: Request, cycle_id: int):
    return _download(request, cycle_exports.summary_xlsx, cycle_id)


@router.get("/cycles/{cycle_id}/dataset.zip")
def export_dataset(request: Request, cycle_id: int):
    return _download(request, cycle_exports.dataset_zip, cycle_id)


@router.get("/cycles/{cycle_id}/reminders.{kind}")
def reminders(request: Request, cycle_id: int, kind: str):
    return _download(request, cycle_todo.reminders_file, cycle_id, kind)


@router.get("/cycles/{cycle_id}/similarity")
def similarity(request: Request, cycle_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        view = cycle_similarity.cycle_similarity(session, who.user, cycle_id)
        return render(request, "dashboard_similarity.html", who, view=view, one=None)


@router.get("/cycles/{cycle_id}/similarity/{filing_id}")
def similarity_one(request: Request, cycle_id: int, filing_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        view = cycle_similarity.cycle_similarity(session, who.user, cycle_id)
        return render(request, "dashboard_similarity.html", who, view=view, one=view.entry(filing_id))


@router.get("/cycles/{cycle_id}/aggregate/{org_id}")
def aggregate_preview(request: Request, cycle_id: int, org_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        view = cycle_aggregate.preview(session, who.user, cycle_id, org_id)
        return render(request, "dashboard_aggregate.html", who, view=view)


@router.post("/cycles/{cycle_id}/aggregate/{org_id}")
def aggregate(request: Request, cycle_id: int, org_id: int, csrf_token: str = Form("")):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, csrf_token)
        filing_id = cycle_aggregate.compile_aggregate(session, who.user, cycle_id, org_id)
    return RedirectResponse(f"/filings/{filing_id}", status_code=303)


@router.get("/todo.json")
def todo_json(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        return JSONResponse({"items": [cycle_todo.item_json(i) for i in cycle_todo.todo(session, who.user)]})


@router.get("/todo")
def todo(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        return render(request, "todo.html", who, items=cycle_todo.todo(session, who.user))
