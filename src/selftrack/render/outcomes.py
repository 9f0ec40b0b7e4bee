"""The outcomes as text and JSON: check-ins, weekly forms and what the person's own data says.

The words come from the core (selftrack.domain.instruments, selftrack.analysis.insights);
the command line prints these and the terminal program can show the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo

from selftrack.analysis.care import SORENESS_WORDS
from selftrack.analysis.insights import CAVEAT, METHOD, MIN_DAYS, Comparison, Finding, Insights
from selftrack.analysis.stats import pgic_verdict, rounded
from selftrack.domain.instruments import PGIC_CHOICES
from selftrack.domain.outcomes import CheckIn, WeeklyForm
from selftrack.render.history import iso_local
from selftrack.render.words import DASH, number, signed

FINDING_WORDS: dict[Finding, str] = {
    Finding.NOT_ENOUGH: "not enough data yet",
    Finding.NO_CLEAR_DIFFERENCE: "no clear difference",
    Finding.LOWER: "lower after days with a session",
    Finding.HIGHER: "higher after days with a session",
}


# -- check-ins ---------------------------------------------------------------------------------


def checkin_record(checkin: CheckIn, tz: tzinfo) -> dict:
    """The fields scripts get for one check-in (times in ISO 8601 with the local offset)."""
    return {
        "day": checkin.day.isoformat(),
        "answered_at": iso_local(checkin.answered_at, tz),
        "back_pain": checkin.back_pain,
        "leg_pain": checkin.leg_pain,
        "below_knee": checkin.below_knee,
        "night": checkin.night,
        "soreness": checkin.soreness,
        "soreness_session": checkin.soreness_session,
        "replaced_earlier": checkin.edited_at is not None,
    }


CHECKIN_HEADER = f"{'day':<10}  {'time':<5}  {'back':>4}  {'leg':>3}  {'below knee':<10}  {'night':>5}  soreness"


def checkin_lines(checkins: Iterable[CheckIn], tz: tzinfo) -> list[str]:
    """A line per check-in, oldest first, after a header."""
    lines = [CHECKIN_HEADER, "-" * len(CHECKIN_HEADER)]
    for c in checkins:
        lines.append(
            f"{c.day.isoformat():<10}  {c.answered_at.astimezone(tz):%H:%M}  {c.back_pain:>4}  {c.leg_pain:>3}  "
            f"{'yes' if c.below_knee else 'no':<10}  {c.night:>5}  {SORENESS_WORDS.get(c.soreness, DASH) if c.soreness else DASH}"
        )
    return lines


def checkin_summary(checkin: CheckIn) -> str:
    """One line saying what was stored."""
    text = (
        f"back {checkin.back_pain}, leg {checkin.leg_pain}"
        f"{' (below the knee)' if checkin.below_knee else ''}, night {checkin.night}"
    )
    if checkin.soreness:
        text += f"; after the last session: {SORENESS_WORDS[checkin.soreness]}"
    return text


# -- weekly forms ------------------------------------------------------------------------------


def weekly_summary(form: WeeklyForm) -> str:
    """One line saying what was stored: the PEG, the PSFS with each activity, the change since
    starting."""
    parts = []
    if form.peg is not None:
        parts.append(f"PEG {form.peg.score:.1f}")
    if form.psfs:
        parts.append(f"PSFS {form.psfs_score:.1f} ({', '.join(f'{r.name} {r.score}' for r in form.psfs)})")
    if form.pgic is not None:
        parts.append(f"since starting: {pgic_words(form.pgic)}")
    return "; ".join(parts)


def weekly_record(form: WeeklyForm, tz: tzinfo) -> dict:
    """The fields scripts get for one weekly form."""
    peg = form.peg
    return {
        "id": form.id,
        "answered_at": iso_local(form.answered_at, tz),
        "peg": None
        if peg is None
        else {"pain": peg.pain, "enjoyment": peg.enjoyment, "activity": peg.activity, "score": rounded(peg.score, 2)},
        "psfs": [{"activity_id": r.activity_id, "activity": r.name, "score": r.score} for r in form.psfs],
        "psfs_score": rounded(form.psfs_score, 2),
        "pgic": form.pgic,
        "pgic_words": None if form.pgic is None else PGIC_CHOICES[form.pgic],
    }


def weekly_lines(forms: Sequence[WeeklyForm], tz: tzinfo) -> list[str]:
    """A line per weekly form, oldest first: PEG, PSFS and the global impression of change."""
    header = f"{'answered':<16}  {'PEG':>4}  {'PSFS':>4}  change since starting"
    lines = [header, "-" * len(header)]
    for f in forms:
        pgic = DASH if f.pgic is None else f"{f.pgic} {PGIC_CHOICES[f.pgic]}"
        lines.append(f"{f.answered_at.astimezone(tz):%Y-%m-%d %H:%M}  {number(f.peg_score):>4}  {number(f.psfs_score):>4}  {pgic}")
        for r in f.psfs:
            lines.append(f"{'':<16}  {'':>4}  {r.score:>4}  {r.name}")
    return lines


def pgic_words(answer: int | None) -> str:
    """'2 much improved (a meaningful improvement)': the answer and what it amounts to."""
    if answer is None:
        return DASH
    verdict = pgic_verdict(answer).value
    meaning = {"better": " (a meaningful improvement)", "worse": " (a meaningful worsening)"}.get(verdict, "")
    return f"{answer} {PGIC_CHOICES[answer]}{meaning}"


# -- what your own data says -------------------------------------------------------------------


def comparison_label(comparison: Comparison, insights: Insights) -> str:
    if comparison.kind == "all":
        return "any session"
    if comparison.kind == "routine":
        return insights.routine_names.get(comparison.key, comparison.key)
    return f"with the {comparison.key}"


def comparison_record(comparison: Comparison, insights: Insights) -> dict:
    return {
        "kind": comparison.kind,
        "key": comparison.key,
        "label": comparison_label(comparison, insights),
        "days_with": comparison.with_days,
        "days_without": comparison.without_days,
        "median_with": rounded(comparison.with_median, 2),
        "median_without": rounded(comparison.without_median, 2),
        "difference": rounded(comparison.difference, 2),
        "interval": None if comparison.low is None else [rounded(comparison.low, 2), rounded(comparison.high, 2)],
        "finding": comparison.finding.value,
    }


def insights_record(insights: Insights) -> dict:
    """Everything the insights view shows, for scripts."""
    return {
        "measure": "back pain at the next morning's check-in (0-10)",
        "days": insights.days,
        "first_day": None if insights.first is None else insights.first.isoformat(),
        "last_day": None if insights.last is None else insights.last.isoformat(),
        "minimum_days": MIN_DAYS,
        "overall": comparison_record(insights.overall, insights),
        "by_routine": [comparison_record(c, insights) for c in insights.by_routine],
        "by_tool": [comparison_record(c, insights) for c in insights.by_tool],
        "caveat": CAVEAT,
        "method": METHOD,
    }


INSIGHTS_TITLE = "Back pain the next morning, after days with a session against days without:"
INSIGHTS_HEADERS = ("days with", "with / without", "median", "difference (95 %)", "what it shows")


def comparison_cells(comparison: Comparison, insights: Insights) -> tuple[str, str, str, str, str]:
    """One comparison in words, a cell per column of INSIGHTS_HEADERS (the command line's
    lines and the terminal program's table are made of these)."""
    counts = f"{comparison.with_days:>4} / {comparison.without_days:<7}"
    medians = f"{number(comparison.with_median):>4} vs {number(comparison.without_median):<4}"
    if comparison.low is None:
        interval = ""
    else:
        interval = f"{signed(comparison.difference)} ({signed(comparison.low)} to {signed(comparison.high)})"
    words = FINDING_WORDS[comparison.finding]
    if comparison.finding is Finding.NOT_ENOUGH:
        words += f" (needs {MIN_DAYS} days in each group)"
    return comparison_label(comparison, insights), counts, medians, interval, words


def comparison_line(comparison: Comparison, insights: Insights, width: int = 28) -> str:
    label, counts, medians, interval, words = comparison_cells(comparison, insights)
    return f"{label[:width]:<{width}}  {counts}  {medians}  {interval:<22}  {words}"


def insights_lines(insights: Insights) -> list[str]:
    """The insights view as text: the reason said once, then one line per comparison."""
    width = 28
    label, counts, medians, interval, words = INSIGHTS_HEADERS
    header = f"{label:<{width}}  {counts:<14}  {medians:<12}  {interval:<22}  {words}"
    lines = [
        INSIGHTS_TITLE,
        "",
        header,
        "-" * len(header),
        comparison_line(insights.overall, insights, width),
    ]
    if insights.by_routine:
        lines += ["", "By routine:"] + [comparison_line(c, insights, width) for c in insights.by_routine]
    if insights.by_tool:
        lines += ["", "By tool:"] + [comparison_line(c, insights, width) for c in insights.by_tool]
    lines += ["", CAVEAT, "", METHOD]
    return lines
