"""The ledger's storage on SQLite and PostgreSQL: schema from the migrations, numbering,
append-only events with validation, batched reading, refusal of foreign databases."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from xxgk.errors import InputError
from xxgk.ledger import domain
from xxgk.ledger.records import CaseRecord, EventRecord
from xxgk.ledger.store import Ledger, event_numbers
from xxgk.store.migrations import head_revision
from xxgk.store.tables import all_metadata

pytestmark = pytest.mark.usefixtures("validation")


def new_case(received: str = "2025-03-03", number: str = "", **fields) -> CaseRecord:
    values = {
        "channel": "online",
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "request": "2024年城区道路维修经费明细",
    }
    return CaseRecord(number=number, received=date.fromisoformat(received), **(values | fields))


def ev(kind: str, day: str, **data) -> EventRecord:
    return EventRecord(kind=kind, date=date.fromisoformat(day), data=data)


@pytest.fixture
def ledger(ledger_url):
    with Ledger.open(ledger_url) as opened:
        yield opened


def test_migration_creates_exactly_the_models_schema(ledger):
    # the ledger lives in the application's one database: revision 0001 is the ledger's
    # tables, 0002 the app's (xxgk.store); the migrations match the declared tables exactly
    with ledger.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), all_metadata()) == []
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == head_revision() == "0004"


def test_numbers_per_year_in_order_and_record_kept_exactly(ledger):
    before = datetime.now(UTC).replace(microsecond=0)
    first = ledger.add_case(new_case("2025-03-03", applicant_contact=" 138 0000 0000 "), "李四")
    second = ledger.add_case(new_case("2025-12-31"), "李四")
    other_year = ledger.add_case(new_case("2024-12-30"), "王五")
    assert [first.number, second.number, other_year.number] == ["2025-0001", "2025-0002", "2024-0001"]
    assert first.applicant_contact == "138 0000 0000"  # trimmed on entry
    assert first.recorded_by == "李四" and before <= first.recorded_at <= datetime.now(UTC)
    stored, events = ledger.case("2025-0001")
    assert stored == first and events == []
    assert stored.recorded_at.tzinfo is UTC


def test_hand_typed_numbers_are_unique_and_skipped_by_numbering(ledger):
    ledger.add_case(new_case(number="2025-0002"), "李四")
    ledger.add_case(new_case(number="依申请〔2025〕7号"), "李四")
    with pytest.raises(InputError, match=r"^登记号 2025-0002 已存在$"):
        ledger.add_case(new_case(number="2025-0002"), "李四")
    numbers = [ledger.add_case(new_case(), "李四").number for _ in range(3)]
    assert numbers == ["2025-0001", "2025-0003", "2025-0004"]
    assert ledger.count_cases() == 5


def test_bad_registration_is_refused_with_every_problem(ledger):
    bad = new_case(channel="pigeon", applicant_type="企业", applicant_name="  ", request="a\x00b")
    with pytest.raises(InputError) as info:
        ledger.add_case(bad, "李四")
    assert str(info.value) == (
        "未知的渠道“pigeon”（可选：当面提交、信函、网上申请、电子邮件、传真）；"
        "未知的申请人类型“企业”（可选：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）；"
        "申请人不能为空；申请内容含有不可见的控制字符"
    )
    with pytest.raises(InputError, match="缺少记录人"):
        ledger.add_case(new_case(), " ")
    assert ledger.count_cases() == 0


def test_events_append_and_voiding_keeps_the_original(ledger):
    case = ledger.add_case(new_case(), "李四")
    note = ledger.add_event(case.number, ev("note", "2025-03-04", text="电话沟通"), "李四")
    reply = ledger.add_event(case.number, ev("reply", "2025-03-20", outcome="granted"), "王五")
    void = EventRecord("void", date(2025, 3, 21), {"reason": "录入错误"}, supersedes=note.id)
    voided = ledger.add_event(case.number, void, "王五")
    _, events = ledger.case(case.number)
    assert [(e.kind, e.supersedes, e.recorded_by) for e in events] == [
        ("note", None, "李四"),
        ("reply", None, "王五"),
        ("void", note.id, "王五"),
    ]
    assert events == [note, reply, voided]
    assert event_numbers(events) == {note.id: 1, reply.id: 2, voided.id: 3}


def test_event_data_is_stored_as_plain_json(ledger):
    case = ledger.add_case(new_case(), "李四")
    amended = ev("case_amended", "2025-03-05", fields={"received": date(2025, 3, 2)})
    stored = ledger.add_event(case.number, amended, "李四")
    assert stored.data == {"fields": {"received": "2025-03-02"}}
    assert ledger.case(case.number)[1][0].data == {"fields": {"received": "2025-03-02"}}
    with pytest.raises(InputError, match="事件数据无法保存"):
        ledger.add_event(case.number, ev("note", "2025-03-05", text={1, 2}), "李四")


def test_event_refusals_store_nothing(ledger, monkeypatch):
    case = ledger.add_case(new_case(), "李四")
    other = ledger.add_case(new_case(), "李四")
    foreign = ledger.add_event(other.number, ev("note", "2025-03-04", text="x"), "李四")
    cases = [
        ("2099-0001", ev("note", "2025-03-04"), "登记号 2099-0001 不存在"),
        (case.number, ev("答复", "2025-03-04"), "未知的事件类型“答复”"),
        (case.number, ev("void", "2025-03-04", reason="x"), "作废事件必须指明被作废的事件"),
        (
            case.number,
            replace(ev("void", "2025-03-04"), supersedes=foreign.id),
            f"事件 #{foreign.id} 不属于申请 2025-0001",
        ),
    ]
    for number, event, message in cases:
        with pytest.raises(InputError) as info:
            ledger.add_event(number, event, "李四")
        assert str(info.value) == message
    seen = []

    def refuse(case_, events, new):
        seen.append((case_.number, list(events), new.kind, new.recorded_by))
        return ["答复日期早于收到日期", "答复结果未知"]

    monkeypatch.setattr(domain, "validate_event", refuse)
    with pytest.raises(InputError) as info:
        ledger.add_event(case.number, ev("reply", "2025-01-01", outcome="?"), "李四")
    assert str(info.value) == "申请 2025-0001：答复日期早于收到日期；答复结果未知"
    assert seen == [("2025-0001", [], "reply", "李四")]
    assert ledger.case(case.number)[1] == []


def test_validation_sees_the_history_in_recorded_order(ledger, monkeypatch):
    case = ledger.add_case(new_case(), "李四")
    first = ledger.add_event(case.number, ev("note", "2025-03-10", text="后发生，先录入"), "李四")
    second = ledger.add_event(case.number, ev("note", "2025-03-05", text="先发生，后录入"), "李四")
    seen = []
    monkeypatch.setattr(domain, "validate_event", lambda c, events, new: seen.append(events) or [])
    ledger.add_event(case.number, ev("note", "2025-03-11"), "李四")
    assert seen == [[first, second]]


@dataclass
class _State:
    status: str


def _closed_by_reply(case, events, as_of):
    effective = {e.id for e in events} - {e.supersedes for e in events if e.kind == "void"}
    closed = any(e.kind == "reply" and e.id in effective and e.date <= as_of for e in events)
    return _State("closed" if closed else "open")


def test_reading_in_batches_with_filters(ledger, monkeypatch):
    monkeypatch.setattr(domain, "case_state", _closed_by_reply)
    days = ["2024-12-20", "2025-01-02", "2024-11-05", "2025-02-10", "2024-12-31"]
    numbers = [ledger.add_case(new_case(day), "李四").number for day in days]
    ledger.add_event(numbers[0], ev("reply", "2025-01-06", outcome="granted"), "李四")
    reply = ledger.add_event(numbers[2], ev("reply", "2024-11-20", outcome="granted"), "李四")
    all_numbers = [c.number for c, _ in ledger.cases(batch_size=2)]
    assert all_numbers == numbers
    assert [c.number for c, _ in ledger.all_histories()] == numbers
    before_2025 = [c.number for c, _ in ledger.cases(received_before=date(2025, 1, 1), batch_size=2)]
    assert before_2025 == ["2024-0001", "2024-0002", "2024-0003"]
    open_at_year_end = [c.number for c, _ in ledger.cases(open_on=date(2024, 12, 31), batch_size=1)]
    assert open_at_year_end == ["2024-0001", "2024-0003"]
    ledger.add_event(
        numbers[2], EventRecord("void", date(2025, 1, 3), {"reason": "误录"}, supersedes=reply.id), "李四"
    )
    assert [c.number for c, _ in ledger.cases(open_on=date(2024, 12, 31))] == [
        "2024-0001",
        "2024-0002",
        "2024-0003",
    ]


def test_amended_cases_are_kept_by_the_received_filter(ledger):
    ledger.add_case(new_case("2025-01-03"), "李四")
    late = ledger.add_case(new_case("2025-01-04"), "李四")
    ledger.add_event(late.number, ev("case_amended", "2025-01-05", fields={"received": "2024-12-31"}), "李四")
    assert [c.number for c, _ in ledger.cases(received_before=date(2025, 1, 1))] == ["2025-0002"]


def test_import_is_all_or_nothing_and_numbering_continues(ledger):
    ledger.add_case(new_case(number="2025-0003"), "李四")
    note = EventRecord("note", date(2025, 3, 4), {"text": "x"}, id=1)
    void = EventRecord("void", date(2025, 3, 5), {"reason": "y"}, id=2, supersedes=1)
    histories = [(new_case(number="2025-0010"), [note, void]), (new_case(number="2025-0003"), [])]
    with pytest.raises(InputError, match=r"^登记号已在台账中：2025-0003$"):
        ledger.import_histories(histories, "导入员")
    assert ledger.count_cases() == 1
    assert ledger.import_histories(histories[:1], "导入员") == 1
    case, events = ledger.case("2025-0010")
    assert case.recorded_by == "导入员"
    assert [(e.kind, e.supersedes == events[0].id) for e in events] == [("note", False), ("void", True)]
    assert ledger.add_case(new_case(), "李四").number == "2025-0011"


def test_settings_can_change(ledger):
    assert ledger.get_info("agency") is None
    ledger.set_info("agency", "某市司法局")
    ledger.set_info("agency", "某市司法局办公室")
    assert ledger.get_info("agency") == "某市司法局办公室"


def test_reopen_keeps_everything(ledger_url):
    with Ledger.open(ledger_url) as first:
        first.add_case(new_case(), "李四")
    with Ledger.open(ledger_url, create=False) as again:
        assert [c.number for c, _ in again.cases()] == ["2025-0001"]


def test_missing_or_foreign_sqlite_files_are_refused(tmp_path):
    missing = tmp_path / "none.sqlite3"
    with pytest.raises(InputError, match="台账数据库不存在"):
        Ledger.open(missing, create=False)
    assert not missing.exists()
    with pytest.raises(InputError, match="台账数据库所在的目录不存在"):
        Ledger.open(tmp_path / "no" / "x.sqlite3")
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(InputError) as info:
        Ledger.open(text_file)
    assert str(info.value) == f"{text_file}：不是台账数据库（无法作为 SQLite 数据库读取）"
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (x)")
    with pytest.raises(InputError, match="不是 xxgk 台账数据库（其中已有其他数据表）"):
        Ledger.open(other)


def test_newer_schema_is_refused(ledger_url):
    with Ledger.open(ledger_url) as ledger, ledger.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(InputError, match=r"台账由较新版本的 xxgk 建立（结构版本 9999），请升级 xxgk"):
        Ledger.open(ledger_url)


def test_unreachable_server_and_unknown_scheme(pg_server):
    with pytest.raises(InputError) as info:
        Ledger.open(f"postgresql://postgres:secret@127.0.0.1:{pg_server.port}/no_such_db")
    assert str(info.value).startswith(f"postgresql://postgres:***@127.0.0.1:{pg_server.port}/no_such_db：")
    assert "无法打开台账数据库" in str(info.value) and "secret" not in str(info.value)
    with pytest.raises(InputError, match="不支持的数据库类型“mysql”"):
        Ledger.open("mysql://u@h/db")
