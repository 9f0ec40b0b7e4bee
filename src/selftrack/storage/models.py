"""The schema, as SQLAlchemy 2 typed models (row classes end in `Row`).

selftrack runs its statements as SQL texts (selftrack.storage.connection); these models are
the schema's description that Alembic's migrations are checked against (a test compares them).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from selftrack.storage.indexes import MARKED, SESSIONS_HISTORY_COLUMNS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC; naive datetimes are refused, results come back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError("naive datetime refused: store timezone-aware moments")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProfileRow(Base):
    """A person whose sessions the database holds (one, `default`, unless a clinic adds more)."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpotDefinitionRow(Base):
    """One version of a spot's definition, stored once and shared by the sessions that used it."""

    __tablename__ = "spot_definitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spot_id: Mapped[str] = mapped_column(String(64), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(32))
    view: Mapped[str] = mapped_column(String(16))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    definition: Mapped[str] = mapped_column(Text)


class SessionRow(Base):
    """One sitting; `plan` holds the ordered steps as JSON, so history never needs the file."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("pain_before BETWEEN 0 AND 10", name="pain_before_range"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after_range"),
        CheckConstraint("status IN ('in_progress', 'finished', 'abandoned')", name="status"),
        CheckConstraint("sides IN ('left', 'right', 'both')", name="sides"),
        CheckConstraint("origin IN ('app', 'demo', 'import')", name="origin"),
        Index("ix_sessions_profile_history", *SESSIONS_HISTORY_COLUMNS),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    protocol_id: Mapped[str] = mapped_column(String(64), index=True)
    protocol_version: Mapped[int] = mapped_column(Integer)
    protocol_hash: Mapped[str] = mapped_column(String(64))
    protocol_name: Mapped[str] = mapped_column(String(200))
    sides: Mapped[str] = mapped_column(String(8))
    tool: Mapped[str] = mapped_column(String(32), default="")
    pain_before: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), index=True)
    plan: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="app")
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # what history shows of each session, kept up to date in the transaction that changes
    # its ratings (selftrack.storage.writes.refresh_totals)
    rated: Mapped[int] = mapped_column(Integer, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, server_default="0")
    tenderness_sum: Mapped[int] = mapped_column(Integer, server_default="0")
    tenderness_max: Mapped[int | None] = mapped_column(Integer)
    # seconds of holding the routine suggests in all (its minutes), for the over-treatment rule
    # (selftrack.analysis.care.over_hold_guidance); None when the routine gives no minutes
    hold_guidance: Mapped[int | None] = mapped_column(Integer)


class RatingRow(Base):
    """One spot on one side in one session; skipped ratings have no tenderness."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("session_id", "step_index", name="uq_ratings_session_step"),
        CheckConstraint("tenderness BETWEEN 0 AND 10", name="tenderness_range"),
        CheckConstraint(
            "(skipped AND tenderness IS NULL) OR (NOT skipped AND tenderness IS NOT NULL)",
            name="skipped_xor_tenderness",
        ),
        CheckConstraint("side IN ('left', 'right', 'mid')", name="side"),
        CheckConstraint("hold_seconds >= 0", name="hold_seconds_range"),
        CheckConstraint("pressure IN ('light', 'medium', 'firm')", name="pressure"),
        # a spot's series in time order, for one person, straight from the index (trends,
        # last time's rating, the focus routine)
        Index("ix_ratings_profile_spot", "profile_id", "spot_id", "side", "started_at", "tenderness"),
        # the ratings that say something more than a number (flags, notes): nerve warnings,
        # flagged spots and notes read this small index instead of every rating
        Index(
            "ix_ratings_marked", "profile_id", "spot_id", "side", "started_at", "nerve",
            "recognised", "referred", "referred_to",
            sqlite_where=text(MARKED), postgresql_where=text(MARKED),
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    # the session's person and start, copied so a spot's history is read from one index
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    step_index: Mapped[int] = mapped_column(Integer)
    route_id: Mapped[str] = mapped_column(String(64))
    spot_id: Mapped[str] = mapped_column(String(64))
    spot_def_id: Mapped[int] = mapped_column(ForeignKey("spot_definitions.id"))
    side: Mapped[str] = mapped_column(String(8))
    tenderness: Mapped[int | None] = mapped_column(Integer)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    recognised: Mapped[bool] = mapped_column(Boolean, default=False)
    referred: Mapped[bool] = mapped_column(Boolean, default=False)
    referred_to: Mapped[str] = mapped_column(String(200), default="")
    nerve: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the dose: seconds on the hold timer, the tool if not the session's, the pressure chosen
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    tool: Mapped[str | None] = mapped_column(String(32))
    pressure: Mapped[str | None] = mapped_column(String(8))


class ScreeningRow(Base):
    """One answered red-flag screen: when, why it was asked, the answers and what they mean."""

    __tablename__ = "screenings"
    __table_args__ = (
        CheckConstraint("outcome IN ('clear', 'clinician', 'emergency')", name="outcome"),
        Index("ix_screenings_profile_answered", "profile_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    trigger: Mapped[str] = mapped_column(String(32))
    answers: Mapped[str] = mapped_column(Text)  # JSON: question id -> "no", "yes" or "cleared"
    outcome: Mapped[str] = mapped_column(String(16))


class ConditionsRow(Base):
    """The conditions a person reported, as of a moment (the latest row is the one in force)."""

    __tablename__ = "condition_profiles"
    __table_args__ = (Index("ix_condition_profiles_profile_updated", "profile_id", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    conditions: Mapped[str] = mapped_column(Text)  # JSON list of condition ids
    pregnancy_weeks: Mapped[int | None] = mapped_column(Integer)  # as of updated_at


class SorenessRow(Base):
    """How a person felt after a session: none, mild, sore more than 48 h, or bruised."""

    __tablename__ = "soreness"
    __table_args__ = (
        CheckConstraint("answer IN ('none', 'mild', 'sore-48h', 'bruised')", name="answer"),
        Index("ix_soreness_profile_answered", "profile_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(String(16))


class CheckinRow(Base):
    """A morning check-in: back and leg pain now, whether the leg feeling goes below the knee,
    how the night was, and (the day after a session) the soreness answer it gave.

    One per person and local day (`day`, YYYY-MM-DD): a second one that day replaces it.
    """

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("profile_id", "day", name="uq_checkins_profile_day"),
        CheckConstraint("back_pain BETWEEN 0 AND 10", name="back_pain_range"),
        CheckConstraint("leg_pain BETWEEN 0 AND 10", name="leg_pain_range"),
        CheckConstraint("night BETWEEN 0 AND 10", name="night_range"),
        CheckConstraint("origin IN ('app', 'demo', 'import')", name="origin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(String(10))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    back_pain: Mapped[int] = mapped_column(Integer)
    leg_pain: Mapped[int] = mapped_column(Integer)
    below_knee: Mapped[bool] = mapped_column(Boolean)
    night: Mapped[int] = mapped_column(Integer)
    # the answer lives in `soreness`, where the over-treatment rules read it
    soreness_id: Mapped[int | None] = mapped_column(ForeignKey("soreness.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(16), default="app")
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WeeklyFormRow(Base):
    """A weekly function form: the PEG's three items, the global impression of change (PGIC,
    1 very much improved … 7 very much worse); its PSFS ratings are in `psfs_scores`."""

    __tablename__ = "weekly_forms"
    __table_args__ = (
        CheckConstraint("peg_pain BETWEEN 0 AND 10", name="peg_pain_range"),
        CheckConstraint("peg_enjoyment BETWEEN 0 AND 10", name="peg_enjoyment_range"),
        CheckConstraint("peg_activity BETWEEN 0 AND 10", name="peg_activity_range"),
        CheckConstraint(
            "(peg_pain IS NULL AND peg_enjoyment IS NULL AND peg_activity IS NULL) OR "
            "(peg_pain IS NOT NULL AND peg_enjoyment IS NOT NULL AND peg_activity IS NOT NULL)",
            name="peg_whole",
        ),
        CheckConstraint("pgic BETWEEN 1 AND 7", name="pgic_range"),
        CheckConstraint("origin IN ('app', 'demo', 'import')", name="origin"),
        Index("ix_weekly_forms_profile_answered", "profile_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    peg_pain: Mapped[int | None] = mapped_column(Integer)
    peg_enjoyment: Mapped[int | None] = mapped_column(Integer)
    peg_activity: Mapped[int | None] = mapped_column(Integer)
    pgic: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16), default="app")


class SpotCountRow(Base):
    """In how many sessions a person rated a spot on a side (a tenderness, not a skip): kept
    up to date in the transaction that changes the ratings (selftrack.storage.writes), so the
    trends over all history find their spots without counting every rating."""

    __tablename__ = "spot_counts"

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    spot_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    side: Mapped[str] = mapped_column(String(8), primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer)


class PsfsActivityRow(Base):
    """An activity a person named for the PSFS, rated every week from `since` until changed."""

    __tablename__ = "psfs_activities"
    __table_args__ = (Index("ix_psfs_activities_profile_since", "profile_id", "since"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PsfsScoreRow(Base):
    """One activity's PSFS rating in one weekly form (0 unable … 10 able as before)."""

    __tablename__ = "psfs_scores"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 10", name="score_range"),)

    form_id: Mapped[int] = mapped_column(ForeignKey("weekly_forms.id", ondelete="CASCADE"), primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("psfs_activities.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int] = mapped_column(Integer)
