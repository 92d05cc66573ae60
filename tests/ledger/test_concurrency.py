"""Two writers at once lose nothing: every event is kept, case numbers stay unique and
gapless per year — two processes (also racing to create the schema) and two threads,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from xxgk.ledger.records import CaseRecord, EventRecord
from xxgk.ledger.store import Ledger, event_numbers

pytestmark = pytest.mark.usefixtures("validation")

PER_WRITER = 25

# A writer process: waits for the start signal, opens the (maybe not yet created) ledger,
# then alternates new cases with notes on the shared case 2025-0001 (created by whoever
# comes first: the other writer may be adding it at the same moment).
WORKER = r"""
import sys, time
from datetime import date
from pathlib import Path
from xxgk.errors import InputError
from xxgk.ledger.records import CaseRecord, EventRecord
from xxgk.ledger.store import Ledger

url, name, go, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
ledger = Ledger.open(url)
for i in range(count):
    case = CaseRecord("", date(2025, 1 + i % 12, 1 + i % 28), "mail", "commercial", name, f"{name} 第{i}件")
    ledger.add_case(case, name)
    ledger.add_event("2025-0001", EventRecord("note", date(2025, 12, 31), {"text": f"{name}-{i}"}), name)
print("done", flush=True)
"""


def run_two_processes(url: str, tmp_path: Path, script: str = WORKER, count: int = PER_WRITER) -> None:
    """Two writer processes started at the same moment; both must finish cleanly."""
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, name, str(go), str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("甲", "乙")
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done"


def first_case(ledger: Ledger) -> None:
    ledger.add_case(
        CaseRecord("", date(2025, 1, 1), "in_person", "natural_person", "共同", "共享的申请"), "测试"
    )


def assert_nothing_lost(ledger: Ledger, writers: tuple[str, ...], per_writer: int) -> None:
    histories = list(ledger.cases())
    numbers = sorted(case.number for case, _ in histories)
    assert numbers == [f"2025-{n:04d}" for n in range(1, len(writers) * per_writer + 2)]
    _, events = ledger.case("2025-0001")
    texts = sorted(e.data["text"] for e in events)
    assert texts == sorted(f"{w}-{i}" for w in writers for i in range(per_writer))
    assert sorted(event_numbers(events).values()) == list(range(1, len(events) + 1))
    for writer in writers:  # each writer's own notes are in its own order
        mine = [e.data["text"] for e in events if e.recorded_by == writer]
        assert mine == [f"{writer}-{i}" for i in range(per_writer)]


def test_two_processes_lose_nothing(ledger_url, tmp_path):
    with Ledger.open(ledger_url) as ledger:
        first_case(ledger)
    started = time.monotonic()
    run_two_processes(ledger_url, tmp_path)
    elapsed = time.monotonic() - started
    with Ledger.open(ledger_url) as ledger:
        assert_nothing_lost(ledger, ("甲", "乙"), PER_WRITER)
    assert elapsed < 60


def test_two_processes_creating_the_ledger_at_once(ledger_url, tmp_path):
    # Neither process finds a schema; both try to create it at the same moment.
    script = WORKER.replace('ledger.add_event("2025-0001"', "pass  #").replace(
        "ledger = Ledger.open(url)", "ledger = Ledger.open(url)\nledger.count_cases()"
    )
    run_two_processes(ledger_url, tmp_path, script, count=3)
    with Ledger.open(ledger_url) as ledger:
        assert sorted(c.number for c, _ in ledger.cases()) == [f"2025-{n:04d}" for n in range(1, 7)]


def test_two_threads_sharing_one_ledger_lose_nothing(ledger_url):
    with Ledger.open(ledger_url) as ledger:
        first_case(ledger)
        errors: list[BaseException] = []
        barrier = threading.Barrier(2)

        def write(name: str) -> None:
            try:
                barrier.wait()
                for i in range(PER_WRITER):
                    ledger.add_case(
                        CaseRecord("", date(2025, 6, 1), "email", "research", name, f"第{i}件"), name
                    )
                    note = EventRecord("note", date(2025, 6, 2), {"text": f"{name}-{i}"})
                    ledger.add_event("2025-0001", note, name)
            except BaseException as err:  # reported below: a thread's failure must fail the test
                errors.append(err)

        threads = [threading.Thread(target=write, args=(name,)) for name in ("丙", "丁")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert_nothing_lost(ledger, ("丙", "丁"), PER_WRITER)


def test_validation_never_sees_a_stale_history(ledger_url, monkeypatch):
    # Two clerks record the reply to the same case at the same moment. Validation is slow
    # here, so without a lock both would see "no reply yet" and both replies would be kept.
    from xxgk.errors import InputError
    from xxgk.ledger import domain

    def one_reply_only(case, events, new):
        time.sleep(0.3)
        if new.kind == "reply" and any(e.kind == "reply" for e in events):
            return ["已经答复过"]
        return []

    monkeypatch.setattr(domain, "validate_event", one_reply_only)
    with Ledger.open(ledger_url) as ledger:
        first_case(ledger)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def reply(name: str) -> None:
            barrier.wait()
            try:
                ledger.add_event(
                    "2025-0001", EventRecord("reply", date(2025, 1, 20), {"outcome": "granted"}), name
                )
                outcomes.append("ok")
            except InputError as err:
                outcomes.append(str(err))

        threads = [threading.Thread(target=reply, args=(name,)) for name in ("甲", "乙")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["ok", "申请 2025-0001：已经答复过"]
        assert [e.kind for e in ledger.case("2025-0001")[1]] == ["reply"]
