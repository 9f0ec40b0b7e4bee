"""Alembic environment: runs on the connection selftrack hands over (batch mode for SQLite)."""

from alembic import context

from selftrack.storage.models import Base


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    context.run_migrations()


# Alembic runs this file inside its environment; a tool that merely imports the package (an
# import walk, a layering check) finds no environment and nothing is run.
if hasattr(context, "config"):
    run()
