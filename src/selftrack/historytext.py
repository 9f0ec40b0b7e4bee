"""Plain-text and JSON views of history and trends, for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from selftrack.analysis.stats import BASELINE_HELP, TREND_HELP, rounded
from selftrack.analysis.trends import Point, Subject, Trend, build_trend, subject_name
from selftrack.clock import age_in_words
from selftrack.terms import SessionStatus

if TYPE_CHECKING:
    from selftrack.analysis.history import SessionSummary


def _value(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    shown = rounded(value, digits)
    return f"{shown:+.{digits}f}{suffix}"


def iso_local(moment: datetime, tz: tzinfo) -> str:
    """ISO 8601 with the local offset, to the second: 2026-11-20T09:30:00+00:00."""
    return moment.astimezone(tz).replace(microsecond=0).isoformat()


# -- history ----------------------------------------------------------------------------------


def history_json(rows: Sequence[SessionSummary], tz: tzinfo) -> list[dict]:
    """The fields scripts get for each session, newest first."""
    return [
        {
            "id": row.id,
            "started_at": iso_local(row.started_at, tz),
            "protocol": row.protocol_id,
            "status": row.status.value,
            "pain_before": row.pain_before,
            "pain_after": row.pain_after,
            "rated": row.rated,
            "skipped": row.skipped,
        }
        for row in rows
    ]


def history_table(rows: Sequence[SessionSummary], now: datetime, tz: tzinfo) -> str:
    """Sessions newest first: when, routine, sides, spots rated, mean and highest, pain."""
    header = (
        f"{'started':<16}  {'when':<14}  {'routine':<18}  {'sides':<5}  {'status':<11}  "
        f"{'rated':>5}  {'skip':>4}  {'mean':>4}  {'max':>3}  pain before → after"
    )
    lines = [header, "-" * len(header)]
    today = now.astimezone(tz).date()
    for row in rows:
        local = row.started_at.astimezone(tz)
        age = age_in_words((now - row.started_at).total_seconds(), (today - local.date()).days)
        pain = f"{_pain(row.pain_before)} → {_pain(row.pain_after)}"
        change = row.pain_change
        if change:
            pain += f" ({change:+d})"
        lines.append(
            _HISTORY_ROW
            % (
                local.year, local.month, local.day, local.hour, local.minute, age,
                row.protocol_id[:18], row.sides, _STATUS_WORDS[row.status], row.rated,
                row.skipped, _value(row.mean), "–" if row.highest is None else row.highest, pain,
            )
        )
    return "\n".join(lines)


# started (as strftime's "%Y-%m-%d %H:%M"), when, routine, sides, status, rated, skip, mean,
# max, pain: the columns of the header above; %-formatting is the quickest for ~13,000 rows
_HISTORY_ROW = "%04d-%02d-%02d %02d:%02d  %-14s  %-18s  %-5s  %-11s  %5s  %4s  %4s  %3s  %s"
_STATUS_WORDS = {status: status.value.replace("_", " ") for status in SessionStatus}


def _pain(value: int | None) -> str:
    return "–" if value is None else str(value)


def pain_before_trend(rows: Sequence[SessionSummary]) -> Trend:
    """The overall pain before each of these sessions, as a trend (for the history chart)."""
    points = [Point(r.started_at, float(r.pain_before)) for r in rows if r.pain_before is not None]
    subject = Subject("pain", "pain", "before")
    return build_trend(subject, subject_name(subject), points)


def history_footer(rows: Sequence[SessionSummary]) -> str:
    """One line of totals: sessions, spots rated, mean change in overall pain."""
    changes = [r.pain_change for r in rows if r.pain_change is not None]
    rated = sum(r.rated for r in rows)
    line = f"{len(rows)} sessions, {rated} spot ratings"
    if changes:
        mean = sum(changes) / len(changes)
        line += f"; overall pain changed by {mean:+.1f} on average during a session ({len(changes)} with both)"
    return line


# -- trends -----------------------------------------------------------------------------------


def trend_json(trends: Sequence[Trend], tz: tzinfo) -> list[dict]:
    """For each subject: its series (date, value) and summary (baseline … meaningful)."""
    out = []
    dates: dict[datetime, str] = {}
    for trend in trends:
        summary = trend.summary
        series = []
        for point in trend.points:
            date = dates.get(point.moment)
            if date is None:
                date = dates[point.moment] = iso_local(point.moment, tz)
            series.append({"date": date, "value": rounded(point.value, 2)})
        out.append(
            {
                "subject": trend.subject.id,
                "name": trend.name,
                "series": series,
                "summary": {
                    "baseline": rounded(summary.baseline, 2),
                    "latest": rounded(summary.latest, 2),
                    "change": rounded(summary.change, 2),
                    "percent_change": rounded(summary.percent_change, 1),
                    "meaningful": summary.meaningful,
                },
            }
        )
    return out


def trend_table(trends: Sequence[Trend]) -> str:
    """One line per subject: sessions, baseline, latest, change, %, verdict, trend per month."""
    width = max([len(t.name) for t in trends] + [7])
    header = (
        f"{'subject':<{width}}  {'sessions':>8}  {'baseline':>8}  {'latest':>6}  "
        f"{'change':>6}  {'%':>7}  {'verdict':<16}  {'per month':>9}"
    )
    lines = [header, "-" * len(header)]
    for trend in trends:
        s = trend.summary
        lines.append(
            f"{trend.name:<{width}}  {len(trend.points):>8}  {_value(s.baseline):>8}  "
            f"{_value(s.latest):>6}  {_signed(s.change):>6}  {_signed(s.percent_change, 0, '%'):>7}  "
            f"{s.verdict.value:<16}  {_signed(trend.per_month, 2):>9}"
        )
    return "\n".join(lines)


def trend_notes() -> str:
    """How to read the table, in two sentences each."""
    return f"{BASELINE_HELP}\n{TREND_HELP}"
