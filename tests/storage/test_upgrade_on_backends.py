"""The same migrations on SQLite and PostgreSQL: an old database is upgraded with every row kept."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import bindparam, text

from selftrack.storage.engine import make_engine, migrate, open_database, read_revision, to_url
from selftrack.storage.models import UTCDateTime
from selftrack.storage.migrations import HEAD_REVISION
from selftrack.tracker import Tracker
from support import TEST_PROTOCOLS

WHEN = datetime(2026, 1, 2, 10, 0, tzinfo=timezone.utc)


def _at(sql: str):
    return text(sql).bindparams(bindparam("t", type_=UTCDateTime()))


def test_upgrade_from_the_first_schema_keeps_every_row(database_url):
    url = to_url(database_url)
    if url.get_backend_name() == "sqlite":
        open(url.database, "wb").close()
    migrate(database_url, None, target="0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(_at("INSERT INTO profiles (id, name, display_name, created_at) VALUES (1, 'default', '', :t)"), {"t": WHEN})
        conn.execute(text("INSERT INTO spot_definitions VALUES (1, 's', 'd1', 'S', 'buttock', 'back', 0.1, 0.5, '{}')"))
        for n in range(3):
            conn.execute(
                _at(
                    "INSERT INTO sessions (id, profile_id, protocol_id, protocol_version, protocol_hash, "
                    "protocol_name, sides, tool, notes, started_at, status, plan, origin) VALUES "
                    f"('s{n}', 1, 'p', 1, 'h', 'P', 'left', '', '', :t, 'finished', '{{}}', 'app')"
                ),
                {"t": WHEN},
            )
            for step in range(4):
                conn.execute(
                    _at(
                        "INSERT INTO ratings (session_id, step_index, route_id, spot_id, spot_def_id, side, "
                        "tenderness, skipped, recognised, referred, referred_to, nerve, note, rated_at) VALUES "
                        f"('s{n}', {step}, 'r', 's', 1, 'left', {step}, FALSE, FALSE, FALSE, '', FALSE, '', :t)"
                    ),
                    {"t": WHEN},
                )
    engine.dispose()

    database = open_database(database_url)
    assert read_revision(database) == HEAD_REVISION
    with database.reading() as conn:
        assert conn.scalar("SELECT count(*) FROM sessions") == 3
        assert conn.scalar("SELECT count(*) FROM ratings") == 12
        assert conn.rows("SELECT rated, tenderness_sum, tenderness_max FROM sessions") == [(4, 6, 3)] * 3
    database.close()
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS) as tracker:
        sessions = tracker.sessions()
        assert len(sessions) == 3 and sessions[0].started_at == WHEN
        assert [r.tenderness for r in tracker.ratings("s1")] == [0, 1, 2, 3]
