"""Administration pages (admins only): the organisation tree (add, import, export), accounts
(add, API token) and the audit log, which no page can change."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..accounts.users import add_user, all_users, issue_token
from ..orgs import KINDS, LEVELS, OrgSpec, add_org, all_orgs, export_bytes, import_orgs, tree_order
from ..services.scope import NotFound, require_admin
from ..store.audit import ACTION_LABELS, entries
from .deps import caller, check_csrf, database, render

router = APIRouter(prefix="/admin")
MAX_TREE_FILE = 5 * 1024 * 1024


def _orgs_page(request, session, who, status=200, **extra):
    orgs = all_orgs(session)
    names = {o.id: o.name for o in orgs}
    return render(
        request,
        "admin_orgs.html",
        who,
        status,
        tree=tree_order(orgs),
        names=names,
        kinds=KINDS,
        levels=LEVELS,
        **extra,
    )


@router.get("/orgs")
def orgs_page(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        require_admin(who.user)
        return _orgs_page(request, session, who)


@router.post("/orgs")
def orgs_add(
    request: Request,
    name: str = Form(""),
    kind: str = Form(""),
    level: str = Form(""),
    parent: str = Form(""),
    csrf_token: str = Form(""),
):
    with database(request).write() as session:
        who = caller(request, session)
        require_admin(who.user)
        check_csrf(request, who, csrf_token)
        add_org(session, who.user.login, OrgSpec(name, kind, level, parent))
    return RedirectResponse("/admin/orgs?done=add", status_code=303)


@router.post("/orgs/import")
async def orgs_import(request: Request):
    await run_in_threadpool(_admin_only, request)
    form = await request.form(max_files=2)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        upload = None
    data = await upload.read(MAX_TREE_FILE + 1) if upload else b""
    return await run_in_threadpool(_import, request, form, upload, data)


def _admin_only(request: Request) -> None:
    with database(request).read() as session:
        require_admin(caller(request, session).user)


def _import(request: Request, form, upload, data: bytes):
    with database(request).write() as session:
        who = caller(request, session)
        check_csrf(request, who, str(form.get("csrf_token") or ""))
        added = import_orgs(session, who.user.login, data, upload.filename or "" if upload else "")
    return RedirectResponse(f"/admin/orgs?done=import&added={added}", status_code=303)


@router.get("/orgs/export/{name}")
def orgs_export(request: Request, name: str):
    if name not in ("机构树.csv", "机构树.xlsx"):
        raise NotFound("没有这种导出格式")
    with database(request).read() as session:
        require_admin(caller(request, session).user)
        content = export_bytes(session, name)
    media = (
        "text/csv; charset=utf-8"
        if name.endswith(".csv")
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return Response(content, media_type=media, headers=headers)


def _users_page(request, session, who, status=200, **extra):
    orgs = {o.id: o.name for o in all_orgs(session)}
    return render(
        request,
        "admin_users.html",
        who,
        status,
        users=all_users(session),
        orgs=orgs,
        org_names=sorted(orgs.values()),
        **extra,
    )


@router.get("/users")
def users_page(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        require_admin(who.user)
        return _users_page(request, session, who)


@router.post("/users")
def users_add(
    request: Request,
    login: str = Form(""),
    role: str = Form(""),
    org: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
):
    with database(request).write() as session:
        who = caller(request, session)
        require_admin(who.user)
        check_csrf(request, who, csrf_token)
        add_user(session, who.user.login, login, role, org, password)
    return RedirectResponse("/admin/users?done=add", status_code=303)


@router.post("/users/{login}/token")
def users_token(request: Request, login: str, csrf_token: str = Form("")):
    with database(request).write() as session:
        who = caller(request, session)
        require_admin(who.user)
        check_csrf(request, who, csrf_token)
        token = issue_token(session, who.user.login, login)
    with database(request).read() as session:
        return _users_page(request, session, who, token=token, token_login=login)


@router.get("/audit")
def audit_page(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        require_admin(who.user)
        return render(request, "audit.html", who, entries=entries(session), labels=ACTION_LABELS)
