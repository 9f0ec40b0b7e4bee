"""Index ratings by session and side, covering what history and trends add up.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_ratings_session_side", "ratings", ["session_id", "side", "spot_def_id", "tenderness"]
    )


def downgrade() -> None:
    op.drop_index("ix_ratings_session_side", table_name="ratings")
