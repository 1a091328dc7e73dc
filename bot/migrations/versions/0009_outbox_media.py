"""photos and documents in the outbox, sent by Telegram file_id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 08:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, no default: every queued message stays a text message; adding them is cheap
    # on both databases, whatever the outbox holds.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("media_kind", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("media_file_id", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("media_file_id")
        batch.drop_column("media_kind")
