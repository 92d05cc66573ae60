"""Users, their roles and node, passwords (Argon2) and API tokens (stored as SHA-256 digests).

Roles: a clerk (经办人员) sees and changes its own node's reports; a supervisor (监督人员) reads
its node's whole subtree; an admin (系统管理员) manages the tree and the accounts. The rules
themselves are applied by `xxgk.services.scope`.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..orgs import get_org
from ..store.audit import record
from ..store.base import utc_now
from ..store.tables import ApiToken, Org, User

CLERK, SUPERVISOR, ADMIN = "clerk", "supervisor", "admin"
ROLES = {CLERK: "经办人员", SUPERVISOR: "监督人员", ADMIN: "系统管理员"}
MIN_PASSWORD = 8
MAX_PASSWORD = 256
_LOGIN = re.compile(r"^[\w.@-]{2,64}$")
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    """Constant work whether or not the user exists, so timing does not reveal logins."""
    stored = user.password_hash if user is not None and user.active else None
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 个字符"
    if len(password) > MAX_PASSWORD:
        return f"密码不能超过 {MAX_PASSWORD} 个字符"
    return None


def new_password() -> str:
    return secrets.token_urlsafe(12)


def add_user(session: Session, actor: str, login: str, role: str, org_name: str, password: str) -> User:
    login = login.strip()
    problems = []
    if not _LOGIN.match(login):
        problems.append("登录名须为 2–64 个字母、数字、汉字或 . _ @ -")
    elif find_user(session, login) is not None:
        problems.append(f"登录名“{login}”已存在")
    if role not in ROLES:
        problems.append(f"未知的角色“{role}”（可选：{'、'.join(ROLES)}）")
    if problem := password_problem(password):
        problems.append(problem)
    org = _org_or_problem(session, org_name, problems)
    if problems:
        raise InputError("；".join(problems))
    user = User(login=login, role=role, org_id=org.id, password_hash=hash_password(password), active=True)
    user.created_at = utc_now()
    session.add(user)
    session.flush()
    record(session, actor, "user.add", login, role=role, org=org.name)
    return user


def _org_or_problem(session: Session, name: str, problems: list[str]) -> Org | None:
    try:
        return get_org(session, name)
    except InputError as err:
        problems.append(str(err))
        return None


def find_user(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(User.login == login.strip()))


def get_user(session: Session, login: str) -> User:
    user = find_user(session, login)
    if user is None:
        raise InputError(f"账号“{login.strip()}”不存在")
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, actor: str, login: str) -> str:
    """A new API token for `login`; shown once, only its digest is kept."""
    user = get_user(session, login)
    token = "xxgk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, digest=digest(token), created_at=utc_now()))
    record(session, actor, "user.token", user.login)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.digest == digest(token.strip())))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None
