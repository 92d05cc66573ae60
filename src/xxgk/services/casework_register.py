"""Registering an application from the web form (the applicant's ID document included) and
spotting a repeated one: the same applicant asking the same thing within 30 days (表三
不予处理·重复申请 is then the usual reply)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select

from ..errors import InputError
from ..ledger.calendar import parse_day
from ..ledger.models import CASES
from ..ledger.records import APPLICANT_TYPES, CHANNELS, CaseRecord, choice_key
from ..ledger.store import Ledger

REPEAT_DAYS = 30
SAME_REQUEST = 0.85  # similarity of the normalised request texts
ID_DOC_TYPES = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "credit_code": "统一社会信用代码",
    "other": "其他证件",
}
MAX_ID_NUMBER = 64
FORM_FIELDS = (
    "received",
    "channel",
    "applicant_type",
    "applicant_name",
    "applicant_contact",
    "id_doc_type",
    "id_doc_number",
    "request",
)


def case_from_form(form: dict[str, str]) -> tuple[CaseRecord, dict[str, Any]]:
    """The case and its ID document from the registration form; problems in Chinese, all
    of them at once (the library checks the rest when the case is stored)."""
    problems = []
    received = parse_day(form.get("received", ""))
    if received is None:
        problems.append(f"收到日期“{form.get('received', '')}”无效（应为 YYYY-MM-DD）")
    channel = choice_key(form.get("channel", ""), CHANNELS)
    if channel is None:
        problems.append("请选择申请渠道")
    applicant_type = choice_key(form.get("applicant_type", ""), APPLICANT_TYPES)
    if applicant_type is None:
        problems.append("请选择申请人类型（决定计入表三的哪一列）")
    doc_type = (form.get("id_doc_type") or "").strip()
    doc_number = re.sub(r"\s+", "", form.get("id_doc_number") or "")
    if doc_type and doc_type not in ID_DOC_TYPES:
        problems.append(f"未知的证件类型“{doc_type}”")
    if doc_number and not doc_type:
        problems.append("填写了证件号码，请同时选择证件类型")
    if len(doc_number) > MAX_ID_NUMBER:
        problems.append(f"证件号码过长（上限 {MAX_ID_NUMBER} 个字符）")
    if problems:
        raise InputError("；".join(problems))
    case = CaseRecord(
        number="",
        received=received,
        channel=channel,
        applicant_type=applicant_type,
        applicant_name=form.get("applicant_name") or "",
        request=form.get("request") or "",
        applicant_contact=form.get("applicant_contact") or "",
    )
    return case, {"id_doc_type": doc_type or None, "id_doc_number": doc_number or None}


def register(ledger: Ledger, login: str, form: dict[str, str]) -> CaseRecord:
    case, extra = case_from_form(form)
    return ledger.add_case(case, login, extra=extra)


def case_extra(ledger: Ledger, case: CaseRecord) -> dict[str, Any]:
    """The ID document of a case of the ledger's node (a personal-data ledger only)."""
    if not ledger.personal:
        return {}
    query = ledger.scoped(select(CASES.c.id_doc_type, CASES.c.id_doc_number).where(CASES.c.id == case.id))
    with ledger.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or not row.id_doc_type:
        return {}
    return {"证件": f"{ID_DOC_TYPES.get(row.id_doc_type, row.id_doc_type)} {row.id_doc_number or ''}".strip()}


def duplicates_of(ledger: Ledger, case: CaseRecord) -> list[CaseRecord]:
    """Other cases of the node from the same applicant (same name, or same ID document)
    within REPEAT_DAYS of this one that ask for the same thing."""
    window = dt.timedelta(days=REPEAT_DAYS)
    extra = case_extra(ledger, case)
    same = CASES.c.applicant_name == case.applicant_name
    if extra:
        doc = select(CASES.c.id_doc_number).where(CASES.c.id == case.id).scalar_subquery()
        same = same | (CASES.c.id_doc_number == doc)
    query = ledger.scoped(
        select(CASES.c.number, CASES.c.received, CASES.c.request).where(
            same,
            CASES.c.id != case.id,
            CASES.c.received.between(case.received - window, case.received + window),
        )
    ).order_by(CASES.c.received, CASES.c.id)
    with ledger.engine.connect() as conn:
        rows = conn.execute(query).all()
    mine = _normal(case.request)
    return [
        CaseRecord(r.number, r.received, "", "", case.applicant_name, r.request)
        for r in rows
        if SequenceMatcher(None, mine, _normal(r.request)).ratio() >= SAME_REQUEST
    ]


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum())
