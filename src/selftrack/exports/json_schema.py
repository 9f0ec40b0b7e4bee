"""What a selftrack JSON export may hold: every value checked, with where it is.

Each function takes a parsed JSON value and gives a checked domain value, or raises Bad with
the path of the first problem (e.g. `.ratings[3].tenderness`).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone

from selftrack.domain.model import SpotSpec
from selftrack.domain.records import RatingRecord, SessionRecord, SpotDefinition
from selftrack.domain.terms import REGIONS, SIDES, STEP_SIDES, VIEWS, SessionStatus
from selftrack.domain.text import NOTE_MAX, TextError, check_text

_IDENT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as in protocol files
_STATUSES = tuple(s.value for s in SessionStatus)
_SPOT_TEXT = ("find", "feel", "refers", "pressure")
_SPOT_LISTS = ("muscles", "cautions", "tools")


class Bad(Exception):
    """A problem inside one value; `where` is a path such as `ratings[3].tenderness`."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


# -- checking values ---------------------------------------------------------------------------


def _text(
    data: dict,
    key: str,
    where: str,
    *,
    limit: int | None = None,
    empty: bool = True,
    label: bool = False,
) -> str:
    """A text value; a `label` (a name shown on screen) may hold no control characters."""
    if key not in data:
        raise Bad(f"{where}", f'"{key}" is missing')
    value = data[key]
    if not isinstance(value, str):
        raise Bad(f"{where}.{key}", f"expected text, found {_kind(value)}")
    if not empty and not value:
        raise Bad(f"{where}.{key}", "must not be empty")
    if limit is not None and len(value) > limit:
        raise Bad(f"{where}.{key}", f"longer than {limit} characters")
    try:
        check_text("", value, NOTE_MAX, label=label)
    except TextError as exc:
        raise Bad(f"{where}.{key}", str(exc).removeprefix(": ")) from None
    return value


def _ident(data: dict, key: str, where: str) -> str:
    value = _text(data, key, where, limit=64, empty=False)
    if not _IDENT.match(value):
        raise Bad(f"{where}.{key}", f"{value!r} is not an id (lower-case letters, digits, hyphens)")
    return value


def _choice(data: dict, key: str, where: str, allowed: tuple[str, ...]) -> str:
    value = _text(data, key, where)
    if value not in allowed:
        raise Bad(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _flag(data: dict, key: str, where: str) -> bool:
    if key not in data:
        raise Bad(where, f'"{key}" is missing')
    value = data[key]
    if type(value) is not bool:
        raise Bad(f"{where}.{key}", f"expected true or false, found {_kind(value)}")
    return value


def _scale(data: dict, key: str, where: str, *, nullable: bool = True) -> int | None:
    if key not in data:
        raise Bad(where, f'"{key}" is missing')
    value = data[key]
    if value is None and nullable:
        return None
    if type(value) is not int or not 0 <= value <= 10:
        raise Bad(f"{where}.{key}", f"{value!r} is not a whole number from 0 to 10")
    return value


def _moment(data: dict, key: str, where: str, *, nullable: bool = False) -> datetime | None:
    if key not in data:
        raise Bad(where, f'"{key}" is missing')
    value = data[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise Bad(f"{where}.{key}", f"expected an ISO 8601 time, found {_kind(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Bad(f"{where}.{key}", f"{value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Bad(f"{where}.{key}", f"{value!r} has no UTC offset")
    return moment.astimezone(timezone.utc)


def _object(value, where: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise Bad(where, f"expected an object, found {_kind(value)}")
    for key in value:
        if key not in allowed:
            raise Bad(where, f'unexpected key "{key}"')
    return value


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


_SPOT_KEYS = ("id", "name", "region", "x", "y", "view", "sided", *_SPOT_TEXT, *_SPOT_LISTS)


def spot_definition(data) -> SpotSpec:
    data = _object(data, "", _SPOT_KEYS)
    values: dict = {
        "id": _ident(data, "id", ""),
        "name": _text(data, "name", "", limit=200, empty=False, label=True),
        "region": _choice(data, "region", "", REGIONS),
    }
    for key in ("x", "y"):
        number = data.get(key)
        if type(number) not in (int, float) or not math.isfinite(number):
            raise Bad(f".{key}", f"expected a number, found {_kind(number)}")
        if not -1.5 <= number <= 3.0:
            raise Bad(f".{key}", f"{number} is off the body map (-1.5 to 3.0)")
        values[key] = float(number)
    if "view" in data:
        values["view"] = _choice(data, "view", "", VIEWS)
    if "sided" in data:
        values["sided"] = _flag(data, "sided", "")
    for key in _SPOT_TEXT:
        if key in data:
            values[key] = _text(data, key, "")
    for key in _SPOT_LISTS:
        if key in data:
            items = data[key]
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise Bad(f".{key}", "expected a list of texts")
            values[key] = tuple(items)
    return SpotSpec(**values)


_SESSION_KEYS = (
    "id", "protocol", "sides", "tool", "status", "started_at", "ended_at", "pain_before",
    "pain_after", "notes", "edited_at", "routes", "spot_definitions", "steps", "ratings",
)  # fmt: skip
_RATING_KEYS = (
    "step", "spot", "side", "tenderness", "skipped", "recognised", "referred", "referred_to",
    "nerve", "note", "rated_at", "edited_at",
)  # fmt: skip


def session_record(data, definitions: dict[str, SpotDefinition]) -> SessionRecord:
    """A checked session from its JSON object, or Bad naming the first problem."""
    data = _object(data, "", _SESSION_KEYS)
    session_id = _text(data, "id", "", limit=36, empty=False)
    if "protocol" not in data:
        raise Bad("", '"protocol" is missing')
    protocol = _object(data["protocol"], ".protocol", ("id", "version", "hash", "name"))
    version = protocol.get("version")
    if type(version) is not int:
        raise Bad(".protocol.version", f"expected a whole number, found {_kind(version)}")
    routes = data.get("routes")
    if not isinstance(routes, dict) or not all(
        _IDENT.match(k) and len(k) <= 64 and isinstance(v, str) for k, v in routes.items()
    ):
        raise Bad(".routes", "expected an object of route ids and names")
    used = data.get("spot_definitions")
    if not isinstance(used, dict):
        raise Bad(".spot_definitions", "expected an object of spot ids and definition keys")
    spots: dict[str, SpotDefinition] = {}
    for spot_id, key in used.items():
        if key not in definitions:
            raise Bad(
                f".spot_definitions.{spot_id}", f"unknown spot: no definition {key!r} in the file"
            )
        if definitions[key].spec.id != spot_id:
            raise Bad(
                f".spot_definitions.{spot_id}",
                f"definition {key!r} is for spot {definitions[key].spec.id!r}",
            )
        spots[spot_id] = definitions[key]
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list):
        raise Bad(".steps", f"expected a list, found {_kind(raw_steps)}")
    steps: list[tuple[str, str, str]] = []
    for i, step in enumerate(raw_steps):
        if not (isinstance(step, list) and len(step) == 3 and all(isinstance(p, str) for p in step)):
            raise Bad(f".steps[{i}]", "expected [route, spot, side]")
        route_id, spot_id, side = step
        if route_id not in routes:
            raise Bad(f".steps[{i}]", f"route {route_id!r} is not in routes")
        if spot_id not in spots:
            raise Bad(f".steps[{i}]", f"unknown spot {spot_id!r}: it has no definition")
        if side not in STEP_SIDES:
            raise Bad(f".steps[{i}]", f"side {side!r} is not one of {', '.join(STEP_SIDES)}")
        steps.append((route_id, spot_id, side))
    raw_ratings = data.get("ratings")
    if not isinstance(raw_ratings, list):
        raise Bad(".ratings", f"expected a list, found {_kind(raw_ratings)}")
    ratings: dict[int, RatingRecord] = {}
    for i, item in enumerate(raw_ratings):
        rating = _rating(item, f".ratings[{i}]", steps)
        if rating.step_index in ratings:
            raise Bad(f".ratings[{i}].step", f"step {rating.step_index} is rated twice")
        ratings[rating.step_index] = rating
    return SessionRecord(
        id=session_id,
        protocol_id=_ident(protocol, "id", ".protocol"),
        protocol_version=version,
        protocol_hash=_text(protocol, "hash", ".protocol", limit=64),
        protocol_name=_text(protocol, "name", ".protocol", limit=200, label=True),
        sides=_choice(data, "sides", "", SIDES),
        tool=_text(data, "tool", "", limit=32),
        status=_choice(data, "status", "", _STATUSES),
        started_at=_moment(data, "started_at", ""),
        ended_at=_moment(data, "ended_at", "", nullable=True),
        pain_before=_scale(data, "pain_before", ""),
        pain_after=_scale(data, "pain_after", ""),
        notes=_text(data, "notes", ""),
        edited_at=_moment(data, "edited_at", "", nullable=True),
        routes=routes,
        steps=steps,
        spots={spot_id: spots[spot_id] for _r, spot_id, _s in steps},
        ratings=[ratings[k] for k in sorted(ratings)],
    )


def _rating(data, where: str, steps: list[tuple[str, str, str]]) -> RatingRecord:
    data = _object(data, where, _RATING_KEYS)
    index = data.get("step")
    if type(index) is not int or not 0 <= index < len(steps):
        raise Bad(f"{where}.step", f"{index!r} is not a step of this session (0–{len(steps) - 1})")
    route_id, spot_id, side = steps[index]
    if data.get("spot") != spot_id or data.get("side") != side:
        raise Bad(where, f"step {index} is {spot_id} ({side}), not {data.get('spot')} ({data.get('side')})")
    skipped = _flag(data, "skipped", where)
    tenderness = _scale(data, "tenderness", where)
    if skipped and tenderness is not None:
        raise Bad(f"{where}.tenderness", "a skipped spot has no tenderness (use null)")
    if not skipped and tenderness is None:
        raise Bad(f"{where}.tenderness", "missing: give 0 to 10, or mark the spot skipped")
    return RatingRecord(
        step_index=index,
        route_id=route_id,
        spot_id=spot_id,
        side=side,
        tenderness=tenderness,
        skipped=skipped,
        recognised=_flag(data, "recognised", where),
        referred=_flag(data, "referred", where),
        referred_to=_text(data, "referred_to", where, limit=200),
        nerve=_flag(data, "nerve", where),
        note=_text(data, "note", where),
        rated_at=_moment(data, "rated_at", where),
        edited_at=_moment(data, "edited_at", where, nullable=True),
    )
