"""Files kept with a case: attachments (the scanned application form …), checked by size and
by content, and the letters the case's actions produce from the office's own templates.
Only the clerks of the case's node get at them (through `office_ledger`)."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ..accounts.users import CLERK
from ..errors import InputError, XxgkError
from ..ledger.letters import LETTERS, builtin_template, check_template, render_letter, template_names
from ..ledger.officemodels import CaseFile, LetterTemplate
from ..ledger.store import Ledger
from ..store.audit import record
from ..store.base import utc_now
from ..store.tables import Org, User
from .casework import get_case
from .casework_calendar import office_calendar
from .reports import clean_filename, media_kind
from .scope import Forbidden, NotFound

MAX_ATTACHMENTS = 10
MAX_TEMPLATE_CHARS = 20_000
# What a scanned or typed application may be, by content (never by name); HTML and the like
# are refused, so nothing stored can run in a browser.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "image": "application/octet-stream",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/msword",
    "ofd": "application/ofd",
    "text": "text/plain; charset=utf-8",
}
LETTER_TYPES = {".docx": ATTACHMENT_TYPES["docx"], ".pdf": "application/pdf"}
FILE_NOT_FOUND = "文件不存在或无权查看"


@dataclass
class FileInfo:
    id: int
    kind: str
    letter: str | None
    filename: str
    size: int
    added_by: str
    added_at: object


def attachment_type(data: bytes, name: str) -> str:
    """The media type of an acceptable attachment, or an InputError naming the problem: the
    same size limit and content sniffing as an uploaded report (`reports.media_kind`)."""
    try:
        kind = media_kind(data, name)
    except XxgkError as err:
        raise InputError(f"{name}：{err.message}") from None
    if kind not in ATTACHMENT_TYPES:
        raise InputError(f"{name}：不接受此类文件（只接受 PDF、图片、Word/WPS、OFD 和纯文本）")
    return ATTACHMENT_TYPES[kind]


def add_attachments(
    session: Session, ledger: Ledger, user: User, number: str, files: list[tuple[str, bytes]]
) -> list[str]:
    """Store each acceptable file; returns the refusals (the others are still kept)."""
    case, _ = get_case(ledger, number)
    if len(files) > MAX_ATTACHMENTS:
        raise InputError(f"一次最多上传 {MAX_ATTACHMENTS} 个附件")
    refused = []
    for name, data in files:
        name = clean_filename(name)
        try:
            media = attachment_type(data, name)
        except InputError as err:
            refused.append(err.message)
            continue
        _keep(session, case.id, "attachment", None, name, media, data, user.login)
    return refused


def _keep(session, case_id, kind, letter, name, media, data, by) -> CaseFile:
    row = CaseFile(
        case_id=case_id,
        kind=kind,
        letter=letter,
        filename=name,
        media_type=media,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        added_by=by,
        added_at=utc_now(),
    )
    session.add(row)
    session.flush()
    return row


def case_files(session: Session, ledger: Ledger, number: str) -> list[FileInfo]:
    case, _ = get_case(ledger, number)
    rows = session.scalars(
        select(CaseFile)
        .options(defer(CaseFile.content))
        .where(CaseFile.case_id == case.id)
        .order_by(CaseFile.id)
    )
    return [FileInfo(r.id, r.kind, r.letter, r.filename, r.size, r.added_by, r.added_at) for r in rows]


def case_file(session: Session, ledger: Ledger, number: str, file_id: int) -> CaseFile:
    case, _ = get_case(ledger, number)
    row = session.get(CaseFile, file_id)
    if row is None or row.case_id != case.id:
        raise NotFound(FILE_NOT_FOUND)
    return row


# ---------------------------------------------------------------- letters


@dataclass
class LetterFile:
    case_id: int
    number: str
    kind: str
    filename: str
    data: bytes


def write_letter(
    session: Session, ledger: Ledger, user: User, number: str, kind: str, fmt: str
) -> LetterFile:
    """The letter from the office's templates (built-in ones where it has none), as DOCX or
    PDF; reads only, so that rendering never holds the database's write lock."""
    suffix = f".{fmt.strip().lower()}"
    if suffix not in LETTER_TYPES:
        raise InputError(f"不支持的文书格式“{fmt}”：请选 DOCX 或 PDF")
    if kind not in LETTERS:
        raise InputError(f"未知的文书类型“{kind}”")
    case, events = get_case(ledger, number)
    office = session.get(Org, user.org_id).name
    with tempfile.TemporaryDirectory(prefix="xxgk-letter-") as folder:
        own = Path(folder, "templates")
        own.mkdir()
        for name, text in office_templates(session, user.org_id).items():
            (own / name).write_text(text, encoding="utf-8")
        out = Path(folder, f"{case.number}-{LETTERS[kind]}{suffix}")
        render_letter(kind, case, events, office, out, own, calendar=office_calendar(session))
        return LetterFile(case.id, case.number, kind, out.name, out.read_bytes())


def keep_letter(session: Session, user: User, letter: LetterFile) -> CaseFile:
    """Keep a written letter with its case (and say so in the audit log)."""
    media = LETTER_TYPES[Path(letter.filename).suffix]
    row = _keep(
        session, letter.case_id, "letter", letter.kind, letter.filename, media, letter.data, user.login
    )
    record(session, user.login, "ledger.letter", f"申请 {letter.number}", file=letter.filename)
    return row


def office_templates(session: Session, org_id: int) -> dict[str, str]:
    """The office's newest version of each template it has edited."""
    rows = session.scalars(
        select(LetterTemplate).where(LetterTemplate.org_id == org_id).order_by(LetterTemplate.id)
    )
    return {row.name: row.text for row in rows}


def template_texts(session: Session, org_id: int) -> list[tuple[str, str, bool]]:
    """(file name, text, edited by the office) of every template, the office's version first."""
    own = office_templates(session, org_id)
    return [(name, own.get(name, builtin_template(name)), name in own) for name in template_names()]


def save_template(session: Session, user: User, name: str, text: str) -> None:
    if user.role != CLERK:
        raise Forbidden("只有本机构的经办人员可以修改本机构的文书模板")
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_TEMPLATE_CHARS:
        raise InputError(f"模板过长（上限 {MAX_TEMPLATE_CHARS} 字）")
    check_template(name, text)
    session.add(
        LetterTemplate(org_id=user.org_id, name=name, text=text, saved_by=user.login, saved_at=utc_now())
    )
    record(session, user.login, "ledger.template", name)
