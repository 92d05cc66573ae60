"""The ledger in the web app: cases belong to an org node and carry the applicant's ID
document; files (attachments, letters) kept with cases; per-office letter templates; the
calendar override file.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("org_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("id_doc_type", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("id_doc_number", sa.String(length=64), nullable=True))
        batch.create_foreign_key(op.f("fk_cases_org_id_orgs"), "orgs", ["org_id"], ["id"])
        batch.create_index("ix_cases_org_id", ["org_id"])
    op.create_table(
        "case_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("letter", sa.String(length=32), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_files_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_files")),
    )
    op.create_index("ix_case_files_case_id", "case_files", ["case_id"])
    op.create_table(
        "letter_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], name=op.f("fk_letter_templates_org_id_orgs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_templates")),
    )
    op.create_index("ix_letter_templates_org_id", "letter_templates", ["org_id"])
    op.create_table(
        "calendar_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_overrides")),
    )


def downgrade() -> None:
    op.drop_table("calendar_overrides")
    op.drop_index("ix_letter_templates_org_id", table_name="letter_templates")
    op.drop_table("letter_templates")
    op.drop_index("ix_case_files_case_id", table_name="case_files")
    op.drop_table("case_files")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_org_id")
        batch.drop_constraint(op.f("fk_cases_org_id_orgs"), type_="foreignkey")
        batch.drop_column("id_doc_number")
        batch.drop_column("id_doc_type")
        batch.drop_column("org_id")
