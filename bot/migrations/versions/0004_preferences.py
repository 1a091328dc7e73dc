"""member preferences: settings, muted overleggen, reported absences

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:46:18.366226
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_absences_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "entry_key", name=op.f("pk_absences")),
    )
    op.create_table(
        "member_preferences",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reminder_hour", sa.Integer(), nullable=True),
        sa.Column("digest", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("resume_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_preferences_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_preferences")),
    )
    op.create_table(
        "muted_overleggen",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("overleg_code", sa.String(length=64), nullable=False),
        sa.Column("muted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_muted_overleggen_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "overleg_code", name=op.f("pk_muted_overleggen")),
    )


def downgrade() -> None:
    op.drop_table("muted_overleggen")
    op.drop_table("member_preferences")
    op.drop_table("absences")
