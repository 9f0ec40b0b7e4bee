"""PDF report: its text carries the summary figures, computed here independently of the core."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta
from statistics import median

import pytest
from pypdf import PdfReader

from selftrack.analysis.stats import READING_TRENDS
from selftrack.clock import Clock
from selftrack.domain.conditions import ConditionProfile, condition
from selftrack.exports import ExportRequest
from selftrack.safety import RED_FLAG_SCREEN
from exports import conftest
from exports.conftest import SESSIONS


def render(tracker, **request) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    tracker.export(ExportRequest("pdf", **request), out)
    data = out.getvalue()
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    return data, pages


def pdftotext(data: bytes) -> str:
    """The text poppler gives back, as a reader copying from the PDF would get it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def start_and_latest(values):
    """Median of the first three and of the last three values (the rule the report states)."""
    window = min(3, len(values) // 2)
    return median(values[:window]), median(values[-window:])


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def report(history):
    return render(history, name="Alex Example")


def test_it_is_a_pdf_with_numbered_pages_and_the_date_with_its_zone(report):
    data, pages = report
    assert data.startswith(b"%PDF-")
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert "generated 20 Nov 2026 09:30 GMT" in text


def test_the_creation_date_is_the_real_one(history):
    data, _pages = render(history)
    info = PdfReader(io.BytesIO(data)).metadata
    assert info["/CreationDate"] == "D:20261120093000+00'00'"  # the clock's now, in London (GMT)
    history.clock = Clock(fixed=conftest.FIXED_NOW, tz_name="Asia/Kolkata")
    data, pages = render(history)
    assert PdfReader(io.BytesIO(data)).metadata["/CreationDate"] == "D:20261120150000+05'30'"
    assert "generated 20 Nov 2026 15:00 IST" in pages[0]


def test_page_one_summary_figures(report):
    _data, pages = report
    first = pages[0]
    assert "Self-massage log for Alex Example" in first
    assert "Period: 1 Sep 2026 to 20 Nov 2026 (81 days). Times are in Europe/London." in first
    abandoned = sum(1 for s in SESSIONS if s.get("status") == "abandoned")
    finished = len(SESSIONS) - abandoned
    rated = sum(1 for s in SESSIONS for value in s["t"] if value is not None)
    skipped = sum(1 for s in SESSIONS for value in s["t"] if value is None)
    assert f"Sessions: {len(SESSIONS)} ({finished} finished, {abandoned} stopped early); {rated} spots rated, {skipped} skipped." in first
    days = sorted(s["day"] for s in SESSIONS if s.get("status") != "abandoned")
    longest = max(b - a - 1 for a, b in zip(days, days[1:]))
    assert (
        f"Regularity: {finished} sessions on {finished} days out of 81, {finished / 81 * 7:.1f} per week "
        f"(not counting sessions stopped early or with no spot rated or skipped); longest break {longest} days."
    ) in first
    before = start_and_latest([s["before"] for s in SESSIONS])
    after = start_and_latest([s["after"] for s in SESSIONS if s["after"] is not None])
    assert f"Pain before sessions: {before[0]:.1f} at the start, {before[1]:.1f} lately ({before[1] - before[0]:+.1f}, better (meaningful))" in first
    assert f"Pain after sessions: {after[0]:.1f} at the start, {after[1]:.1f} lately ({after[1] - after[0]:+.1f}, better (meaningful))" in first
    drops = [s["before"] - s["after"] for s in SESSIONS if s["after"] is not None]
    assert f"pain fell by {sum(drops) / len(drops):.1f} points on average" in first
    # the period starts on a Tuesday and ends on a Friday: its first and last weeks are partial
    assert "Sessions per week" in first and "partial week" in first


def test_unfinished_is_not_finished_and_one_is_one(history):
    conftest.set_clock(history, conftest.FIXED_NOW - timedelta(hours=2))
    s = history.start_session("export-test", "left", tool="ball", pain_before=3)
    history.record_rating(s.id, 0, 2)  # never finished nor stopped
    conftest.set_clock(history, conftest.FIXED_NOW)
    _data, pages = render(history)
    assert "Sessions: 10 (8 finished, 1 stopped early, 1 unfinished (never finished or stopped))" in pages[0]
    # it rated a spot and was not stopped early: regularity counts it, on a day of its own
    assert "Regularity: 9 sessions on 9 days out of 81" in pages[0]
    text = " ".join(pages)
    assert "in progress" in text  # its status in the session table
    # one of each: the words are singular
    _data, pages = render(history, start=conftest.FIXED_NOW - timedelta(hours=3))
    assert "(1 day)" in pages[0] and "(1 days)" not in pages[0]
    assert "Sessions: 1 (0 finished, 1 unfinished (never finished or stopped)); 1 spot rated, 0 skipped." in pages[0]
    assert "Regularity: 1 session on 1 day out of 1 (not counting" in pages[0]


def test_a_break_of_one_day_is_one_day(history):
    for back in (3, 1):
        conftest.set_clock(history, conftest.FIXED_NOW + timedelta(days=back))
        s = history.start_session("export-test", "left", tool="ball", pain_before=3)
        history.record_rating(s.id, 0, 2)
        history.finish(s.id, pain_after=2)
    conftest.set_clock(history, conftest.FIXED_NOW + timedelta(days=3, hours=2))
    _data, pages = render(history, start=conftest.FIXED_NOW + timedelta(hours=6))
    assert "longest break 1 day." in pages[0]


def _spot(step: int) -> list[int]:
    return [s["t"][step] for s in SESSIONS if len(s["t"]) > step and s["t"][step] is not None]


def test_page_one_lists_clear_changes_flags_and_referred_pain_by_spot_number(report):
    _data, pages = report
    first = pages[0]
    spine = start_and_latest(_spot(0))
    hip = start_and_latest(_spot(6))
    better = first.split("Clearly less tender:")[1].split("Clearly more tender")[0]
    worse = first.split("Clearly more tender:")[1].split("Flagged spots")[0]
    # spots are numbered in body order: the low back first, then the buttock, the hip, the calf
    assert f"#1 Beside the spine, low back, left: {spine[0]:.1f} to {spine[1]:.1f} ({spine[1] - spine[0]:+.1f})" in better
    assert f"#4 Side of the hip, below the crest, right: {hip[0]:.1f} to {hip[1]:.1f} ({hip[1] - hip[0]:+.1f})" in worse
    assert "Under the dimple" not in better + worse  # 6 to 6: no clear change
    flags = first.split("Flagged spots")[1]
    assert "#4 Side of the hip, below the crest (right): nerve-like 1×, recognised 1×" in flags
    assert "#2 Under the dimple (left): recognised 1×" in flags
    referred = first.split("Referred pain")[1]
    assert "down the back of the thigh 1× (from #1 left 1×)" in referred
    assert "no place given 1× (from #4 right 1×)" in referred
    assert "Not on this view (mean tenderness): #5 Inner calf left" in first


def test_page_one_gives_the_latest_screen_and_the_conditions(history):
    _data, pages = render(history)
    assert "Red-flag screen, last answered 1 Sep 2026 (asked because before your first session)" in pages[0]
    assert "Conditions that adapt the routine (given 18 Nov 2026): Osteoporosis" in pages[0]
    answers = {q.id: "no" for q in RED_FLAG_SCREEN}
    answers["cancer"] = "cleared"
    # after the history's own screen and conditions (1 Sep, 18 Nov)
    later = conftest.FIXED_NOW + timedelta(days=10)
    conftest.set_clock(history, later - timedelta(days=10))
    history.answer_screening(answers, "four-weeks")
    conftest.set_clock(history, later - timedelta(days=9))
    history.set_conditions(ConditionProfile.of("blood-thinners", "pregnancy", pregnancy_weeks=22))
    conftest.set_clock(history, later)
    _data, pages = render(history)
    first = pages[0]
    total = len(RED_FLAG_SCREEN)
    assert (
        f"Red-flag screen, last answered 20 Nov 2026 (asked because it has been four weeks since you last "
        f"answered): no to {total - 1} of {total} questions; yes, and a clinician has said self-massage is fine: "
        "a history of cancer. Outcome: nothing in it stops self-massage."
    ) in first
    conditions = first.split("Conditions that adapt the routine (given 21 Nov 2026):")[1]
    for cid in ("blood-thinners", "pregnancy", "pregnancy-after-20-weeks"):
        assert condition(cid).name in conditions
    assert flat(condition("blood-thinners").why).rstrip(".") in conditions
    assert "(23 weeks now)" in conditions  # the weeks given, counted on to today


def test_page_one_says_a_screen_is_due_and_what_stopped_sessions(history):
    answers = {q.id: "no" for q in RED_FLAG_SCREEN}
    answers["night-pain"] = "yes"
    conftest.set_clock(history, conftest.FIXED_NOW - timedelta(days=40))
    history.answer_screening(answers, "first")
    conftest.set_clock(history, conftest.FIXED_NOW)
    _data, pages = render(history)
    assert "yes: constant or night pain that rest and position do not ease" in pages[0]
    assert "Outcome: a clinician should be seen before treating oneself." in pages[0]
    assert "Due to be asked again: it has been four weeks since you last answered." in pages[0]


def test_the_spot_table_is_the_key_to_the_map_numbers(report):
    _data, pages = report
    rest = " ".join(pages[1:])
    assert "Spots: the key to the maps" in rest
    spine_left = start_and_latest(_spot(0))
    n_left, n_right = len(_spot(0)), len(_spot(4))
    mean_left, mean_right = sum(_spot(0)) / n_left, sum(_spot(4)) / n_right
    assert (
        f"1 Beside the spine, low back left {n_left} {mean_left:.1f} {spine_left[0]:.1f} {spine_left[1]:.1f} "
        f"{spine_left[1] - spine_left[0]:+.1f} clearly less tender right {n_right} {mean_right:.1f}"
    ) in rest
    assert "3 Edge of the sacrum middle" in rest  # a spot on the midline has one row
    # numbered as on the map, in body order, each once
    order = [rest.index(f"{n} {name}") for n, name in enumerate(
        ["Beside the spine", "Under the dimple", "Edge of the sacrum", "Side of the hip", "Inner calf"], start=1)]
    assert order == sorted(order)


def test_region_table_takes_its_verdicts_from_the_core(history, report):
    from selftrack.render.words import verdict_words

    _data, pages = report
    rest = " ".join(pages[1:])
    assert "Trends per region" in rest
    for trend in history.trends():
        if trend.subject.kind != "region":
            continue
        words = verdict_words(trend.summary)
        assert f"{trend.name} " in rest and words in rest, (trend.name, words)
    # the chart of the buttock on the left is the mean of its fixed spots, named by number
    assert "#2 (1 spot)" in rest


def test_the_numbers_are_explained_in_the_core_s_words(report):
    _data, pages = report
    rest = " ".join(pages[1:])
    assert "What the numbers mean" in rest
    for paragraph in READING_TRENDS:
        assert flat(paragraph.replace("**", "")) in rest


def test_tables_notes_and_times_with_their_zone(report):
    _data, pages = report
    rest = " ".join(pages[1:])
    assert rest.count("Started Routine Sides Tool Rated Skipped Mean Max") >= 1
    assert "1 Sep 2026 07:30 BST Export test routine both ball 9 0" in rest  # summer time
    assert "18 Nov 2026" in rest and "GMT" in rest
    assert "Stiff after a long drive, then looser" in rest
    assert '=HYPERLINK("http://example.invalid", "click")' in rest
    assert "Größer, aber weicher" in rest
    assert "Not medical advice. selftrack is a diary" in rest and "nothing in this report is medical advice" in rest


def test_session_table_header_repeats_on_every_page(history):
    for extra in range(50):  # enough sessions for the table to run over a page
        conftest.set_clock(history, conftest.FIXED_NOW - timedelta(days=60, hours=extra))
        s = history.start_session("export-test", "left", tool="ball", pain_before=3)
        history.record_rating(s.id, 0, 2)
        history.finish(s.id, pain_after=2)
    conftest.set_clock(history, conftest.FIXED_NOW)
    _data, pages = render(history)
    with_table = [p for p in pages if "Export test routine" in p and "Pain before" in p]
    assert len(with_table) >= 2
    assert all("Started Routine Sides Tool Rated Skipped Mean Max" in p for p in with_table)


def test_a_period_with_no_sessions(empty_tracker):
    _data, pages = render(empty_tracker, name="")
    assert len(pages) == 1
    assert "No sessions were logged in this period." in pages[0]
    assert "Red-flag screen: never answered" in pages[0]
    assert "page 1 of 1" in pages[0]


def test_hostile_notes_and_names_are_shown_as_plain_visible_text(history):
    hostile = "<b>bold</b> & <font color=red>x</font> \x1b[31mred\x1b[0m \u202eevil\u202c \x07"
    s = history.start_session("export-test", "left", tool="ball", pain_before=3)
    history.record_rating(s.id, 0, 2, note=hostile)
    notes = "</para><para> \x1b]0;title\x07 " + "long " * 2000
    history.finish(s.id, pain_after=2, notes=notes)
    _data, pages = render(history, name="<i>Alex</i> \x1b[2J")
    text = " ".join(pages)
    assert "for <i>Alex</i> \\x1b[2J" in pages[0]
    assert r"<b>bold</b> & <font color=red>x</font> \x1b[31mred\x1b[0m \u202eevil\u202c \x07" in text
    assert r"</para><para> \x1b]0;title\x07 long long" in text
    # a long note is shortened, saying how much more there is and where
    from selftrack.exports.pdf_report.tables import NOTE_CHARS

    assert f"[... {len(notes) - NOTE_CHARS:,} more characters, in the JSON export]" in text
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text


NAME = "Zoë Łukasiewicz Ηλέκτρα Жанна 李雷"
SCRIPT_NOTES = (
    "Żółć, łydka: ćwiczenia pomogły; Šťastný Ďábel; Őrült Ű",  # Central European
    "Πόνος στη μέση, καλύτερα σήμερα",  # Greek
    "Боль в пояснице — лучше, спасибо",  # Cyrillic
    "腰痛好多了，明天再按摩",  # Chinese
    "腰がだいぶ楽になった",  # Japanese: kana and kanji
    "허리가 많이 좋아졌어요",  # Korean
    "Smiling 😀 and a math 𝐀",  # beyond U+FFFF: one DejaVu has, one no font here has
)


def test_every_script_comes_back_from_pdftotext(history):
    s = history.start_session("export-test", "left", tool="ball", pain_before=3)
    for step, note in enumerate(SCRIPT_NOTES[:4]):
        history.record_rating(s.id, step, 2, note=note)
    history.finish(s.id, pain_after=2, notes="\n".join(SCRIPT_NOTES[4:]))
    data, _pages = render(history, name=NAME)
    text = pdftotext(data)
    assert f"Self-massage log for {NAME}" in text
    lines = flat(text)
    for note in SCRIPT_NOTES[:-1]:
        assert note in lines, note
    assert "Smiling 😀 and a math [U+1D400]" in lines  # a glyph-less letter is a visible mark
    assert "?" not in lines.split("Self-massage log for")[1][:40]


def test_notes_are_capped_with_a_count_of_the_rest(history):
    from selftrack.exports.pdf_report.tables import NOTES_SHOWN

    for extra in range(NOTES_SHOWN + 5):
        conftest.set_clock(history, conftest.FIXED_NOW - timedelta(days=5, hours=extra))
        s = history.start_session("export-test", "left", tool="ball", pain_before=3)
        history.record_rating(s.id, 0, 2)
        history.finish(s.id, pain_after=2, notes=f"note number {extra}")
    conftest.set_clock(history, conftest.FIXED_NOW)
    _data, pages = render(history)
    text = " ".join(pages)
    total = NOTES_SHOWN + 5 + 3 + len(conftest.RATING_EXTRAS) - 1  # the fixture's notes too
    assert f"The latest {NOTES_SHOWN} of {total} notes; the {total - NOTES_SHOWN} earlier notes and every note in full are in the JSON export." in text
    assert "note number 0" in text  # the latest
    assert "Stiff after a long drive" not in text  # an early one


def test_skipped_spots_are_not_counted_as_ratings(history, tmp_path):
    result = history.export(ExportRequest("pdf"), tmp_path / "r.pdf")
    assert result.ratings == sum(1 for s in SESSIONS for value in s["t"] if value is not None)


def _demo_report(tmp_path, days: int) -> tuple[bytes, list[str]]:
    """A report of `days` days of sample history, written through the core (`selftrack demo`),
    with a red-flag screen (one yes, cleared) and two conditions, so page 1 is full."""
    from selftrack.tracker import Tracker

    with Tracker(str(tmp_path / f"demo-{days}.db"), clock=Clock(fixed=conftest.FIXED_NOW, tz_name=conftest.ZONE)) as tracker:
        tracker.write_demo(days=days)
        answers = {q.id: "no" for q in RED_FLAG_SCREEN}
        answers["cancer"] = "cleared"
        tracker.answer_screening(answers, "four-weeks")
        tracker.set_conditions(ConditionProfile.of("osteoporosis", "reduced-sensation"))
        return render(tracker, name=NAME)


def _check_a_whole_report(pages: list[str]) -> None:
    first = pages[0]
    for heading in ("Pain before sessions", "Sessions:", "Regularity:", "Red-flag screen", "Conditions that adapt",
                    "Mean tenderness in the period", "Clearly less tender", "Flagged spots", "Referred pain"):  # fmt: skip
        assert heading in first, heading
    assert "down the back of the thigh" in first.split("Referred pain")[1]
    assert "Spots: the key to the maps" in pages[1]
    rest = " ".join(pages[1:])
    for heading in ("Trends per region", "Sessions", "Notes", "What the numbers mean", "Not medical advice."):
        assert heading in rest
    # no page is left nearly empty (the last one holds more than the not-advice note)
    assert all(len(page) > 600 for page in pages), [len(p) for p in pages]


def test_half_a_year_of_daily_sessions_is_summed_up_by_week(tmp_path):
    _data, pages = _demo_report(tmp_path, 200)
    _check_a_whole_report(pages)
    assert "are too many for a row each: one row per week (Monday to Sunday)" in " ".join(pages)
    assert len(pages) <= 8


@pytest.mark.slow
def test_ten_years_fit_in_twelve_pages(tmp_path):
    data, pages = _demo_report(tmp_path, 3650)
    assert len(pages) <= 12, len(pages)
    _check_a_whole_report(pages)
    text = " ".join(pages)
    assert "one row per month" in text
    assert re.search(r"The latest 30 of [\d,]+ notes", text)
    assert f"Self-massage log for {NAME}" in pdftotext(data)


def test_page_one_keeps_to_its_page_with_long_names_and_many_places(history):
    conftest.set_clock(history, conftest.FIXED_NOW - timedelta(days=1))
    history.answer_screening({q.id: "cleared" if q.urgency == "clinician" else "no" for q in RED_FLAG_SCREEN})
    history.set_conditions(ConditionProfile.of("blood-thinners", "osteoporosis", "reduced-sensation", "implanted-device"))
    conftest.set_clock(history, conftest.FIXED_NOW - timedelta(hours=3))
    s = history.start_session("export-test", "both", tool="ball", pain_before=3)
    for step in range(9):
        place = f"place {step}: " + "down the leg and round the side " * 6
        history.record_rating(s.id, step, 8, nerve=True, recognised=True, referred_to=place[:200])
    history.finish(s.id, pain_after=2)
    conftest.set_clock(history, conftest.FIXED_NOW)
    long_name = "Zoë Łukasiewicz-Ηλέκτρα Жанна 李雷 " * 6
    _data, pages = render(history, name=long_name[:200])
    first = pages[0]
    for heading in ("Red-flag screen", "Mean tenderness in the period", "Clearly less tender", "Flagged spots", "Referred pain"):
        assert heading in first, heading
    assert "more places" in first.split("Referred pain")[1]  # the list was shortened to fit
    assert first.count("yes, and a clinician has said self-massage is fine:") == 1  # signs grouped by answer
    assert pages[1].startswith("Spots: the key to the maps")


def test_a_period_of_one_session_stopped_before_any_rating(empty_tracker):
    conftest.set_clock(empty_tracker, conftest.FIXED_NOW - timedelta(hours=1))
    s = empty_tracker.start_session("export-test", "left", tool="ball", pain_before=4)
    empty_tracker.abandon(s.id)
    conftest.set_clock(empty_tracker, conftest.FIXED_NOW)
    _data, pages = render(empty_tracker)
    assert "Sessions: 1 (0 finished, 1 stopped early); 0 spots rated, 0 skipped." in pages[0]
    assert "Regularity: 0 sessions on 0 days out of 1" in pages[0]
    assert "Referred pain (where the feeling spread when a spot was pressed, and how often): none." in pages[0]


def test_page_one_leads_with_the_outcomes_and_their_verdicts_from_the_trends(history):
    """Morning back and leg pain, PEG and PSFS at the start and now, each with the verdict the
    Tracker's trend gave (the PDF judges nothing), above the tenderness map (issue 16)."""
    from selftrack.render.words import number, signed, verdict_words

    _data, pages = render(history)
    first = pages[0]
    found = {t.subject.id: t for t in history.trends(["pain:morning", "leg:morning", "peg", "psfs"])}
    assert found["psfs"].summary.latest > found["psfs"].summary.baseline  # the history got better
    order = []
    for subject, name in (
        ("pain:morning", "Back pain in the morning (0-10)"),
        ("leg:morning", "Leg pain in the morning (0-10)"),
        ("peg", "PEG, pain and its interference (0-10)"),
        ("psfs", "PSFS, the person's own activities (0-10, higher is better)"),
    ):
        s = found[subject].summary
        row = f"{name} {number(s.baseline)} {number(s.latest)} {signed(s.change)} {verdict_words(s)}"
        assert row in first, row
        order.append(first.index(row))
    assert order == sorted(order)
    assert order[-1] < first.index("Pain before sessions") < first.index("Mean tenderness in the period")
    assert first.index("Outcome (what the person reports)") < first.index("Mean tenderness in the period")


def test_outcomes_show_even_when_the_period_has_no_session(history):
    from datetime import datetime, timezone

    _data, pages = render(history, start=datetime(2026, 11, 18, 12, tzinfo=timezone.utc))
    assert "No sessions were logged in this period." in pages[0]
    assert "Back pain in the morning (0-10) 2.0" in pages[0]
