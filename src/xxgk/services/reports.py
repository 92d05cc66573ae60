"""Reports in the application: upload (each file becomes a stored report and a job), list,
get, review a finding (confirm or dismiss with a reason), retry a failed job. Every function
takes a session and the user, and only ever touches what the user's scope allows."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ..errors import XxgkError
from ..jobs.queue import DONE, FAILED, enqueue, latest_job, requeue
from ..model import Finding, Report
from ..read import sniff_bytes
from ..read.limits import DEFAULT_MAX_BYTES, too_large_message
from ..store.audit import record
from ..store.base import utc_now
from ..store.tables import FindingReview, Job, Org, StoredReport, User
from .scope import Forbidden, readable_reports, report_for_read, report_for_write, upload_org

MAX_FILES = 50
MAX_NAME = 200
MAX_REASON = 2000
DECISIONS = {"confirmed": "确认", "dismissed": "不予采纳"}
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class UploadResult:
    filename: str
    report_id: int | None = None
    error: str | None = None


def upload(
    session: Session, user: User, files: list[tuple[str, bytes]], org_name: str | None = None
) -> list[UploadResult]:
    """Store each acceptable file as a report with a queued job; a refused file gets a
    Chinese message and the others are still taken."""
    org = upload_org(session, user, org_name)
    if len(files) > MAX_FILES:
        raise Forbidden(f"一次最多上传 {MAX_FILES} 个文件")
    results = []
    for name, data in files:
        name = clean_filename(name)
        try:
            kind = media_kind(data, name)
        except XxgkError as err:
            results.append(UploadResult(name, error=f"{name}：{err.message}"))
            continue
        report = _store(session, user, org, name, data, kind)
        results.append(UploadResult(name, report_id=report.id))
    return results


def clean_filename(name: str | None) -> str:
    base = PurePath((name or "").replace("\\", "/")).name
    base = _BAD_NAME.sub("", base).strip()
    return base[-MAX_NAME:] or "未命名文件"


def media_kind(data: bytes, name: str) -> str:
    """The medium the readers will see, or an InputError for what they refuse outright."""
    if len(data) > DEFAULT_MAX_BYTES:
        raise XxgkError(too_large_message(len(data), DEFAULT_MAX_BYTES))
    kind = sniff_bytes(data, None)
    if PurePath(name).suffix.lower() in (".yaml", ".yml") and kind == "text":
        return "yaml"
    return kind


def _store(session: Session, user: User, org: Org, name: str, data: bytes, kind: str) -> StoredReport:
    report = StoredReport(
        org_id=org.id,
        uploaded_by=user.id,
        uploaded_at=utc_now(),
        filename=name,
        media_kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        status="queued",
        errors=0,
        warnings=0,
    )
    session.add(report)
    session.flush()
    enqueue(session, report)
    record(session, user.login, "report.upload", f"报告 #{report.id}", file=name, org=org.name, kind=kind)
    return report


def list_reports(session: Session, user: User, limit: int = 500) -> list[StoredReport]:
    query = readable_reports(session, user).options(defer(StoredReport.content))
    query = query.options(defer(StoredReport.report_json), defer(StoredReport.source_lines))
    return list(session.scalars(query.order_by(StoredReport.id.desc()).limit(limit)))


def get_report(session: Session, user: User, report_id: int) -> StoredReport:
    return report_for_read(session, user, report_id)


def report_model(stored: StoredReport) -> Report | None:
    return None if stored.report_json is None else Report.from_json(stored.report_json)


def job_of(session: Session, user: User, report_id: int) -> Job | None:
    report_for_read(session, user, report_id)
    return latest_job(session, report_id)


def retry(session: Session, user: User, report_id: int) -> Job:
    """Read a report again (after a failure, or to pick up last year's report uploaded since)."""
    report = report_for_write(session, user, report_id)
    if report.status not in (DONE, FAILED):
        raise Forbidden("报告正在处理中，请稍候")
    job = requeue(session, report)
    record(session, user.login, "report.retry", f"报告 #{report.id}")
    return job


def finding_key(finding: Finding) -> str:
    """A stable name for a finding of a report, for reviews and links."""
    text = "|".join([finding.code, finding.severity, finding.message, ",".join(finding.cells)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def review_finding(
    session: Session, user: User, report_id: int, key: str, decision: str, reason: str
) -> FindingReview:
    report = report_for_write(session, user, report_id)
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise XxgkError("请选择“确认”或“不予采纳”")
    if not reason:
        raise XxgkError("请填写理由")
    if len(reason) > MAX_REASON:
        raise XxgkError(f"理由不能超过 {MAX_REASON} 字")
    model = report_model(report)
    findings = {finding_key(f): f for f in (model.findings if model else [])}
    if key not in findings:
        raise XxgkError("该检查问题不存在（报告可能已重新检查）")
    review = FindingReview(
        report_id=report.id, finding_key=key, decision=decision, reason=reason, user_id=user.id, at=utc_now()
    )
    session.add(review)
    record(
        session,
        user.login,
        "finding.review",
        f"报告 #{report.id}",
        finding=findings[key].code,
        key=key,
        decision=decision,
        reason=reason,
    )
    return review


def current_reviews(session: Session, report_id: int) -> dict[str, tuple[FindingReview, str]]:
    """finding key -> (latest review, reviewer's login)."""
    query = (
        select(FindingReview, User.login)
        .join(User, User.id == FindingReview.user_id)
        .where(FindingReview.report_id == report_id)
        .order_by(FindingReview.id)
    )
    return {review.finding_key: (review, login) for review, login in session.execute(query)}
