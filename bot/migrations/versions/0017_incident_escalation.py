"""an incident's status message, its escalation rounds, who closed it, and its follow-ups

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 11:40:00.000000

After the after-sending migration 0016, now on main.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("closed_by", sa.BigInteger()),
    ("status_chat_id", sa.BigInteger()),
    ("status_message_id", sa.BigInteger()),
    ("status_text", sa.Text()),
    ("status_at", sa.DateTime(timezone=True)),
    ("escalated_at", sa.DateTime(timezone=True)),
    ("unpinned_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
        batch.add_column(
            sa.Column("escalation_rounds", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("incidents") as batch:
        batch.alter_column("escalation_rounds", server_default=None)
    op.create_table(
        "incident_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("draft_key", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_by", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_updates_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_updates")),
        sa.UniqueConstraint("draft_key", name=op.f("uq_incident_updates_draft_key")),
    )


def downgrade() -> None:
    op.drop_table("incident_updates")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("escalation_rounds")
        for name, _kind in reversed(_COLUMNS):
            batch.drop_column(name)
