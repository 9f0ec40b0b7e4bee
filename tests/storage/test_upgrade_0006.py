"""Migration 0006 on SQLite and PostgreSQL: a 0005 database holding sessions, ratings, red-flag
screens, conditions and soreness answers is upgraded with every row kept; the new columns are
empty on old rows and the new tables are ready for use."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, text

from selftrack.clock import Clock
from selftrack.storage.engine import make_engine, migrate, open_database, read_revision, to_url
from selftrack.storage.migrations import HEAD_REVISION
from selftrack.storage.models import UTCDateTime
from selftrack.tracker import Tracker
from support import TEST_PROTOCOLS

WHEN = datetime(2026, 11, 10, 19, 0, tzinfo=timezone.utc)
TABLES = ("profiles", "spot_definitions", "sessions", "ratings", "screenings", "condition_profiles", "soreness")


def _at(sql: str):
    return text(sql).bindparams(bindparam("t", type_=UTCDateTime()))


def _fill_0005(database_url: str) -> None:
    url = to_url(database_url)
    if url.get_backend_name() == "sqlite":
        open(url.database, "wb").close()
    migrate(database_url, None, target="0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(_at("INSERT INTO profiles (id, name, display_name, created_at) VALUES (1, 'default', '', :t)"), {"t": WHEN})
        conn.execute(_at("INSERT INTO profiles (id, name, display_name, created_at) VALUES (2, 'sam', '', :t)"), {"t": WHEN})
        conn.execute(
            text(
                "INSERT INTO spot_definitions (spot_id, digest, name, region, view, x, y, definition) "
                "VALUES ('s', 'd1', 'S', 'buttock', 'back', 0.1, 0.5, '{}')"
            )
        )
        definition = conn.execute(text("SELECT id FROM spot_definitions")).scalar_one()
        for n in range(3):
            conn.execute(
                _at(
                    "INSERT INTO sessions (id, profile_id, protocol_id, protocol_version, protocol_hash, "
                    "protocol_name, sides, tool, notes, started_at, status, plan, origin, rated, skipped, "
                    "tenderness_sum, tenderness_max) VALUES "
                    f"('s{n}', {1 + n % 2}, 'p', 1, 'h', 'P', 'left', 'ball', '', :t, 'finished', "
                    "'{\"routes\": {}, \"steps\": [[\"r\", \"s\", \"left\", 1], [\"r\", \"s\", \"left\", 1], "
                    "[\"r\", \"s\", \"left\", 1], [\"r\", \"s\", \"left\", 1]]}', 'app', 4, 0, 8, 5)"
                ),
                {"t": WHEN + timedelta(minutes=n)},
            )
            for step in range(4):
                conn.execute(
                    _at(
                        "INSERT INTO ratings (session_id, profile_id, started_at, step_index, route_id, spot_id, "
                        "spot_def_id, side, tenderness, skipped, recognised, referred, referred_to, nerve, note, "
                        f"rated_at) VALUES ('s{n}', {1 + n % 2}, :t, {step}, 'r', 's', {definition}, 'left', {step + 2 * (step == 3)}, "
                        "FALSE, FALSE, FALSE, '', FALSE, '', :t)"
                    ),
                    {"t": WHEN + timedelta(minutes=n)},
                )
        conn.execute(
            _at("INSERT INTO screenings (profile_id, answered_at, trigger, answers, outcome) VALUES (1, :t, 'first', '{}', 'clear')"),
            {"t": WHEN},
        )
        conn.execute(
            _at("INSERT INTO condition_profiles (profile_id, updated_at, conditions, pregnancy_weeks) VALUES (1, :t, '[]', NULL)"),
            {"t": WHEN},
        )
        conn.execute(
            _at("INSERT INTO soreness (profile_id, session_id, answered_at, answer) VALUES (1, 's0', :t, 'mild')"),
            {"t": WHEN},
        )
    engine.dispose()


def test_upgrading_a_0005_database_keeps_every_row(database_url):
    _fill_0005(database_url)
    database = open_database(database_url)
    assert read_revision(database) == HEAD_REVISION
    with database.reading() as conn:
        counts = {table: conn.scalar(f"SELECT count(*) FROM {table}") for table in TABLES}
        assert counts == {
            "profiles": 2, "spot_definitions": 1, "sessions": 3, "ratings": 12, "screenings": 1,
            "condition_profiles": 1, "soreness": 1,
        }  # fmt: skip
        # old rows carry no dose: nothing was measured then
        assert conn.rows("SELECT DISTINCT hold_seconds, tool, pressure FROM ratings") == [(None, None, None)]
        assert conn.rows("SELECT DISTINCT hold_guidance FROM sessions") == [(None,)]
        assert conn.rows("SELECT rated, tenderness_sum, tenderness_max FROM sessions") == [(4, 8, 5)] * 3
        for table in ("checkins", "weekly_forms", "psfs_activities", "psfs_scores"):
            assert conn.scalar(f"SELECT count(*) FROM {table}") == 0
    database.close()
    clock = Clock(fixed=datetime(2026, 11, 11, 8, 0, tzinfo=timezone.utc), tz_name="Europe/London")
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        assert [r.tenderness for r in tracker.ratings("s0")] == [0, 1, 2, 5]
        assert tracker.care_state().screening is not None
        saved = tracker.record_checkin(back=4, leg=1, night=7, soreness="sore-48h")
        assert saved.checkin.soreness_session == "s2"  # this profile's latest session, last evening
        session = tracker.start_session("test-mini", "left")
        rating = tracker.record_rating(session.id, 0, 3, hold_seconds=25, tool="hands", pressure="medium")
        assert (rating.hold_seconds, rating.tool, rating.pressure) == (25, "hands", "medium")
        assert tracker.session(session.id).protocol_id == "test-mini"
        with tracker.database.reading() as conn:
            assert conn.scalar("SELECT hold_guidance FROM sessions WHERE id = :id", {"id": session.id}) == 180
            assert conn.scalar("SELECT count(*) FROM soreness") == 2
