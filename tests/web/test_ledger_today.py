"""Today's work of a clerk (services/casework.todays_work) on a fixed day, SQLite and
PostgreSQL: each open case in its group with its due date and the reason in one line."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from xxgk.ledger.calendar import default_calendar
from xxgk.ledger.records import CaseRecord, EventRecord
from xxgk.services.casework import office_ledger, todays_work
from xxgk.store.tables import User

TODAY = date(2025, 10, 27)  # a Monday


def test_each_open_case_is_in_its_group_with_due_date_and_reason(world):
    with world.read() as session:
        clerk = session.scalar(select(User).where(User.login == "jiaotong"))
        ledger = office_ledger(session, clerk)
    cases = {
        "soon": ("2025-09-26", []),
        "overdue": ("2025-09-01", []),
        "correction": ("2025-10-20", [("correction_requested", "2025-10-21", {"items": "文号"})]),
        "fee": (
            "2025-10-10",
            [("fee_notice", "2025-10-15", {"method": "pages", "amount": "100", "pages": 40})],
        ),
        "consultation": ("2025-10-13", [("consultation_started", "2025-10-14", {"party": "甲公司"})]),
        "later": ("2025-10-24", []),
        "closed": ("2025-10-01", [("reply", "2025-10-10", {"outcome": "granted"})]),
    }
    for name, (received, events) in cases.items():
        case = CaseRecord(
            f"2025-{name}", date.fromisoformat(received), "mail", "natural_person", name, "某文件"
        )
        ledger.add_case(case, "jiaotong")
        for kind, day, data in events:
            ledger.add_event(case.number, EventRecord(kind, date.fromisoformat(day), data), "jiaotong")
    work = todays_work(ledger, default_calendar(), TODAY)
    shown = {
        group: [(i.state.case.number, i.due and i.due.isoformat(), i.reason) for i in items]
        for group, items in work.groups.items()
    }
    assert shown == {
        "overdue": [
            ("2025-overdue", "2025-09-28", "答复期限：2025-09-28（星期日），已逾期 29 天")
        ],  # 调休上班
        "soon": [("2025-soon", "2025-10-30", "答复期限：2025-10-30（星期四）")],
        "correction": [
            ("2025-correction", None, "2025-10-21 已告知补正，等待申请人补正（答复期限暂不起算）")
        ],
        "fee": [("2025-fee", "2025-11-12", "等待缴费，缴费期限：2025-11-12（星期三）")],
        "consultation": [
            ("2025-consultation", "2025-11-24", "征求意见中（期限暂停计算），答复期限：2025-11-24（星期一）")
        ],
    }
    assert work.counts == {"办理中": 3, "等待补正": 1, "征求意见中": 1, "等待缴费": 1}


def test_the_admin_sees_which_due_dates_are_provisional(world):
    from xxgk.services.casework_calendar import provisional_cases, upload_override

    with world.read() as session:
        clerk = session.scalar(select(User).where(User.login == "jiaotong"))
        ledger = office_ledger(session, clerk)
    ledger.add_case(
        CaseRecord("", date(2026, 12, 20), "mail", "natural_person", "张三", "某文件"), "jiaotong"
    )
    ledger.add_case(CaseRecord("", date(2026, 11, 2), "mail", "natural_person", "李四", "某文件"), "jiaotong")
    with world.read() as session:
        found = [(p.org, p.number, p.due.isoformat()) for p in provisional_cases(session, date(2026, 12, 21))]
    assert found == [
        ("示例县交通运输局", "2026-0001", "2027-01-15")
    ]  # Mon–Fri: 2027 (and its 元旦) not known
    with world.write() as session:
        admin = session.scalar(select(User).where(User.login == "admin"))
        upload_override(session, admin, "2027:\n  holidays: {2027-01-01: 元旦}\n")
    with world.read() as session:
        assert provisional_cases(session, date(2026, 12, 21)) == []
