"""Request plumbing shared by the routers: the database, who is asking (session cookie or
API token), the CSRF check, template rendering. No business rule lives here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from ..accounts.sessions import session_for_cookie
from ..accounts.users import ROLES, user_for_token
from ..errors import XxgkError
from ..store import Database
from ..store.tables import User, WebSession

COOKIE = "xxgk_session"
LOGIN_CSRF_COOKIE = "xxgk_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals["ROLES"] = ROLES


class NotSignedIn(XxgkError):
    """No valid session or token: pages redirect to the login page, the API answers 401."""


class CsrfRefused(XxgkError):
    """A form or htmx request without the session's CSRF token."""


@dataclass
class Caller:
    user: User
    web_session: WebSession | None  # None when signed in with an API token


def database(request: Request) -> Database:
    return request.app.state.db


def read_session(request: Request) -> Iterator[Session]:
    with database(request).read() as session:
        yield session


def write_session(request: Request) -> Iterator[Session]:
    with database(request).write() as session:
        yield session


def caller(request: Request, session: Session) -> Caller:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = user_for_token(session, auth[7:])
        if user is None:
            raise NotSignedIn("API 令牌无效")
        return Caller(user, None)
    found = session_for_cookie(session, request.cookies.get(COOKIE))
    if found is None:
        raise NotSignedIn("请先登录")
    return Caller(*found)


def check_csrf(request: Request, who: Caller, form_token: str | None) -> None:
    """Cookie-authenticated changes need the session's CSRF token (form field or header)."""
    if who.web_session is None:
        return
    sent = form_token or request.headers.get(CSRF_HEADER)
    if not sent or sent != who.web_session.csrf:
        raise CsrfRefused("安全校验失败（表单已过期或来源不明），请刷新页面后重试")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def render(request: Request, name: str, who: Caller | None, status: int = 200, **context):
    csrf = who.web_session.csrf if who and who.web_session else None
    context |= {"user": who.user if who else None, "csrf": csrf, "CSRF_FIELD": CSRF_FIELD}
    return templates.TemplateResponse(request, name, context, status_code=status)
