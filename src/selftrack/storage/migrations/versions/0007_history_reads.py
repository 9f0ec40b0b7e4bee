"""What history and the trends read, kept where they read it: the sessions' index carries what
history lists, and a small table counts the sessions of each spot.

A session's row holds its plan (about 1.4 KB of JSON), so reading history from the rows reads
every plan too: 18 MB for ten years. The index on (profile, start) is replaced by one that also
carries the status, the totals, pain before and after and the routine's id, name, sides and
tool: history, the pain series, the session starts and the counts are then read from the index
alone. The notes stay out (they are unbounded text, and PostgreSQL limits an index entry to a
third of a page).

`spot_counts` holds in how many sessions each person rated each spot on each side; it is
filled here from the ratings and kept up to date with them (selftrack.storage.writes), so the
trends over all history no longer count 400,000 ratings to find their spots. No row changes.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# as in storage.indexes.SESSIONS_HISTORY_COLUMNS, frozen here
COLUMNS = [
    "profile_id", "started_at", "id", "status", "rated", "skipped", "tenderness_sum", "tenderness_max",
    "pain_before", "pain_after", "protocol_id", "protocol_name", "sides", "tool",
]  # fmt: skip
_FILL = """
    INSERT INTO spot_counts (profile_id, spot_id, side, sessions)
    SELECT profile_id, spot_id, side, count(DISTINCT session_id) FROM ratings
    WHERE tenderness IS NOT NULL GROUP BY profile_id, spot_id, side
"""


def upgrade() -> None:
    op.drop_index("ix_sessions_profile_started", table_name="sessions")
    op.create_index("ix_sessions_profile_history", "sessions", COLUMNS)
    op.create_table(
        "spot_counts",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("spot_id", sa.String(64), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_spot_counts_profile_id_profiles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("profile_id", "spot_id", "side", name=op.f("pk_spot_counts")),
    )
    op.execute(_FILL)


def downgrade() -> None:
    op.drop_table("spot_counts")
    op.drop_index("ix_sessions_profile_history", table_name="sessions")
    op.create_index("ix_sessions_profile_started", "sessions", ["profile_id", "started_at"])
