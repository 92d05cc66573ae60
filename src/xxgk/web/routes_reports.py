"""Report pages: the list with the upload form, one report in the official layout with its
findings, the job's progress (polled by htmx), reviews, retry, source view, downloads."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..jobs.queue import STAGES, elapsed_seconds
from ..read.limits import DEFAULT_MAX_BYTES
from ..services import exports, reports
from ..services.reportview import report_page, source_view
from .deps import CSRF_FIELD, caller, check_csrf, database, render

router = APIRouter()
ACTIVE = ("queued", "running")


async def read_uploads(files: list[UploadFile]) -> list[tuple[str, bytes]]:
    """Each file's name and bytes; at most one byte past the readers' limit is read, so an
    oversized file is refused by size without being held whole."""
    out = []
    for upload in files:
        out.append((upload.filename or "", await upload.read(DEFAULT_MAX_BYTES + 1)))
        await upload.close()
    return out


@router.get("/reports")
def report_list(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        rows = reports.list_reports(session, who.user)
        return render(request, "reports.html", who, reports=rows, results=None, stages=STAGES)


@router.post("/reports")
async def upload(request: Request):
    await run_in_threadpool(_signed_in, request)  # refuse strangers before reading their files
    form = await request.form(max_files=reports.MAX_FILES + 1)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    data = await read_uploads(files)
    return await run_in_threadpool(_store_uploads, request, form, data)


def _signed_in(request: Request) -> None:
    with database(request).read() as session:
        caller(request, session)


def _store_uploads(request: Request, form, data: list[tuple[str, bytes]]):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, str(form.get(CSRF_FIELD) or ""))
        if not data:
            return _list_with(request, session, who, [], "请选择要上传的文件", 400)
        results = reports.upload(session, who.user, data, str(form.get("org") or "") or None)
    accepted = [r for r in results if r.report_id]
    if len(results) == 1 and accepted:
        return RedirectResponse(f"/reports/{accepted[0].report_id}", status_code=303)
    with database(request).read() as session:
        return _list_with(request, session, who, results, None, 200 if accepted else 400)


def _list_with(request, session, who, results, error, status):
    rows = reports.list_reports(session, who.user)
    return render(
        request, "reports.html", who, status, reports=rows, results=results, error=error, stages=STAGES
    )


@router.get("/reports/{report_id}")
def report_view(request: Request, report_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        page = report_page(session, who.user, report_id)
        job = reports.job_of(session, who.user, report_id)
        return render(
            request,
            "report.html",
            who,
            page=page,
            job=job,
            stages=STAGES,
            active=ACTIVE,
            elapsed=elapsed_seconds(job),
            stored=page.stored,
        )


@router.get("/reports/{report_id}/status")
def report_status(request: Request, report_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        job = reports.job_of(session, who.user, report_id)
        stored = reports.get_report(session, who.user, report_id)
        if stored.status not in ACTIVE:
            return Response(status_code=200, headers={"HX-Refresh": "true"})
        return render(
            request, "_status.html", who, job=job, stored=stored, stages=STAGES, elapsed=elapsed_seconds(job)
        )


@router.post("/reports/{report_id}/retry")
def retry(request: Request, report_id: int, csrf_token: str = Form("")):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, csrf_token)
        reports.retry(session, who.user, report_id)
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/findings/{key}")
def review(
    request: Request,
    report_id: int,
    key: str,
    decision: str = Form(""),
    reason: str = Form(""),
    csrf_token: str = Form(""),
):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, csrf_token)
        reports.review_finding(session, who.user, report_id, key, decision, reason)
    return RedirectResponse(f"/reports/{report_id}#finding-{key}", status_code=303)


@router.get("/reports/{report_id}/source")
def source(request: Request, report_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        stored = reports.get_report(session, who.user, report_id)
        return render(request, "source.html", who, stored=stored, lines=source_view(stored))


@router.get("/reports/{report_id}/download/{kind}")
def download(request: Request, report_id: int, kind: str):
    with database(request).read() as session:
        who = caller(request, session)
        found = exports.download(session, who.user, report_id, kind)
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return Response(found.content, media_type=found.media_type, headers={"Content-Disposition": disposition})
