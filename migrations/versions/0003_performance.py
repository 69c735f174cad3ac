"""performance: the engine state cache, its covering indexes, and an index on users.chat_id

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("checkins", ("user_id", "local_date", "updated_at")),
    ("session_logs", ("user_id", "local_date", "logged_at")),
    ("pain_reports", ("user_id", "local_date")),
)


def upgrade() -> None:
    op.create_table(
        "engine_states",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_engine_states_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_engine_states")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_chat_id"), ["chat_id"], unique=False)
    for table, columns in INDEXES:
        op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


def downgrade() -> None:
    for table, columns in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table_name=table)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_chat_id"))
    op.drop_table("engine_states")
