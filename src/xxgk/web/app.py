"""The application factory: routers, static files, error pages. Every refusal is a Chinese
message (a page, or JSON under /api); no request ever sees a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..accounts.sessions import signing_key
from ..errors import XxgkError
from ..services.scope import Forbidden, NotFound
from ..store import Database, DatabaseUnavailable
from . import (
    routes_admin,
    routes_api,
    routes_auth,
    routes_cycle,
    routes_dashboard,
    routes_filing,
    routes_ledger,
    routes_ledger_stats,
    routes_reports,
)
from .deps import CsrfRefused, NotSignedIn, render

log = logging.getLogger("xxgk.web")
STATIC = Path(__file__).parent / "static"
MAX_REQUEST_BYTES = 120 * 1024 * 1024  # a few 20 MB files at once
HTTP_MESSAGES = {404: "页面不存在", 405: "不支持此操作", 413: "上传的内容过大", 400: "请求无效"}


def create_app(db: Database) -> FastAPI:
    app = FastAPI(
        title="xxgk 政府信息公开工作年度报告", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json"
    )
    app.state.db = db
    with db.write() as session:
        signing_key(session)  # made once, shared by every app process
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (routes_auth, routes_reports, routes_ledger, routes_ledger_stats, routes_admin, routes_api):
        app.include_router(module.router)
    for module in (routes_cycle, routes_filing, routes_dashboard):
        app.include_router(module.router)
    _error_handlers(app)
    app.middleware("http")(_limit_body)
    return app


async def _limit_body(request: Request, call_next):
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_REQUEST_BYTES:
        return _refusal(request, 413, f"上传的内容过大（一次最多 {MAX_REQUEST_BYTES // 1024 // 1024} MB）")
    response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _refusal(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", getattr(request.state, "caller", None), status, message=message)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn):
        if _is_api(request):
            return JSONResponse(
                {"error": exc.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return _refusal(request, 404, exc.message)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        return _refusal(request, 403, exc.message)

    @app.exception_handler(CsrfRefused)
    async def csrf(request: Request, exc: CsrfRefused):
        return _refusal(request, 403, exc.message)

    @app.exception_handler(DatabaseUnavailable)
    async def unavailable(request: Request, exc: DatabaseUnavailable):
        log.warning("database unavailable: %s", exc.message)
        return _refusal(request, 503, "数据库暂时无法访问，请稍后重试")

    @app.exception_handler(XxgkError)
    async def bad_input(request: Request, exc: XxgkError):
        return _refusal(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return _refusal(request, 400, "请求缺少必填项或格式不正确")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return _refusal(request, exc.status_code, HTTP_MESSAGES.get(exc.status_code, "请求无法处理"))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _refusal(request, 500, "服务器内部错误，已记录；请稍后重试或联系管理员")
