"""Walking whole sessions with key presses, and what ends up in the database."""

from __future__ import annotations

from selftrack.domain.model import SessionStatus
from selftrack.tui.app import build_app
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.start import StartScreen
from selftrack.tui.screens.summary import SummaryScreen
from selftrack.tui.screens.text_entry import TextEntryDialog
from selftrack.tui.screens.walk import WalkScreen
from selftrack.tui.messages import RatingSaved
from selftrack.tui.widgets.body_map import BodyMap
from selftrack.tui.widgets.key_footer import KeyFooter

from tui_support import settle, text_of

SIZE = (120, 40)


async def _begin(pilot, pain: str = "6") -> WalkScreen:
    """From a start screen opened with routine and side chosen: pain now, then Begin."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, StartScreen)
    await pilot.press(pain, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WalkScreen) and screen.walk is not None
    return screen


async def test_whole_session_by_keys(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="both")
    recorded: list = []
    async with app.run_test(size=SIZE, message_hook=lambda m: recorded.append(m)) as pilot:
        walk_screen = await _begin(pilot)
        walk = walk_screen.walk
        assert text_of(app, "#walk-progress").startswith("Spot 1 of 6")
        await pilot.press("3")
        await settle(pilot)
        assert walk.current == 1
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("r", "t")
        await settle(pilot)
        assert "Ease off" in text_of(app, "#walk-notice")
        await pilot.press("0")
        await settle(pilot)
        assert not app.screen.query_one("#walk-notice").has_class("-shown")
        await pilot.press("n")
        await settle(pilot)
        assert "Move off this spot" in text_of(app, "#walk-notice")
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, TextEntryDialog)
        await pilot.press(*"thigh", "enter")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "6 spots rated" not in text_of(app, "#summary-head")
        assert "5 spots rated, 1 skipped" in text_of(app, "#summary-head")
        await pilot.press("1")
        await settle(pilot)
        await pilot.press(*"went ok", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

    (session,) = tracker.sessions()
    assert session.status is SessionStatus.FINISHED
    assert (session.pain_before, session.pain_after, session.notes) == (6, 1, "went ok")
    stored = [
        (r.step_index, r.tenderness, r.skipped, r.recognised, r.nerve, r.referred, r.referred_to)
        for r in tracker.ratings(session.id)
    ]
    assert stored == [
        (0, 3, False, False, False, False, ""),
        (1, None, True, False, False, False, ""),
        (2, 10, False, True, False, False, ""),
        (3, 0, False, False, False, False, ""),
        (4, 7, False, False, True, False, ""),
        (5, 2, False, False, False, True, "thigh"),
    ]
    assert len({id(m) for m in recorded if isinstance(m, RatingSaved)}) == 6  # each handled by the walk


async def test_back_and_undo(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="both")
    async with app.run_test(size=SIZE) as pilot:
        walk = (await _begin(pilot)).walk
        for key in "123":
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert walk.current == 2 and 2 not in walk.ratings
        assert "Undone" in text_of(app, "#walk-notice")
        await pilot.press("b")
        await settle(pilot)
        assert walk.current == 1
        assert "[2]" in text_of(app, "#walk-route")
        await pilot.press("9")
        await settle(pilot)
        assert walk.current == 2, "re-rating goes on to the next unrated spot"
        await pilot.press("left", "left", "right")
        await settle(pilot)
        assert walk.current == 1
        session_id = walk.session.id
    assert {r.step_index: r.tenderness for r in tracker.ratings(session_id)} == {0: 1, 1: 9}


async def test_flag_on_a_rated_spot_is_saved_at_once(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SIZE) as pilot:
        walk = (await _begin(pilot)).walk
        await pilot.press("4", "b", "r", "c")
        await settle(pilot)
        await pilot.press(*"knotty", "enter")
        await settle(pilot)
        session_id = walk.session.id
        assert walk.current == 0
    (rating,) = tracker.ratings(session_id)
    assert (rating.tenderness, rating.recognised, rating.note) == (4, True, "knotty")


async def test_clicking_the_map_jumps_to_the_nearest_spot(tracker, acknowledged):
    from selftrack import bodymap

    app = build_app(tracker, protocol="test-mini", side="both")
    async with app.run_test(size=SIZE) as pilot:
        walk = (await _begin(pilot)).walk
        body = app.screen.query_one(BodyMap)
        target = next(
            s.index for s in walk.session.steps if s.spot_id == "test-dimple-spot" and s.side == "right"
        )
        x, y = walk.session.spots["test-dimple-spot"].position("right")
        col, row = bodymap.to_cell(x, y, body.content_size.width, body.content_size.height)
        gutter = body.styles.gutter
        await pilot.click(BodyMap, offset=(col + gutter.left, row + gutter.top))
        await settle(pilot)
        assert walk.current == target
        await pilot.press("5")
        await settle(pilot)
        assert walk.ratings[target].tenderness == 5
        assert walk.current == 0


async def test_pause_goes_home_and_the_session_is_offered_again(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SIZE) as pilot:
        walk = (await _begin(pilot)).walk
        await pilot.press("2", "p")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "resume the unfinished" in text_of(app, "#home-next")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.walk.current == 1
        assert app.screen.walk.session.id == walk.session.id


async def test_nerve_flag_warns_in_the_next_session(tracker, acknowledged):
    first = tracker.start_session("test-mini", "left")
    tracker.record_rating(first.id, 0, 5, nerve=True)
    tracker.finish(first.id)
    later = tracker.clock.__class__(fixed=tracker.clock.now().replace(hour=18), tz_name="UTC")
    tracker.clock = later
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SIZE) as pilot:
        await _begin(pilot)
        last = text_of(app, "#walk-status")
        assert "Last time: 5" in last
        assert "Nerve feeling flagged here" in last
        await pilot.press("3")
        await settle(pilot)
        assert "Nerve feeling" not in text_of(app, "#walk-status")


async def test_keystrokes_per_rated_spot_is_one(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="both")
    async with app.run_test(size=SIZE) as pilot:
        walk = (await _begin(pilot)).walk
        keys = "5320t1"
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert len(keys) / len(walk.ratings) == 1.0


async def test_pain_now_is_typed_from_anywhere_on_the_start_screen(tracker, acknowledged):
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # routine chosen: the focus moves on to the sides
        await settle(pilot)
        assert app.focused.id == "start-sides"
        await pilot.press("4")
        await settle(pilot)
        assert "pain now 4" in text_of(app, "#start-hint")
        await pilot.press("enter")  # the focus is on Begin now
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        assert tracker.session(screen.walk.session.id).pain_before == 4


async def test_footer_lists_the_keys_and_a_click_runs_one(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="both")
    async with app.run_test(size=SIZE) as pilot:
        walk = (await _begin(pilot)).walk
        footer = app.screen.query_one(KeyFooter)
        shown = str(footer.render())
        for words in (" 0-9 Rate ", " t 10 ", " s Skip ", " u Undo ", " p Pause ", " ? Help "):
            assert words in shown
        assert "Rate 5" not in shown, "bindings with show=False stay out"
        skip = shown.index(" s Skip ")
        await pilot.click(KeyFooter, offset=(skip + 1, 0))
        await settle(pilot)
        assert walk.ratings[0].skipped and walk.current == 1
