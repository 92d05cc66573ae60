"""The audit log: who changed what, when. Every service that changes something calls
`record` in the same transaction as the change; nothing updates or deletes an entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .base import utc_now
from .tables import AuditEntry

ACTION_LABELS = {
    "org.add": "新增机构",
    "org.import": "导入机构树",
    "user.add": "新增账号",
    "user.token": "生成 API 令牌",
    "login.ok": "登录",
    "login.failed": "登录失败",
    "logout": "退出登录",
    "report.upload": "上传报告",
    "report.retry": "重新读取报告",
    "finding.review": "处理检查问题",
}


def record(session: Session, actor: str, action: str, target: str, **detail: Any) -> AuditEntry:
    entry = AuditEntry(at=utc_now(), actor=actor[:200], action=action, target=target[:300], detail=detail)
    session.add(entry)
    return entry


def entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
