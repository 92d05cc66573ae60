"""One filing of a cycle: the clerk's form (start points, autosave with the live check,
fill a total, paste a table, confirm a cell, submit), the review page (accept, return with
comments), publication, revision, downloads. Every rule is in services/cycle*.py."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import XxgkError
from ..jobs.queue import STAGES, elapsed_seconds
from ..services import cycle, cycle_start, reports
from ..services.cycle_content import fill_total, paste_cells
from ..services.cycle_page import conflict_download, upload_summary
from ..services.cycle_page import download as filing_download
from ..services.cycle_page import filing_page as page_data
from ..services.cycle_view import content_from_form, grid_refs, live_view, note_html
from ..services.scope import Forbidden
from .deps import CSRF_FIELD, caller, check_csrf, database, render
from .routes_cycle import parse_day
from .routes_reports import read_uploads

router = APIRouter()
MESSAGES = {
    "saved": "已保存。",
    "started": "已生成草稿，请逐项填写、核对。",
    "submitted": "已提交，等待审核。",
    "accepted": "已审核通过。",
    "returned": "已退回经办人员修改。",
    "published": "已登记发布。",
    "revised": "已新建修订版本；修改后须重新提交审核。",
    "confirmed": "已确认该单元格。",
}


def filing_page(
    request, session, who, filing_id, *, version=None, upload_id=None, message=None, error=False, status=200
):
    page = page_data(session, who.user, filing_id, version, upload_id)
    upload = page.upload
    return render(
        request,
        "filing.html",
        who,
        status,
        page=page,
        message=message,
        error=error,
        stages=STAGES,
        active=("queued", "running"),
        stored=upload,
        job=page.upload_job,
        elapsed=elapsed_seconds(page.upload_job) if page.upload_job else 0,
        upload_counts=upload_summary(upload) if upload is not None else None,
    )


def _back(filing_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/filings/{filing_id}?done={done}", status_code=303)


def _revision(data: dict[str, str]) -> int:
    text = (data.get("revision") or "").strip()
    if not text.isdigit():
        raise XxgkError("表单缺少版本信息，请刷新页面后重试")
    return int(text)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


@router.get("/filings/{filing_id}")
def filing_view(request: Request, filing_id: int, version: int | None = None, upload: int | None = None):
    with database(request).read() as session:
        who = caller(request, session)
        done = MESSAGES.get(request.query_params.get("done", ""))
        return filing_page(request, session, who, filing_id, version=version, upload_id=upload, message=done)


@router.post("/filings/{filing_id}/start")
def start(
    request: Request,
    filing_id: int,
    how: str = Form(""),
    revision: str = Form(""),
    upload_id: int | None = Form(None),
    csrf_token: str = Form(""),
):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, csrf_token)
        result = cycle_start.start(
            session, who.user, filing_id, how, _revision({"revision": revision}), upload_id
        )
    if result.conflict is not None:
        return _conflict_page(request, filing_id)
    return _back(filing_id, "started")


@router.post("/filings/{filing_id}/upload")
async def upload(request: Request, filing_id: int):
    form = await request.form(max_files=2)
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
    data = await read_uploads(files[:1])
    return await run_in_threadpool(_store_upload, request, filing_id, str(form.get(CSRF_FIELD) or ""), data)


def _store_upload(request: Request, filing_id: int, token: str, data):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, token)
        cycle_start.filing_for_write(session, who.user, filing_id)
        if not data:
            raise XxgkError("请选择要上传的报告文件")
        result = reports.upload(session, who.user, data)[0]
        if result.error:
            raise XxgkError(result.error)
    return RedirectResponse(f"/filings/{filing_id}?upload={result.report_id}", status_code=303)


@router.post("/filings/{filing_id}/save")
async def save(request: Request, filing_id: int):
    data = await _form(request)
    return await run_in_threadpool(_save, request, filing_id, data)


def _save(request: Request, filing_id: int, data: dict[str, str]):
    live = request.headers.get("hx-request") == "true"
    action = data.get("action", "save")
    try:
        with database(request).write() as session:
            who = caller(request, session)
            check_csrf(request, who, data.get(CSRF_FIELD))
            result = _save_form(session, who, filing_id, data, action)
            if live:
                return _live(request, session, who, result)
    except Forbidden:
        raise
    except XxgkError as err:
        if not live:
            raise
        return render(request, "_filing_live.html", None, status_message=str(err), status_kind="error")
    if result.conflict is not None:
        return _conflict_page(request, filing_id)
    return _back(filing_id, "confirmed" if action.startswith("confirm:") else "saved")


def _save_form(session, who, filing_id: int, data: dict[str, str], action: str) -> cycle.SaveResult:
    filing = cycle.get_filing(session, who.user, filing_id)
    head = cycle.head_version(session, filing)
    if head is None:
        raise XxgkError("请先选择填报起点")
    if action.startswith("own:"):  # a generated paragraph becomes the clerk's own text
        data = {**data, "own:" + action[4:]: "1"}
    content = content_from_form(head.content, data)
    if action.startswith("fill:"):
        content = fill_total(content, action[5:])
    elif action.startswith("paste:"):
        table = action[6:]
        content = paste_cells(
            content, grid_refs(table), data.get(f"paste_start:{table}", ""), data.get(f"paste:{table}", "")
        )
    result = cycle.save_draft(session, who.user, filing_id, _revision(data), content)
    if action.startswith("confirm:") and result.conflict is None:
        cycle.confirm_cell(session, who.user, filing_id, action[8:])
    return result


def _live(request, session, who, result: cycle.SaveResult):
    if result.conflict is not None:
        message = (
            f"未保存：此报告已在别处（另一个窗口或另一位经办人员）保存过更新的内容。您的内容已另存为冲突稿"
            f" #{result.conflict.id}，没有丢失；请刷新页面后，把需要的修改重新填入。"
        )
        return render(
            request,
            "_filing_live.html",
            who,
            status_message=message,
            status_kind="error",
            conflict=result.conflict,
        )
    version = result.version
    notes = cycle.warning_notes(session, version)
    return render(
        request,
        "_filing_live.html",
        who,
        status_message=f"已自动保存（第 {version.number} 版，{version.saved_at.astimezone():%H:%M:%S}）",
        status_kind="ok",
        revision=result.revision,
        live=live_view(result.report, version.content, notes),
        note_html=note_html,
    )


def _conflict_page(request: Request, filing_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        lost = cycle.conflicts(session, who.user, filing_id)[-1]
        message = (
            f"未保存：此报告已在别处保存过更新的内容，您的内容已另存为冲突稿 #{lost.id}（没有丢失，可在本页“未保存的冲突稿”处下载）。"
            "下面是当前保存的内容，请把需要的修改重新填入。"
        )
        return filing_page(request, session, who, filing_id, message=message, error=True, status=409)


@router.post("/filings/{filing_id}/submit")
async def submit(request: Request, filing_id: int):
    data = await _form(request)
    return await run_in_threadpool(_submit, request, filing_id, data)


def _submit(request: Request, filing_id: int, data: dict[str, str]):
    """Save what the form holds and the answers to warnings (committed, so a refused
    submission loses nothing), then submit."""
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, data.get(CSRF_FIELD))
        filing = cycle.get_filing(session, who.user, filing_id)
        conflict = None
        if "revision" in data and filing.status in cycle.EDITABLE:
            conflict = _save_form(session, who, filing_id, data, "save").conflict
            if conflict is None:
                _notes(session, who, filing_id, data)
    if conflict is not None:
        return _conflict_page(request, filing_id)
    try:
        with database(request).write() as session:
            cycle.submit(session, caller(request, session).user, filing_id)
    except cycle.SubmitRefused as refused:
        with database(request).read() as session:
            who = caller(request, session)
            return filing_page(request, session, who, filing_id, message=str(refused), error=True, status=400)
    return _back(filing_id, "submitted")


def _notes(session, who, filing_id: int, data: dict[str, str]) -> None:
    for key, decision in data.items():
        if key.startswith("note:") and decision:
            finding = key[5:]
            try:
                cycle.note_warning(
                    session, who.user, filing_id, finding, decision, data.get(f"notetext:{finding}", "")
                )
            except Forbidden:
                raise
            except XxgkError as err:
                if "不存在" not in str(err):  # a warning the change just made go away
                    raise


def _transition(request: Request, filing_id: int, token: str | None, done: str, change) -> RedirectResponse:
    """One state change by the caller, in one transaction, CSRF-checked."""
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, token)
        change(session, who.user)
    return _back(filing_id, done)


@router.post("/filings/{filing_id}/accept")
def accept(request: Request, filing_id: int, csrf_token: str = Form("")):
    return _transition(request, filing_id, csrf_token, "accepted", lambda s, u: cycle.accept(s, u, filing_id))


@router.post("/filings/{filing_id}/return")
async def return_filing(request: Request, filing_id: int):
    data = await _form(request)
    notes = [(data.get(f"target:{i}", ""), data.get(f"comment:{i}", "")) for i in range(10)]
    return await run_in_threadpool(
        _transition,
        request,
        filing_id,
        data.get(CSRF_FIELD),
        "returned",
        lambda s, u: cycle.return_filing(s, u, filing_id, notes),
    )


@router.post("/filings/{filing_id}/publish")
def publish(
    request: Request, filing_id: int, on: str = Form(""), url: str = Form(""), csrf_token: str = Form("")
):
    day = parse_day(on, "发布日期")
    return _transition(
        request, filing_id, csrf_token, "published", lambda s, u: cycle.publish(s, u, filing_id, day, url)
    )


@router.post("/filings/{filing_id}/revise")
def revise(request: Request, filing_id: int, csrf_token: str = Form("")):
    return _transition(request, filing_id, csrf_token, "revised", lambda s, u: cycle.revise(s, u, filing_id))


@router.get("/filings/{filing_id}/download/{kind}")
def download(request: Request, filing_id: int, kind: str, version: int | None = None):
    with database(request).read() as session:
        who = caller(request, session)
        found = filing_download(session, who.user, filing_id, kind, version)
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return Response(found.content, media_type=found.media_type, headers={"Content-Disposition": disposition})


@router.get("/filings/{filing_id}/conflicts/{conflict_id}")
def conflict(request: Request, filing_id: int, conflict_id: int):
    """A save that lost to a newer one, as the YAML source its author can compare and reuse."""
    with database(request).read() as session:
        who = caller(request, session)
        found = conflict_download(session, who.user, filing_id, conflict_id)
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return Response(found.content, media_type=found.media_type, headers={"Content-Disposition": disposition})
