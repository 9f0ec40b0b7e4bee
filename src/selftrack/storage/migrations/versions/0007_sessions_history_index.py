"""The sessions' own index carries what history lists, so reading it never visits the rows.

A session's row holds its plan (about 1.4 KB of JSON), so reading history from the rows reads
every plan too: 18 MB for ten years. The index on (profile, start) is replaced by one that also
carries the status, the totals, pain before and after and the routine's id, name, sides and
tool: history, the pain series, the session starts and the counts are then read from the index
alone (on ten years: 75 ms to 30 ms for the history list). The notes stay out (they are
unbounded text, and PostgreSQL limits an index entry to a third of a page). No row changes.

Revision ID: 0007
Revises: 0006
"""

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


def upgrade() -> None:
    op.drop_index("ix_sessions_profile_started", table_name="sessions")
    op.create_index("ix_sessions_profile_history", "sessions", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_sessions_profile_history", table_name="sessions")
    op.create_index("ix_sessions_profile_started", "sessions", ["profile_id", "started_at"])
