"""the whole agenda cycle: plan keys, item kinds, reasons, rollover, documents (issue 15)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 13:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("overleggen") as batch:
        batch.add_column(sa.Column("call_days_before", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("fixed_items", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch.add_column(sa.Column("reviewers_code", sa.String(length=64), nullable=True))
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="discussion")
        )
        batch.add_column(sa.Column("decline_reason", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("held_over", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("carried_from", sa.String(length=200), nullable=True))
    with op.batch_alter_table("agenda_publications") as batch:
        batch.add_column(sa.Column("items", sa.JSON(), nullable=True))
    op.create_table(
        "agenda_item_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("file_unique_id", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("mime_type", sa.String(length=128), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_item_documents_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["members.telegram_user_id"],
            name=op.f("fk_agenda_item_documents_added_by_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item_documents")),
    )
    op.create_index(op.f("ix_agenda_item_documents_item_id"), "agenda_item_documents", ["item_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agenda_item_documents_item_id"), table_name="agenda_item_documents")
    op.drop_table("agenda_item_documents")
    with op.batch_alter_table("agenda_publications") as batch:
        batch.drop_column("items")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("carried_from")
        batch.drop_column("held_over")
        batch.drop_column("decline_reason")
        batch.drop_column("kind")
    with op.batch_alter_table("overleggen") as batch:
        batch.drop_column("reviewers_code")
        batch.drop_column("fixed_items")
        batch.drop_column("call_days_before")
