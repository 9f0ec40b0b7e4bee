"""A guided session as it is walked: pure state (`walk.Walk`), no database, no Textual."""
