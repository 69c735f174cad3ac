"""the care team adjusts the plan (issue 16): an event's payload, alert preferences and the alert window
per follow, the runner's silence (missed check-ins)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs, nullable: on SQLite a batch "move and copy" of users would drop the old table,
    # and its ON DELETE CASCADE would empty every table that refers to it.
    # A clinician_plan event carries the adjustment itself (engine.adjustments.ClinicianPlan.to_dict()).
    op.add_column("events", sa.Column("payload", sa.JSON(), nullable=True))
    op.add_column("follows", sa.Column("alert_prefs", sa.JSON(), nullable=True))
    op.add_column("follows", sa.Column("last_alert_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("follows", sa.Column("last_alert_message_id", sa.BigInteger(), nullable=True))
    op.add_column("follows", sa.Column("last_alert_text", sa.Text(), nullable=True))
    op.add_column("follows", sa.Column("held_alerts", sa.JSON(), nullable=True))
    op.add_column("follows", sa.Column("held_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("follows", sa.Column("held_due", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_follows_held_due"), "follows", ["held_due"], unique=False)
    op.add_column("profiles", sa.Column("silence_alert_days", sa.Integer(), nullable=True))
    op.add_column("users", sa.Column("silence_nudged", sa.Boolean(), nullable=True))
    op.add_column("users", sa.Column("silence_alerted", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("silence_alerted")
        batch.drop_column("silence_nudged")
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("silence_alert_days")
    with op.batch_alter_table("follows") as batch:
        batch.drop_index(batch.f("ix_follows_held_due"))
        for column in ("held_due", "held_since", "held_alerts", "last_alert_text", "last_alert_message_id",
                       "last_alert_at", "alert_prefs"):
            batch.drop_column(column)
    op.drop_column("events", "payload")
