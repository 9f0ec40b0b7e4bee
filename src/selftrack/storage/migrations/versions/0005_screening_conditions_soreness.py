"""The red-flag screen's dated answers, the conditions that adapt routines, next-day soreness.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from selftrack.storage.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.CheckConstraint("outcome IN ('clear', 'clinician', 'emergency')", name=op.f("ck_screenings_outcome")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_screenings_profile_id_profiles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    op.create_index("ix_screenings_profile_answered", "screenings", ["profile_id", "answered_at"])
    op.create_table(
        "condition_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("pregnancy_weeks", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_condition_profiles_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition_profiles")),
    )
    op.create_index(
        "ix_condition_profiles_profile_updated", "condition_profiles", ["profile_id", "updated_at"]
    )
    op.create_table(
        "soreness",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.CheckConstraint("answer IN ('none', 'mild', 'sore-48h', 'bruised')", name=op.f("ck_soreness_answer")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=op.f("fk_soreness_profile_id_profiles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_soreness_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_soreness")),
    )
    op.create_index("ix_soreness_profile_answered", "soreness", ["profile_id", "answered_at"])


def downgrade() -> None:
    op.drop_table("soreness")
    op.drop_table("condition_profiles")
    op.drop_table("screenings")
