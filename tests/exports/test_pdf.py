"""PDF report: its text carries the summary figures, computed here independently of the core."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from statistics import median

import pytest
from pypdf import PdfReader

from selftrack.exports import ExportRequest
from exports.conftest import FIRST_SESSION, SESSIONS


def render(tracker, **request) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    tracker.export(ExportRequest("pdf", **request), out)
    data = out.getvalue()
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    return data, pages


def start_and_latest(values):
    """Median of the first three and of the last three values (the rule the report states)."""
    window = min(3, len(values) // 2)
    return median(values[:window]), median(values[-window:])


@pytest.fixture
def report(history):
    return render(history, name="Alex Example")


def test_it_is_a_pdf_with_numbered_pages_and_the_date(report):
    data, pages = report
    assert data.startswith(b"%PDF-")
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert "generated 20 Nov 2026 09:30" in text


def test_page_one_summary_figures(report):
    _data, pages = report
    first = pages[0]
    assert "Self-massage log for Alex Example" in first
    assert "Period: 1 Sep 2026 to 20 Nov 2026" in first
    abandoned = sum(1 for s in SESSIONS if s.get("status") == "abandoned")
    completed = len(SESSIONS) - abandoned
    monday = FIRST_SESSION.date() - timedelta(days=FIRST_SESSION.weekday())
    weeks = (date(2026, 11, 16) - monday).days // 7 + 1
    assert f"Sessions: {len(SESSIONS)} ({abandoned} stopped early); {completed} completed on {completed} days" in first
    assert f"{completed / weeks:.1f} per week over {weeks} weeks" in first
    rated = sum(1 for s in SESSIONS for value in s["t"] if value is not None)
    assert f"{rated} spot ratings in all" in first  # skipped spots are not ratings
    before = start_and_latest([s["before"] for s in SESSIONS])
    after = start_and_latest([s["after"] for s in SESSIONS if s["after"] is not None])
    assert f"Pain before sessions: {before[0]:.1f} at the start, {before[1]:.1f} lately ({before[1] - before[0]:+.1f}, better (meaningful))" in first
    assert f"Pain after sessions: {after[0]:.1f} at the start, {after[1]:.1f} lately ({after[1] - after[0]:+.1f}, better (meaningful))" in first
    drops = [s["before"] - s["after"] for s in SESSIONS if s["after"] is not None]
    assert f"pain fell by {sum(drops) / len(drops):.1f} points on average" in first


def _spot(step: int) -> list[int]:
    return [s["t"][step] for s in SESSIONS if len(s["t"]) > step and s["t"][step] is not None]


def test_page_one_lists_meaningful_changes_and_flags(report):
    _data, pages = report
    first = pages[0]
    spine = start_and_latest(_spot(0))
    hip = start_and_latest(_spot(6))
    better = first.split("Clearly less tender:")[1].split("Clearly more tender")[0]
    worse = first.split("Clearly more tender:")[1].split("Flagged spots")[0]
    assert f"Beside the spine, low back, left: {spine[0]:.1f} to {spine[1]:.1f} ({spine[1] - spine[0]:+.1f})" in better
    assert f"Side of the hip, below the crest, right: {hip[0]:.1f} to {hip[1]:.1f} ({hip[1] - hip[0]:+.1f})" in worse
    assert "Under the dimple" not in better + worse  # 6 to 6: no clear change
    flags = first.split("Flagged spots")[1]
    assert "Side of the hip, below the crest (right): nerve-like 1x, recognised 1x" in flags
    assert "Under the dimple (left): recognised 1x" in flags
    assert "Not on this view (mean tenderness): Inner calf (left)" in first


def test_tables_notes_and_explanations(report):
    _data, pages = report
    rest = " ".join(pages[1:])
    assert "Trends per region" in rest
    spine = start_and_latest(_spot(0))
    assert re.search(
        rf"Beside the spine, low back left Low back {len(_spot(0))} {spine[0]:.1f} {spine[1]:.1f} {spine[1] - spine[0]:+.1f} clearly less tender",
        rest,
    )
    assert rest.count("Date Routine Sides Tool Rated Skip Mean Max") >= 1
    assert "01 Sep 2026 07:30 Export test routine both ball 9 0" in rest
    assert "Stiff after a long drive, then looser" in rest
    assert '=HYPERLINK("http://example.invalid", "click")' in rest
    assert "Größer, aber weicher" in rest
    assert "at least 2 points and at least 30% of the baseline" in rest
    assert "not validated for the tenderness of a spot when it is pressed" in rest
    assert "Not medical advice" in rest and "nothing in this report is medical advice" in rest


def test_session_table_header_repeats_on_every_page(history, monkeypatch):
    from exports import conftest

    for extra in range(40):  # enough sessions for the table to run over a page
        conftest.set_clock(history, conftest.FIXED_NOW - timedelta(days=60, hours=extra))
        s = history.start_session("export-test", "left", tool="ball", pain_before=3)
        history.record_rating(s.id, 0, 2)
        history.finish(s.id, pain_after=2)
    conftest.set_clock(history, conftest.FIXED_NOW)
    _data, pages = render(history)
    with_table = [p for p in pages if "Export test routine" in p and "Pain before" in p]
    assert len(with_table) >= 2
    assert all("Date Routine Sides Tool Rated Skip Mean Max" in p for p in with_table)


def test_a_period_with_no_sessions(empty_tracker):
    _data, pages = render(empty_tracker, name="")
    assert len(pages) == 1
    assert "No sessions were logged in this period." in pages[0]
    assert "page 1 of 1" in pages[0]


def test_hostile_notes_and_names_are_shown_as_plain_visible_text(history):
    hostile = "<b>bold</b> & <font color=red>x</font> \x1b[31mred\x1b[0m \u202eevil\u202c \x07"
    s = history.start_session("export-test", "left", tool="ball", pain_before=3)
    history.record_rating(s.id, 0, 2, note=hostile)
    history.finish(s.id, pain_after=2, notes="</para><para> \x1b]0;title\x07 " + "long " * 2000)
    _data, pages = render(history, name="<i>Alex</i> \x1b[2J")
    text = " ".join(pages)
    assert "for <i>Alex</i> \\x1b[2J" in pages[0]
    assert r"<b>bold</b> & <font color=red>x</font> \x1b[31mred\x1b[0m \u202eevil\u202c \x07" in text
    assert r"</para><para> \x1b]0;title\x07 long long" in text
    assert text.count("long") >= 2000  # a long note is printed whole, over pages
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
