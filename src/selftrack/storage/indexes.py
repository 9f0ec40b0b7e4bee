"""Conditions of the partial indexes, shared by the schema and the queries that read them.

SQLite uses a partial index only when the query's WHERE holds the index's condition word for
word, so both take it from here.
"""

# the ratings that say something more than a number (flags, notes): ix_ratings_marked
MARKED = "(nerve OR recognised OR referred OR note != '')"
