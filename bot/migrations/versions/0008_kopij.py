"""kopij: news members send in for the network

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kopij",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("sent_by", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sent_by"],
            ["members.telegram_user_id"],
            name=op.f("fk_kopij_sent_by_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["members.telegram_user_id"],
            name=op.f("fk_kopij_decided_by_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kopij")),
    )
    op.create_index(op.f("ix_kopij_sent_by"), "kopij", ["sent_by"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_kopij_sent_by"), table_name="kopij")
    op.drop_table("kopij")
