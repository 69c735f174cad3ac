"""fleet: morning-prompt leases for several workers, and the bot's shared send budget

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 19:45:00
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
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prompt_claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prompt_claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("prompt_attempted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "send_budget",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_send_budget")),
    )
    op.execute("INSERT INTO send_budget (id, next_at) VALUES (1, CURRENT_TIMESTAMP)")


def downgrade() -> None:
    op.drop_table("send_budget")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("prompt_attempted_at")
        batch_op.drop_column("prompt_claimed_until")
        batch_op.drop_column("prompt_claimed_by")
