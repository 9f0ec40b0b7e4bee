"""A routine as plain text, with a braille body map, for the command line."""

from __future__ import annotations

import textwrap

from selftrack import bodymap
from selftrack.domain.model import ALTERNATING, ProtocolSpec
from selftrack.domain.text import printable

_LABELS = "123456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


def protocol_text(spec: ProtocolSpec, width: int = 88) -> str:
    """A routine as text: header, routes with their spots, and a body map with route labels."""
    out: list[str] = [f"{spec.name}  ({spec.id}, version {spec.version})", spec.summary]
    if spec.minutes:
        out.append(f"About {spec.minutes} minutes for both sides; {spec.spot_count} spots.")
    for paragraph in spec.about.split("\n\n"):
        if paragraph.strip():
            out += ["", *textwrap.wrap(" ".join(paragraph.split()), width)]
    for caution in spec.cautions:
        out += textwrap.wrap(f"! {caution}", width, subsequent_indent="  ")
    marks: list[bodymap.Mark] = []
    off_map: list[str] = []
    for number, route in enumerate(spec.routes):
        label = _LABELS[number % len(_LABELS)]
        out += ["", f"[{label}] {route.name} ({route.kind}, {len(route.spot_ids)} spots)"]
        if route.note:
            out += textwrap.wrap(route.note, width, initial_indent="    ", subsequent_indent="    ")
        for spot_id in route.spot_ids:
            spot = spec.spots[spot_id]
            muscles = f" — {', '.join(spot.muscles)}" if spot.muscles else ""
            out.append(f"    {spot.id:<28} {spot.name}{muscles}")
            if spot.view != "back":
                off_map.append(f"[{label}] {spot.name} ({spot.view} view)")
                continue
            sides = ("left", "right") if spot.sided else ("mid",)
            marks += [bodymap.Mark(*spot.position(side), label) for side in sides]
    out += ["", "Body map, seen from behind (your left on the left):", ""]
    out += ["  " + line for line in bodymap.render(marks, 66, 33).lines()]
    out += textwrap.wrap(
        f"Dotted lines: {bodymap.STRUCTURE_LEGEND['back']}. No ball, roller or elbow on them.",
        width,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    if off_map:
        out += ["", "Not on this view:"] + [f"  {line}" for line in off_map]
    return printable("\n".join(out), multiline=True)


def protocol_walk(spec: ProtocolSpec, sides: str = "both") -> dict:
    """A routine as data for tooling: every step route by route, with where it is.

    The steps keep the order this output always had (each route on the left, then on the
    right: model.ALTERNATING), whatever order a new session walks in.

    Positions are on the step's side (left mirrored to negative x); `nearest` is the nearest
    nerve or vessel of the step's view and its distance in map units, or null.
    """
    steps = []
    for step in spec.steps(sides, ALTERNATING):
        spot = spec.spots[step.spot_id]
        x, y = spot.position(step.side)
        near = bodymap.nearest_structure(x, y, spot.view, step.side)
        steps.append(
            {
                "index": step.index,
                "route": step.route_id,
                "spot": spot.id,
                "name": spot.name,
                "region": spot.region,
                "view": spot.view,
                "side": step.side,
                "x": round(x, 4),
                "y": round(y, 4),
                "tools": list(spot.tools),
                "cautions": list(spot.cautions),
                "nearest": None
                if near is None
                else {"structure": near[0].id, "distance": round(near[1], 4)},
            }
        )
    return {
        "id": spec.id,
        "version": spec.version,
        "name": spec.name,
        "content_hash": spec.content_hash,
        "sides": sides,
        "cautions": list(spec.cautions),
        "routes": [{"id": r.id, "name": r.name, "kind": r.kind} for r in spec.routes],
        "steps": steps,
    }
