"""a newsletter's progress message, corrections and withdrawal; edits and deletes in the outbox

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
# After the newsletter lifecycle's 0014 (status, send moment, revision), which main had first.
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: every queued row stays a new message (berichten.outbox.operations).
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("operation", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("target_key", sa.String(length=400), nullable=True))
    with op.batch_alter_table("newsletter_issues") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("progress_chat_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("progress_message_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("progress_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("progress_done_at", sa.DateTime(timezone=True), nullable=True))
    # Issues sent before have no progress message to start now: their sending is done. Those
    # not started yet (scheduled, awaiting approval) get one when they start.
    op.execute("UPDATE newsletter_issues SET progress_done_at = sent_at WHERE status = 'sent'")


def downgrade() -> None:
    with op.batch_alter_table("newsletter_issues") as batch:
        for column in (
            "progress_done_at",
            "progress_text",
            "progress_message_id",
            "progress_chat_id",
            "withdrawn_at",
            "corrected_at",
            "version",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("target_key")
        batch.drop_column("operation")
