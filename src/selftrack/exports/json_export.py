"""JSON: a lossless, versioned export that `selftrack import` reads back (docs/export-formats.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TextIO

from selftrack.domain.outcomes import OutcomeRecords
from selftrack.domain.records import RatingRecord, SessionRecord, SpotDefinition
from selftrack.exports.json_schema import FORMAT_NAME, FORMAT_VERSION, header_json, session_head_json
from selftrack.exports.times import utc_iso

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "outcome_lists", "rating_text", "session_json_head", "session_text", "write_json",
]  # fmt: skip

_dumps = json.JSONEncoder(ensure_ascii=False).encode
_text = json.encoder.encode_basestring  # what _dumps does to a str, without the dispatch
_BOOL = ("false", "true")  # indexed by a bool or SQLite's 0/1


def _moment(moment) -> str:
    value = utc_iso(moment)
    return "null" if value is None else f'"{value}"'


def rating_text(r: RatingRecord) -> str:
    """One rating as its JSON object on one line (the step gives its route).

    Written by hand for speed; equal to json.dumps of the same keys and values.
    """
    return (
        f'{{"step": {r.step_index}, "spot": {_text(r.spot_id)}, "side": {_text(r.side)}, '
        f'"tenderness": {"null" if r.tenderness is None else r.tenderness}, '
        f'"skipped": {_BOOL[r.skipped]}, "recognised": {_BOOL[r.recognised]}, '
        f'"referred": {_BOOL[r.referred]}, "referred_to": {_text(r.referred_to)}, '
        f'"nerve": {_BOOL[r.nerve]}, "note": {_text(r.note)}, '
        f'"rated_at": {_moment(r.rated_at)}, "edited_at": {_moment(r.edited_at)}, '
        f'"hold_seconds": {"null" if r.hold_seconds is None else r.hold_seconds}, '
        f'"tool": {"null" if r.tool is None else _text(r.tool)}, '
        f'"pressure": {"null" if r.pressure is None else _text(r.pressure)}}}'
    )


def session_json_head(s: SessionRecord) -> dict:
    """A session's JSON object without its steps and ratings, in the key order of the
    format's SessionHead (selftrack.exports.json_schema)."""
    return session_head_json({
        "id": s.id,
        "protocol": {
            "id": s.protocol_id,
            "version": s.protocol_version,
            "hash": s.protocol_hash,
            "name": s.protocol_name,
        },
        "sides": s.sides,
        "tool": s.tool,
        "status": s.status,
        "started_at": utc_iso(s.started_at),
        "ended_at": utc_iso(s.ended_at),
        "pain_before": s.pain_before,
        "pain_after": s.pain_after,
        "notes": s.notes,
        "edited_at": utc_iso(s.edited_at),
        "routes": s.routes,
        "spot_definitions": {spot_id: d.digest for spot_id, d in s.spots.items()},
        "hold_guidance": s.hold_guidance,
    })


def session_text(s: SessionRecord, indent: str = "    ") -> str:
    """A session as it appears in the file: its fields, its steps, then one rating per line."""
    head = _dumps(session_json_head(s))[:-1]
    steps = _dumps([list(step) for step in s.steps])
    if s.ratings:
        inner = indent + "  "
        lines = f",\n{inner}".join(map(rating_text, s.ratings))
        ratings = f"[\n{inner}{lines}\n{indent} ]"
    else:
        ratings = "[]"
    return f'{indent}{head},\n{indent} "steps": {steps},\n{indent} "ratings": {ratings}}}'


def write_json(
    out: TextIO,
    sessions: Iterable[SessionRecord],
    definitions: Mapping[str, SpotDefinition],
    *,
    exported_at: datetime,
    start: datetime | None,
    end: datetime | None,
    outcomes: OutcomeRecords | None = None,
) -> tuple[int, int]:
    """Write the whole document; returns (sessions, ratings) written.

    Definitions come before the sessions that name them, so a reader can go in one pass; the
    outcome lists come after the sessions (a check-in's soreness answer names one), one
    record per line, PSFS activities before the weekly forms that rate them.
    """
    header = header_json(exported_at, start, end)
    out.write("{\n")
    out.write(f'  "format": {_dumps(header["format"])},\n  "version": {header["version"]},\n')
    out.write(f'  "exported_at": {_dumps(header["exported_at"])},\n')
    out.write(f'  "selection": {_dumps(header["selection"])},\n')
    if definitions:
        out.write('  "spot_definitions": {\n')
        out.write(
            ",\n".join(
                f"    {_dumps(digest)}: {_dumps(d.spec.to_dict())}" for digest, d in definitions.items()
            )
        )
        out.write("\n  },\n")
    else:
        out.write('  "spot_definitions": {},\n')
    count_sessions = count_ratings = 0
    out.write('  "sessions": [')
    for session in sessions:
        out.write(",\n" if count_sessions else "\n")
        out.write(session_text(session))
        count_sessions += 1
        count_ratings += len(session.ratings)
    out.write("\n  ]" if count_sessions else "]")
    for key, items in outcome_lists(outcomes or OutcomeRecords()).items():
        if items:
            lines = ",\n    ".join(map(_dumps, items))
            out.write(f',\n  "{key}": [\n    {lines}\n  ]')
        else:
            out.write(f',\n  "{key}": []')
    out.write("\n}\n")
    return count_sessions, count_ratings


def outcome_lists(records: OutcomeRecords) -> dict[str, list[dict]]:
    """The outcome records as the file's lists, in the order of json_schema.OUTCOME_KEYS.

    PSFS activities are numbered 1, 2, … in the order they were named (the file's own ids:
    database ids mean nothing in another database); weekly forms refer to those numbers.
    """
    numbers = {a.id: n for n, a in enumerate(records.activities, 1)}
    return {
        "psfs_activities": [
            {"id": numbers[a.id], "name": a.name, "position": a.position,
             "since": utc_iso(a.since), "until": utc_iso(a.until)}  # fmt: skip
            for a in records.activities
        ],
        "checkins": [
            {
                "day": c.day.isoformat(), "answered_at": utc_iso(c.answered_at),
                "back_pain": c.back_pain, "leg_pain": c.leg_pain, "below_knee": bool(c.below_knee),
                "night": c.night,
                "soreness": None if c.soreness is None or c.soreness_session is None
                else {"session": c.soreness_session, "answer": c.soreness},
                "edited_at": utc_iso(c.edited_at),
            }  # fmt: skip
            for c in records.checkins
        ],
        "weekly_forms": [
            {
                "answered_at": utc_iso(f.answered_at),
                "peg": None if f.peg is None
                else {"pain": f.peg.pain, "enjoyment": f.peg.enjoyment, "activity": f.peg.activity},
                "psfs": [{"activity_id": numbers[r.activity_id], "score": r.score} for r in f.psfs],
                "pgic": f.pgic,
            }  # fmt: skip
            for f in records.forms
        ],
        "screenings": [
            {"answered_at": utc_iso(s.answered_at), "trigger": s.trigger,
             "answers": dict(sorted(s.answers.items())), "outcome": s.outcome}  # fmt: skip
            for s in records.screenings
        ],
        "conditions": [
            {"updated_at": utc_iso(c.updated_at), "conditions": sorted(c.conditions),
             "pregnancy_weeks": c.pregnancy_weeks}  # fmt: skip
            for c in records.conditions
        ],
        "soreness_answers": [
            {"session": o.session_id, "answered_at": utc_iso(o.answered_at), "answer": o.answer}
            for o in records.soreness
        ],
    }
