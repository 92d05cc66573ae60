"""Browser sessions and the sign-in throttle, both kept in the database so that several
app processes serve the same users.

The cookie holds a random token and its HMAC under a key stored in `app_settings` (made on
first use); the table keeps the token's SHA-256 digest, the user and a CSRF token. A tampered
or unknown cookie is no session. The throttle refuses a login name after MAX_PER_LOGIN failed
attempts within WINDOW, and an address after MAX_PER_ADDRESS, even with the right password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..store.audit import record
from ..store.base import utc_now
from ..store.tables import AppSetting, LoginFailure, User, WebSession
from .users import digest, find_user, password_matches

LIFETIME = timedelta(hours=12)
WINDOW = timedelta(minutes=15)
MAX_PER_LOGIN = 5
MAX_PER_ADDRESS = 30
SECRET_KEY = "session_secret"

THROTTLED = f"登录失败次数过多，请 {WINDOW.seconds // 60} 分钟后再试"
BAD_LOGIN = "登录名或密码错误"


@dataclass
class SignIn:
    user: User | None
    cookie: str | None
    error: str | None


def signing_key(session: Session) -> bytes:
    row = session.get(AppSetting, SECRET_KEY)
    if row is None:
        try:
            with session.begin_nested():
                session.add(AppSetting(key=SECRET_KEY, value=secrets.token_hex(32)))
        except IntegrityError:  # another process made it first
            pass
        row = session.get(AppSetting, SECRET_KEY)
    return bytes.fromhex(row.value)


def _sign(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def sign_in(session: Session, login: str, password: str, address: str) -> SignIn:
    login, address = login.strip()[:64], address[:64]
    now = utc_now()
    if _throttled(session, login, address, now):
        record(session, login or "（空）", "login.failed", login, reason="throttled", address=address)
        return SignIn(None, None, THROTTLED)
    user = find_user(session, login)
    if not password_matches(user, password):
        session.add(LoginFailure(login=login, address=address, at=now))
        record(session, login or "（空）", "login.failed", login, address=address)
        return SignIn(None, None, BAD_LOGIN)
    _forget_old(session, login, now)
    token = secrets.token_urlsafe(32)
    expires = now + LIFETIME
    session.add(
        WebSession(
            digest=digest(token),
            user_id=user.id,
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=expires,
        )
    )
    record(session, user.login, "login.ok", user.login, address=address)
    return SignIn(user, f"{token}.{_sign(signing_key(session), token)}", None)


def _forget_old(session: Session, login: str, now) -> None:
    """After a success: this login's failures, and anyone's expired sessions and old failures."""
    session.execute(
        delete(LoginFailure).where((LoginFailure.login == login) | (LoginFailure.at < now - WINDOW))
    )
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))


def _throttled(session: Session, login: str, address: str, now) -> bool:
    since = now - WINDOW
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    by_login = session.scalar(recent.where(LoginFailure.login == login))
    by_address = session.scalar(recent.where(LoginFailure.address == address))
    return by_login >= MAX_PER_LOGIN or by_address >= MAX_PER_ADDRESS


def session_for_cookie(session: Session, cookie: str | None) -> tuple[User, WebSession] | None:
    if not cookie or "." not in cookie or len(cookie) > 200:
        return None
    token, mac = cookie.rsplit(".", 1)
    if not hmac.compare_digest(mac, _sign(signing_key(session), token)):
        return None
    row = session.get(WebSession, digest(token))
    if row is None or row.expires_at <= utc_now():
        return None
    user = session.get(User, row.user_id)
    return (user, row) if user is not None and user.active else None


def sign_out(session: Session, cookie: str | None) -> None:
    found = session_for_cookie(session, cookie)
    if found is not None:
        user, row = found
        session.delete(row)
        record(session, user.login, "logout", user.login)
