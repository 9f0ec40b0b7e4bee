"""Page 1: what a clinician reads in a minute.

From the top: who and when; the outcomes (today overall pain before and after sessions: the
place where outcome measures go first); the sessions and how regular they were; the latest
red-flag screen and the conditions that adapt the routines; the body maps with numbered spots;
the spots that changed clearly, the flagged spots and where pain spread.
"""

from __future__ import annotations

from collections.abc import Mapping

from selftrack import safety
from selftrack.analysis.care import CLEAR
from selftrack.analysis.stats import Verdict
from selftrack.domain.conditions import condition
from selftrack.render.words import counted, number, signed, verdict_words

from . import charts, maps, palette
from .text import day, many, markup, styles

OUTCOME_WORDS = {
    CLEAR: "nothing in it stops self-massage",
    safety.CLINICIAN: "a clinician should be seen before treating oneself",
    safety.EMERGENCY: "an emergency sign: stop, press nothing, and go to an emergency department today",
}
ANSWER_WORDS = {"yes": "yes", "cleared": "yes, and a clinician has said self-massage is fine"}


def spot_ref(numbers: Mapping[str, int], spot_id: str) -> str:
    """'#12 ' for a numbered spot, '' otherwise."""
    found = numbers.get(spot_id)
    return f"#{found} " if found else ""


# (list items, chart height) tried in turn until page 1 fits on its page
FITS = ((5, 88), (4, 84), (3, 80), (2, 76), (1, 72))


def page_one(data, numbers: Mapping[str, int], width: float, height: float) -> list:
    """Page 1's flowables, fitted to `height`: the lists get shorter and the charts lower
    until it fits; in the last resort the whole page is scaled down to fit."""
    from reportlab.platypus import KeepInFrame

    for items, chart_height in FITS:
        story = _page_one(data, numbers, width, items, chart_height)
        if _story_height(story, width) <= height:
            return story
    return [KeepInFrame(width, height, story, mode="shrink")]


def _story_height(story: list, width: float) -> float:
    """The height the flowables take in a frame `width` wide, as reportlab's Frame stacks them
    (no space before the first)."""
    total = 0.0
    for index, flowable in enumerate(story):
        _w, h = flowable.wrap(width, 10_000)
        total += h + (flowable.getSpaceBefore() if index else 0) + flowable.getSpaceAfter()
    return total + 4  # a few points to spare


def _page_one(data, numbers: Mapping[str, int], width: float, items: int, chart_height: float) -> list:
    from reportlab.platypus import Paragraph

    st = styles()
    story = _header(data)
    if not data.summaries:
        story += outcomes(data, width)
        story.append(Paragraph("No sessions were logged in this period.", st["h2"]))
        story += _care(data, width)
        return story
    story += outcomes(data, width)
    story += _maps(data, numbers, width)
    story += _changes(data, numbers, items)
    story += _regularity(data)
    story.append(_chart_row(data, width, chart_height))
    story += _care(data, width)
    return story


def _header(data) -> list:
    from reportlab.platypus import Paragraph

    st = styles()
    who = f" for {markup(data.name, lines=False)}" if data.name else ""
    days = (data.last_day - data.first_day).days + 1
    zone = f" Times are in {markup(data.zone, lines=False)}." if data.zone else ""
    return [
        Paragraph(f"Self-massage log{who}", st["title"]),
        Paragraph(
            "Tenderness at named spots, low back and buttocks, rated 0-10 by the person while "
            f"pressing each spot. Period: <b>{day(data.first_day)} to {day(data.last_day)}</b> "
            f"({many(days, 'day')}).{zone}",
            st["body"],
        ),
    ]


def outcomes(data, width: float | None = None) -> list:
    """The outcomes, first on the page after the header: what the person reports on their own
    schedule (back and leg pain in the morning, the weekly PEG and PSFS), each at the start and
    now with the verdict the honest-numbers rules gave (the Tracker's trends: nothing is judged
    here), as a small table; then the overall pain before and after sessions (its chart is
    further down)."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table

    st = styles()
    story = []
    rows = []
    for trend in data.outcomes:
        s = trend.summary
        if s.baseline is None:
            continue
        name = markup(OUTCOME_NAMES.get(trend.subject.id, trend.name), lines=False)
        judged = s.latest is not None and s.sessions >= 2
        rows.append([
            Paragraph(f"<b>{name}</b>", st["box"]),
            Paragraph(number(s.baseline), st["box"]),
            Paragraph(number(s.latest) if judged else "-", st["box"]),
            Paragraph(signed(s.change) if judged and s.change is not None else "-", st["box"]),
            Paragraph(f"{verdict_words(s)} ({counted(s.sessions, 'answer')})", st["box"]),
        ])  # fmt: skip
    if rows:
        head = [Paragraph(f"<b>{word}</b>", st["box"]) for word in ("Outcome (what the person reports)", "Start", "Now", "Change", "Verdict (honest-numbers rules)")]
        full = width or 500
        story.append(
            Table(
                [head, *rows],
                colWidths=[full * 0.36, full * 0.08, full * 0.08, full * 0.11, full * 0.37],
                hAlign="LEFT",
                style=[
                    ("BOX", (0, 0), (-1, -1), 0.4, HexColor("#bbbbbb")),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.4, HexColor("#bbbbbb")),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ],
                spaceAfter=3,
            )
        )
    parts = []
    for side in ("before", "after"):
        trend = data.pain.get(side)
        if trend is None or not trend.points:
            continue
        s = trend.summary
        parts.append(
            f"<b>Pain {side} sessions</b>: {number(s.baseline)} at the start, {number(s.latest)} lately "
            f"({signed(s.change)}, {verdict_words(s)})"
        )
    if data.pain_drop is not None:
        parts.append(f"<b>Within a session</b> pain fell by {data.pain_drop:.1f} points on average")
    if parts:
        story.append(Paragraph(". ".join(parts) + ".", st["body"]))
    elif data.summaries:
        story.append(Paragraph("No overall pain scores were given in this period.", st["body"]))
    return story


# what each outcome series is called on page 1 (0-10; PSFS: higher is better)
OUTCOME_NAMES = {
    "pain:morning": "Back pain in the morning (0-10)",
    "leg:morning": "Leg pain in the morning (0-10)",
    "peg": "PEG, pain and its interference (0-10)",
    "psfs": "PSFS, the person's own activities (0-10, higher is better)",
}


def _regularity(data) -> list:
    from reportlab.platypus import Paragraph

    statuses = data.statuses
    parts = [f"{statuses['finished']:,} finished"]
    if statuses["abandoned"]:
        parts.append(f"{statuses['abandoned']:,} stopped early")
    if statuses["in_progress"]:
        parts.append(f"{statuses['in_progress']:,} unfinished (never finished or stopped)")
    text = (
        f"<b>Sessions</b>: {len(data.summaries):,} ({', '.join(parts)}); "
        f"{many(data.ratings, 'spot')} rated, {data.skipped:,} skipped."
    )
    reg = data.regularity
    if reg is not None:
        text += (
            f" <b>Regularity</b>: {many(reg.counted, 'session')} on {many(reg.active_days, 'day')} "
            f"out of {reg.days:,}"
        )
        if reg.days >= 7:
            text += f", {reg.per_week:.1f} per week"
        text += " (not counting sessions stopped early or with no spot rated or skipped)"
        text += f"; longest break {counted(reg.longest_break, 'day')}." if reg.longest_break else "."
    return [Paragraph(text, styles()["body"])]


def _chart_row(data, width: float, height: float):
    from reportlab.platypus import Table

    pain = charts.line_chart(
        [
            charts.Series("before", data.pain.get("before"), palette.BEFORE),
            charts.Series("after", data.pain.get("after"), palette.AFTER, dashed=True),
        ],
        data.first_day,
        data.last_day,
        data.generated.tzinfo,
        width * 0.55,
        height,
        "Overall pain, 0-10",
    )
    bars = charts.regularity_chart(data.regularity, data.first_day, data.last_day, width * 0.43, height)
    return Table([[pain, bars]], colWidths=[width * 0.56, width * 0.44], style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])


def _care(data, width: float) -> list:
    """The latest red-flag screen and the conditions, in a light box."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table

    st = styles()
    care = data.care
    if care.screened_at is None:
        screen = "<b>Red-flag screen</b>: never answered in selftrack."
    else:
        yes = [a for a in care.answers if a.answer != "no"]
        screen = (
            f"<b>Red-flag screen</b>, last answered {day(care.screened_at)}"
            + (f" (asked because {markup(care.trigger, lines=False)})" if care.trigger else "")
            + f": no to {len(care.answers) - len(yes)} of {counted(len(care.answers), 'question')}"
        )
        for answer in dict.fromkeys(a.answer for a in yes):  # yes, cleared, not asked: in turn
            signs = "; ".join(markup(a.sign, lines=False) for a in yes if a.answer == answer)
            screen += f"; {ANSWER_WORDS.get(answer, answer)}: {signs}"
        screen += f". Outcome: {OUTCOME_WORDS.get(care.outcome, care.outcome)}."
    if care.due:
        screen += f" <b>Due to be asked again</b>: {markup(care.due, lines=False)}."
    if care.conditions_given is None:
        conditions = "<b>Conditions that adapt the routine</b>: never asked in selftrack."
    elif not care.conditions:
        conditions = f"<b>Conditions that adapt the routine</b> (given {day(care.conditions_given)}): none."
    else:
        listed = "; ".join(
            f"<b>{markup(name, lines=False)}</b>"
            + (f" ({counted(care.pregnancy_weeks, 'week')} now)" if name == condition("pregnancy").name and care.pregnancy_weeks else "")
            + f": {markup(why.rstrip('.'), lines=False)}"
            for name, why in care.conditions
        )
        conditions = f"<b>Conditions that adapt the routine</b> (given {day(care.conditions_given)}): {listed}."
    box = Table(
        [[Paragraph(screen, st["box"])], [Paragraph(conditions, st["box"])]],
        colWidths=[width],
        style=[
            ("BACKGROUND", (0, 0), (-1, -1), HexColor("#f3f3f3")),
            ("BOX", (0, 0), (-1, -1), 0.4, HexColor("#bbbbbb")),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ],
    )
    return [box]


def _maps(data, numbers: Mapping[str, int], width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer, Table

    st = styles()
    cells = list(data.heat.cells) if data.heat else []
    back = [c for c in cells if c.view == "back"]
    off = [c for c in cells if c.view != "back"]
    half = (width - 8) / 2
    frame = maps.frame(back, numbers, half)
    trends = {(t.subject.key, t.subject.side): t for t in data.spots}
    heat_marks, change_marks = [], []
    for cell in back:
        label = str(numbers[cell.spot_id])
        heat_marks.append(maps.Mark(cell.spot_id, cell.side, palette.heat_colour(cell.mean), label))
        trend = trends.get(cell.key)
        verdict = trend.summary.verdict if trend else Verdict.TOO_FEW
        fill = palette.change_colour(verdict.direction, verdict is not Verdict.TOO_FEW)
        change_marks.append(maps.Mark(cell.spot_id, cell.side, fill, label, "#333333"))
    heat = maps.drawing(frame, heat_marks, "Mean tenderness in the period")
    change = maps.drawing(frame, change_marks, "Change since the start of the period")
    story = [Spacer(1, 3), Table([[heat, change]], colWidths=[width / 2, width / 2], style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])]
    story.append(maps.legend(width))
    caption = (
        "Seen from behind: the person's left is on the left. Each dot carries its spot's number; "
        "the spot table on the next page gives its name, mean, start, latest and verdict. A dot "
        "moved aside so that none hides another keeps a thin line to its spot."
    )
    if off:
        by_spot: dict[str, list] = {}
        for cell in off:
            by_spot.setdefault(cell.spot_id, []).append(cell)
        listed = "; ".join(
            f"{spot_ref(numbers, spot)}{markup(group[0].name, lines=False)} "
            + ", ".join(f"{c.side} {c.mean:.1f}" for c in sorted(group, key=lambda c: c.side))
            for spot, group in sorted(by_spot.items(), key=lambda item: numbers.get(item[0], 0))
        )
        story.append(Paragraph(f"<b>Not on this view</b> (mean tenderness): {listed}.", st["small"]))
    story.append(Paragraph(caption, st["small"]))
    return story


def _spot_line(trend, numbers) -> str:
    s = trend.summary
    return (
        f"{spot_ref(numbers, trend.subject.key)}{markup(trend.name, lines=False)}: "
        f"{number(s.baseline)} to {number(s.latest)} ({signed(s.change)})"
    )


def _capped(items: list[str], shown: int, more: str) -> str:
    text = "; ".join(items[:shown]) or "none"
    if len(items) > shown:
        text += f"; and {len(items) - shown} more{more}"
    return text


def _changes(data, numbers: Mapping[str, int], shown: int) -> list:
    from reportlab.platypus import Paragraph

    st = styles()
    better = sorted((t for t in data.spots if t.summary.verdict is Verdict.LESS_TENDER), key=lambda t: t.summary.change)
    worse = sorted((t for t in data.spots if t.summary.verdict is Verdict.MORE_TENDER), key=lambda t: -t.summary.change)
    out = []
    for title, items in (("Clearly less tender", better), ("Clearly more tender", worse)):
        text = _capped([_spot_line(t, numbers) for t in items], shown, " (see the spot table)")
        out.append(Paragraph(f"<b>{title}</b>: {text}.", st["list"]))
    marked = [f for f in data.flags if f.nerve or f.recognised]
    flagged = [
        f"{spot_ref(numbers, f.spot_id)}{markup(f.name, lines=False)} ({f.side}): "
        + ", ".join(
            part for part in (f"nerve-like {f.nerve}×" if f.nerve else "", f"recognised {f.recognised}×" if f.recognised else "") if part
        )
        for f in marked
    ]
    out.append(
        Paragraph(
            "<b>Flagged spots</b> (nerve-like: electric, shooting or tingling; recognised: the person's "
            f"familiar pain): {_capped(flagged, shown, '')}.",
            st["list"],
        )
    )
    referred = []
    for referral in data.referrals:
        place = markup(referral.place, lines=False) if referral.place else "no place given"
        sources = ", ".join(
            f"{spot_ref(numbers, spot).strip() or spot} {side} {count}×" for spot, side, count in referral.spots[:4]
        )
        if len(referral.spots) > 4:
            sources += f" and {counted(len(referral.spots) - 4, 'more spot')}"
        referred.append(f"<b>{place}</b> {referral.count}× (from {sources})")
    out.append(
        Paragraph(
            "<b>Referred pain</b> (where the feeling spread when a spot was pressed, and how often): "
            f"{_capped(referred, shown, ' places')}.",
            st["list"],
        )
    )
    return out
