"""newsletter issues and the kopij each included

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "newsletter_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.Text(), nullable=True),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sent_by"],
            ["members.telegram_user_id"],
            name=op.f("fk_newsletter_issues_sent_by_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newsletter_issues")),
        sa.UniqueConstraint("draft_key", name=op.f("uq_newsletter_issues_draft_key")),
    )
    op.create_table(
        "newsletter_issue_kopij",
        sa.Column("kopij_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kopij_id"],
            ["kopij.id"],
            name=op.f("fk_newsletter_issue_kopij_kopij_id_kopij"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["newsletter_issues.id"],
            name=op.f("fk_newsletter_issue_kopij_issue_id_newsletter_issues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kopij_id", name=op.f("pk_newsletter_issue_kopij")),
    )
    op.create_index(
        op.f("ix_newsletter_issue_kopij_issue_id"),
        "newsletter_issue_kopij",
        ["issue_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_newsletter_issue_kopij_issue_id"), table_name="newsletter_issue_kopij")
    op.drop_table("newsletter_issue_kopij")
    op.drop_table("newsletter_issues")
