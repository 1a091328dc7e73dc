"""newsletter issues: status, send moment, revision and the approval's decision

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:30:00.000000

Only newsletter_issues changes here.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every issue recorded before was sent at once: "sent", revision 1. The server defaults
    # fill the rows there are and are dropped after, as the models set them.
    with op.batch_alter_table("newsletter_issues") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="sent")
        )
        batch.add_column(sa.Column("send_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("changed_by", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("decided_by", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_newsletter_issues_changed_by_members"),
            "members",
            ["changed_by"],
            ["telegram_user_id"],
            ondelete="RESTRICT",
        )
        batch.create_foreign_key(
            op.f("fk_newsletter_issues_decided_by_members"),
            "members",
            ["decided_by"],
            ["telegram_user_id"],
            ondelete="RESTRICT",
        )
        batch.create_index(op.f("ix_newsletter_issues_status"), ["status"], unique=False)
    with op.batch_alter_table("newsletter_issues") as batch:
        batch.alter_column("status", server_default=None)
        batch.alter_column("revision", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("newsletter_issues") as batch:
        batch.drop_index(op.f("ix_newsletter_issues_status"))
        batch.drop_constraint(op.f("fk_newsletter_issues_decided_by_members"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_newsletter_issues_changed_by_members"), type_="foreignkey")
        batch.drop_column("reason")
        batch.drop_column("decided_at")
        batch.drop_column("decided_by")
        batch.drop_column("changed_by")
        batch.drop_column("revision")
        batch.drop_column("send_at")
        batch.drop_column("status")
