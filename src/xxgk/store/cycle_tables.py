"""The yearly filing cycle's tables (年度填报): a cycle opened by a supervisor for its subtree
and a year, the deadline of each kind of node, one filing per node in scope, the filing's
versions, comments on its cells and findings, and explanations of its warnings. Revision 0003
of `store.migrations` creates exactly this schema (tests/web/test_appdb.py compares them).

A version's `content` is the report as its YAML source (`xxgk.source/1`) held as a dict: the
same keys, the generated paragraphs marked the same way (see services/cycle.py). A draft
version is updated in place while it is the filing's head and not yet submitted; a submitted
version is frozen, and any later change is a new version. `Filing.revision` counts every save,
so that a save made on an older revision is refused as a conflict (its text kept in
`FilingConflict`) instead of overwriting a newer one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

# Filing statuses, in the order of the cycle; the Chinese labels are what users read.
NOT_STARTED, DRAFTING, SUBMITTED, RETURNED, ACCEPTED, PUBLISHED = (
    "not_started",
    "drafting",
    "submitted",
    "returned",
    "accepted",
    "published",
)
STATUS_LABELS = {
    NOT_STARTED: "未开始",
    DRAFTING: "填写中",
    SUBMITTED: "已提交",
    RETURNED: "退回修改",
    ACCEPTED: "已通过",
    PUBLISHED: "已发布",
}


class Cycle(Base):
    """A year's filing (年度填报) of the subtree below `root_org_id`."""

    __tablename__ = "cycles"
    __table_args__ = (UniqueConstraint("root_org_id", "year", name="uq_cycles_root_org_id_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    root_org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CycleDeadline(Base):
    """The publication deadline of one kind of node (orgs.KINDS) in a cycle."""

    __tablename__ = "cycle_deadlines"
    __table_args__ = (UniqueConstraint("cycle_id", "org_kind", name="uq_cycle_deadlines_cycle_id_org_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    org_kind: Mapped[str] = mapped_column(String(16))
    due: Mapped[date] = mapped_column(Date)


class Filing(Base):
    """One node's report in a cycle. `status` is one of STATUS_LABELS; `revision` grows with
    every save (optimistic concurrency); the times are those of the latest transition."""

    __tablename__ = "filings"
    __table_args__ = (UniqueConstraint("cycle_id", "org_id", name="uq_filings_cycle_id_org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FilingVersion(Base):
    """One version of a filing's report (第 n 版). `origin` says where its content started:
    empty, last_year, upload, ledger, paste, aggregate, revision (a change after publication).
    `unconfirmed` lists the cells read with low confidence that the clerk has not confirmed.
    Once `submitted_at` is set the version is frozen; `fingerprint` (SHA-256 of the canonical
    content) is set when it is submitted and is what a publication refers to."""

    __tablename__ = "filing_versions"
    __table_args__ = (UniqueConstraint("filing_id", "number", name="uq_filing_versions_filing_id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    unconfirmed: Mapped[list[str]] = mapped_column(JSON)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), nullable=True)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    published_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # the checked xxgk.report/1 JSON, kept when the version is submitted (frozen from then on):
    # the dashboard, 雷同 and exports read it instead of regenerating the report from its source
    report_json: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class FilingConflict(Base):
    """A save that lost to a newer revision: kept whole, shown to its author, never applied."""

    __tablename__ = "filing_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    base_revision: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class FilingComment(Base):
    """A reviewer's comment on a version: on a cell (`target` = its ref), on a finding
    (`target` = "finding:" + its key) or on the whole report (`target` = "")."""

    __tablename__ = "filing_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("filing_versions.id"))
    target: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class WarningNote(Base):
    """The clerk's answer to a warning before submitting: confirmed as correct, or explained.
    Append-only; the latest row for (version, finding key) counts."""

    __tablename__ = "filing_warning_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("filing_versions.id"), index=True)
    finding_key: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | explained
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
