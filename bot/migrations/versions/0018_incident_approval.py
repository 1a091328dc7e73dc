"""an incident's status: awaiting approval, sent or rejected (OVERLEGBOT_INCIDENT_APPROVAL)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 12:25:00.000000

Every incident stored before this was sent, so existing rows get "sent".
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="sent")
        )
    with op.batch_alter_table("incidents") as batch:
        batch.alter_column("status", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("status")
