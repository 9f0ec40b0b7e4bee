"""A cache of parsed protocol files, valid while every file keeps its size and mtime."""

from __future__ import annotations

import json
import os
from pathlib import Path

from selftrack.domain.conditions import Adaptation
from selftrack.domain.model import ProtocolSpec, RouteSpec, SpotSpec
from selftrack.paths import make_private_dir, private_temp
from selftrack.protocols.loader import LoadResult, Problem

FORMAT = 3  # raise whenever what is cached changes


def _stamp() -> str:
    """The cache format and the program version: a new selftrack never trusts an old cache."""
    from selftrack import __version__

    return f"{FORMAT}/{__version__}"


def fingerprint(files: list[Path]) -> list[list]:
    """Each file's path, size and modification time, in load order."""
    out = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        out.append([str(path), info.st_size, info.st_mtime_ns])
    return out


def read(cache: Path, expected: list[list]) -> LoadResult | None:
    """The cached result, or None when it is missing, unreadable or out of date."""
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("format") != _stamp() or data.get("fingerprint") != expected:
            return None
        return LoadResult(
            specs={s["id"]: _spec(s) for s in data["specs"]},
            catalogue={k: SpotSpec.from_dict(v) for k, v in data["catalogue"].items()},
            problems=[Problem(*p) for p in data["problems"]],
            catalogue_adaptations={
                k: tuple(Adaptation.from_dict(a) for a in v)
                for k, v in data["catalogue_adaptations"].items()
            },
            catalogue_sources=dict(data["catalogue_sources"]),
            catalogue_refused=dict(data["catalogue_refused"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(cache: Path, fingerprint_: list[list], result: LoadResult) -> None:
    """Store `result`; a cache that cannot be written is simply skipped."""
    data = {
        "format": _stamp(),
        "fingerprint": fingerprint_,
        "specs": [_spec_dict(s) for s in result.specs.values()],
        "catalogue": {k: v.to_dict() for k, v in result.catalogue.items()},
        "problems": [[p.path, p.line, p.message] for p in result.problems],
        "catalogue_adaptations": {
            k: [a.to_dict() for a in v] for k, v in result.catalogue_adaptations.items()
        },
        "catalogue_sources": result.catalogue_sources,
        "catalogue_refused": result.catalogue_refused,
    }
    try:
        make_private_dir(cache.parent)
        handle, partial = private_temp(cache.parent, cache.name)  # names the user's files
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(data))
        os.replace(partial, cache)
    except OSError:
        pass
    finally:
        partial.unlink(missing_ok=True)


def _spec_dict(spec: ProtocolSpec) -> dict:
    return {
        "id": spec.id,
        "version": spec.version,
        "name": spec.name,
        "summary": spec.summary,
        "routes": [[r.id, r.name, r.kind, list(r.spot_ids), r.note] for r in spec.routes],
        "spots": {k: v.to_dict() for k, v in spec.spots.items()},
        "about": spec.about,
        "minutes": spec.minutes,
        "cautions": list(spec.cautions),
        "source": spec.source,
        "builtin": spec.builtin,
        "content_hash": spec.content_hash,
        "adapt": [a.to_dict() for a in spec.adaptations],
        "spot_adapt": {k: [a.to_dict() for a in v] for k, v in spec.spot_adaptations.items()},
    }


def _spec(data: dict) -> ProtocolSpec:
    return ProtocolSpec(
        id=data["id"],
        version=data["version"],
        name=data["name"],
        summary=data["summary"],
        routes=tuple(RouteSpec(i, n, k, tuple(s), note) for i, n, k, s, note in data["routes"]),
        spots={k: SpotSpec.from_dict(v) for k, v in data["spots"].items()},
        about=data["about"],
        minutes=data["minutes"],
        cautions=tuple(data["cautions"]),
        source=data["source"],
        builtin=data["builtin"],
        content_hash=data["content_hash"],
        adaptations=tuple(Adaptation.from_dict(a) for a in data["adapt"]),
        spot_adaptations={
            k: tuple(Adaptation.from_dict(a) for a in v) for k, v in data["spot_adapt"].items()
        },
    )
