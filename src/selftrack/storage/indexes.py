"""What the indexes hold that queries rely on, shared by the schema and those queries.

SQLite uses a partial index only when the query's WHERE holds the index's condition word for
word, and a query reads an index alone only when it asks for no column the index lacks; both
take these from here.
"""

# the ratings that say something more than a number (flags, notes): ix_ratings_marked
MARKED = "(nerve OR recognised OR referred OR note != '')"

# what history lists of a session (ix_sessions_profile_history): a query over sessions that
# asks for these only reads the index, never the rows with their plans
SESSIONS_HISTORY_COLUMNS = (
    "profile_id", "started_at", "id", "status", "rated", "skipped", "tenderness_sum", "tenderness_max",
    "pain_before", "pain_after", "protocol_id", "protocol_name", "sides", "tool",
)  # fmt: skip
