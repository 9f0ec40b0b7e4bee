"""A routine as plain text, with a braille body map, for the command line."""

from __future__ import annotations

import textwrap

from selftrack import bodymap
from selftrack.domain.model import ProtocolSpec
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
    out += ["  " + line for line in bodymap.render(marks, 44, 22).lines()]
    if off_map:
        out += ["", "Not on this view:"] + [f"  {line}" for line in off_map]
    return printable("\n".join(out), multiline=True)
