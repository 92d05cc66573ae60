"""The ledger's tables (SQLAlchemy 2.0 declarative), what their fields may hold, and the
engine settings each backend needs. The Alembic migrations of the application database
(`xxgk.store.migrations`, revision 0001) create exactly this schema; a test compares the two.

Cases and events are append-only: the store never updates or deletes them. The only
mutable rows are the per-year case-number counters and the ledger's settings.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from ..errors import InputError
from ..store.base import NAMING, Base, UTCDateTime  # noqa: F401  (re-exported)
from ..store.engine import SQLITE_BUSY_MS, create_db_engine  # noqa: F401  (re-exported)
from .records import APPLICANT_TYPES, CHANNELS, CaseRecord

FIELD_LABELS = {
    "number": "登记号",
    "received": "收到日期",
    "channel": "渠道",
    "applicant_type": "申请人类型",
    "applicant_name": "申请人",
    "applicant_contact": "联系方式",
    "request": "申请内容",
    "recorded_by": "记录人",
    "recorded_at": "记录时间",
}
TEXT_LIMITS = {"number": 64, "applicant_name": 200, "applicant_contact": 500, "request": 20000}
REQUIRED_TEXT = ("applicant_name", "request")
MAX_ACTOR = 200
MAX_DATA_CHARS = 20000

# Characters XML (hence XLSX) cannot hold; refused at entry so every export can be re-imported.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def normalize_case(case: CaseRecord) -> CaseRecord:
    return replace(
        case,
        number=clean_text(case.number),
        applicant_name=clean_text(case.applicant_name),
        applicant_contact=clean_text(case.applicant_contact),
        request=clean_text(case.request),
    )


def case_problems(case: CaseRecord) -> list[tuple[str, str]]:
    """(field, Chinese message) for each field of a normalised case that cannot be stored."""
    problems: list[tuple[str, str]] = []
    if not isinstance(case.received, date) or isinstance(case.received, datetime):
        problems.append(("received", "缺少收到日期"))
    if case.channel not in CHANNELS:
        problems.append(("channel", f"未知的渠道“{case.channel}”（可选：{'、'.join(CHANNELS.values())}）"))
    if case.applicant_type not in APPLICANT_TYPES:
        choices = "、".join(APPLICANT_TYPES.values())
        problems.append(("applicant_type", f"未知的申请人类型“{case.applicant_type}”（可选：{choices}）"))
    for name in REQUIRED_TEXT:
        if not getattr(case, name):
            problems.append((name, f"{FIELD_LABELS[name]}不能为空"))
    for name, limit in TEXT_LIMITS.items():
        value = getattr(case, name)
        if len(value) > limit:
            problems.append((name, f"{FIELD_LABELS[name]}过长（{len(value)} 字，上限 {limit} 字）"))
        if _ILLEGAL.search(value):
            problems.append((name, f"{FIELD_LABELS[name]}含有不可见的控制字符"))
    return problems


def check_actor(by: str) -> str:
    by = clean_text(by or "")
    if not by:
        raise InputError("缺少记录人（用 --by 或环境变量 XXGK_USER 指定）")
    if len(by) > MAX_ACTOR or _ILLEGAL.search(by):
        raise InputError("记录人名称无效（过长或含控制字符）")
    return by


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def normalize_data(data: Any) -> dict[str, Any]:
    """The event data as it will be stored: plain JSON (dates as ISO text, amounts as text)."""
    if not isinstance(data, dict):
        raise InputError("事件数据必须是键值对")
    try:
        text = json.dumps(data, default=_json_default, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as err:
        raise InputError(f"事件数据无法保存（{err}）") from None
    if len(text) > MAX_DATA_CHARS or _ILLEGAL.search(text):
        raise InputError("事件数据过长或含有不可见的控制字符")
    return json.loads(text)


class LedgerInfo(Base):
    """Settings of the ledger, e.g. the agency's name."""

    __tablename__ = "ledger_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CaseCounter(Base):
    """The last registration number given per year; incremented in the transaction that
    inserts the case, so numbers are unique and without gaps."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    received: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(32))
    applicant_type: Mapped[str] = mapped_column(String(32))
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant_contact: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Revision 0004, for the web app: the node whose ledger the case is in (None in a ledger
    # kept with the command line alone) and the applicant's ID document, which the web form
    # asks for and the CLI's files do not carry.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"), index=True, nullable=True)
    id_doc_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    id_doc_number: Mapped[str | None] = mapped_column(String(64), nullable=True)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    date: Mapped[date] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("events.id"), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


CASES = CaseRow.__table__
EVENTS = EventRow.__table__
COUNTERS = CaseCounter.__table__
INFO = LedgerInfo.__table__


def create_ledger_engine(target: str, *, create: bool = True) -> tuple[Engine, str]:
    """An engine for a SQLite path or a database URL, and the label to show users."""
    hint = "（先用 xxgk ledger add 或 xxgk ledger import 建立）"
    return create_db_engine(target, create=create, what="台账数据库", missing_hint=hint)
