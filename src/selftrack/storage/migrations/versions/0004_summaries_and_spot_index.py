"""Session totals kept with the sessions; ratings carry their session's person and start.

History then reads one row per session, and a spot's history (trends, last time's rating,
the focus routine, nerve warnings) is one range of one index, whatever else is stored.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from selftrack.storage.models import UTCDateTime

MARKED = "(nerve OR recognised OR referred OR note != '')"  # as in models.MARKED, frozen here

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TOTALS = """
    UPDATE sessions SET
        rated = (SELECT count(r.tenderness) FROM ratings r WHERE r.session_id = sessions.id),
        skipped = (SELECT count(*) - count(r.tenderness) FROM ratings r
                   WHERE r.session_id = sessions.id),
        tenderness_sum = (SELECT coalesce(sum(r.tenderness), 0) FROM ratings r
                          WHERE r.session_id = sessions.id),
        tenderness_max = (SELECT max(r.tenderness) FROM ratings r WHERE r.session_id = sessions.id)
"""
_COPY = """
    UPDATE ratings SET (profile_id, started_at) =
        (SELECT s.profile_id, s.started_at FROM sessions s WHERE s.id = ratings.session_id)
"""


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("rated", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("skipped", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("tenderness_sum", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("tenderness_max", sa.Integer(), nullable=True))
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("profile_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("started_at", UTCDateTime(), nullable=True))
    op.execute(_TOTALS)
    op.execute(_COPY)
    with op.batch_alter_table("ratings") as batch:
        batch.alter_column("profile_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("started_at", existing_type=UTCDateTime(), nullable=False)
        batch.create_foreign_key(
            batch.f("fk_ratings_profile_id_profiles"), "profiles", ["profile_id"], ["id"],
            ondelete="CASCADE",
        )
        batch.drop_index("ix_ratings_spot_side")
        batch.drop_index("ix_ratings_session_side")
        batch.drop_index(batch.f("ix_ratings_rated_at"))
        batch.drop_index(batch.f("ix_ratings_spot_def_id"))
        batch.create_index(
            "ix_ratings_profile_spot", ["profile_id", "spot_id", "side", "started_at", "tenderness"]
        )
        batch.create_index(
            "ix_ratings_marked",
            ["profile_id", "spot_id", "side", "started_at", "nerve", "recognised", "referred", "referred_to"],
            sqlite_where=sa.text(MARKED), postgresql_where=sa.text(MARKED),
        )


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_index("ix_ratings_marked")
        batch.drop_index("ix_ratings_profile_spot")
        batch.create_index(batch.f("ix_ratings_spot_def_id"), ["spot_def_id"])
        batch.create_index(batch.f("ix_ratings_rated_at"), ["rated_at"])
        batch.create_index("ix_ratings_session_side", ["session_id", "side", "spot_def_id", "tenderness"])
        batch.create_index("ix_ratings_spot_side", ["spot_id", "side"])
        batch.drop_constraint(batch.f("fk_ratings_profile_id_profiles"), type_="foreignkey")
        batch.drop_column("started_at")
        batch.drop_column("profile_id")
    with op.batch_alter_table("sessions") as batch:
        for column in ("tenderness_max", "tenderness_sum", "skipped", "rated"):
            batch.drop_column(column)
