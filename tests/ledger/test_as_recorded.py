"""A year report reproduced as the ledger stood on the day it was published: corrections
recorded later do not change it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from test_ledger_cli import ok, register

from xxgk.ledger.history import as_recorded
from xxgk.ledger.records import CaseRecord, EventRecord
from xxgk.ledger.stats import year_cells
from xxgk.source import load_source

PUBLISHED = datetime(2026, 1, 20, 23, 59, 59, tzinfo=UTC)


def _history():
    case = CaseRecord("2025-0001", date(2025, 3, 3), "online", "natural_person", "甲", "某文件", id=1)
    case.recorded_at = datetime(2025, 3, 3, 9, tzinfo=UTC)
    reply = EventRecord("reply", date(2025, 3, 20), {"outcome": "granted"}, case_id=1, id=1)
    reply.recorded_at = datetime(2025, 3, 20, 10, tzinfo=UTC)
    # In February 2026 the office finds the reply was really a partial disclosure.
    fix = EventRecord(
        "reply", date(2025, 3, 20), {"outcome": "partially_granted"}, case_id=1, id=2, supersedes=1
    )
    fix.recorded_at = datetime(2026, 2, 10, 15, tzinfo=UTC)
    late = CaseRecord("2025-0002", date(2025, 6, 1), "mail", "commercial", "乙公司", "某数据", id=2)
    late.recorded_at = datetime(2026, 2, 11, 8, tzinfo=UTC)  # registered late, after publication
    return [(case, [reply, fix]), (late, [])]


def test_the_published_report_is_reproduced_after_later_corrections():
    now = year_cells(_history(), 2025)
    then = year_cells(as_recorded(_history(), PUBLISHED), 2025)
    assert (then["applications/granted/total"], then["applications/partially_granted/total"]) == (1, 0)
    assert (now["applications/granted/total"], now["applications/partially_granted/total"]) == (0, 1)
    assert then["applications/received/total"] == 1 and now["applications/received/total"] == 2
    assert then["applications/carried_forward/commercial"] == 0
    assert now["applications/carried_forward/commercial"] == 1


def test_cli_as_recorded_day(tmp_path):
    db = str(tmp_path / "l.sqlite3")
    register(db, "2025-03-03", "甲")
    ok(db, "info", "--agency", "某局")
    out = tmp_path / "r.yaml"
    today = datetime.now().astimezone().date()
    ok(db, "report", "--year", "2025", "-o", str(out), "--as-recorded", str(today - timedelta(days=1)))
    assert load_source(str(out)).value("applications/received/total") == 0  # nothing was recorded yet
    ok(db, "report", "--year", "2025", "-o", str(out), "--as-recorded", str(today), "--force")
    assert load_source(str(out)).value("applications/received/total") == 1
