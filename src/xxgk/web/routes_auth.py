"""Sign in and out. The login form carries a CSRF token of its own (double-submit cookie),
since there is no session yet; the throttle lives in the database (accounts.sessions)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..accounts.sessions import LIFETIME, THROTTLED, sign_in, sign_out
from .deps import COOKIE, LOGIN_CSRF_COOKIE, CsrfRefused, caller, check_csrf, client_address, database, render

router = APIRouter()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(request: Request, error: str | None = None, status: int = 200):
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, status, login_csrf=token, error=error)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), max_age=3600
    )
    return response


@router.get("/login")
def login_form(request: Request):
    return _login_page(request)


@router.post("/login")
def login(request: Request, login: str = Form(""), password: str = Form(""), csrf_token: str = Form("")):
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf_token):
        raise CsrfRefused("安全校验失败（登录页已过期），请刷新页面后重试")
    with database(request).write() as session:
        result = sign_in(session, login, password[:1024], client_address(request))
    if result.error:
        return _login_page(request, result.error, 429 if result.error == THROTTLED else 401)
    response = RedirectResponse("/reports", status_code=303)
    response.set_cookie(
        COOKIE,
        result.cookie,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=int(LIFETIME.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, csrf_token)
        sign_out(session, request.cookies.get(COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/")
def home():
    return RedirectResponse("/reports", status_code=303)
