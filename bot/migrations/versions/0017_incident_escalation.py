"""an incident's status message, its escalation rounds, and who closed it

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


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("escalation_rounds")
        for name, _kind in reversed(_COLUMNS):
            batch.drop_column(name)
