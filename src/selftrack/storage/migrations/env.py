"""Alembic environment: runs on the connection selftrack hands over (batch mode for SQLite)."""

from alembic import context

from selftrack.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
context.run_migrations()
