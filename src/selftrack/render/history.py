"""History and trends as text and JSON, for the command line; written as the rows come."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from typing import TextIO

from selftrack.analysis.stats import READING_OUTCOMES, READING_TRENDS, rounded
from selftrack.analysis.trends import Point, Subject, Trend, series_trend, subject_name
from selftrack.clock import age_in_words
from selftrack.domain.text import printable
from selftrack.domain.records import SessionSummary
from selftrack.render.words import STATUS_WORDS, counted, number, pain_text, signed, verdict_words


def iso_local(moment: datetime, tz: tzinfo) -> str:
    """ISO 8601 with the local offset, to the second: 2026-11-20T09:30:00+00:00."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


def plain(paragraph: str) -> str:
    """A paragraph of the core's texts without its bold marks."""
    return paragraph.replace("**", "")


# -- history ----------------------------------------------------------------------------------


def history_record(row: SessionSummary, tz: tzinfo) -> dict:
    """The fields scripts get for one session."""
    return {
        "id": row.id,
        "started_at": iso_local(row.started_at, tz),
        "protocol": row.protocol_id,
        "status": row.status.value,
        "pain_before": row.pain_before,
        "pain_after": row.pain_after,
        "rated": row.rated,
        "skipped": row.skipped,
    }


def write_json_list(items: Iterable[dict], out: TextIO, indent: int | None = 1) -> int:
    """Write a JSON list as its items come (the same text json.dumps would give), about 64 KB
    a write; returns how many items were written."""
    count = held = 0
    pad = "" if indent is None else "\n" + " " * indent
    between = "," if indent is not None else ", "
    parts: list[str] = []
    for item in items:
        text = json.dumps(item, indent=indent, ensure_ascii=False)
        if indent is not None:
            text = text.replace("\n", pad)
        parts.append((between if count else "[") + pad + text)
        count += 1
        held += len(text)
        if held > 65536:
            out.write("".join(parts))
            parts.clear()
            held = 0
    parts.append(("\n]" if indent is not None else "]") if count else "[]")
    out.write("".join(parts) + "\n")
    return count


HISTORY_HEADER = (
    f"{'started':<16}  {'when':<14}  {'routine':<18}  {'sides':<5}  {'status':<11}  "
    f"{'rated':>5}  {'skip':>4}  {'mean':>4}  {'max':>3}  pain before → after"
)


def history_lines(rows: Iterable[SessionSummary], now: datetime, tz: tzinfo) -> Iterator[str]:
    """The history table, a line per session newest first, after its header.

    Most cells repeat from line to line (the routine, its sides and status; the counts and
    figures; the pain), so each different cell text is formatted once and looked up after
    that: ten years' 12,600 lines in about half the time.
    """
    yield HISTORY_HEADER
    yield "-" * len(HISTORY_HEADER)
    today = now.astimezone(tz).date()
    # a local day: its date text, and its age when that is in days alone (two days or more
    # back; nearer, the age may be in minutes or hours)
    days: dict[date, tuple[str, str]] = {}
    routines: dict[tuple, str] = {}
    figures: dict[tuple, str] = {}
    pains: dict[tuple, str] = {}
    for row in rows:
        local = row.started_at.astimezone(tz)
        day = local.date()
        known = days.get(day)
        if known is None:
            ago = (today - day).days
            known = days[day] = (day.isoformat(), age_in_words(86400.0 * ago, ago) if ago >= 2 else "")
        day_text, age = known
        if not age:
            age = age_in_words((now - row.started_at).total_seconds(), (today - day).days)
        key = (row.protocol_id, row.sides, row.status)
        routine = routines.get(key)
        if routine is None:
            routine = routines[key] = f"{row.protocol_id[:18]:<18}  {row.sides:<5}  {STATUS_WORDS[row.status]:<11}"
        key = (row.rated, row.skipped, row.mean, row.highest)
        counts = figures.get(key)
        if counts is None:
            top = "–" if row.highest is None else row.highest
            counts = figures[key] = f"{row.rated:>5}  {row.skipped:>4}  {number(row.mean):>4}  {top:>3}"
        key = (row.pain_before, row.pain_after)
        pain = pains.get(key)
        if pain is None:
            pain = pains[key] = pain_text(row.pain_before, row.pain_after)
        yield f"{day_text} {local.hour:02d}:{local.minute:02d}  {age:<14}  {routine}  {counts}  {pain}"


def pain_before_trend(points: Sequence[tuple[datetime, int]]) -> Trend:
    """The overall pain before each session, as a trend (for the history chart)."""
    from selftrack.analysis.stats import Measure

    subject = Subject("pain", "pain", "before")
    series = [Point(moment, float(value)) for moment, value in points]
    return series_trend(subject, subject_name(subject), series, measure=Measure.PAIN)


def history_footer(sessions: int, rated: int, changes: Sequence[int], finished: int | None = None) -> str:
    """One line of totals: sessions (and how many were finished), spots rated, mean change in
    overall pain."""
    line = counted(sessions, "session")
    if finished is not None and finished != sessions:
        line += f" ({finished} finished)"
    line += f", {counted(rated, 'spot rating')}"
    if changes:
        mean = sum(changes) / len(changes)
        line += f"; overall pain changed by {mean:+.1f} on average during a session ({len(changes)} with both)"
    return line


# -- trends -----------------------------------------------------------------------------------


def trend_record(trend: Trend, tz: tzinfo, dates: dict[datetime, str] | None = None) -> dict:
    """For one subject: its series (date, value) and summary (baseline … verdict)."""
    dates = {} if dates is None else dates
    summary = trend.summary
    series = []
    for point in trend.points:
        date = dates.get(point.moment)
        if date is None:
            date = dates[point.moment] = iso_local(point.moment, tz)
        series.append({"date": date, "value": rounded(point.value, 2)})
    fields = {
        "baseline": rounded(summary.baseline, 2),
        "latest": rounded(summary.latest, 2),
        "change": rounded(summary.change, 2),
        "percent_change": rounded(summary.percent_change, 1),
        "meaningful": summary.meaningful,
        "sessions": summary.sessions,
        "verdict": summary.verdict.value,
    }
    if trend.subject.kind == "region":
        fields["spots"] = summary.spots
        fields["agreeing"] = summary.agreeing
        fields["drawn_from"] = list(trend.drawn_from)
    elif trend.drawn_from:
        fields["drawn_from"] = list(trend.drawn_from)  # the PSFS: the activities it is the mean of
    return {"subject": trend.subject.id, "name": trend.name, "series": series, "summary": fields}


def trend_records(trends: Iterable[Trend], tz: tzinfo) -> Iterator[dict]:
    dates: dict[datetime, str] = {}
    for trend in trends:
        yield trend_record(trend, tz, dates)


def trend_table(trends: Sequence[Trend]) -> str:
    """One line per subject: sessions, baseline, latest, change, %, verdict, trend per month."""
    names = [printable(t.name) for t in trends]  # names come from stored spot definitions
    width = max([len(name) for name in names] + [7])
    verdicts = [verdict_words(t.summary) for t in trends]
    verdict_width = max([len(v) for v in verdicts] + [7])
    header = (
        f"{'subject':<{width}}  {'sessions':>8}  {'baseline':>8}  {'latest':>6}  "
        f"{'change':>6}  {'%':>7}  {'verdict':<{verdict_width}}  {'per month':>9}"
    )
    lines = [header, "-" * len(header)]
    for trend, name, verdict in zip(trends, names, verdicts):
        s = trend.summary
        lines.append(
            f"{name:<{width}}  {s.sessions:>8}  {number(s.baseline):>8}  "
            f"{number(s.latest):>6}  {signed(s.change):>6}  {signed(s.percent_change, 0, '%'):>7}  "
            f"{verdict:<{verdict_width}}  {signed(trend.per_month, 2):>9}"
        )
    drawn = [t for t in trends if t.drawn_from]
    for trend in drawn:
        lines.append(printable(f"{trend.name}: the chart is the mean of {', '.join(trend.drawn_from)}"))
    return "\n".join(lines)


def reading_trends_markdown(width: int = 95) -> str:
    """The README's "Reading trends" section: the core's own paragraphs, as a list."""
    import textwrap

    from selftrack.analysis.focus import FOCUS_RULE

    first, *rest = READING_TRENDS
    out = textwrap.wrap(first, width) + [""]
    for paragraph in (*rest, FOCUS_RULE):
        out += textwrap.wrap(f"- {paragraph}", width, subsequent_indent="  ")
    return "\n".join(out) + "\n"


def trend_notes(outcomes: bool = False) -> str:
    """How to read the table: the core's own words (and those for the outcome measures)."""
    return "\n".join(plain(p) for p in READING_TRENDS + (READING_OUTCOMES if outcomes else ()))
