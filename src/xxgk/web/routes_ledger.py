"""The 依申请公开 ledger pages of a clerk: today's work, registering an application, one
case (timeline, deadlines, actions with their letters, attachments), the list with filters
and search, export and import, the office's letter templates. Thin: every rule is in
services/casework*.py and the ledger library."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..accounts.users import CLERK
from ..errors import InputError
from ..ledger.importexport import MAX_IMPORT_BYTES
from ..ledger.labels import OUTCOME_LABELS, STATUS_NAMES
from ..ledger.letters import LETTERS
from ..ledger.records import APPLICANT_TYPES, CHANNELS
from ..services import casework, casework_files, casework_lists, casework_register
from ..services.casework_calendar import banner, office_calendar
from .deps import CSRF_FIELD, caller, check_csrf, database, render
from .routes_reports import read_uploads

router = APIRouter()
# The letter an action's event is the subject of (letters.LETTER_EVENTS, inverted).
ACTION_LETTERS = {
    "correction_requested": "correction",
    "extension": "extension",
    "consultation_started": "consultation",
    "fee_notice": "fee",
    "reply": "reply",
    "withdrawn": "reply",
    "fee_lapsed": "reply",
}


def today() -> dt.date:
    return dt.date.today()


def page(request: Request, session, who, name: str, status: int = 200, **context):
    context |= {
        "banner": banner(office_calendar(session), today()),
        "STATUS_NAMES": STATUS_NAMES,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "APPLICANT_TYPES": APPLICANT_TYPES,
        "CHANNELS": CHANNELS,
        "LETTERS": LETTERS,
        "ACTION_LETTERS": ACTION_LETTERS,
        "ID_DOC_TYPES": casework_register.ID_DOC_TYPES,
        "today": today(),
    }
    return render(request, name, who, status, **context)


def case_url(number: str, anchor: str = "") -> str:
    return f"/ledger/case?n={quote(number)}{anchor}"


def form_dict(form) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def clerk_only(request: Request) -> None:
    """Refuse a stranger or a non-clerk before their upload is read."""
    with database(request).read() as session:
        casework.office_ledger(session, caller(request, session).user)


async def read_files(form, field: str) -> list[tuple[str, bytes]]:
    chosen = [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]
    return await read_uploads(chosen)


@router.get("/ledger")
def todays_page(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        if who.user.role != CLERK:
            return RedirectResponse("/ledger/stats", status_code=303)
        ledger = casework.office_ledger(session, who.user)
        work = casework.todays_work(ledger, office_calendar(session), today())
        return page(request, session, who, "ledger_today.html", work=work, titles=casework.GROUP_TITLES)


# ---------------------------------------------------------------- registering


@router.get("/ledger/new")
def new_case_form(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        casework.office_ledger(session, who.user)
        return page(request, session, who, "ledger_new.html", form={"received": today().isoformat()})


@router.post("/ledger/new")
async def new_case(request: Request):
    await run_in_threadpool(clerk_only, request)
    form = await request.form(max_files=casework_files.MAX_ATTACHMENTS + 1)
    files = await read_files(form, "attachments")
    return await run_in_threadpool(_register, request, form_dict(form), files)


def _register(request: Request, form: dict[str, str], files: list[tuple[str, bytes]]):
    db = database(request)
    with db.read() as session:
        who = caller(request, session)
        check_csrf(request, who, form.get(CSRF_FIELD))
        ledger = casework.office_ledger(session, who.user)
        try:
            for name, data in files:  # refused before the case is registered
                casework_files.attachment_type(data, name)
            stored = casework_register.register(ledger, who.user.login, form)
        except InputError as err:
            return page(request, session, who, "ledger_new.html", 400, form=form, error=str(err))
    with db.write() as session:
        casework_files.add_attachments(session, ledger, who.user, stored.number, files)
    return RedirectResponse(case_url(stored.number), status_code=303)


# ---------------------------------------------------------------- one case


@router.get("/ledger/case")
def case_page(request: Request, n: str = ""):
    with database(request).read() as session:
        who = caller(request, session)
        return _case(request, session, who, n)


def _case(request, session, who, number: str, status: int = 200, **context):
    ledger = casework.office_ledger(session, who.user)
    view = casework.case_view(session, ledger, number, today())
    files = casework_files.case_files(session, ledger, number)
    return page(request, session, who, "ledger_case.html", status, view=view, files=files, **context)


@router.post("/ledger/case/event")
async def case_event(request: Request, n: str = ""):
    form = form_dict(await request.form(max_files=0))
    return await run_in_threadpool(_record, request, n, form)


def _record(request: Request, number: str, form: dict[str, str]):
    db = database(request)
    kind = form.get("kind", "")
    with db.read() as session:
        who = caller(request, session)
        check_csrf(request, who, form.get(CSRF_FIELD))
        ledger = casework.office_ledger(session, who.user)
        try:
            casework.record_action(ledger, who.user, number, kind, form)
        except InputError as err:
            return _case(request, session, who, number, 400, error=str(err), form=form, open_kind=kind)
    letter_format = form.get("letter_format", "")
    if letter_format and kind in ACTION_LETTERS:
        return _letter(request, number, ACTION_LETTERS[kind], letter_format)
    return RedirectResponse(case_url(number), status_code=303)


@router.post("/ledger/case/letter")
async def case_letter(request: Request, n: str = ""):
    form = form_dict(await request.form(max_files=0))
    return await run_in_threadpool(
        _letter,
        request,
        n,
        form.get("letter", ""),
        form.get("letter_format", "docx"),
        form.get(CSRF_FIELD) or "",
    )


def _letter(request: Request, number: str, kind: str, fmt: str, token: str | None = None):
    """Write the letter (reading), then keep it (writing); `token` when not checked yet."""
    db = database(request)
    try:
        with db.read() as session:
            who = caller(request, session)
            if token is not None:
                check_csrf(request, who, token)
            ledger = casework.office_ledger(session, who.user)
            letter = casework_files.write_letter(session, ledger, who.user, number, kind, fmt)
        with db.write() as session:
            row = casework_files.keep_letter(session, who.user, letter)
    except InputError as err:
        with db.read() as session:
            return _case(request, session, caller(request, session), number, 400, error=f"文书未生成：{err}")
    return RedirectResponse(case_url(number, f"&made={row.id}#files"), status_code=303)


@router.post("/ledger/case/files")
async def case_attachments(request: Request, n: str = ""):
    await run_in_threadpool(clerk_only, request)
    form = await request.form(max_files=casework_files.MAX_ATTACHMENTS + 1)
    files = await read_files(form, "attachments")
    return await run_in_threadpool(_attach, request, n, str(form.get(CSRF_FIELD) or ""), files)


def _attach(request: Request, number: str, token: str, files: list[tuple[str, bytes]]):
    db = database(request)
    with db.write() as session:
        who = caller(request, session)
        check_csrf(request, who, token)
        ledger = casework.office_ledger(session, who.user)
        refused = casework_files.add_attachments(session, ledger, who.user, number, files)
    if refused:
        with db.read() as session:
            return _case(request, session, who, number, 400, error="未接收：" + "；".join(refused))
    return RedirectResponse(case_url(number, "#files"), status_code=303)


@router.get("/ledger/case/file")
def case_file(request: Request, n: str = "", id: int = 0):
    with database(request).read() as session:
        who = caller(request, session)
        ledger = casework.office_ledger(session, who.user)
        row = casework_files.case_file(session, ledger, n, id)
        disposition = f"attachment; filename*=UTF-8''{quote(row.filename)}"
        return Response(row.content, media_type=row.media_type, headers={"Content-Disposition": disposition})


# ---------------------------------------------------------------- lists, export, import


@router.get("/ledger/cases")
def case_list(request: Request):
    params = dict(request.query_params)
    with database(request).read() as session:
        who = caller(request, session)
        ledger = casework.office_ledger(session, who.user)
        try:
            filters = casework_lists.Filters.from_query(params)
        except InputError as err:
            filters, error = casework_lists.Filters(), str(err)
        else:
            error = None
        listed = casework_lists.find_cases(ledger, office_calendar(session), filters, today())
        return page(
            request,
            session,
            who,
            "ledger_list.html",
            400 if error else 200,
            listed=listed,
            filters=filters,
            params=params,
            error=error,
            shown=casework_lists.SHOWN,
        )


@router.get("/ledger/export")
def export(request: Request, format: str = "xlsx"):
    with database(request).write() as session:
        who = caller(request, session)
        ledger = casework.office_ledger(session, who.user)
        name, data = casework_lists.export_cases(session, ledger, who.user, format)
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(
        data, media_type=casework_lists.EXPORT_TYPES[format], headers={"Content-Disposition": disposition}
    )


@router.post("/ledger/import")
async def import_page(request: Request):
    await run_in_threadpool(clerk_only, request)
    form = await request.form(max_files=2)
    upload = form.get("file")
    name = upload.filename if isinstance(upload, UploadFile) else ""
    data = await upload.read(MAX_IMPORT_BYTES + 1) if isinstance(upload, UploadFile) else b""
    return await run_in_threadpool(_import, request, form_dict(form), name or "", data)


def _import(request: Request, form: dict[str, str], name: str, data: bytes):
    with database(request).read() as session:
        who = caller(request, session)
        check_csrf(request, who, form.get(CSRF_FIELD))
        ledger = casework.office_ledger(session, who.user)
        if not data:
            raise InputError("请选择要导入的文件")
        if len(data) > MAX_IMPORT_BYTES:
            raise InputError(f"文件过大（上限 {MAX_IMPORT_BYTES // 1024 // 1024} MB）")
        outcome = casework_lists.import_cases(
            ledger, who.user, name, data, form.get("accept_warnings") == "on"
        )
        status = 400 if outcome.lines else 200
        return page(request, session, who, "ledger_import.html", status, outcome=outcome, filename=name)


@router.get("/ledger/import")
def import_form(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        casework.office_ledger(session, who.user)
        return page(request, session, who, "ledger_import.html", outcome=None, filename="")


# ---------------------------------------------------------------- templates


@router.get("/ledger/templates")
def templates_page(request: Request):
    with database(request).read() as session:
        who = caller(request, session)
        casework.office_ledger(session, who.user)
        texts = casework_files.template_texts(session, who.user.org_id)
        return page(request, session, who, "ledger_templates.html", texts=texts)


@router.post("/ledger/templates")
async def save_template(request: Request):
    form = form_dict(await request.form(max_files=0))
    db = database(request)
    try:
        with db.write() as session:
            who = caller(request, session)
            check_csrf(request, who, form.get(CSRF_FIELD))
            casework_files.save_template(session, who.user, form.get("name", ""), form.get("text", ""))
    except InputError as err:
        with db.read() as session:
            who = caller(request, session)
            texts = casework_files.template_texts(session, who.user.org_id)
            texts = [(n, form.get("text", "") if n == form.get("name") else t, e) for n, t, e in texts]
            return page(
                request,
                session,
                who,
                "ledger_templates.html",
                400,
                texts=texts,
                error=str(err),
                open=form.get("name"),
            )
    return RedirectResponse("/ledger/templates", status_code=303)
