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
    "cycle.open": "发起年度填报",
    "cycle.deadlines": "修改填报期限",
    "filing.start": "开始填报",
    "filing.version": "保存填报新版本",
    "filing.conflict": "保存冲突（另存副本）",
    "filing.confirm_cell": "确认读取存疑的单元格",
    "filing.warning": "确认或说明警告",
    "filing.submit": "提交填报",
    "filing.return": "退回修改",
    "filing.accept": "审核通过",
    "filing.publish": "登记发布",
    "filing.aggregate": "汇总下级报告",
    "ledger.export": "导出台账（含个人信息）",
    "ledger.letter": "生成告知书",
    "ledger.template": "修改告知书模板",
    "calendar.upload": "上传节假日安排",
}


def record(session: Session, actor: str, action: str, target: str, **detail: Any) -> AuditEntry:
    entry = AuditEntry(at=utc_now(), actor=actor[:200], action=action, target=target[:300], detail=detail)
    session.add(entry)
    return entry


def entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
