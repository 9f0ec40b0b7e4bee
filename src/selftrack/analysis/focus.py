"""The `focus` routine: built from the user's own recent history, walked like any other.

A spot (on a side) is in when, in the last 14 days, it was rated 4 or more or marked as the
familiar pain; it drops out again when its last 3 ratings were all quiet (below 4 and not
recognised), and it is left out while its latest rating carried the nerve flag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from selftrack.domain.model import ProtocolSpec, RouteSpec, SpotSpec
from selftrack.domain.records import RecentRating
from selftrack.domain.terms import region_name, region_order

FOCUS_ID = "focus"
FOCUS_DAYS = 14
FOCUS_LEVEL = 4
QUIET_SESSIONS = 3
_VIEW_ORDER = ("back", "calf", "front")
FOCUS_RULE = (
    f"The **focus** routine is built each time from your last {FOCUS_DAYS} days: spots rated "
    f"{FOCUS_LEVEL} or more, or marked as your familiar pain; a spot drops out once its last "
    f"{QUIET_SESSIONS} ratings were all below {FOCUS_LEVEL} and not recognised, and while its "
    "latest rating carried the nerve flag. As in every routine, a spot pressed hard (8 or more) "
    "since yesterday rests today."
)


def stands_out(rating: RecentRating) -> bool:
    """Tender (4 or more) or recognised as the familiar pain."""
    return rating.tenderness >= FOCUS_LEVEL or rating.recognised


def pick_focus(
    history: Mapping[tuple[str, str], Sequence[RecentRating]], since: datetime
) -> list[tuple[str, str]]:
    """The (spot, side) pairs that belong in the focus routine.

    `history` gives each pair's latest non-skipped ratings, newest first (at least the last
    3, plus every one since `since`).
    """
    chosen: list[tuple[str, str]] = []
    for pair, ratings in history.items():
        if not ratings or ratings[0].nerve:
            continue
        if not any(stands_out(r) for r in ratings if r.moment >= since):
            continue
        last = ratings[:QUIET_SESSIONS]
        if len(last) == QUIET_SESSIONS and not any(stands_out(r) for r in last):
            continue
        chosen.append(pair)
    return sorted(chosen)


def build_focus_spec(
    pairs: Sequence[tuple[str, str]], spots: Mapping[str, SpotSpec]
) -> ProtocolSpec | None:
    """A ProtocolSpec with one route per region holding the chosen spots in body order.

    Sessions cover the sides the user picks; the summary names the sides that stood out.
    """
    chosen = {spot_id for spot_id, _side in pairs if spot_id in spots}
    if not chosen:
        return None
    sides: dict[str, set[str]] = {}
    for spot_id, side in pairs:
        sides.setdefault(spot_id, set()).add(side)
    by_region: dict[str, list[SpotSpec]] = {}
    for spot_id in chosen:
        by_region.setdefault(spots[spot_id].region, []).append(spots[spot_id])
    order = region_order(by_region)
    routes = []
    for region in order:
        members = sorted(
            by_region[region],
            key=lambda s: (_view_rank(s.view), s.y, abs(s.x), s.id),
        )
        routes.append(
            RouteSpec(
                id=f"focus-{region}",
                name=f"{region_name(region)}: spots that stood out",
                kind="set",
                spot_ids=tuple(s.id for s in members),
            )
        )
    used = {spot_id: spots[spot_id] for spot_id in sorted(chosen)}
    lines = [
        f"{spots[spot_id].name}: {', '.join(sorted(sides[spot_id]))}" for spot_id in sorted(chosen)
    ]
    digest = hashlib.sha256(
        "\n".join(f"{s.digest}:{','.join(sorted(sides[s.id]))}" for s in used.values()).encode()
    ).hexdigest()
    return ProtocolSpec(
        id=FOCUS_ID,
        version=1,
        name="Focus",
        summary=(
            f"{len(used)} spots that were tender ({FOCUS_LEVEL}+) or felt familiar "
            f"in the last {FOCUS_DAYS} days"
        ),
        routes=tuple(routes),
        spots=used,
        about=(
            "Built from your own history each time it is opened. Spots drop out once their "
            f"last {QUIET_SESSIONS} ratings are all below {FOCUS_LEVEL}. Where they stood "
            "out — " + "; ".join(lines) + "."
        ),
        source="built from your history",
        content_hash=digest,
    )


def _view_rank(view: str) -> int:
    return _VIEW_ORDER.index(view) if view in _VIEW_ORDER else len(_VIEW_ORDER)
