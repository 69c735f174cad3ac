"""alerts a follower reads in their weekly summary (issue 16): the lines kept for it, per follow

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN, nullable (as 0006 on main): no table is copied
    op.add_column("follows", sa.Column("summary_alerts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("follows") as batch:
        batch.drop_column("summary_alerts")
