"""Conditions adapt the built-in routines: what is left out, which tools go, what is said."""

from __future__ import annotations

import re

import pytest

from selftrack import bodymap
from selftrack.domain.conditions import (
    ASKED_CONDITIONS,
    CONDITION_IDS,
    Adaptation,
    ConditionProfile,
    adapt_protocol,
)
from selftrack.paths import builtin_protocols_dir
from selftrack.protocols import load_protocols

HEAVY = set(bodymap.BODY_WEIGHT_TOOLS)
BELLY = {"psoas", "iliacus", "rectus-abdominis"}
LYING_ON_THE_BACK = re.compile(
    r"(lie|lying) (flat )?on your back|ball under (you\b|the (outer )?buttock|your back)", re.IGNORECASE
)


@pytest.fixture(scope="module")
def specs():
    result = load_protocols([builtin_protocols_dir()])
    assert result.problems == []
    return result.specs


def tools_offered(spec) -> set[str]:
    return {t for spot in spec.spots.values() for t in spot.tools}


def test_condition_ids_and_names():
    assert {"blood-thinners", "osteoporosis", "pregnancy", "pregnancy-after-20-weeks",
            "reduced-sensation", "implanted-device", "recent-spine-surgery", "recent-hip-surgery",
            "hip-replacement", "recent-injection"} == set(CONDITION_IDS)
    assert "pregnancy-after-20-weeks" not in {c.id for c in ASKED_CONDITIONS}, "derived, not asked"
    assert all(c.name and c.why for c in ASKED_CONDITIONS)


def test_pregnancy_after_20_weeks_is_derived():
    assert "pregnancy-after-20-weeks" in ConditionProfile.of(pregnancy_weeks=24).active()
    assert "pregnancy-after-20-weeks" in ConditionProfile.of(pregnancy_weeks=20).active()
    early = ConditionProfile.of(pregnancy_weeks=12).active()
    assert "pregnancy" in early and "pregnancy-after-20-weeks" not in early
    assert "pregnancy-after-20-weeks" in ConditionProfile.of("pregnancy").active(), "weeks unknown: cautious"
    with pytest.raises(ValueError):
        ConditionProfile.of("diabetes")


def test_no_conditions_change_nothing(specs):
    for spec in specs.values():
        assert spec.adapted(ConditionProfile()) is spec
    assert specs["low-back-lines"].adapted(["hip-replacement"]) is specs["low-back-lines"], "no rule for it"


def test_blood_thinners_walk_no_belly_spot_and_no_body_weight(specs):
    for pid in ("glute-arcs", "deep-and-distant", "low-back-lines", "perfect-spots", "quick-check"):
        adapted = adapt_protocol(specs[pid], ConditionProfile.of("blood-thinners"))
        spec = adapted.spec
        steps = spec.steps("both")
        assert steps, pid
        assert not BELLY & {s.spot_id for s in steps}, pid
        assert not HEAVY & tools_offered(spec), pid
        assert any(c.startswith("Blood thinners") for c in spec.cautions), pid
    deep = adapt_protocol(specs["deep-and-distant"], ["blood-thinners"])
    assert set(deep.skipped_spots) == BELLY
    assert all("blood thinners" in why for why in deep.skipped_spots.values())
    assert "front" not in {r.id for r in deep.spec.routes}, "an emptied route is dropped"


def test_osteoporosis_takes_body_weight_off_spine_ribs_and_sacrum(specs):
    spine_ribs_sacrum = {"thoracolumbar-corner", "l5-paraspinal", "sacrum-edge", "tailbone-edge",
                         "glute-lower-arc-1", "gluteus-maximus-spot"}
    for pid, spec in specs.items():
        adapted = spec.adapted(["osteoporosis"])
        for sid, spot in adapted.spots.items():
            if spot.region == "low-back" or sid in spine_ribs_sacrum:
                assert not HEAVY & set(spot.tools), f"{pid} {sid}"
                assert spot.tools, f"{pid} {sid} still has a tool"
    corner = specs["perfect-spots"].adapted(["osteoporosis"]).spots["thoracolumbar-corner"]
    assert corner.cautions[0].startswith("Osteoporosis") and "wall" not in corner.pressure
    lines = specs["low-back-lines"].adapted(["osteoporosis"])
    tops = [lines.spots[lines.route(f"line-{n}").spot_ids[0]] for n in (4, 5)]
    assert all(not HEAVY & set(s.tools) for s in tops), "the top of lines 4-5 lies on the floating ribs"
    assert "ball" in specs["glute-arcs"].adapted(["osteoporosis"]).spots["glute-arc2-3"].tools, "the buttock keeps its ball"


def test_pregnancy_after_20_weeks_offers_no_lying_on_the_back(specs):
    late = ConditionProfile.of(pregnancy_weeks=28)
    for pid, spec in specs.items():
        adapted = spec.adapted(late)
        assert not BELLY & set(adapted.spots), pid
        for sid, spot in adapted.spots.items():
            for text in (spot.pressure, spot.find):
                assert not LYING_ON_THE_BACK.search(text), f"{pid} {sid}: {text}"
        assert any("do not lie flat on your back" in c for c in adapted.cautions), pid
    calf = specs["deep-and-distant"].adapted(late).spots["soleus"]
    assert "blood clots" in calf.cautions[0]
    early = specs["deep-and-distant"].adapted(ConditionProfile.of(pregnancy_weeks=12))
    assert early.spots["piriformis"].pressure == specs["deep-and-distant"].spots["piriformis"].pressure
    assert "lie on your back" in early.spots["piriformis"].pressure, "before 20 weeks it may stay"
    assert not BELLY & set(early.spots), "no belly spots at any stage"


def test_reduced_sensation_means_light_and_short(specs):
    for pid, spec in specs.items():
        adapted = spec.adapted(["reduced-sensation"])
        assert "elbow" not in tools_offered(adapted), pid
        assert any("light pressure only" in c and "10 to 15 seconds" in c for c in adapted.cautions), pid


def test_an_implant_leaves_out_the_belly_the_spine_and_the_sacrum(specs):
    near_leads = {"l5-paraspinal", "sacrum-edge", "tailbone-edge", "glute-lower-arc-1"}
    for pid, spec in specs.items():
        adapted = spec.adapted(["implanted-device"])
        kept = set(adapted.spots)
        assert not (BELLY | near_leads) & kept, pid
        assert not any(s.startswith(("low-back-line1-", "low-back-line2-")) for s in kept), pid
        assert any("Implanted stimulator or pump" in c for c in adapted.cautions), pid


def test_surgery_and_injections_leave_out_the_region_or_the_routine(specs):
    spine = {pid: adapt_protocol(spec, ["recent-spine-surgery"]) for pid, spec in specs.items()}
    assert spine["low-back-lines"].routine_skipped and not spine["low-back-lines"].walkable
    assert not spine["low-back-lines"].spec.steps("both")
    for pid in ("perfect-spots", "quick-check", "deep-and-distant"):
        assert all(s.region != "low-back" for s in spine[pid].spec.spots.values()), pid
        assert spine[pid].walkable, pid
    assert any("surgeon" in c for c in spine["glute-arcs"].spec.cautions)
    for condition in ("recent-hip-surgery", "hip-replacement"):
        hip = {pid: adapt_protocol(spec, [condition]) for pid, spec in specs.items()}
        assert hip["glute-arcs"].routine_skipped and "surgeon" in hip["glute-arcs"].routine_skipped[0]
        for pid in ("perfect-spots", "quick-check", "deep-and-distant"):
            regions = {s.region for s in hip[pid].spec.spots.values()}
            assert not regions & {"buttock", "side-of-hip"}, pid
        assert "iliacus" not in hip["deep-and-distant"].spec.spots
        assert hip["low-back-lines"].walkable
    for pid, spec in specs.items():
        injected = adapt_protocol(spec, ["recent-injection"])
        assert not injected.walkable and "clinician who gave it" in injected.routine_skipped[0], pid
        assert injected.spec.cautions[0] == injected.routine_skipped[0]


def test_adapting_is_pure_and_changes_the_content_hash(specs):
    spec = specs["glute-arcs"]
    before = dict(spec.spots)
    adapted = spec.adapted(["blood-thinners"])
    assert spec.spots == before and "ball" in spec.spots["glute-arc2-3"].tools
    assert adapted.content_hash != spec.content_hash and len(adapted.content_hash) == 16
    assert adapted.version == spec.version and adapted.id == spec.id
    assert adapted.adaptations == () and adapted.spot_adaptations == {}
    assert adapted.adapted(["blood-thinners"]) is adapted, "applied once"


def test_rules_combine_skip_wins_tools_add_up_last_text_wins():
    from selftrack.domain.model import ProtocolSpec, RouteSpec, SpotSpec

    a = SpotSpec("a", "A", "buttock", 0.4, 0.5, tools=("ball", "elbow", "hands"), pressure="p", cautions=("c",))
    b = SpotSpec("b", "B", "low-back", 0.2, 0.2, tools=("ball",))
    spec = ProtocolSpec(
        "t", 1, "T", "s", (RouteSpec("r", "R", "set", ("a", "b")),), {"a": a, "b": b},
        content_hash="h",
        adaptations=(Adaptation(("osteoporosis",), remove_tools=("ball",), regions=("low-back",)),),
        spot_adaptations={
            "a": (
                Adaptation(("osteoporosis",), remove_tools=("elbow",), caution="one", pressure="first"),
                Adaptation(("osteoporosis",), remove_tools=("ball",), caution="two", pressure="second"),
            )
        },
    )
    result = adapt_protocol(spec, ["osteoporosis"])
    assert result.spec.spots["a"].tools == ("hands",)
    assert result.spec.spots["a"].cautions == ("one", "two", "c")
    assert result.spec.spots["a"].pressure == "second"
    assert "b" not in result.spec.spots and "none of this spot's tools" in result.skipped_spots["b"].lower()
    assert [s.spot_id for s in result.spec.steps("left")] == ["a"]


def test_a_session_stores_the_adapted_definitions_and_old_sessions_keep_theirs(tmp_path, clock):
    from selftrack.tracker import Tracker

    folder = tmp_path / "mine"
    folder.mkdir()
    builtin = builtin_protocols_dir()
    old = (builtin / "glute-arcs.protocol.toml").read_text().replace('id = "glute-arcs"', 'id = "my-arcs"')
    (folder / "my-arcs.protocol.toml").write_text(old)
    database = f"sqlite:///{tmp_path / 'd.db'}"
    with Tracker(database, protocols_dir=folder, clock=clock) as t:
        spec = t.protocol("my-arcs")
        adapted = t.start_session(spec.adapted(["blood-thinners"]), "right")
        plain = t.start_session(spec, "right")
    changed = old.replace("version = 2", "version = 3").replace("x = 0.47\n", "x = 0.48\n")
    (folder / "my-arcs.protocol.toml").write_text(changed)
    with Tracker(database, protocols_dir=folder, clock=clock) as t:
        assert t.protocol("my-arcs").spots["glute-arc2-4"].x == 0.48
        kept = t.session(plain.id)
        light = t.session(adapted.id)
    assert kept.protocol_version == 2 and kept.spots["glute-arc2-4"].x == 0.47
    assert "ball" in kept.spots["glute-arc2-4"].tools
    assert "ball" not in light.spots["glute-arc2-4"].tools
    assert light.protocol_hash != kept.protocol_hash
