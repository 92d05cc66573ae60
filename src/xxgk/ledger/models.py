"""The ledger's tables (SQLAlchemy 2.0 declarative), what their fields may hold, and the
engine settings each backend needs. The Alembic migrations in `migrations/versions` create
exactly this schema; a test compares the two.

Cases and events are append-only: the store never updates or deletes them. The only
mutable rows are the per-year case-number counters and the ledger's settings.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..errors import InputError
from .records import APPLICANT_TYPES, CHANNELS, CaseRecord

SQLITE_BUSY_MS = 30_000

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


# Fixed names, so that migrations name constraints the same way on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC, because SQLite has
    no time zones and PostgreSQL's timestamptz would return the server's zone."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.astimezone()  # a naive time is the machine's local time
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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
    if "://" not in target:
        return _sqlite_engine(_sqlite_path(target, create), target)
    try:
        url = make_url(target)
    except ArgumentError:
        raise InputError("数据库地址无效", target) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(_sqlite_path(url.database or "", create), url.database or target)
    if backend not in ("postgresql", "postgres"):
        raise InputError(f"不支持的数据库类型“{backend}”（支持 SQLite 文件和 postgresql://）", target)
    label = url.render_as_string(hide_password=True)
    try:
        engine = create_engine(url.set(drivername="postgresql+psycopg"))
    except ModuleNotFoundError:
        raise InputError("使用 PostgreSQL 需要安装 psycopg（pip install 'xxgk[postgres]'）", label) from None
    return engine, label


def _sqlite_path(target: str, create: bool) -> Path:
    if not target or target == ":memory:":
        raise InputError("请指定台账数据库文件", target or None)
    path = Path(target).expanduser()
    if path.is_dir():
        raise InputError("是目录，不是台账数据库文件", target)
    if not path.exists():
        if not create:
            raise InputError("台账数据库不存在（先用 xxgk ledger add 或 xxgk ledger import 建立）", target)
        if not path.parent.is_dir():
            raise InputError("台账数据库所在的目录不存在", target)
    return path.resolve()


def _sqlite_engine(path: Path, label: str) -> tuple[Engine, str]:
    url = URL.create("sqlite+pysqlite", database=str(path))
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver's own BEGIN would be DEFERRED; see _on_begin
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads and then writes fails at once (SQLITE_BUSY, no
        # retry) when another writer committed in between; IMMEDIATE takes the lock up front.
        write = conn.get_execution_options().get("xxgk_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine, label
