"""Outcomes and dose: morning check-ins, weekly forms (PEG, PSFS, PGIC), the hold timer's
seconds, tool and pressure per rating, and the routine's hold guidance per session.

Every existing row is kept: the new columns are empty on old rows (no dose was recorded then).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from selftrack.storage.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _origin(table: str) -> sa.CheckConstraint:
    return sa.CheckConstraint("origin IN ('app', 'demo', 'import')", name=op.f(f"ck_{table}_origin"))


def _profile(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["profile_id"], ["profiles.id"], name=op.f(f"fk_{table}_profile_id_profiles"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("hold_guidance", sa.Integer(), nullable=True))
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("hold_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("tool", sa.String(32), nullable=True))
        batch.add_column(sa.Column("pressure", sa.String(8), nullable=True))
        batch.create_check_constraint(batch.f("ck_ratings_hold_seconds_range"), "hold_seconds >= 0")
        batch.create_check_constraint(batch.f("ck_ratings_pressure"), "pressure IN ('light', 'medium', 'firm')")
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.Column("back_pain", sa.Integer(), nullable=False),
        sa.Column("leg_pain", sa.Integer(), nullable=False),
        sa.Column("below_knee", sa.Boolean(), nullable=False),
        sa.Column("night", sa.Integer(), nullable=False),
        sa.Column("soreness_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("edited_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("back_pain BETWEEN 0 AND 10", name=op.f("ck_checkins_back_pain_range")),
        sa.CheckConstraint("leg_pain BETWEEN 0 AND 10", name=op.f("ck_checkins_leg_pain_range")),
        sa.CheckConstraint("night BETWEEN 0 AND 10", name=op.f("ck_checkins_night_range")),
        _origin("checkins"),
        _profile("checkins"),
        sa.ForeignKeyConstraint(
            ["soreness_id"], ["soreness.id"], name=op.f("fk_checkins_soreness_id_soreness"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("profile_id", "day", name="uq_checkins_profile_day"),
    )
    op.create_table(
        "weekly_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.Column("peg_pain", sa.Integer(), nullable=True),
        sa.Column("peg_enjoyment", sa.Integer(), nullable=True),
        sa.Column("peg_activity", sa.Integer(), nullable=True),
        sa.Column("pgic", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.CheckConstraint("peg_pain BETWEEN 0 AND 10", name=op.f("ck_weekly_forms_peg_pain_range")),
        sa.CheckConstraint("peg_enjoyment BETWEEN 0 AND 10", name=op.f("ck_weekly_forms_peg_enjoyment_range")),
        sa.CheckConstraint("peg_activity BETWEEN 0 AND 10", name=op.f("ck_weekly_forms_peg_activity_range")),
        sa.CheckConstraint(
            "(peg_pain IS NULL AND peg_enjoyment IS NULL AND peg_activity IS NULL) OR "
            "(peg_pain IS NOT NULL AND peg_enjoyment IS NOT NULL AND peg_activity IS NOT NULL)",
            name=op.f("ck_weekly_forms_peg_whole"),
        ),
        sa.CheckConstraint("pgic BETWEEN 1 AND 7", name=op.f("ck_weekly_forms_pgic_range")),
        _origin("weekly_forms"),
        _profile("weekly_forms"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_forms")),
    )
    op.create_index("ix_weekly_forms_profile_answered", "weekly_forms", ["profile_id", "answered_at"])
    op.create_table(
        "psfs_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=True),
        _profile("psfs_activities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_psfs_activities")),
    )
    op.create_index("ix_psfs_activities_profile_since", "psfs_activities", ["profile_id", "since"])
    op.create_table(
        "psfs_scores",
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name=op.f("ck_psfs_scores_score_range")),
        sa.ForeignKeyConstraint(
            ["form_id"], ["weekly_forms.id"], name=op.f("fk_psfs_scores_form_id_weekly_forms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["psfs_activities.id"], name=op.f("fk_psfs_scores_activity_id_psfs_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("form_id", "activity_id", name=op.f("pk_psfs_scores")),
    )


def downgrade() -> None:
    op.drop_table("psfs_scores")
    op.drop_table("psfs_activities")
    op.drop_table("weekly_forms")
    op.drop_table("checkins")
    with op.batch_alter_table("ratings") as batch:
        batch.drop_constraint(batch.f("ck_ratings_pressure"), type_="check")
        batch.drop_constraint(batch.f("ck_ratings_hold_seconds_range"), type_="check")
        batch.drop_column("pressure")
        batch.drop_column("tool")
        batch.drop_column("hold_seconds")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("hold_guidance")
