"""Profiles, spot definitions, sessions and ratings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from selftrack.storage.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_profiles_name")),
    )
    op.create_table(
        "spot_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spot_id", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("view", sa.String(16), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_definitions")),
        sa.UniqueConstraint("digest", name=op.f("uq_spot_definitions_digest")),
    )
    op.create_index(op.f("ix_spot_definitions_spot_id"), "spot_definitions", ["spot_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("protocol_id", sa.String(64), nullable=False),
        sa.Column("protocol_version", sa.Integer(), nullable=False),
        sa.Column("protocol_hash", sa.String(64), nullable=False),
        sa.Column("protocol_name", sa.String(200), nullable=False),
        sa.Column("sides", sa.String(8), nullable=False),
        sa.Column("tool", sa.String(32), nullable=False),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.CheckConstraint("pain_before BETWEEN 0 AND 10", name=op.f("ck_sessions_pain_before_range")),
        sa.CheckConstraint("pain_after BETWEEN 0 AND 10", name=op.f("ck_sessions_pain_after_range")),
        sa.CheckConstraint(
            "status IN ('in_progress', 'finished', 'abandoned')", name=op.f("ck_sessions_status")
        ),
        sa.CheckConstraint("sides IN ('left', 'right', 'both')", name=op.f("ck_sessions_sides")),
        sa.CheckConstraint(
            "origin IN ('app', 'demo', 'import')", name=op.f("ck_sessions_origin")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_sessions_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_profile_started", "sessions", ["profile_id", "started_at"])
    op.create_index(op.f("ix_sessions_protocol_id"), "sessions", ["protocol_id"])
    op.create_index(op.f("ix_sessions_status"), "sessions", ["status"])
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.String(64), nullable=False),
        sa.Column("spot_id", sa.String(64), nullable=False),
        sa.Column("spot_def_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("tenderness", sa.Integer(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("recognised", sa.Boolean(), nullable=False),
        sa.Column("referred", sa.Boolean(), nullable=False),
        sa.Column("referred_to", sa.String(200), nullable=False),
        sa.Column("nerve", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("rated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("tenderness BETWEEN 0 AND 10", name=op.f("ck_ratings_tenderness_range")),
        sa.CheckConstraint(
            "(skipped AND tenderness IS NULL) OR (NOT skipped AND tenderness IS NOT NULL)",
            name=op.f("ck_ratings_skipped_xor_tenderness"),
        ),
        sa.CheckConstraint("side IN ('left', 'right', 'mid')", name=op.f("ck_ratings_side")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_ratings_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spot_def_id"], ["spot_definitions.id"],
            name=op.f("fk_ratings_spot_def_id_spot_definitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("session_id", "step_index", name=op.f("uq_ratings_session_step")),
    )
    op.create_index("ix_ratings_spot_side", "ratings", ["spot_id", "side"])
    op.create_index(op.f("ix_ratings_spot_def_id"), "ratings", ["spot_def_id"])


def downgrade() -> None:
    op.drop_table("ratings")
    op.drop_table("sessions")
    op.drop_index(op.f("ix_spot_definitions_spot_id"), table_name="spot_definitions")
    op.drop_table("spot_definitions")
    op.drop_table("profiles")
