"""The yearly filing cycle (年度填报): cycles, filings, their versions, comments and deadlines.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "cycles",
        _id(),
        sa.Column("root_org_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        _fk("cycles", "opened_by", "users"),
        _fk("cycles", "root_org_id", "orgs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycles")),
        sa.UniqueConstraint("root_org_id", "year", name="uq_cycles_root_org_id_year"),
    )
    op.create_index("ix_cycles_root_org_id", "cycles", ["root_org_id"])
    op.create_index("ix_cycles_year", "cycles", ["year"])

    op.create_table(
        "cycle_deadlines",
        _id(),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("org_kind", sa.String(length=16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        _fk("cycle_deadlines", "cycle_id", "cycles"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_deadlines")),
        sa.UniqueConstraint("cycle_id", "org_kind", name="uq_cycle_deadlines_cycle_id_org_kind"),
    )
    op.create_index("ix_cycle_deadlines_cycle_id", "cycle_deadlines", ["cycle_id"])

    op.create_table(
        "filings",
        _id(),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("first_submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        _fk("filings", "cycle_id", "cycles"),
        _fk("filings", "org_id", "orgs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filings")),
        sa.UniqueConstraint("cycle_id", "org_id", name="uq_filings_cycle_id_org_id"),
    )
    op.create_index("ix_filings_cycle_id", "filings", ["cycle_id"])
    op.create_index("ix_filings_org_id", "filings", ["org_id"])
    op.create_index("ix_filings_status", "filings", ["status"])

    op.create_table(
        "filing_conflicts",
        _id(),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _fk("filing_conflicts", "filing_id", "filings"),
        _fk("filing_conflicts", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_conflicts")),
    )
    op.create_index("ix_filing_conflicts_filing_id", "filing_conflicts", ["filing_id"])

    op.create_table(
        "filing_versions",
        _id(),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("unconfirmed", sa.JSON(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("published_url", sa.String(length=500), nullable=True),
        sa.Column("report_json", sa.JSON(), nullable=True),
        _fk("filing_versions", "created_by", "users"),
        _fk("filing_versions", "filing_id", "filings"),
        _fk("filing_versions", "upload_id", "reports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_versions")),
        sa.UniqueConstraint("filing_id", "number", name="uq_filing_versions_filing_id_number"),
    )
    op.create_index("ix_filing_versions_filing_id", "filing_versions", ["filing_id"])

    op.create_table(
        "filing_comments",
        _id(),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _fk("filing_comments", "filing_id", "filings"),
        _fk("filing_comments", "user_id", "users"),
        _fk("filing_comments", "version_id", "filing_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_comments")),
    )
    op.create_index("ix_filing_comments_filing_id", "filing_comments", ["filing_id"])

    op.create_table(
        "filing_warning_notes",
        _id(),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("finding_key", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _fk("filing_warning_notes", "user_id", "users"),
        _fk("filing_warning_notes", "version_id", "filing_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing_warning_notes")),
    )
    op.create_index("ix_filing_warning_notes_version_id", "filing_warning_notes", ["version_id"])


def downgrade() -> None:
    for table, indexes in (
        ("filing_warning_notes", ["version_id"]),
        ("filing_comments", ["filing_id"]),
        ("filing_versions", ["filing_id"]),
        ("filing_conflicts", ["filing_id"]),
        ("filings", ["status", "org_id", "cycle_id"]),
        ("cycle_deadlines", ["cycle_id"]),
        ("cycles", ["year", "root_org_id"]),
    ):
        for column in indexes:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
