"""The job queue: a child that crashes or runs past its time limit fails the job with its
reason, a worker that stopped beating leaves a job that the next worker fails, a failed job
can be retried, and two workers never take the same job."""

from __future__ import annotations

import threading
from datetime import timedelta

import jobtargets
from sqlalchemy import update
from websupport import GOOD_TXT, WRONG_TXT

from xxgk.jobs.queue import ABANDONED, claim, reap
from xxgk.jobs.worker import Worker
from xxgk.store.base import utc_now
from xxgk.store.tables import Job, StoredReport


def job_state(db, report_id: int) -> tuple[str, str | None, str]:
    with db.read() as session:
        job = session.query(Job).filter(Job.report_id == report_id).order_by(Job.id.desc()).first()
        return job.status, job.error, session.get(StoredReport, report_id).status


def uploaded(browser, path=WRONG_TXT) -> int:
    return int(browser.upload((path.name, path.read_bytes())).headers["location"].rsplit("/", 1)[1])


def test_a_crashing_child_fails_the_job_and_the_worker_goes_on(as_user, world):
    crashing, fine = uploaded(as_user("jiaotong")), uploaded(as_user("jiaotong"), GOOD_TXT)
    worker = Worker(world, target=jobtargets.die)
    assert worker.run_once() is True
    assert job_state(world, crashing) == ("failed", "读取进程异常退出（退出码 3），可重新读取", "failed")
    assert Worker(world).run_once() is True
    assert job_state(world, fine) == ("done", None, "done")
    page = as_user("jiaotong").get(f"/reports/{crashing}").text
    assert "读取失败：读取进程异常退出（退出码 3），可重新读取" in page
    assert "重新读取并检查" in page


def test_a_child_past_its_time_limit_is_killed_and_the_job_failed(as_user, world):
    report_id = uploaded(as_user("jiaotong"))
    Worker(world, timeout=1, target=jobtargets.hang).run_once()
    assert job_state(world, report_id) == ("failed", "读取超时（超过 1 秒），可重新读取", "failed")
    as_user("jiaotong").post(f"/reports/{report_id}/retry")
    assert Worker(world).run_pending() == 1
    assert job_state(world, report_id) == ("done", None, "done")


def test_a_job_whose_worker_stopped_is_failed_by_the_next_worker(as_user, world):
    report_id = uploaded(as_user("jiaotong"))
    assert claim(world, "vanished-worker") is not None
    assert reap(world) == 0  # it beat just now
    with world.write() as session:
        session.execute(update(Job).values(heartbeat=utc_now() - timedelta(minutes=5)))
    assert reap(world) == 1
    assert job_state(world, report_id) == ("failed", ABANDONED, "failed")


def test_two_workers_never_take_the_same_job(as_user, world):
    ids = [uploaded(as_user("jiaotong"), GOOD_TXT) for _ in range(6)]
    taken: list[int] = []
    lock = threading.Lock()

    def take():
        while (job := claim(world, threading.current_thread().name)) is not None:
            with lock:
                taken.append(job.report_id)

    threads = [threading.Thread(target=take) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken) == sorted(ids)
