"""The `selftrack-export` format, version 3, as pydantic models shared by exporter and importer.

Version 2 added the dose on each rating (hold seconds, tool, pressure), the routine's hold
guidance on each session, and the outcome records beside the sessions: morning check-ins,
PSFS activities, weekly forms, red-flag screens and condition profiles (`check_outcomes`).
Version 3 adds `soreness_answers`: how a session left the person, answered before the next
one (an answer given in a morning check-in was, and is, kept with the check-in).
Files of versions 1 and 2 are still read: version 1 ratings carry no dose and hold no
outcomes; version 2 files hold no soreness answers besides the check-ins'.

The exporter writes the header through the model and each session's head in its key order
(`header_json`, `session_head_json`); the importer validates every value with them, then
checks what one value cannot say alone (`check_session`): times between 1900 and 2200 with
real-world offsets, a session that ends after it starts and rates its spots while it runs,
steps that match its sides and its spots, each step rated at most once. A problem is a `Bad`
holding the path of the value (`("ratings", 3, "tenderness")`) and a message, so the reader
can name the line the value is on.

Text fields take their rules from the text gate (selftrack.domain.text): labels hold no
control character, notes no NUL, neither a lone surrogate.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from selftrack.domain.instruments import PSFS_MAX_ACTIVITIES, PSFS_NAME_MAX
from selftrack.domain.model import SpotSpec
from selftrack.domain.outcomes import HOLD_SECONDS_MAX, PRESSURES
from selftrack.domain.records import RatingRecord, SessionRecord, SpotDefinition
from selftrack.domain.terms import PROTOCOL_VERSION_MAX, REGIONS, TOOLS, VIEWS, SessionStatus
from selftrack.domain.text import (
    FREE_TEXT_PATTERN,
    LABEL_MAX,
    LABEL_PATTERN,
    NOTE_MAX,
    PROTOCOL_TEXT_MAX,
    PROTOCOL_TEXT_PATTERN,
    REFERRED_TO_MAX,
    printable,
)

FORMAT_NAME = "selftrack-export"
FORMAT_VERSION = 3
READ_VERSIONS = (1, 2, 3)  # the versions an import reads

# the real world's bounds
YEAR_FIRST, YEAR_LAST = 1900, 2199
MOMENT_FIRST = datetime(YEAR_FIRST, 1, 1, tzinfo=timezone.utc)
MOMENT_END = datetime(YEAR_LAST + 1, 1, 1, tzinfo=timezone.utc)
OFFSET_WEST, OFFSET_EAST = timedelta(hours=-12), timedelta(hours=14)  # every zone there is
# A rating, an edit or a session start may lie this far outside the span it belongs to
# (session start to end, or to the export for a session still open): a clock put right by a
# few minutes during a session must not make its record unimportable.
SLACK = timedelta(hours=1)
STEPS_MAX = 10_000
SESSIONS_MAX = 10_000_000

_IDENT = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_DIGEST = r"^[0-9a-f]{32}$"
_HASH = r"^[0-9a-f]{8,64}$"
_MOMENT = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$"

Ident = Annotated[str, StringConstraints(pattern=_IDENT, min_length=1, max_length=64)]
SessionId = Annotated[str, StringConstraints(pattern=_UUID)]
Digest = Annotated[str, StringConstraints(pattern=_DIGEST)]
ProtocolHash = Annotated[str, StringConstraints(pattern=_HASH)]
Label = Annotated[str, StringConstraints(pattern=LABEL_PATTERN, min_length=1, max_length=LABEL_MAX)]
Note = Annotated[str, StringConstraints(pattern=FREE_TEXT_PATTERN, max_length=NOTE_MAX)]
ReferredTo = Annotated[str, StringConstraints(pattern=FREE_TEXT_PATTERN, max_length=REFERRED_TO_MAX)]
SpotText = Annotated[
    str, StringConstraints(pattern=PROTOCOL_TEXT_PATTERN, max_length=PROTOCOL_TEXT_MAX)
]
Moment = Annotated[str, StringConstraints(pattern=_MOMENT)]  # then checked by check_session
Scale = Annotated[int, Field(ge=0, le=10)]
Version = Annotated[int, Field(ge=1, le=PROTOCOL_VERSION_MAX)]
Coordinate = Annotated[float, Field(ge=-1.5, le=3.0, allow_inf_nan=False)]
Region = Literal[REGIONS]  # type: ignore[valid-type]
View = Literal[VIEWS]  # type: ignore[valid-type]
Tool = Literal[TOOLS]  # type: ignore[valid-type]
SessionTool = Literal[("", *TOOLS)]  # type: ignore[valid-type]
Status = Literal[tuple(s.value for s in SessionStatus)]  # type: ignore[valid-type]
Sides = Literal["left", "right", "both"]
StepSide = Literal["left", "right", "mid"]

_STRICT = ConfigDict(strict=True, extra="forbid")


class SpotDefinitionModel(BaseModel):
    """One version of a spot, as `spot_definitions` holds it (SpotSpec.to_dict)."""

    model_config = _STRICT

    id: Ident
    name: Label
    region: Region
    x: Coordinate
    y: Coordinate
    view: View = "back"
    muscles: list[Label] = Field(default=[], max_length=50)
    find: SpotText = ""
    feel: SpotText = ""
    refers: SpotText = ""
    cautions: list[SpotText] = Field(default=[], max_length=50)
    tools: list[Tool] = Field(default=[], max_length=len(TOOLS))
    pressure: SpotText = ""
    sided: bool = True


# `from` is a Python keyword: the functional form keeps the file's key
Selection = TypedDict("Selection", {"from": Moment | None, "to": Moment | None})
Selection.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]


class Header(TypedDict, total=False):
    """The document's keys besides `sessions`; format, version and spot definitions needed."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    format: Literal["selftrack-export"]
    version: Literal[READ_VERSIONS]  # type: ignore[valid-type]
    exported_at: Moment
    selection: Selection
    spot_definitions: dict[Digest, SpotDefinitionModel]


class ProtocolRef(TypedDict):
    """The routine a session followed, as it was then."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    id: Ident
    version: Version
    hash: ProtocolHash
    name: Label


class SessionHeadV1(TypedDict):
    """A session's fields before its steps and ratings, in the order the file has them."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    id: SessionId
    protocol: ProtocolRef
    sides: Sides
    tool: SessionTool
    status: Status
    started_at: Moment
    ended_at: Moment | None
    pain_before: Scale | None
    pain_after: Scale | None
    notes: Note
    edited_at: Moment | None
    routes: Annotated[dict[Ident, Label], Field(max_length=1000)]
    spot_definitions: Annotated[dict[Ident, Digest], Field(max_length=STEPS_MAX)]


HoldSeconds = Annotated[int, Field(ge=0, le=HOLD_SECONDS_MAX)]


class SessionHead(SessionHeadV1):
    """Version 2: the routine's hold guidance (seconds per session) after the version 1 keys."""

    hold_guidance: HoldSeconds | None


class RatingV1(TypedDict):
    """One rating: the step it is for (which must name the same spot and side)."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    step: Annotated[int, Field(ge=0, lt=STEPS_MAX)]
    spot: Ident
    side: StepSide
    tenderness: Scale | None
    skipped: bool
    recognised: bool
    referred: bool
    referred_to: ReferredTo
    nerve: bool
    note: Note
    rated_at: Moment
    edited_at: Moment | None


class Rating(RatingV1):
    """Version 2: the dose after the version 1 keys: seconds on the hold timer, the tool used on
    this spot when it was not the session's, and the pressure chosen (each null when not given)."""

    hold_seconds: HoldSeconds | None
    tool: Tool | None
    pressure: Literal[PRESSURES] | None  # type: ignore[valid-type]


Step = Annotated[tuple[Ident, Ident, StepSide], Field(strict=False)]  # a JSON list of three


class SessionV1(SessionHeadV1):
    """A whole session as a version 1 file holds it."""

    steps: Annotated[list[Step], Field(max_length=STEPS_MAX)]
    ratings: Annotated[list[RatingV1], Field(max_length=STEPS_MAX)]


class Session(SessionHead):
    """A whole session as the file holds it."""

    steps: Annotated[list[Step], Field(max_length=STEPS_MAX)]
    ratings: Annotated[list[Rating], Field(max_length=STEPS_MAX)]




@functools.cache
def _adapter(kind) -> TypeAdapter:
    return TypeAdapter(kind)


# -- problems --------------------------------------------------------------------------------


class Bad(Exception):
    """A problem inside one value: `loc` is the path to it, `message` says what is wrong."""

    def __init__(self, loc: tuple, message: str) -> None:
        super().__init__(message)
        self.loc = tuple(loc)
        self.message = message

    @property
    def where(self) -> str:
        """The path as the message shows it: `.ratings[3].tenderness`."""
        return dotted(self.loc)


def dotted(loc: tuple) -> str:
    """The path as a message shows it; keys from the file go through the text gate (a key
    may hold any character)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{printable(str(part))}"
    return out


_PATTERN_WORDS = {
    _IDENT: "is not an id (lower-case letters, digits and hyphens)",
    _UUID: "is not a session id (a UUID such as 6f1c…-…)",
    _DIGEST: "is not a definition key (32 hexadecimal digits)",
    _HASH: "is not a routine's hash (hexadecimal digits)",
    _MOMENT: "is not a time in ISO 8601 with its UTC offset (e.g. 2026-09-01T06:30:00+00:00)",
}


_RANGE_WORDS = {
    "tenderness": "is not a whole number from 0 to 10",
    "pain_before": "is not a whole number from 0 to 10",
    "pain_after": "is not a whole number from 0 to 10",
    "version": f"is not a version from 1 to {PROTOCOL_VERSION_MAX:,}",
    "step": f"is not a step number (0 to {STEPS_MAX - 1:,})",
    "x": "is off the body map (-1.5 to 3.0)",
    "hold_seconds": f"is not a whole number of seconds from 0 to {HOLD_SECONDS_MAX:,}",
    "hold_guidance": f"is not a whole number of seconds from 0 to {HOLD_SECONDS_MAX:,}",
    "back_pain": "is not a whole number from 0 to 10",
    "leg_pain": "is not a whole number from 0 to 10",
    "night": "is not a whole number from 0 to 10",
    "pain": "is not a whole number from 0 to 10",
    "enjoyment": "is not a whole number from 0 to 10",
    "activity": "is not a whole number from 0 to 10",
    "score": "is not a whole number from 0 to 10",
    "pgic": "is not one of the seven answers (1 very much improved to 7 very much worse)",
    "pregnancy_weeks": "is not a week of pregnancy (0 to 45)",
    "activity_id": "is not an activity id of this file (1 to 1,000)",
    "position": f"is not a place in the list (0 to {PSFS_MAX_ACTIVITIES - 1})",
    "y": "is off the body map (-1.5 to 3.0)",
}


def first_problem(error: ValidationError) -> Bad:
    """The first error pydantic found, in the words of this format."""
    detail = error.errors(include_url=False)[0]
    loc, kind, value = tuple(detail["loc"]), detail["type"], detail.get("input")
    shown = _shown(value)
    if kind == "missing":
        return Bad(loc[:-1], f'"{loc[-1]}" is missing')
    if kind == "extra_forbidden":
        return Bad(loc, f'unexpected key "{printable(str(loc[-1]))}"')
    if kind == "string_pattern_mismatch":
        pattern = detail.get("ctx", {}).get("pattern")
        if pattern == FREE_TEXT_PATTERN:  # the text gate's own words (selftrack.domain.text)
            return Bad(loc, "holds a NUL character, which cannot be stored")
        if pattern in (LABEL_PATTERN, PROTOCOL_TEXT_PATTERN):
            return Bad(loc, f"holds a control character: {_shown(value)}")
        return Bad(loc, f"{shown} {_PATTERN_WORDS.get(pattern, 'is not allowed here')}")
    if kind == "string_unicode":
        return Bad(loc, "holds a lone surrogate (not text), which cannot be stored")
    if kind == "string_too_long":
        limit = detail["ctx"]["max_length"]
        return Bad(loc, f"{len(value):,} characters, at most {limit:,} fit")
    if kind in ("string_too_short",):
        return Bad(loc, "must not be empty")
    if kind in ("int_type", "bool_type", "string_type", "float_type", "dict_type", "list_type",
                "tuple_type", "model_type", "int_from_float", "typed_dict_type", "model_attributes_type"):  # fmt: skip
        expected = {"int": "a whole number", "bool": "true or false", "string": "text",
                    "float": "a number", "dict": "an object", "list": "a list", "tuple": "a list",
                    "model": "an object", "typed": "an object"}.get(kind.split("_")[0], "another kind")  # fmt: skip
        return Bad(loc, f"expected {expected}, found {kind_of(value)}")
    if kind == "literal_error":
        return Bad(loc, f"{shown} is not one of {detail['ctx']['expected']}")
    if kind in ("greater_than_equal", "less_than_equal", "less_than", "greater_than"):
        field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        words = _RANGE_WORDS.get(field_name, f"is out of range ({detail['msg'].lower()})")
        return Bad(loc, f"{shown} {words}")
    if kind == "too_long":
        return Bad(loc, f"too many items (at most {detail['ctx']['max_length']:,})")
    message = detail["msg"]
    return Bad(loc, message[:1].lower() + message[1:])


def _shown(value: Any) -> str:
    text = repr(value)
    return printable(text if len(text) <= 80 else text[:77] + "…")


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


# -- the header -------------------------------------------------------------------------------


def check_header(values: dict) -> dict:
    """The checked header values (any of them may be missing; `require_header` says which
    must be there); spot definitions become SpotDefinition objects by their key."""
    try:
        checked = _adapter(Header).validate_python(values)
    except ValidationError as error:
        raise first_problem(error) from None
    definitions = checked.get("spot_definitions")
    if definitions is not None:
        made = {}
        for key, model in definitions.items():
            spec = SpotSpec.from_dict(model.model_dump())
            made[key] = SpotDefinition(spec, spec.digest)
        checked["spot_definitions"] = made
    if "exported_at" in checked:
        checked["exported_at"] = moment(checked["exported_at"], ("exported_at",))
    return checked


def header_json(exported_at: datetime, start: datetime | None, end: datetime | None) -> dict:
    """The header as the exporter writes it, checked against the model (selection included)."""
    from selftrack.exports.times import utc_iso

    values = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": utc_iso(exported_at),
        "selection": {"from": utc_iso(start), "to": utc_iso(end)},
    }
    try:
        _adapter(Header).validate_python(values)
    except ValidationError as error:
        raise ValueError(f"the export header does not fit its format: {first_problem(error)}") from None
    return values


def session_head_json(values: dict) -> dict:
    """A session's head as the exporter writes it: the SessionHead keys, in their order.

    Not refused when a value breaks the format: a database written before these checks may
    hold one, and an export never withholds a person's records (its import then names the
    line to correct).
    """
    return {key: values[key] for key in _HEAD_KEYS}


_HEAD_KEYS = tuple(SessionHead.__annotations__)


# -- moments -------------------------------------------------------------------------------------


def moment(text: str, loc: tuple) -> str:
    """A checked ISO 8601 time as SQLite stores it (UTC text: `2026-09-01 06:30:00.000000`),
    which sorts in time order; a Bad when it is no real time, or out of the real world."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Bad(loc, f"{_shown(text)} is not a real date and time") from None
    offset = value.utcoffset()
    if offset is None:
        raise Bad(loc, f"{_shown(text)} has no UTC offset")
    if not YEAR_FIRST <= value.year <= YEAR_LAST:
        raise Bad(loc, f"{_shown(text)} is not between {YEAR_FIRST} and {YEAR_LAST}")
    if not offset:  # UTC already: the stored text is cut from the checked text
        body = text[:-1] if text[-1] == "Z" else text[:-6]
        if len(body) == 19:
            return f"{body[:10]} {body[11:]}.000000"
        if len(body) == 26:
            return f"{body[:10]} {body[11:]}"
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    if not OFFSET_WEST <= offset <= OFFSET_EAST:
        raise Bad(loc, f"{_shown(text)} has an offset no time zone has (-12:00 to +14:00)")
    utc = value.astimezone(timezone.utc).replace(tzinfo=None)  # within a day: no overflow
    if not YEAR_FIRST <= utc.year <= YEAR_LAST:
        raise Bad(loc, f"{_shown(text)} is not between {YEAR_FIRST} and {YEAR_LAST}")
    return utc.isoformat(" ", "microseconds")


def _shift(stored: str, delta: timedelta) -> str:
    return (datetime.fromisoformat(stored) + delta).isoformat(" ", "microseconds")


def stored_datetime(stored: str) -> datetime:
    """An aware UTC datetime from a stored moment."""
    return datetime.fromisoformat(stored).replace(tzinfo=timezone.utc)


# -- a whole session ------------------------------------------------------------------------------


class Checked:
    """A session that passed every check: its values as validated, its moments as stored UTC
    text (`started_at` … and each rating's `rated_at`, `edited_at`), and its totals."""

    __slots__ = ("data", "started_at", "ended_at", "edited_at", "rated", "skipped", "total", "highest")

    def __init__(self, data: dict) -> None:
        self.data = data


def check_session(
    raw: Any, definitions: dict[str, SpotDefinition], exported_at: str | None, version: int = FORMAT_VERSION
) -> Checked:
    """Validate one session from its parsed JSON value (in a file of `version`); a Bad names
    the first problem. A version 1 session comes back with an empty dose."""
    try:
        data = _adapter(Session if version >= 2 else SessionV1).validate_python(raw)
    except ValidationError as error:
        raise first_problem(error) from None
    if version < 2:
        data["hold_guidance"] = None
        for rating in data["ratings"]:
            rating.update(hold_seconds=None, tool=None, pressure=None)
    checked = Checked(data)
    started = checked.started_at = moment(data["started_at"], ("started_at",))
    ended = checked.ended_at = None if data["ended_at"] is None else moment(data["ended_at"], ("ended_at",))
    edited = checked.edited_at = None if data["edited_at"] is None else moment(data["edited_at"], ("edited_at",))
    earliest = _shift(started, -SLACK)
    latest_known = _shift(exported_at, SLACK) if exported_at else None
    if latest_known is not None and started > latest_known:
        raise Bad(("started_at",), f"{data['started_at']} is after the file was exported")
    in_progress = data["status"] == SessionStatus.IN_PROGRESS.value
    if in_progress and ended is not None:
        raise Bad(("ended_at",), "a session in progress has not ended (use null)")
    if not in_progress and ended is None:
        raise Bad(("ended_at",), f"a session {data['status'].replace('_', ' ')} has ended: give when")
    if ended is not None and ended < started:
        raise Bad(("ended_at",), f"{data['ended_at']} is before the session started ({data['started_at']})")
    if ended is not None and latest_known is not None and ended > latest_known:
        raise Bad(("ended_at",), f"{data['ended_at']} is after the file was exported")
    latest = _shift(ended, SLACK) if ended is not None else latest_known
    if edited is not None and (edited < earliest or latest_known is not None and edited > latest_known):
        raise Bad(("edited_at",), f"{data['edited_at']} is not between the session's start and the export")
    spots = _session_spots(data, definitions)
    steps = data["steps"]
    _check_steps(data, steps, spots)
    rated: set[int] = set()
    count = skipped = total = 0
    highest = None
    for number, rating in enumerate(data["ratings"]):
        where = ("ratings", number)
        index = rating["step"]
        if index >= len(steps):
            raise Bad((*where, "step"), f"{index} is not a step of this session (0–{len(steps) - 1})")
        if index in rated:
            raise Bad((*where, "step"), f"step {index} is rated twice")
        rated.add(index)
        _route, spot_id, side = steps[index]
        if rating["spot"] != spot_id or rating["side"] != side:
            raise Bad(where, f"step {index} is {spot_id} ({side}), not {rating['spot']} ({rating['side']})")
        tenderness = rating["tenderness"]
        if rating["skipped"]:
            if tenderness is not None:
                raise Bad((*where, "tenderness"), "a skipped spot has no tenderness (use null)")
            skipped += 1
        else:
            if tenderness is None:
                raise Bad((*where, "tenderness"), "missing: give 0 to 10, or mark the spot skipped")
            count += 1
            total += tenderness
            highest = tenderness if highest is None or tenderness > highest else highest
        if rating["referred_to"] and not rating["referred"]:
            raise Bad((*where, "referred"), "the pain spread (referred_to is given): must be true")
        at = rating["rated_at"] = moment(rating["rated_at"], (*where, "rated_at"))
        if at < earliest or latest is not None and at > latest:
            raise Bad((*where, "rated_at"), f"{_stored_iso(at)} is outside the session's time "
                      f"({data['started_at']} to {data['ended_at'] or 'the export'})")  # fmt: skip
        if rating["edited_at"] is not None:
            fixed = rating["edited_at"] = moment(rating["edited_at"], (*where, "edited_at"))
            if fixed < earliest or latest_known is not None and fixed > latest_known:
                raise Bad((*where, "edited_at"), "is not between the session's start and the export")
    checked.rated, checked.skipped, checked.total, checked.highest = count, skipped, total, highest
    return checked


def _stored_iso(stored: str) -> str:
    return stored.replace(" ", "T").removesuffix(".000000") + "+00:00"


def _session_spots(data: dict, definitions: dict[str, SpotDefinition]) -> dict[str, SpotDefinition]:
    spots: dict[str, SpotDefinition] = {}
    for spot_id, key in data["spot_definitions"].items():
        found = definitions.get(key)
        if found is None:
            raise Bad(("spot_definitions", spot_id), f"unknown spot: no definition {key!r} in the file")
        if found.spec.id != spot_id:
            raise Bad(("spot_definitions", spot_id), f"definition {key!r} is for spot {found.spec.id!r}")
        spots[spot_id] = found
    return spots


def _check_steps(data: dict, steps: list, spots: dict[str, SpotDefinition]) -> None:
    routes, sides = data["routes"], data["sides"]
    wrong_side = {"left": "right", "right": "left"}.get(sides)
    for number, (route_id, spot_id, side) in enumerate(steps):
        if route_id not in routes:
            raise Bad(("steps", number), f"route {route_id!r} is not in routes")
        spot = spots.get(spot_id)
        if spot is None:
            raise Bad(("steps", number), f"unknown spot {spot_id!r}: it has no definition")
        if side == wrong_side:
            raise Bad(("steps", number), f"a {side} step in a session on the {sides} side")
        if (side == "mid") == spot.spec.sided:
            needed = "left or right" if spot.spec.sided else "mid (the spot is on the middle line)"
            raise Bad(("steps", number), f"side {side!r} of spot {spot_id!r} must be {needed}")


def to_record(checked: Checked, definitions: dict[str, SpotDefinition]) -> SessionRecord:
    """The session as the domain knows it (moments as stored UTC text), to compare with the
    database's copy."""
    data = checked.data
    steps = [tuple(step) for step in data["steps"]]
    return SessionRecord(
        id=data["id"],
        protocol_id=data["protocol"]["id"],
        protocol_version=data["protocol"]["version"],
        protocol_hash=data["protocol"]["hash"],
        protocol_name=data["protocol"]["name"],
        sides=data["sides"],
        tool=data["tool"],
        status=data["status"],
        started_at=checked.started_at,
        ended_at=checked.ended_at,
        pain_before=data["pain_before"],
        pain_after=data["pain_after"],
        notes=data["notes"],
        edited_at=checked.edited_at,
        routes=dict(data["routes"]),
        steps=steps,
        spots={spot_id: definitions[key] for spot_id, key in data["spot_definitions"].items()
               if any(s[1] == spot_id for s in steps)},  # fmt: skip
        ratings=[
            RatingRecord(
                r["step"], steps[r["step"]][0], r["spot"], r["side"], r["tenderness"], r["skipped"],
                r["recognised"], r["referred"], r["referred_to"], r["nerve"], r["note"],
                r["rated_at"], r["edited_at"], r["hold_seconds"], r["tool"], r["pressure"],
            )  # fmt: skip
            for r in sorted(data["ratings"], key=lambda r: r["step"])
        ],
        hold_guidance=data["hold_guidance"],
    )




# -- the outcome records (version 2; the soreness answers version 3) ----------------------------

# each list, and the version of the format that brought it
OUTCOME_SINCE = {
    "psfs_activities": 2, "checkins": 2, "weekly_forms": 2, "screenings": 2, "conditions": 2,
    "soreness_answers": 3,
}  # fmt: skip
OUTCOME_KEYS = tuple(OUTCOME_SINCE)
OUTCOMES_MAX = 200_000  # of each kind: 500 years of daily check-ins
_DAY = r"^\d{4}-\d\d-\d\d$"
_PATTERN_WORDS[_DAY] = "is not a day (YYYY-MM-DD)"
Day = Annotated[str, StringConstraints(pattern=_DAY)]
SORENESS_ANSWERS = ("none", "mild", "sore-48h", "bruised")  # selftrack.analysis.care.SORENESS
SCREEN_ANSWERS = ("no", "yes", "cleared")  # selftrack.analysis.care.ANSWERS
SCREEN_TRIGGERS = ("first", "four-weeks", "pain-worse", "nerve-repeats", "below-knee", "asked")
SCREEN_OUTCOMES = ("clear", "clinician", "emergency")
ActivityName = Annotated[str, StringConstraints(pattern=LABEL_PATTERN, min_length=1, max_length=PSFS_NAME_MAX)]
ActivityId = Annotated[int, Field(ge=1, le=1000)]


class SorenessModel(TypedDict):
    """The soreness answered in a check-in, about the session before it."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    session: SessionId
    answer: Literal[SORENESS_ANSWERS]  # type: ignore[valid-type]


class SorenessAnswerModel(TypedDict):
    """The soreness answered before a session, about an earlier one (version 3)."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    session: SessionId
    answered_at: Moment
    answer: Literal[SORENESS_ANSWERS]  # type: ignore[valid-type]


class CheckInModel(TypedDict):
    """A morning check-in: the local day it is for, when it was answered, the answers."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    day: Day
    answered_at: Moment
    back_pain: Scale
    leg_pain: Scale
    below_knee: bool
    night: Scale
    soreness: SorenessModel | None
    edited_at: Moment | None


class PsfsActivityModel(TypedDict):
    """An activity named for the PSFS; `id` is this file's own number for it."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    id: ActivityId
    name: ActivityName
    position: Annotated[int, Field(ge=0, lt=PSFS_MAX_ACTIVITIES)]
    since: Moment
    until: Moment | None


class PegModel(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]

    pain: Scale
    enjoyment: Scale
    activity: Scale


class PsfsScoreModel(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]

    activity_id: ActivityId
    score: Scale


class WeeklyFormModel(TypedDict):
    """A weekly form: the PEG's three items, the PSFS ratings, the PGIC (each may be null)."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    answered_at: Moment
    peg: PegModel | None
    psfs: Annotated[list[PsfsScoreModel], Field(max_length=PSFS_MAX_ACTIVITIES)]
    pgic: Annotated[int, Field(ge=1, le=7)] | None


class ScreeningModel(TypedDict):
    """A red-flag screen: when, why it was asked, each question's answer, the outcome."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    answered_at: Moment
    trigger: Literal[SCREEN_TRIGGERS]  # type: ignore[valid-type]
    answers: Annotated[dict[Ident, Literal[SCREEN_ANSWERS]], Field(max_length=100)]  # type: ignore[valid-type]
    outcome: Literal[SCREEN_OUTCOMES]  # type: ignore[valid-type]


class ConditionsModel(TypedDict):
    """The conditions that adapt the routines, in force from `updated_at`."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    updated_at: Moment
    conditions: Annotated[list[Ident], Field(max_length=50)]
    pregnancy_weeks: Annotated[int, Field(ge=0, le=45)] | None


_OUTCOME_MODELS = {
    "psfs_activities": PsfsActivityModel,
    "checkins": CheckInModel,
    "weekly_forms": WeeklyFormModel,
    "screenings": ScreeningModel,
    "conditions": ConditionsModel,
    "soreness_answers": SorenessAnswerModel,
}
_OUTCOME_MOMENTS = {
    "psfs_activities": ("since", "until"),
    "checkins": ("answered_at", "edited_at"),
    "weekly_forms": ("answered_at",),
    "screenings": ("answered_at",),
    "conditions": ("updated_at",),
    "soreness_answers": ("answered_at",),
}
# the key that may appear once per list (a second record for it is refused); soreness answers
# are matched by their session and moment on import, as the database keeps them
_OUTCOME_UNIQUE = {
    "psfs_activities": "id",
    "checkins": "day",
    "weekly_forms": "answered_at",
    "screenings": "answered_at",
    "conditions": "updated_at",
}


def check_outcomes(key: str, raw: Any, exported_at: str | None) -> list[dict]:
    """Validate one outcome list (`key` in OUTCOME_KEYS); moments come back
    as stored UTC text. A Bad names the first problem, its path starting with the item's index.
    Which PSFS activities the weekly forms name is checked by the caller (`activity_refs`), as
    the lists may come in any order."""
    try:
        items = _adapter(Annotated[list[_OUTCOME_MODELS[key]], Field(max_length=OUTCOMES_MAX)]).validate_python(raw)
    except ValidationError as error:
        raise first_problem(error) from None
    latest = _shift(exported_at, SLACK) if exported_at else None
    seen: set = set()
    for number, item in enumerate(items):
        for name in _OUTCOME_MOMENTS[key]:
            if item[name] is not None:
                item[name] = moment(item[name], (number, name))
                if latest is not None and item[name] > latest:
                    raise Bad((number, name), f"{_stored_iso(item[name])} is after the file was exported")
        if key in _OUTCOME_UNIQUE:
            unique = item[_OUTCOME_UNIQUE[key]]
            if unique in seen:
                shown = _stored_iso(unique) if name_is_moment(key) else _shown(unique)
                raise Bad((number, _OUTCOME_UNIQUE[key]), f"{shown} appears twice in {key}")
            seen.add(unique)
        if key == "checkins":
            _check_day(item, number)
        elif key == "psfs_activities":
            if item["until"] is not None and item["until"] < item["since"]:
                raise Bad((number, "until"), "is before the activity was named (since)")
        elif key == "weekly_forms":
            named: set[int] = set()
            for place, score in enumerate(item["psfs"]):
                if score["activity_id"] in named:
                    raise Bad((number, "psfs", place, "activity_id"), f"activity {score['activity_id']} is rated twice in one form")
                named.add(score["activity_id"])
    return items


def name_is_moment(key: str) -> bool:
    return _OUTCOME_UNIQUE[key] in _OUTCOME_MOMENTS[key]


def activity_refs(forms: list[dict]):
    """(path, activity id) of every PSFS rating in checked weekly forms."""
    for number, form in enumerate(forms):
        for place, score in enumerate(form["psfs"]):
            yield (number, "psfs", place, "activity_id"), score["activity_id"]


def latest_moment(key: str, items: list[dict]) -> tuple[tuple, str] | None:
    """(path, stored moment) of the latest moment in a checked outcome list."""
    found = None
    for number, item in enumerate(items):
        for name in _OUTCOME_MOMENTS[key]:
            if item[name] is not None and (found is None or item[name] > found[1]):
                found = ((number, name), item[name])
    return found


def after_export(stored: str, exported_at: str) -> bool:
    return stored > _shift(exported_at, SLACK)


def _check_day(item: dict, number: int) -> None:
    try:
        day = datetime.strptime(item["day"], "%Y-%m-%d").date()
    except ValueError:
        raise Bad((number, "day"), f"{_shown(item['day'])} is not a real day") from None
    answered = datetime.fromisoformat(item["answered_at"]).date()
    if abs((day - answered).days) > 1:
        raise Bad((number, "day"), f"{_shown(item['day'])} is not the local day of its answer ({_stored_iso(item['answered_at'])})")
