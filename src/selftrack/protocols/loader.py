"""Find, parse and validate protocol files; report every problem as `file:line: message`."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selftrack.domain.conditions import Adaptation
from selftrack.domain.model import ProtocolSpec, RouteSpec, SpotSpec
from selftrack.domain.text import first_unsafe, has_control, printable

PROTOCOL_SUFFIX = ".protocol.toml"
USE_DISTANCE = 0.05  # a spot named in `along.use` lies at most this far from the one it replaces
CATALOGUE_SUFFIX = ".spots.toml"
# Read before parsing: the built-in files are under 30 KB, and tomllib takes time that grows
# with the square of a dotted key's parts (100,000 parts: minutes), so both are bounded.
PROTOCOL_FILE_MAX = 1 << 20
KEY_PARTS_MAX = 16  # protocol files need at most 3 (routes.along.adapt)
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a protocol file, with where it is."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class LoadResult:
    """Loaded protocols by id, the spot catalogue, and problems found on the way.

    `catalogue_adaptations` holds the catalogue spots' `adapt` rules by spot id, and
    `catalogue_sources` the file each catalogue spot came from.
    """

    specs: dict[str, ProtocolSpec] = field(default_factory=dict)
    catalogue: dict[str, SpotSpec] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    catalogue_adaptations: dict[str, tuple[Adaptation, ...]] = field(default_factory=dict)
    catalogue_sources: dict[str, str] = field(default_factory=dict)
    # catalogue spots left out because they break the rule on nerves and vessels: where
    catalogue_refused: dict[str, str] = field(default_factory=dict)


def discover(folders: Iterable[Path], suffix: str) -> list[Path]:
    """Files ending in `suffix` in each existing folder, sorted by name within a folder.

    A path that is not a folder is taken as it is (when its name fits): reading it then says
    whether it is a regular file, so a pipe or a device is reported, never opened.
    """
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            try:
                entries = sorted(p for p in folder.iterdir() if p.name.endswith(suffix))
            except OSError:
                continue  # an unreadable folder holds nothing we can load
            found.extend(entries)
        elif os.path.lexists(folder) and folder.name.endswith(suffix):
            found.append(folder)
    return found


def load_protocols(folders: Sequence[Path], cache: Path | None = None) -> LoadResult:
    """Load all catalogues, then all protocols, from `folders` in order; never raises.

    With `cache`, the parsed result is kept in that file and reused while no protocol file
    has changed, which spares validation (and importing pydantic) on most starts.
    """
    if cache is None:
        return _load_all(folders)
    from selftrack.protocols import cache as cache_module

    fingerprint = cache_module.fingerprint(
        discover(folders, CATALOGUE_SUFFIX) + discover(folders, PROTOCOL_SUFFIX)
    )
    cached = cache_module.read(cache, fingerprint)
    if cached is not None:
        return cached
    result = _load_all(folders)
    cache_module.write(cache, fingerprint, result)
    return result


def _load_all(folders: Sequence[Path]) -> LoadResult:
    result = LoadResult()
    for path in discover(folders, CATALOGUE_SUFFIX):
        _load_catalogue(path, result)
    from selftrack.paths import builtin_protocols_dir

    builtin = builtin_protocols_dir().resolve()
    for path in discover(folders, PROTOCOL_SUFFIX):
        _load_protocol(path, result, builtin=path.resolve().parent == builtin)
    return result


def check_paths(paths: Sequence[Path], folders: Sequence[Path]) -> list[Problem]:
    """Problems in `paths` (files or folders), resolved against the catalogues in `folders`.

    A checked file never clashes with itself: catalogues being checked are left out of the
    ones they are checked against.
    """
    problems: list[Problem] = []
    targets: list[Path] = []
    for path in paths:
        if not os.path.lexists(path):
            problems.append(Problem(str(path), None, "no such file or folder"))
            continue
        picked = discover([path], CATALOGUE_SUFFIX) + discover([path], PROTOCOL_SUFFIX)
        if path.is_dir() and not picked:
            problems.append(
                Problem(str(path), None, f"a folder without protocol files (*{PROTOCOL_SUFFIX}, *{CATALOGUE_SUFFIX})")
            )
        if not path.is_dir() and not picked:
            problems.append(
                Problem(
                    str(path),
                    None,
                    f"not a protocol file: the name must end in {PROTOCOL_SUFFIX} "
                    f"or {CATALOGUE_SUFFIX}",
                )
            )
        targets.extend(picked)
    checked_files = {p.resolve() for p in targets}
    base = LoadResult()
    for path in discover(folders, CATALOGUE_SUFFIX):
        if path.resolve() not in checked_files:
            _load_catalogue(path, base)
    checked = LoadResult(
        catalogue=dict(base.catalogue),
        catalogue_adaptations=dict(base.catalogue_adaptations),
        catalogue_sources=dict(base.catalogue_sources),
        catalogue_refused=dict(base.catalogue_refused),
    )
    for path in targets:
        if path.name.endswith(CATALOGUE_SUFFIX):
            _load_catalogue(path, checked)
    for path in targets:
        if path.name.endswith(PROTOCOL_SUFFIX):
            _load_protocol(path, checked)
    return problems + checked.problems


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; otherwise an
    OSError (not a regular file, unreadable) or ValueError (too large) saying why.
    """
    from selftrack.paths import open_regular

    descriptor = open_regular(path)
    try:
        size = os.fstat(descriptor).st_size
        if size > limit:
            raise ValueError(f"{size:,} bytes, larger than the {limit:,} a file may have")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(descriptor, 1 << 16):
            size += len(chunk)
            if size > limit:
                raise ValueError(f"larger than the {limit:,} bytes a file may have")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _read(path: Path, result: LoadResult) -> tuple[str, dict] | None:
    if has_control(path.name):
        result.problems.append(
            Problem(str(path), None, "the file name holds a control character: rename the file")
        )
        return None
    try:
        raw = read_regular_file(path, PROTOCOL_FILE_MAX)
    except OSError as exc:
        reason = exc.strerror or exc
        result.problems.append(Problem(str(path), None, f"cannot read the file: {reason}"))
        return None
    except ValueError as exc:
        result.problems.append(Problem(str(path), None, f"refused: {exc}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        result.problems.append(Problem(str(path), line, "not UTF-8 text: save the file as UTF-8"))
        return None
    too_long = _long_dotted_key(text)
    if too_long is not None:
        result.problems.append(
            Problem(
                str(path),
                too_long,
                f"not valid here: a key of more than {KEY_PARTS_MAX} dotted parts "
                "(protocol files need at most 3)",
            )
        )
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE.search(message)
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))
        message = _TOML_LINE.sub("", message).strip()
        result.problems.append(Problem(str(path), line, f"not valid TOML: {message}"))
        return None
    except RecursionError:
        result.problems.append(
            Problem(str(path), _deep_line(text), "nested too deeply (lists or tables inside each other)")
        )
        return None
    unsafe = first_unsafe(data)
    if unsafe is not None:
        loc, value = unsafe
        where = locate(text, loc)
        result.problems.append(
            Problem(str(path), where, f"{printable(_dotted(loc))}: holds a control character: '{printable(value)}'")
        )
        return None
    return text, data


_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _long_dotted_key(text: str) -> int | None:
    """The line of a key with more than KEY_PARTS_MAX dotted parts, if there is one.

    A key is on one line, so only lines with that many dots are looked at, one character
    at a time (outside strings and comments): a run of parts joined by dots is a key.
    """
    if text.count(".") <= KEY_PARTS_MAX:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(".") >= KEY_PARTS_MAX and _dotted_parts(line) > KEY_PARTS_MAX:
            return number
    return None


def _dotted_parts(line: str) -> int:
    """The most parts of any run `a.b."c".d` in one line, strings and comments left out."""
    most = parts = 0
    after_dot = False  # the last thing in the run was a dot: a part may follow
    index, length = 0, len(line)
    while index < length:
        char = line[index]
        if char in _BARE_KEY or char in "\"'":
            if char in "\"'":  # a quoted part: skip to its end (a backslash escapes in "…")
                index += 1
                while index < length and line[index] != char:
                    index += 2 if char == '"' and line[index] == "\\" else 1
            else:
                while index + 1 < length and line[index + 1] in _BARE_KEY:
                    index += 1
            parts = parts + 1 if after_dot else 1
            most = max(most, parts)
            after_dot = False
        elif char == ".":
            after_dot = parts > 0
            if not after_dot:
                parts = 0
        elif char == "#":
            break
        elif char not in " \t":
            parts, after_dot = 0, False
        index += 1
    return most


def _deep_line(text: str, deepest: int = 100) -> int:
    """The line where brackets first nest `deepest` levels down (1 when not found)."""
    depth = 0
    for position, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth >= deepest:
                return text.count("\n", 0, position) + 1
        elif char in "]}":
            depth = max(0, depth - 1)
    return 1


def _validate(model, data: dict, text: str, path: Path, result: LoadResult):
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found = [
            Problem(str(path), locate(text, tuple(e["loc"])), f"{_dotted(tuple(e['loc']))}: {e['msg']}")
            for e in exc.errors()
        ]
        result.problems.extend(sorted(found, key=lambda p: p.line or 0))
        return None


def _dotted(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item + 1}]"] if parts else [f"[{item + 1}]"]
        else:
            parts.append(str(item))
    return ".".join(parts) or "file"


def _load_catalogue(path: Path, result: LoadResult) -> None:
    from selftrack.protocols.schema import CatalogueModel

    read = _read(path, result)
    if read is None:
        return
    text, data = read
    model = _validate(CatalogueModel, data, text, path, result)
    if model is None:
        return
    found: list[Problem] = []
    for index, spot in enumerate(model.spots):
        if spot.id in result.catalogue:
            where = result.catalogue_sources.get(spot.id, "another catalogue")
            found.append(
                Problem(
                    str(path),
                    locate(text, ("spots", index, "id")),
                    f"spot id {spot.id!r} is already defined in {where}",
                )
            )
            continue
        made = _spot(spot)
        breaches = _anatomy(made, ("spots", index), text, path)
        if breaches:
            found.extend(breaches)
            result.catalogue_refused.setdefault(spot.id, f"{path}:{breaches[0].line}")
            continue
        result.catalogue[spot.id] = made
        result.catalogue_sources[spot.id] = str(path)
        if spot.adapt:
            result.catalogue_adaptations[spot.id] = _adaptations(spot.adapt)
    result.problems.extend(found)


def _load_protocol(path: Path, result: LoadResult, *, builtin: bool = False) -> None:
    from selftrack.protocols.schema import ProtocolModel

    read = _read(path, result)
    if read is None:
        return
    text, data = read
    model = _validate(ProtocolModel, data, text, path, result)
    if model is None:
        return
    problems: list[Problem] = []

    def problem(loc: tuple, message: str) -> None:
        problems.append(Problem(str(path), locate(text, loc), message))

    if model.id in result.specs:
        problem(("id",), f"protocol id {model.id!r} is already used by {result.specs[model.id].source}")
    spots: dict[str, SpotSpec] = {}
    rules: dict[str, tuple[Adaptation, ...]] = {}
    for index, spot in enumerate(model.spots):
        if spot.id in spots or spot.id in result.catalogue:
            problem(("spots", index, "id"), f"spot id {spot.id!r} is defined twice")
        spots[spot.id] = _spot(spot)
        problems.extend(_anatomy(spots[spot.id], ("spots", index), text, path))
        if spot.adapt:
            rules[spot.id] = _adaptations(spot.adapt)
    routes: list[RouteSpec] = []
    route_ids: set[str] = set()
    for index, route in enumerate(model.routes):
        if route.id in route_ids:
            problem(("routes", index, "id"), f"route id {route.id!r} is used twice")
        route_ids.add(route.id)
        if route.along is not None:
            generated = generate_along(route.along)
            along_rules = _adaptations(route.along.adapt)
            ids: list[str] = []
            for n, spot in enumerate(generated, start=1):
                used = route.along.use.get(n)
                if used is not None:
                    where = ("routes", index, "along", "use")
                    named = spots.get(used) or result.catalogue.get(used)
                    if named is None:
                        refused = result.catalogue_refused.get(used)
                        problem(
                            where,
                            f"spot {used!r} cannot be used: its definition breaks the rule on "
                            f"nerves and vessels ({refused})"
                            if refused
                            else f"'use' names an unknown spot id {used!r}",
                        )
                        continue
                    gap = math.dist((named.x, named.y), (spot.x, spot.y))
                    if named.view != spot.view or gap > USE_DISTANCE:
                        problem(
                            where,
                            f"spot {used!r} is {gap:.3f} map units from where spot {n} of "
                            f"this route would be (at most {USE_DISTANCE}, on the same view)",
                        )
                        continue
                    if used not in spots:
                        spots[used] = named
                        if used in result.catalogue_adaptations:
                            rules[used] = result.catalogue_adaptations[used]
                    ids.append(used)
                    continue
                if spot.id in spots or spot.id in result.catalogue:
                    problem(
                        ("routes", index, "along", "id_prefix"),
                        f"generated spot id {spot.id!r} is defined twice",
                    )
                spots[spot.id] = spot
                ids.append(spot.id)
                problems.extend(_anatomy(spot, ("routes", index, "along"), text, path))
                if along_rules:
                    rules[spot.id] = along_rules
            spot_ids = tuple(ids)
        else:
            spot_ids = tuple(route.spots or ())
            for sid in spot_ids:
                if sid in spots:
                    continue
                if sid in result.catalogue:
                    spots[sid] = result.catalogue[sid]
                    if sid in result.catalogue_adaptations:
                        rules[sid] = result.catalogue_adaptations[sid]
                elif sid in result.catalogue_refused:
                    problem(
                        ("routes", index, "spots"),
                        f"spot {sid!r} cannot be used: its definition breaks the rule on "
                        f"nerves and vessels ({result.catalogue_refused[sid]})",
                    )
                else:
                    problem(("routes", index, "spots"), f"unknown spot id {sid!r}")
        routes.append(RouteSpec(route.id, route.name, route.kind, spot_ids, route.note))
    if problems:
        result.problems.extend(problems)
        return
    used = {sid for r in routes for sid in r.spot_ids}
    spec_spots = {sid: spot for sid, spot in spots.items() if sid in used}
    spot_rules = {sid: r for sid, r in rules.items() if sid in used}
    routine_rules = _adaptations(model.adapt)
    result.specs[model.id] = ProtocolSpec(
        id=model.id,
        version=model.version,
        name=model.name,
        summary=model.summary,
        routes=tuple(routes),
        spots=spec_spots,
        about=model.about,
        minutes=model.minutes,
        cautions=tuple(model.cautions),
        source=str(path),
        builtin=builtin,
        content_hash=content_hash(
            model.id, model.version, routes, spec_spots, routine_rules, spot_rules
        ),
        adaptations=routine_rules,
        spot_adaptations=spot_rules,
    )


def content_hash(
    pid: str,
    version: int,
    routes: Sequence[RouteSpec],
    spots: dict,
    adaptations: Sequence[Adaptation] = (),
    spot_adaptations: dict | None = None,
) -> str:
    """A stable hash of what a routine asks the user to do (routes, spots and adapt rules)."""
    payload: dict = {
        "id": pid,
        "version": version,
        "routes": [[r.id, r.name, r.kind, list(r.spot_ids)] for r in routes],
        "spots": {sid: spots[sid].to_dict() for sid in sorted(spots)},
    }
    if adaptations or spot_adaptations:
        payload["adapt"] = [a.to_dict() for a in adaptations]
        payload["spot_adapt"] = {
            sid: [a.to_dict() for a in rules] for sid, rules in sorted((spot_adaptations or {}).items())
        }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _spot(model) -> SpotSpec:
    return SpotSpec(
        id=model.id,
        name=model.name,
        region=model.region,
        x=model.x,
        y=model.y,
        view=model.view,
        muscles=tuple(model.muscles),
        find=model.find,
        feel=model.feel,
        refers=model.refers,
        cautions=tuple(model.cautions),
        tools=tuple(model.tools),
        pressure=model.pressure,
        sided=model.sided,
    )


def _adaptations(models) -> tuple[Adaptation, ...]:
    return tuple(
        Adaptation(
            when=tuple(m.when),
            skip=m.skip,
            remove_tools=tuple(m.remove_tools),
            caution=m.caution,
            pressure=m.pressure,
            find=m.find,
            regions=tuple(getattr(m, "regions", ()) or ()),
        )
        for m in models
    )


def _anatomy(spot: SpotSpec, loc: tuple, text: str, path: Path) -> list[Problem]:
    """Breaches of the rule on nerves and vessels (protocols.anatomy), as problems."""
    from selftrack.protocols.anatomy import rule_breaches

    return [
        Problem(str(path), locate(text, (*loc, field_)), message)
        for field_, message in rule_breaches(spot)
    ]


def generate_along(along) -> list[SpotSpec]:
    """Spots spaced evenly by distance along `along.path`, first and last on its ends."""
    points = [tuple(p) for p in along.path]
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:])]
    total = sum(lengths)
    spots: list[SpotSpec] = []
    for n in range(1, along.count + 1):
        target = total * (n - 1) / (along.count - 1)
        x, y = _point_at(points, lengths, target)
        fill = {"n": n, "count": along.count}
        spots.append(
            SpotSpec(
                id=f"{along.id_prefix}-{n}",
                name=_fill(along.name, fill),
                region=along.region,
                x=round(x, 4),
                y=round(y, 4),
                view=along.view,
                muscles=tuple(along.muscles),
                find=_fill(along.find, fill),
                feel=_fill(along.feel, fill),
                refers=_fill(along.refers, fill),
                cautions=tuple(_fill(c, fill) for c in along.cautions),
                tools=tuple(along.tools),
                pressure=_fill(along.pressure, fill),
                sided=along.sided,
            )
        )
    return spots


def _point_at(points, lengths, target: float) -> tuple[float, float]:
    for (a, b), length in zip(zip(points, points[1:]), lengths):
        if target <= length or length == 0 and target <= 0:
            t = 0.0 if length == 0 else target / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        target -= length
    return points[-1]


def _fill(template: str, values: dict) -> str:
    return template.replace("{n}", str(values["n"])).replace("{count}", str(values["count"]))


def locate(text: str, loc: tuple) -> int:
    """The 1-based line in TOML `text` that holds the value at pydantic `loc`, as near as known."""
    lines = text.splitlines()
    table: tuple = ()
    current: dict[tuple, int] = {}  # an array of tables (path with indices) -> its last index
    positions: dict[tuple, int] = {}
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            parts = header.group(2).split(".")
            array = header.group(1) == "[["
            resolved: list = []
            for position, part in enumerate(parts):
                resolved.append(part)
                key = tuple(resolved)
                if array and position == len(parts) - 1:
                    current[key] = current.get(key, -1) + 1
                    resolved.append(current[key])
                elif key in current:
                    resolved.append(current[key])
            table = tuple(resolved)
            positions.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            positions.setdefault((*table, key.group(1)), number)
    for cut in range(len(loc), 0, -1):
        prefix = tuple(loc[:cut])
        if prefix in positions:
            return positions[prefix]
    return 1  # not found (or an empty file): the problem is with the file as a whole
