"""Two programs changing one session's ratings at the same moment keep the spot counts right:
on PostgreSQL, where writers run side by side, as on SQLite, where they take turns.

The routine presses one spot twice (tests/data/protocols-twice), so both programs change the
same spot's count of sessions: without the session's row lock each would see the other's
rating missing and count the session once more.
"""

from __future__ import annotations

import threading

from selftrack.clock import Clock
from selftrack.tracker import Tracker, TrackerError
from support import DATA, FIXED_NOW

ROUNDS = 12


def _counts(tracker: Tracker) -> tuple[dict, dict]:
    with tracker.database.reading() as conn:
        kept = dict(((spot, side), n) for spot, side, n in conn.rows("SELECT spot_id, side, sessions FROM spot_counts"))
        counted = dict(
            ((spot, side), n)
            for spot, side, n in conn.rows(
                "SELECT spot_id, side, count(DISTINCT session_id) FROM ratings "
                "WHERE tenderness IS NOT NULL GROUP BY spot_id, side"
            )
        )
    return kept, counted


def test_two_programs_rating_one_session_at_once_count_it_once(database_url):
    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    trackers = [Tracker(database_url, protocols_dir=DATA / "protocols-twice", clock=clock) for _ in range(2)]
    try:
        first, second = trackers
        for _ in range(ROUNDS):
            session = first.start_session("test-twice", "left").id
            together = threading.Barrier(2)
            errors: list[BaseException] = []

            def act(tracker: Tracker, step: int, undo: bool) -> None:
                try:
                    together.wait()
                    tracker.record_rating(session, step, 4)
                    together.wait()
                    if undo:
                        tracker.undo_last(session)
                except BaseException as error:  # reported below, in the test's thread
                    errors.append(error)

            workers = [
                threading.Thread(target=act, args=(first, 0, False)),
                threading.Thread(target=act, args=(second, 1, True)),
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            assert not errors, errors
            first.finish(session)
        kept, counted = _counts(first)
        assert counted == {("test-dimple-spot", "left"): ROUNDS}
        assert kept == counted
        # and deleting one session from both programs at once takes it away once
        doomed = first.session_summaries()[0].id
        together = threading.Barrier(2)

        def delete(tracker: Tracker) -> None:
            together.wait()
            try:
                tracker.delete_session(doomed)
            except TrackerError:
                pass  # the other program deleted it first

        workers = [threading.Thread(target=delete, args=(t,)) for t in trackers]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        kept, counted = _counts(first)
        assert counted == {("test-dimple-spot", "left"): ROUNDS - 1} and kept == counted
    finally:
        for tracker in trackers:
            tracker.close()
