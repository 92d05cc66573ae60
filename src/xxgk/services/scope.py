"""Who may see and change which reports.

* clerk (经办人员): reads and changes the reports of its own node;
* supervisor (监督人员): reads the reports of its node and every node below it; changes none;
* admin (系统管理员): manages the tree and the accounts; reads every report, changes none.

A report outside the caller's scope does not exist for the caller (`NotFound`, a 404 on the
web); a report the caller may read but not change is `Forbidden` (403).
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..accounts.users import ADMIN, CLERK, SUPERVISOR
from ..errors import XxgkError
from ..orgs import subtree_ids
from ..store.cycle_tables import Filing
from ..store.tables import Org, StoredReport, User


class NotFound(XxgkError):
    """The thing does not exist, or the caller may not know that it does."""


class Forbidden(XxgkError):
    """The caller may see it but not do this."""


REPORT_NOT_FOUND = "报告不存在或无权查看"
ORG_NOT_FOUND = "机构不存在或无权访问"


def readable_org_ids(session: Session, user: User) -> set[int] | None:
    """The nodes whose reports `user` may read; None means every node."""
    if user.role == ADMIN:
        return None
    if user.role == SUPERVISOR:
        return subtree_ids(session, user.org_id)
    return {user.org_id}


def readable_reports(session: Session, user: User) -> Select:
    return _in_scope(session, user, select(StoredReport), StoredReport.org_id)


def report_for_read(session: Session, user: User, report_id: int) -> StoredReport:
    report = session.scalar(readable_reports(session, user).where(StoredReport.id == report_id))
    if report is None:
        raise NotFound(REPORT_NOT_FOUND)
    return report


def report_for_write(session: Session, user: User, report_id: int) -> StoredReport:
    report = report_for_read(session, user, report_id)
    if not may_write(user, report.org_id):
        raise Forbidden("只能查看，无权修改此报告（只有本机构的经办人员可以）")
    return report


def may_write(user: User, org_id: int) -> bool:
    return user.role == CLERK and user.org_id == org_id


def upload_org(session: Session, user: User, org_name: str | None) -> Org:
    """The node an upload goes to: the clerk's own (naming it is optional)."""
    if user.role != CLERK:
        raise Forbidden("只有经办人员可以上传报告")
    own = session.get(Org, user.org_id)
    if org_name and org_name.strip() and org_name.strip() != own.name:
        raise NotFound(ORG_NOT_FOUND)
    return own


def require_admin(user: User) -> None:
    if user.role != ADMIN:
        raise Forbidden("只有系统管理员可以管理机构和账号")


# ---------------------------------------------------------------- the filing cycle

FILING_NOT_FOUND = "填报不存在或无权查看"


def readable_filings(session: Session, user: User) -> Select:
    """The filings of every cycle on the nodes whose reports `user` may read."""
    return _in_scope(session, user, select(Filing), Filing.org_id)


def _in_scope(session: Session, user: User, query: Select, org_column) -> Select:
    ids = readable_org_ids(session, user)
    return query if ids is None else query.where(org_column.in_(ids))


def filing_for_read(session: Session, user: User, filing_id: int) -> Filing:
    filing = session.scalar(readable_filings(session, user).where(Filing.id == filing_id))
    if filing is None:
        raise NotFound(FILING_NOT_FOUND)
    return filing


def filing_for_write(session: Session, user: User, filing_id: int) -> Filing:
    """A filing its node's clerk fills in; others may at most read it."""
    filing = filing_for_read(session, user, filing_id)
    if not may_write(user, filing.org_id):
        raise Forbidden("只能查看，无权填写此报告（只有本机构的经办人员可以）")
    return filing


def filing_for_review(session: Session, user: User, filing_id: int) -> Filing:
    """A filing a supervisor above (or at) its node reviews."""
    filing = filing_for_read(session, user, filing_id)
    if user.role != SUPERVISOR:
        raise Forbidden("只有监督人员可以审核填报")
    return filing
