"""The jobs table's life cycle: queued → running → done | failed; failed (or done) → queued
again on retry. A claim is atomic (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the write
lock of BEGIN IMMEDIATE), so two workers never take the same job. A running job whose
worker stopped beating is failed by the next worker that looks (`reap`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from ..store import Database
from ..store.base import utc_now
from ..store.tables import Job, StoredReport

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STAGES = {
    "queued": "排队等候",
    "reading": "正在读取",
    "checking": "正在检查",
    "done": "完成",
    "failed": "失败",
}
STALE_AFTER = timedelta(seconds=90)
ABANDONED = "处理中断：工作进程已停止（可重新读取）"


@dataclass
class Claimed:
    job_id: int
    report_id: int
    filename: str
    content: bytes


def enqueue(session, report: StoredReport) -> Job:
    job = Job(report_id=report.id, status=QUEUED, stage="queued", attempts=0, created_at=utc_now())
    session.add(job)
    return job


def claim(db: Database, worker: str) -> Claimed | None:
    with db.write() as session:
        query = select(Job).where(Job.status == QUEUED).order_by(Job.id).limit(1)
        job = session.scalar(query.with_for_update(skip_locked=True))
        if job is None:
            return None
        now = utc_now()
        job.status, job.stage, job.worker = RUNNING, "reading", worker[:200]
        job.started_at = job.heartbeat = now
        job.attempts += 1
        report = session.get(StoredReport, job.report_id)
        report.status = RUNNING
        return Claimed(job.id, report.id, report.filename, report.content)


def beat(db: Database, job_id: int, stage: str | None = None) -> None:
    values: dict = {"heartbeat": utc_now()}
    if stage:
        values["stage"] = stage
    with db.write() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING).values(**values))


def fail(db: Database, job_id: int, message: str) -> None:
    with db.write() as session:
        job = session.get(Job, job_id)
        _finish(session, job, FAILED, message)


def _finish(session, job: Job, status: str, error: str | None) -> None:
    job.status, job.stage, job.error, job.finished_at = status, status, error, utc_now()
    session.get(StoredReport, job.report_id).status = status


def reap(db: Database) -> int:
    """Fail running jobs whose worker has not beaten for STALE_AFTER; returns how many."""
    cutoff = utc_now() - STALE_AFTER
    with db.write() as session:
        stale = list(session.scalars(select(Job).where(Job.status == RUNNING, Job.heartbeat < cutoff)))
        for job in stale:
            _finish(session, job, FAILED, ABANDONED)
        return len(stale)


def latest_job(session, report_id: int) -> Job | None:
    return session.scalar(select(Job).where(Job.report_id == report_id).order_by(Job.id.desc()).limit(1))


def requeue(session, report: StoredReport) -> Job:
    report.status = QUEUED
    return enqueue(session, report)


def elapsed_seconds(job: Job | None) -> int | None:
    """Seconds since a running job started (None before it starts)."""
    if job is None or job.started_at is None or job.status != RUNNING:
        return None
    return max(0, int((utc_now() - job.started_at).total_seconds()))
