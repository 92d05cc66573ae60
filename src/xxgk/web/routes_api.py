"""The JSON API for scripts (same accounts: session cookie or `Authorization: Bearer`).

POST /api/reports reads the upload through the job queue like the pages do; for the quick
media (text, HTML, DOCX, JSON, YAML) it waits a few seconds for a worker and answers 201 with
the checked report, otherwise 202 with the URL to poll. Errors are `{"error": "中文说明"}`.
"""

from __future__ import annotations

import os
import time

from fastapi import APIRouter, Request, UploadFile
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..errors import XxgkError
from ..jobs.queue import DONE, FAILED, STAGES
from ..services import reports
from .deps import caller, database
from .routes_reports import read_uploads

router = APIRouter(prefix="/api")
QUICK_KINDS = ("text", "html", "docx", "json", "yaml")
ENV_WAIT = "XXGK_API_WAIT"


def _wait_seconds() -> float:
    try:
        return float(os.environ.get(ENV_WAIT, "8"))
    except ValueError:
        return 8.0


def _summary(stored) -> dict:
    return {
        "id": stored.id,
        "filename": stored.filename,
        "status": stored.status,
        "agency": stored.agency,
        "year": stored.year,
        "errors": stored.errors,
        "warnings": stored.warnings,
        "uploaded_at": stored.uploaded_at.isoformat(),
        "url": f"/api/reports/{stored.id}",
    }


def _state(session, user, report_id: int) -> tuple[int, dict]:
    stored = reports.get_report(session, user, report_id)
    if stored.status == DONE:
        return 200, {**stored.report_json, "id": stored.id, "status": DONE}
    job = reports.job_of(session, user, report_id)
    body = {
        "id": stored.id,
        "status": stored.status,
        "stage": STAGES.get(job.stage, job.stage) if job else None,
        "url": f"/api/reports/{stored.id}",
    }
    if stored.status == FAILED:
        body["error"] = job.error if job else "读取失败"
        return 422, body
    return 202, body


@router.post("/reports", status_code=201, summary="上传并检查一份报告")
async def api_upload(request: Request, file: UploadFile, org: str | None = None):
    """multipart 字段 `file`（报告文件），可选 `org`（机构名称，经办人员只能是本机构）。"""
    await run_in_threadpool(_signed_in, request)
    ((name, data),) = await read_uploads([file])
    return await run_in_threadpool(_upload_and_wait, request, name, data, org)


def _signed_in(request: Request) -> None:
    with database(request).read() as session:
        caller(request, session)


def _upload_and_wait(request: Request, name: str, data: bytes, org: str | None) -> JSONResponse:
    with database(request).write() as session:
        who = caller(request, session)
        (result,) = reports.upload(session, who.user, [(name, data)], org)
        if result.error:
            raise XxgkError(result.error)
        kind = reports.media_kind(data, name)
    deadline = time.monotonic() + (_wait_seconds() if kind in QUICK_KINDS else 0)
    while True:
        with database(request).read() as session:
            status, body = _state(session, who.user, result.report_id)
        if status != 202 or time.monotonic() >= deadline:
            return JSONResponse(body, status_code=201 if status == 200 else status)
        time.sleep(0.1)


@router.get("/reports", summary="可查看的报告")
def api_list(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        return {"reports": [_summary(r) for r in reports.list_reports(session, who.user)]}


@router.get("/reports/{report_id}", summary="一份报告（读取完成时为带检查结果的 xxgk.report/1 JSON）")
def api_report(request: Request, report_id: int):
    with database(request).read() as session:
        who = caller(request, session)
        _, body = _state(session, who.user, report_id)
    return JSONResponse(body)


@router.get("/docs", include_in_schema=False)
def api_docs():
    return get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="xxgk API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="data:,",
    )
