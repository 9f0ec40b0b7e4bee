"""Nerves and vessels as data, the rule the loader enforces, and the built-in spots against it.

Every step of every built-in routine is loaded through the real loader, placed on its side,
and measured to every structure of its view.
"""

from __future__ import annotations

import math

import pytest

from selftrack import bodymap
from selftrack.paths import builtin_protocols_dir
from selftrack.protocols import load_protocols
from selftrack.protocols.anatomy import nearby_structures, rule_breaches
from selftrack.domain.model import SpotSpec

BUILTIN_IDS = {"low-back-lines", "glute-arcs", "perfect-spots", "deep-and-distant", "quick-check"}
HEAVY = set(bodymap.BODY_WEIGHT_TOOLS)
# The built-ins are stricter than the loader's rule: within this of a nerve, hands, a cane or
# a partner only, light, for no more than 10 seconds (docs/protocol-format.md).
BUILTIN_LIGHT_DISTANCE = 0.10


@pytest.fixture(scope="module")
def loaded():
    result = load_protocols([builtin_protocols_dir()])
    assert [str(p) for p in result.problems] == []
    assert set(result.specs) == BUILTIN_IDS
    return result


def walked(loaded):
    """(protocol id, step, spot, x, y on the step's side) for every step, both sides."""
    for pid in sorted(BUILTIN_IDS):
        spec = loaded.specs[pid]
        for step in spec.steps("both"):
            spot = spec.spots[step.spot_id]
            yield pid, step, spot, *spot.position(step.side)


# ---------------------------------------------------------------- the structures as data


def test_structures_are_where_the_review_puts_them():
    by_id = {s.id: s for s in bodymap.STRUCTURES}
    assert {"sciatic-nerve", "sciatic-notch", "pudendal-nerve", "lateral-femoral-cutaneous-nerve",
            "femoral-triangle", "aorta"} <= set(by_id)
    sciatic = by_id["sciatic-nerve"]
    assert sciatic.view == "back" and sciatic.kind == "nerve"
    assert sciatic.points[:3] == ((0.26, 0.72), (0.38, 0.87), (0.35, 1.60))
    assert by_id["sciatic-notch"].points[-1] == sciatic.points[0], "the notch is the top of the course"
    assert by_id["pudendal-nerve"].distance(0.15, 0.92) < 0.03, "inner face of the sitting bone"
    lfcn = by_id["lateral-femoral-cutaneous-nerve"]
    assert lfcn.view == "front" and math.dist(lfcn.points[0], (0.45, 0.65)) < 0.07, "just inside the ASIS"
    aorta = by_id["aorta"]
    assert aorta.kind == "vessel" and aorta.distance(0.0, 0.45) < 0.01, "down the midline past the navel"
    assert aorta.distance(0.12, 0.65) < 0.02, "an iliac artery below the navel"
    assert by_id["femoral-triangle"].points[0][1] > 0.8, "below the groin crease"
    for structure in bodymap.STRUCTURES:
        assert structure.words and structure.view in {"back", "front"}
        assert structure.kind in {"nerve", "vessel"}


def test_left_side_is_the_mirror_image():
    sciatic = next(s for s in bodymap.STRUCTURES if s.id == "sciatic-nerve")
    assert sciatic.polyline("left")[0] == (-0.26, 0.72)
    right = bodymap.distance_to(sciatic, 0.30, 0.70, "right")
    left = bodymap.distance_to(sciatic, -0.30, 0.70, "left")
    assert right == pytest.approx(left)
    assert bodymap.distance_to(sciatic, -0.30, 0.70, "right") > 0.5, "the other side is far away"
    assert bodymap.distance_to(sciatic, 0.0, 0.70, "mid") == pytest.approx(sciatic.distance(0.0, 0.70))


def test_point_to_polyline_distance():
    line = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0))
    assert bodymap.polyline_distance(line, 0.5, 0.2) == pytest.approx(0.2)  # to the middle
    assert bodymap.polyline_distance(line, -0.3, -0.4) == pytest.approx(0.5)  # past an end
    assert bodymap.polyline_distance(line, 1.2, 0.5) == pytest.approx(0.2)  # second segment
    assert bodymap.polyline_distance(((0.3, 0.4),), 0.0, 0.0) == pytest.approx(0.5)  # a point


def test_nearest_structure():
    near = bodymap.nearest_structure(0.30, 0.78)
    assert near is not None and near[0].id == "sciatic-nerve" and near[1] < 0.02
    near = bodymap.nearest_structure(-0.15, 0.92, "back", "left")
    assert near[0].id == "pudendal-nerve"
    assert bodymap.nearest_structure(0.1, 0.5, "front")[0].id == "aorta"
    assert bodymap.nearest_structure(0.3, 0.5, "calf") is None


# ---------------------------------------------------------------- the rule itself


def spot(**values) -> SpotSpec:
    base = dict(id="s", name="S", region="buttock", x=0.30, y=0.78, tools=("hands",))
    return SpotSpec(**{**base, **values})


def test_rule_on_a_nerve():
    # (0.30, 0.78) is on the course and near where the nerve leaves the pelvis: both are named
    assert {f for f, _ in rule_breaches(spot(tools=("ball", "hands")))} == {"tools", "cautions"}
    fine = spot(tools=("hands", "partner"), cautions=("Light: the sciatic nerve runs here.",))
    assert rule_breaches(fine) == []
    breaches = rule_breaches(spot(tools=("elbow",), cautions=("Sciatic Nerve below.",)))
    assert {f for f, _ in breaches} == {"tools"}
    assert "elbow" in breaches[0][1] and "sciatic nerve" in breaches[0][1]


def test_rule_between_006_and_012_needs_only_the_caution():
    sciatic = next(s for s in bodymap.STRUCTURES if s.id == "sciatic-nerve")
    x = 0.38 + 0.09  # 0.09 outside the course at the level of (0.38, 0.87)
    assert 0.06 < sciatic.distance(x, 0.87) <= 0.12
    assert [f for f, _ in rule_breaches(spot(x=x, y=0.87, tools=("ball",)))] == ["cautions"]
    assert rule_breaches(spot(x=0.62, y=0.55, tools=("ball",))) == [], "far from every structure"


def test_rule_is_measured_on_the_spots_own_view():
    # (0.0, 0.3) on the front view is on the aorta; on the back view it is on the spine, no nerve
    assert rule_breaches(spot(x=0.0, y=0.3, view="back", tools=("ball",))) == []
    front = rule_breaches(spot(x=0.0, y=0.3, view="front", region="front", tools=("ball",)))
    assert [f for f, _ in front] == ["tools", "cautions"] and "aorta" in front[0][1]
    assert rule_breaches(spot(x=0.28, y=0.5, view="calf", region="calf", tools=("ball",))) == []


def test_vessels_get_the_same_rule():
    breaches = rule_breaches(spot(view="front", region="front", x=0.21, y=1.05, tools=("roller",)))
    assert [f for f, _ in breaches] == ["tools", "cautions"] and "femoral" in breaches[0][1]
    named = spot(view="front", region="front", x=0.21, y=1.05, cautions=("The femoral artery lies here.",))
    assert rule_breaches(named) == []


def test_an_unsided_spot_is_measured_to_both_sides():
    sided = spot(x=0.30, y=0.78, tools=("ball",))
    mid = spot(x=-0.30, y=0.78, sided=False, tools=("ball",))
    assert rule_breaches(sided) and rule_breaches(mid)


# ---------------------------------------------------------------- the built-in routines


def test_every_builtin_step_keeps_the_rule(loaded):
    """For every step of every built-in routine, the distance to every structure of its view."""
    checked = 0
    for pid, step, spot_, x, y in walked(loaded):
        for structure in bodymap.structures_in(spot_.view):
            distance = bodymap.distance_to(structure, x, y, step.side)
            checked += 1
            where = f"{pid} {step.spot_id} ({step.side}) is {distance:.3f} from the {structure.name}"
            if distance <= bodymap.BODY_WEIGHT_DISTANCE:
                assert not HEAVY & set(spot_.tools), where
            if distance <= bodymap.CAUTION_DISTANCE:
                assert any(structure.named_in(c) for c in spot_.cautions), where
            if structure.kind == "nerve" and distance <= BUILTIN_LIGHT_DISTANCE:
                assert not HEAVY & set(spot_.tools), f"{where}: built-ins offer no body weight here"
                said = " ".join([spot_.pressure, *spot_.cautions])
                assert "light" in said.lower() and "10 seconds" in said, where
    assert checked > 400


def test_the_dangerous_spots_of_the_review_are_off_the_nerve(loaded):
    spots = loaded.specs["glute-arcs"].spots
    sciatic = [s for s in bodymap.STRUCTURES if s.id in ("sciatic-nerve", "sciatic-notch")]

    def to_nerve(spot_id: str) -> float:
        spot_ = spots[spot_id]
        return min(s.distance(spot_.x, spot_.y) for s in sciatic)

    # arc 4 spots 2-5 were 0.05, 0.006, 0.026 and 0.07 from the nerve, offering a ball
    for sid in ("glute-lower-arc-2", "glute-lower-arc-3", "glute-lower-arc-4", "glute-lower-arc-5"):
        assert to_nerve(sid) >= 0.07, sid
    for sid in ("glute-lower-arc-2", "glute-lower-arc-3", "glute-arc3-2", "glute-arc3-3"):
        assert set(spots[sid].tools) <= {"hands", "partner"}, sid
    arc4 = loaded.specs["glute-arcs"].route("arc-4").spot_ids
    a, b = spots[arc4[1]], spots[arc4[2]]
    assert a.x < 0.26 < b.x, "arc 4 crosses the nerve between its spots 2 and 3, with no spot on it"
    assert to_nerve("piriformis") >= 0.15, "the outer end of the piriformis"
    quick = loaded.specs["quick-check"]
    for sid, spot_ in quick.spots.items():
        assert not nearby_structures(spot_), f"quick-check {sid} is near a nerve"


def test_distance_table_of_the_glute_arcs(loaded):
    """The table in the docs: each glute-arc step (right side) to the nearest nerve."""
    spec = loaded.specs["glute-arcs"]
    rows = []
    for step in spec.steps("right"):
        spot_ = spec.spots[step.spot_id]
        structure, distance = bodymap.nearest_structure(spot_.x, spot_.y)
        rows.append((step.spot_id, distance, structure.id))
    nearest = min(rows, key=lambda r: r[1])
    assert nearest[1] > bodymap.BODY_WEIGHT_DISTANCE
    assert len(rows) == len({r[0] for r in rows}) == 24


# ---------------------------------------------------------------- drawing them


def test_the_map_draws_the_structures_faintly_and_marks_hide_them():
    plain = bodymap.render([], 44, 22, structures=False)
    drawn = bodymap.render([], 44, 22)
    assert all(k is None for row in plain.keys for k in row)
    cells = [(c, r) for r, row in enumerate(drawn.keys) for c, k in enumerate(row) if k == bodymap.STRUCTURE_KEY]
    assert len(cells) > 20
    col, row = drawn.cell_of(0.38, 0.87)
    assert drawn.keys[row][col] == bodymap.STRUCTURE_KEY
    marked = bodymap.render([bodymap.Mark(0.38, 0.87, "●", "current")], 44, 22)
    assert marked.chars[row][col] == "●" and marked.keys[row][col] == "current"
    assert drawn.chars != plain.chars


def test_the_structures_are_drawn_once_per_size():
    bodymap._base_cells.cache_clear()
    bodymap.render([], 46, 24)
    bodymap.render([bodymap.Mark(0.1, 0.1)], 46, 24)
    info = bodymap._base_cells.cache_info()
    assert info.misses == 1 and info.hits == 1
