"""Record when a rating or session was corrected after the fact; index ratings by time.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from selftrack.storage.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _rebuild() -> str:
    # "always" rebuilds the parent table on SQLite, so the upgrade proves child rows survive;
    # PostgreSQL alters in place (a rebuild there trips over the foreign keys pointing at it).
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


def upgrade() -> None:
    with op.batch_alter_table("sessions", recreate=_rebuild()) as batch:
        batch.add_column(sa.Column("edited_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("edited_at", UTCDateTime(), nullable=True))
        batch.create_index(batch.f("ix_ratings_rated_at"), ["rated_at"])


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_index(batch.f("ix_ratings_rated_at"))
        batch.drop_column("edited_at")
    with op.batch_alter_table("sessions", recreate=_rebuild()) as batch:
        batch.drop_column("edited_at")
