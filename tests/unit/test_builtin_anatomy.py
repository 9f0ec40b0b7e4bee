"""Anatomy of the built-in protocols: every spot sits where the body map says it should.

The files are read with tomllib and `along` routes are generated here (evenly by distance
along the path, first spot on the first point, last on the last; `use` puts a named spot in
place of a generated one), so these checks do not depend on the loader. One test at the end
also runs the real loader and compares. The rule on nerves and vessels is checked through the
real loader in test_nerve_rule.py.

Body-map frame (back view, person's right side): x = 0 on the spine, y = 0 at the lowest
ribs, y = 1 at the buttock fold. Landmarks: iliac crest top y ~ 0.38; low-back dimple
(PSIS) (0.12, 0.50); tailbone (0, 0.80); greater trochanter (0.62, 0.78); sitting bone
(0.20, 0.95); mid-thigh y ~ 1.6.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"

CREST_Y = 0.38
PSIS = (0.12, 0.50)
TROCHANTER = (0.62, 0.78)
TROCHANTER_TOP = (0.61, 0.71)
SITTING_BONE = (0.20, 0.95)
# the rim of the pelvis as drawn on the map (bodymap outline), right side
RIM = ((0.16, 0.43), (0.28, 0.38), (0.40, 0.37), (0.50, 0.40))


def rim_y(x: float) -> float:
    for (x0, y0), (x1, y1) in zip(RIM, RIM[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise ValueError(x)

REGIONS = {"low-back", "buttock", "side-of-hip", "thigh", "calf", "front"}
VIEWS = {"back", "front", "calf"}
TOOLS = {"ball", "cane", "roller", "hands", "elbow", "partner"}
DESCRIPTIVE = ("muscles", "find", "feel", "refers", "cautions", "tools", "pressure")
BUILTIN_IDS = {"low-back-lines", "glute-arcs", "perfect-spots", "deep-and-distant", "quick-check"}


# ---------------------------------------------------------------- reading the files


def generate(along: dict, catalogue: dict | None = None) -> list[dict]:
    """Spots evenly spaced by distance along `along["path"]`, as the format describes."""
    points = [tuple(p) for p in along["path"]]
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:])]
    total = sum(lengths)
    count = along["count"]
    fields = {k: v for k, v in along.items() if k not in ("path", "count", "id_prefix", "use", "adapt")}
    use = {int(k): v for k, v in along.get("use", {}).items()}
    spots = []
    for n in range(1, count + 1):
        left = total * (n - 1) / (count - 1)
        x, y = points[-1]
        for (a, b), length in zip(zip(points, points[1:]), lengths):
            if left <= length:
                t = left / length if length else 0.0
                x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
                break
            left -= length
        spot = {
            key: (
                value.replace("{n}", str(n)).replace("{count}", str(count))
                if isinstance(value, str)
                else value
            )
            for key, value in fields.items()
        }
        spot.update(id=f"{along['id_prefix']}-{n}", x=x, y=y)
        spot.setdefault("view", "back")
        if n in use:
            named = (catalogue or {})[use[n]]
            assert math.dist((named["x"], named["y"]), (x, y)) <= 0.05, f"{use[n]} is not where spot {n} is"
            spot = named
        spots.append(spot)
    return spots


class Builtins:
    """Parsed catalogue spots and protocols, with routes resolved to spot dicts."""

    def __init__(self) -> None:
        self.catalogue: dict[str, dict] = {}
        self.catalogue_files = sorted(PROTOCOLS.glob("*.spots.toml"))
        for path in self.catalogue_files:
            for spot in tomllib.loads(path.read_text(encoding="utf-8"))["spots"]:
                assert spot["id"] not in self.catalogue, f"{spot['id']} defined twice"
                self.catalogue[spot["id"]] = spot
        self.protocols: dict[str, dict] = {}
        for path in sorted(PROTOCOLS.glob("*.protocol.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            local = {s["id"]: s for s in data.get("spots", [])}
            routes = []
            for route in data["routes"]:
                if "along" in route:
                    spots = generate(route["along"], self.catalogue)
                else:
                    spots = [local.get(sid) or self.catalogue[sid] for sid in route["spots"]]
                routes.append({**route, "resolved": spots})
            data["resolved_routes"] = routes
            self.protocols[data["id"]] = data

    def routes(self, pid: str, kind: str | None = None) -> list[dict]:
        return [r for r in self.protocols[pid]["resolved_routes"] if kind in (None, r["kind"])]

    def spots(self, pid: str) -> list[dict]:
        seen: dict[str, dict] = {}
        for route in self.routes(pid):
            for spot in route["resolved"]:
                seen.setdefault(spot["id"], spot)
        return list(seen.values())

    def all_spots(self) -> list[dict]:
        found = {s["id"]: s for s in self.catalogue.values()}
        for pid in self.protocols:
            for spot in self.spots(pid):
                found.setdefault(spot["id"], spot)
        return list(found.values())


@pytest.fixture(scope="module")
def builtins() -> Builtins:
    return Builtins()


def texts(spot_or_protocol: dict) -> list[str]:
    out = []
    for key in ("name", "summary", "about", "find", "feel", "refers", "pressure", "note"):
        if isinstance(spot_or_protocol.get(key), str):
            out.append(spot_or_protocol[key])
    out += list(spot_or_protocol.get("cautions", []))
    out += list(spot_or_protocol.get("muscles", []))
    return out


# ---------------------------------------------------------------- files and fields


def test_builtin_files_are_present_and_parse(builtins):
    assert [p.name for p in builtins.catalogue_files] == ["common.spots.toml"]
    assert set(builtins.protocols) == BUILTIN_IDS


@pytest.mark.parametrize("pid", sorted(BUILTIN_IDS))
def test_protocol_header(builtins, pid):
    data = builtins.protocols[pid]
    assert data["version"] == 2, "every built-in routine changed with the clinical review"
    assert data["name"].strip()
    assert data["summary"].strip() and "\n" not in data["summary"]
    assert isinstance(data["minutes"], int) and data["minutes"] >= 1
    about = data["about"]
    assert "0 = nothing" in about and "10 = worst imaginable" in about
    assert re.search(r"\b20 to 60 seconds\b|\b15 to 30\b", about)
    assert data["cautions"], "every protocol carries routine-wide cautions"
    assert any("not medical advice" in c for c in data["cautions"])


@pytest.mark.parametrize("pid", sorted(BUILTIN_IDS))
def test_routine_wide_cautions_are_the_safety_words(builtins, pid):
    from selftrack import safety

    cautions = builtins.protocols[pid]["cautions"]
    for caution in safety.ROUTINE_CAUTIONS:
        assert caution in cautions, f"{pid} lacks: {caution}"
    joined = " ".join(cautions).lower()
    assert "promptly" not in joined, "saddle numbness is an emergency, not 'promptly'"
    assert "emergency department today" in joined
    assert "48 hours" in joined and "bruise" in joined and "faded" in joined


def test_every_spot_is_fully_described(builtins):
    for spot in builtins.all_spots():
        sid = spot["id"]
        assert spot["tools"], f"{sid}: no tools"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sid), sid
        assert spot["name"].strip(), sid
        assert spot["region"] in REGIONS, sid
        assert spot.get("view", "back") in VIEWS, sid
        assert isinstance(spot["x"], float | int) and isinstance(spot["y"], float | int), sid
        for key in DESCRIPTIVE:
            assert spot.get(key), f"{sid}: {key} is empty"
        assert set(spot["tools"]) <= TOOLS, sid
        assert spot.get("sided", True) is True, f"{sid}: built-in spots are pressed on both sides"


def test_spot_ids_are_unique_across_all_files(builtins):
    owner: dict[str, str] = {sid: "catalogue" for sid in builtins.catalogue}
    for pid, data in builtins.protocols.items():
        local = [s["id"] for s in data.get("spots", [])]
        for route in data["resolved_routes"]:
            if "along" in route:
                local += [s["id"] for s in route["resolved"] if s["id"] not in builtins.catalogue]
        for sid in local:
            assert sid not in owner, f"{sid} in {pid} and {owner[sid]}"
            owner[sid] = pid


def test_every_catalogue_spot_is_used(builtins):
    used = {s["id"] for pid in builtins.protocols for s in builtins.spots(pid)}
    assert set(builtins.catalogue) <= used


def test_route_ids_unique_within_protocol(builtins):
    for pid, data in builtins.protocols.items():
        ids = [r["id"] for r in data["routes"]]
        assert len(ids) == len(set(ids)), pid


# ---------------------------------------------------------------- low back: five lines


def test_low_back_lines_anatomy(builtins):
    lines = builtins.routes("low-back-lines", "line")
    assert len(lines) == 5
    assert builtins.routes("low-back-lines") == lines
    means = []
    for number, line in enumerate(lines, start=1):
        spots = line["resolved"]
        assert len(spots) >= 5, line["id"]
        for spot in spots:
            assert 0 < spot["x"] <= 0.45, spot["id"]
            assert spot["region"] == "low-back"
        ys = [s["y"] for s in spots]
        assert ys == sorted(ys) and len(set(ys)) == len(ys), f"{line['id']} runs top to bottom"
        assert ys[0] == pytest.approx(-0.08, abs=0.01), f"{line['id']} starts over the lowest ribs"
        if number <= 2:
            # inside the dimples there is no rim: down to the top of the sacrum (L5-S1)
            assert ys[-1] == pytest.approx(0.52, abs=0.02), line["id"]
            assert all(math.dist((s["x"], s["y"]), PSIS) >= 0.03 for s in spots), "off the dimple's bone"
        else:
            # stops about 0.03 above the rim of the pelvis, never on it
            gap = rim_y(spots[-1]["x"]) - ys[-1]
            assert 0.02 <= gap <= 0.045, f"{line['id']} ends {gap:.3f} above the rim"
        steps = [math.dist((a["x"], a["y"]), (b["x"], b["y"])) for a, b in zip(spots, spots[1:])]
        assert all(0.06 <= d <= 0.15 for d in steps), f"{line['id']}: about an inch apart"
        means.append(sum(s["x"] for s in spots) / len(spots))
    assert means == sorted(means) and len(set(means)) == 5, "lines go from the spine outward"
    assert means[0] <= 0.07 and 0.33 <= means[-1] <= 0.42


def test_low_back_line_1_uses_the_l5_spot_it_passes(builtins):
    line1 = [s["id"] for s in builtins.routes("low-back-lines", "line")[0]["resolved"]]
    assert "l5-paraspinal" in line1
    assert sum("l5-paraspinal" in [s["id"] for s in r["resolved"]] for r in builtins.routes("low-back-lines")) == 1


def test_low_back_line_3_text_agrees_with_the_gap(builtins):
    lines = builtins.routes("low-back-lines", "line")
    gap = lines[2]["resolved"][0]["x"] - lines[1]["resolved"][0]["x"]
    assert gap <= 0.08, "one finger-width is about 0.07"
    find = lines[2]["along"]["find"]
    assert "a finger-width out from line 2" in find and "two finger-widths out from line 2" not in find


def test_low_back_lines_muscles(builtins):
    lines = builtins.routes("low-back-lines", "line")
    muscles = [" ".join(line["resolved"][0]["muscles"]).lower() for line in lines]
    assert "multifidus" in muscles[0]
    assert all("erector spinae" in m for m in muscles[1:])
    assert "quadratus lumborum" in muscles[-1]


# ---------------------------------------------------------------- glute arcs


def test_glute_arcs_anatomy(builtins):
    arcs = builtins.routes("glute-arcs", "arc")
    assert len(arcs) == 4
    for arc in arcs:
        spots = arc["resolved"]
        first, last = spots[0], spots[-1]
        assert first["y"] > CREST_Y and first["x"] < 0.25, f"{arc['id']} starts beside the sacrum"
        assert last["x"] > 0.5 and last["y"] > 0.54, f"{arc['id']} ends toward the trochanter"
        assert math.dist((last["x"], last["y"]), TROCHANTER) < 0.25, arc["id"]
        xs = [s["x"] for s in spots]
        assert xs == sorted(xs), f"{arc['id']} sweeps outward"
        for spot in spots:
            assert spot["y"] > CREST_Y, f"{spot['id']} is below the crest"
            assert 0 < spot["x"] <= TROCHANTER[0] + 0.02, spot["id"]
            assert spot["region"] in {"buttock", "side-of-hip"}
    starts = [arc["resolved"][0]["y"] for arc in arcs]
    assert starts == sorted(starts), "arcs fan from the top downward"


def test_glute_arc_ends_keep_off_the_bony_knob(builtins):
    ends = {arc["id"]: arc["resolved"][-1] for arc in builtins.routes("glute-arcs", "arc")}
    # arcs 2 and 3 end short of the knob (about 0.05 or more), with a caution about it
    for arc_id in ("arc-2", "arc-3"):
        end = ends[arc_id]
        assert math.dist((end["x"], end["y"]), TROCHANTER_TOP) >= 0.05, arc_id
        assert math.dist((end["x"], end["y"]), TROCHANTER) >= 0.09, arc_id
        assert "knob" in " ".join(end["cautions"]).lower(), arc_id
    # arc 4 ends at the top of the knob (toward the top of the thigh bone), not below it
    end = ends["arc-4"]
    assert math.dist((end["x"], end["y"]), TROCHANTER_TOP) <= 0.03
    assert end["y"] < TROCHANTER[1]
    assert "never hard onto it" in " ".join(end["cautions"])


def test_glute_arcs_use_the_catalogue_spots_they_pass(builtins):
    arcs = builtins.routes("glute-arcs", "arc")
    ids = {arc["id"]: [s["id"] for s in arc["resolved"]] for arc in arcs}
    assert ids["arc-2"][0] == "gluteus-maximus-spot" and ids["arc-2"][-1] == "gluteus-medius-minimus"
    assert ids["arc-3"][0] == "sacrum-edge" and "piriformis" in ids["arc-3"]
    walked = [sid for arc in builtins.routes("glute-arcs") for sid in (s["id"] for s in arc["resolved"])]
    assert len(walked) == len(set(walked)), "no spot is walked twice in one session"
    for arc in arcs:
        for spot in arc["resolved"]:
            if spot["id"] in builtins.catalogue:
                continue
            for sid, named in builtins.catalogue.items():
                if named.get("view", "back") == "back":
                    gap = math.dist((spot["x"], spot["y"]), (named["x"], named["y"]))
                    assert gap > 0.05, f"{spot['id']} duplicates {sid} ({gap:.3f} apart)"


def test_glute_arcs_sciatic_caution(builtins):
    data = builtins.protocols["glute-arcs"]
    assert any("sciatic" in c.lower() and "ball" in c.lower() for c in data["cautions"])
    assert "deeper is not better" in (data["about"] + " ".join(data["cautions"])).lower()
    arc4 = [s["id"] for s in builtins.routes("glute-arcs", "arc")[3]["resolved"]]
    note = builtins.routes("glute-arcs", "arc")[3]["note"]
    assert "press nothing there" in note, "the gap over the nerve is said out loud"
    assert len(arc4) == 6


def test_arc_texts_say_where_they_start(builtins):
    arcs = {r["id"]: r for r in builtins.protocols["glute-arcs"]["routes"]}
    spots = {s["id"]: s for s in builtins.protocols["glute-arcs"]["spots"]}
    assert "sacrum" in arcs["arc-3"]["name"].lower()
    assert builtins.catalogue["sacrum-edge"]["x"] <= 0.12, "arc 3 really starts at the edge of the sacrum"
    assert "lower part of the sacrum" in spots["glute-lower-arc-1"]["find"]
    assert spots["glute-lower-arc-1"]["x"] <= 0.08


def test_glute_arcs_bony_edges(builtins):
    sets = builtins.routes("glute-arcs", "set")
    ids = {s["id"] for route in sets for s in route["resolved"]}
    assert {"tailbone-edge", "sitting-bone"} <= ids
    cat = builtins.catalogue
    sitting = cat["sitting-bone"]
    assert sitting["y"] == pytest.approx(0.90, abs=0.01), "just above the bump"
    assert sitting["x"] >= SITTING_BONE[0], "on the back and outer face of the bone"
    assert math.dist((sitting["x"], sitting["y"]), SITTING_BONE) <= 0.07
    texts_ = " ".join([sitting["find"], sitting["pressure"], *sitting["cautions"]]).lower()
    assert "outer face" in texts_ and "never press inward" in texts_ and "pudendal nerve" in texts_
    assert "upward and slightly inward" not in texts_
    assert any("sciatic" in c.lower() for c in sitting["cautions"])
    tail = cat["tailbone-edge"]
    assert 0.03 <= tail["x"] <= 0.08 and 0.75 <= tail["y"] <= 0.85
    assert set(tail["tools"]) <= {"hands", "partner"}, "hands or a partner only"
    assert "clothing" in tail["pressure"] and "clothing" in tail["find"]
    sacrum = cat["sacrum-edge"]
    assert 0.08 <= sacrum["x"] <= 0.12 and 0.55 <= sacrum["y"] <= 0.75


# ---------------------------------------------------------------- perfect spots


def test_perfect_spots_anatomy(builtins):
    spots = {s["id"]: s for s in builtins.spots("perfect-spots")}
    assert set(spots) == {
        "gluteus-maximus-spot",
        "l5-paraspinal",
        "gluteus-medius-minimus",
        "thoracolumbar-corner",
    }
    assert all(sid in builtins.catalogue for sid in spots)

    gmax = spots["gluteus-maximus-spot"]
    assert gmax["x"] > PSIS[0] and gmax["y"] > PSIS[1], "just below and lateral to the dimple"
    assert 0.14 <= gmax["x"] <= 0.20 and 0.52 <= gmax["y"] <= 0.60
    assert gmax["region"] == "buttock"
    assert any("not specific" in c for c in gmax["cautions"])

    l5 = spots["l5-paraspinal"]
    assert 0 < l5["x"] < PSIS[0], "between the dimple and the spine"
    assert 0.06 <= l5["x"] <= 0.09 and 0.42 <= l5["y"] <= 0.50
    assert l5["region"] == "low-back"

    corner = spots["thoracolumbar-corner"]
    assert 0.20 <= corner["x"] <= 0.30 and 0.0 <= corner["y"] <= 0.08
    assert {"quadratus lumborum"} <= {m.split(" (")[0] for m in corner["muscles"]}


def test_side_of_hip_spots_are_lateral(builtins):
    for spot in builtins.all_spots():
        if spot["region"] == "side-of-hip":
            assert spot["x"] > 0.45, spot["id"]
    gmed = builtins.catalogue["gluteus-medius-minimus"]
    assert gmed["region"] == "side-of-hip"
    assert 0.50 <= gmed["x"] <= 0.60
    assert gmed["y"] == pytest.approx(0.64, abs=0.01), "in the half of the slice near the knob"
    assert CREST_Y < gmed["y"] < TROCHANTER[1], "between the crest and the trochanter"
    words = " ".join([gmed["pressure"], *gmed["cautions"]]).lower()
    assert "lying on your side on a roller" not in words
    assert "against a wall" in words and "above the knob" in words
    assert "numbness, tingling or weakness" in gmed["refers"] and "clinician" in gmed["refers"]
    assert "roller" not in gmed["tools"]
    assert "gluteus medius" in " ".join(gmed["muscles"])
    assert "gluteus minimus" in " ".join(gmed["muscles"])


# ---------------------------------------------------------------- deep and distant


def test_deep_and_distant_anatomy(builtins):
    spots = {s["id"]: s for s in builtins.spots("deep-and-distant")}
    cat = builtins.catalogue

    pir = spots["piriformis"]
    assert cat["sacrum-edge"]["x"] < pir["x"] < TROCHANTER[0]
    assert math.dist((pir["x"], pir["y"]), (0.45, 0.69)) <= 0.02, "the outer end of the muscle"
    assert pir["region"] == "buttock"
    assert any("sciatic" in c.lower() for c in pir["cautions"])
    inner = spots["piriformis-inner"]
    assert inner["x"] < 0.2 and "optional" in inner["name"].lower() and "light" in inner["name"].lower()
    assert set(inner["tools"]) <= {"hands", "partner"}

    ql = spots["quadratus-lumborum"]
    assert 0.35 <= ql["x"] <= 0.42 and 0.10 <= ql["y"] <= 0.30 and ql["region"] == "low-back"

    hams = [s for s in spots.values() if "hamstring" in s["id"]]
    assert len(hams) == 4
    ys = [s["y"] for s in hams]
    assert ys == sorted(ys), "crease to mid-thigh, top to bottom"
    for spot in hams:
        assert 1.0 < spot["y"] <= 1.65 and 0.18 <= spot["x"] <= 0.25, spot["id"]
        assert spot["region"] == "thigh" and spot.get("view", "back") == "back"
        assert {"semitendinosus", "semimembranosus"} <= set(spot["muscles"])
    for spot in hams[2:]:
        assert 0.22 <= spot["x"] <= 0.25, f"{spot['id']} is on the hamstrings, not the adductors"
    first = " ".join(hams[0]["cautions"]).lower()
    assert "tendon" in first and "sitting bone" in first and "do not sit on a ball" in first
    assert "ball" not in hams[0]["tools"]

    soleus = spots["soleus"]
    assert soleus["view"] == "calf" and soleus["region"] == "calf"
    assert 0 <= soleus["y"] <= 1


@pytest.mark.parametrize("sid", ["psoas", "rectus-abdominis", "iliacus"])
def test_front_spots(builtins, sid):
    spot = builtins.catalogue[sid]
    assert sid in {s["id"] for s in builtins.spots("deep-and-distant")}
    assert spot["view"] == "front" and spot["region"] == "front"
    assert 0 < spot["x"] <= 0.5 and 0 <= spot["y"] <= 1
    cautions = " ".join(spot["cautions"]).lower()
    assert "pulse" in cautions and "outward" in cautions
    assert "see a doctor first" in cautions
    assert "digestive" in cautions and "urinary" in cautions and "menstrual" in cautions
    assert "gently" in cautions and "knees bent" in cautions
    assert "psis" not in " ".join(texts(spot)).lower(), "the front bony point is the ASIS"
    assert "blood thinners" in cautions


def test_iliacus_and_psoas_fixes(builtins):
    iliacus = builtins.catalogue["iliacus"]
    assert math.dist((iliacus["x"], iliacus["y"]), (0.38, 0.58)) <= 0.01, "inside the bowl, above the groin"
    assert any("outer thigh" in c and "move" in c for c in iliacus["cautions"])
    psoas = " ".join(builtins.catalogue["psoas"]["cautions"]).lower()
    assert "blood thinners" in psoas and "broad pulsing lump" in psoas and "see a doctor" in psoas


def test_deep_and_distant_protocol_cautions(builtins):
    joined = " ".join(builtins.protocols["deep-and-distant"]["cautions"]).lower()
    assert "pulse" in joined and "outward" in joined and "see a doctor first" in joined


# ---------------------------------------------------------------- quick check


def test_quick_check(builtins):
    data = builtins.protocols["quick-check"]
    assert data["minutes"] <= 5
    spots = builtins.spots("quick-check")
    assert 4 <= len(spots) <= 6
    assert all(s["id"] in builtins.catalogue for s in spots)
    ids = {s["id"] for s in spots}
    assert "piriformis" not in ids, "the spot nearest the nerve is not for bad days"
    assert ids & {"sacrum-edge", "quadratus-lumborum"}
    assert "middle of the buttock" not in data["about"]


# ---------------------------------------------------------------- wording


def test_wording_no_products_and_no_diagnosis_claims(builtins):
    banned = re.compile(
        r"thera ?cane|kong|knobble|imbue|patch|trigger point|diagnos(e|is) (of|your)|"
        r"\bcures?\b|guarantee",
        re.IGNORECASE,
    )
    everything = [t for spot in builtins.all_spots() for t in texts(spot)]
    everything += [t for data in builtins.protocols.values() for t in texts(data)]
    everything += [r.get("note", "") for d in builtins.protocols.values() for r in d["routes"]]
    for text in everything:
        assert not banned.search(text), text


# ---------------------------------------------------------------- the real loader


def test_loader_agrees_with_this_reading(builtins):
    protocols = pytest.importorskip("selftrack.protocols")
    result = protocols.load_protocols([PROTOCOLS])
    assert [str(p) for p in result.problems] == []
    assert set(result.specs) >= BUILTIN_IDS
    for pid in BUILTIN_IDS:
        spec = result.specs[pid]
        for route, mine in zip(spec.routes, builtins.routes(pid), strict=True):
            assert route.id == mine["id"] and route.kind == mine["kind"]
            assert list(route.spot_ids) == [s["id"] for s in mine["resolved"]]
            for sid, spot in zip(route.spot_ids, mine["resolved"]):
                loaded = spec.spots[sid]
                assert loaded.x == pytest.approx(spot["x"], abs=1e-3), sid
                assert loaded.y == pytest.approx(spot["y"], abs=1e-3), sid
                assert loaded.view == spot.get("view", "back"), sid
                assert loaded.region == spot["region"], sid


def test_redrawn_arc_4_has_new_ids(builtins):
    """Arc 4 used to run along the sciatic nerve: its new places never join that history."""
    arc4 = [s["id"] for s in builtins.routes("glute-arcs", "arc")[3]["resolved"]]
    assert arc4 == [f"glute-lower-arc-{n}" for n in range(1, 7)]
    every = {s["id"] for s in builtins.all_spots()}
    assert not any(sid.startswith("glute-arc4-") for sid in every)
