"""Protocol files: every bad file is reported as file:line: message, and never stops the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from selftrack.paths import builtin_protocols_dir
from selftrack.protocols import check_paths, load_protocols
from selftrack.protocols.loader import generate_along
from selftrack.protocols.schema import AlongModel
from support import DATA, TEST_PROTOCOLS

BAD = DATA / "bad_protocols"
BUILTIN = builtin_protocols_dir()

# file name -> (line, text that must appear in the message)
EXPECTED = {
    "not-toml.protocol.toml": (3, "not valid TOML"),
    "missing-routes.protocol.toml": (1, "routes: Field required"),
    "unknown-spot.protocol.toml": (10, "unknown spot id 'no-such-spot'"),
    "bad-region.protocol.toml": (9, "spots[1].region: Input should be"),
    "both-sources.protocol.toml": (6, "either 'spots' or 'along'"),
    "duplicate-route.protocol.toml": (13, "route id 'same' is used twice"),
    "unknown-key.protocol.toml": (5, "minuets: Extra inputs are not permitted"),
    "bad-tool.protocol.toml": (12, "spots[1].tools[2]"),
    "ball-on-nerve.protocol.toml": (14, "from the sciatic nerve: within 0.06 it may not offer body weight (ball)"),
    "nerve-no-caution.protocol.toml": (13, "within 0.12 one of its cautions must name it ('sciatic nerve')"),
    "along-on-nerve.protocol.toml": (18, "spot 'across-3' is 0.019 map units from the sciatic nerve: within 0.06"),
    "nerve-in-catalogue.spots.toml": (9, "from the pudendal nerve, on the inner face of the sitting bone: within 0.06"),
    "bad-condition.protocol.toml": (16, "spots[1].adapt[1].when[1]: Input should be 'blood-thinners'"),
    "skip-without-caution.protocol.toml": (7, "adapt[1]: Value error, 'skip' needs a 'caution'"),
    "use-too-far.protocol.toml": (15, "spot 'sitting-bone' is 0.820 map units from where spot 2"),
    "reuses-builtin-id.spots.toml": (3, "spot id 'thoracolumbar-corner' is already defined in"),
}


def test_every_bad_file_has_an_expectation():
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_reported_with_file_and_line(name):
    line, text = EXPECTED[name]
    problems = check_paths([BAD / name], [BUILTIN])
    assert problems, name
    rendered = [str(p) for p in problems]
    assert any(r.startswith(f"{BAD / name}:{line}: ") and text in r for r in rendered), rendered


def test_all_problems_are_reported_not_just_the_first(tmp_path):
    path = tmp_path / "many.protocol.toml"
    path.write_text(
        'id = "Bad"\nversion = 0\nname = "x"\nsummary = "y"\n'
        '[[routes]]\nid = "r"\nname = "R"\nkind = "zigzag"\nspots = ["a"]\n'
    )
    problems = check_paths([path], [BUILTIN])
    assert [p.line for p in problems] == [1, 2, 8]


def test_a_bad_file_does_not_stop_the_others(tmp_path):
    shutil.copy(BAD / "unknown-spot.protocol.toml", tmp_path)
    shutil.copy(TEST_PROTOCOLS / "mini.protocol.toml", tmp_path)
    (tmp_path / "notes.txt").write_text("not a protocol, ignored")
    result = load_protocols([BUILTIN, tmp_path])
    assert "test-mini" in result.specs
    assert "low-back-lines" in result.specs
    assert len(result.problems) == 1 and "no-such-spot" in result.problems[0].message


def test_duplicate_protocol_id_is_reported(tmp_path):
    source = (BUILTIN / "quick-check.protocol.toml").read_text()
    (tmp_path / "mine.protocol.toml").write_text(source)
    result = load_protocols([BUILTIN, tmp_path])
    assert result.specs["quick-check"].source.startswith(str(BUILTIN))
    assert any("already used" in p.message for p in result.problems)


def test_check_refuses_files_with_other_names(tmp_path):
    stray = tmp_path / "routine.toml"
    stray.write_text('id = "x"\n')
    (problem,) = check_paths([stray], [BUILTIN])
    assert "must end in .protocol.toml" in problem.message
    (missing,) = check_paths([tmp_path / "nope.protocol.toml"], [BUILTIN])
    assert "no such file" in missing.message


def test_builtin_protocols_load_without_problems():
    result = load_protocols([BUILTIN])
    assert result.problems == []
    assert set(result.specs) == {
        "low-back-lines",
        "glute-arcs",
        "perfect-spots",
        "deep-and-distant",
        "quick-check",
    }


def test_spot_ids_are_shared_across_routines():
    result = load_protocols([BUILTIN])
    seen: dict[str, object] = {}
    for spec in result.specs.values():
        for spot_id, spot in spec.spots.items():
            if spot_id in seen:
                assert seen[spot_id] == spot, spot_id
            seen[spot_id] = spot
    quick = result.specs["quick-check"].spots
    assert set(quick) <= set(result.catalogue)


def test_content_hash_changes_with_content(tmp_path):
    source = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
    (tmp_path / "a.protocol.toml").write_text(source)
    first = load_protocols([tmp_path]).specs["test-mini"].content_hash
    (tmp_path / "a.protocol.toml").write_text(source.replace("y = 0.56", "y = 0.55"))
    second = load_protocols([tmp_path]).specs["test-mini"].content_hash
    assert first != second and len(first) == 16


def test_along_spaces_spots_evenly_by_distance():
    along = AlongModel(
        path=[(0.0, 0.0), (0.3, 0.0), (0.3, 0.3)],
        count=4,
        id_prefix="p",
        name="P {n}/{count}",
        region="buttock",
        find="spot {n} of {count}",
    )
    spots = generate_along(along)
    assert [s.id for s in spots] == ["p-1", "p-2", "p-3", "p-4"]
    assert [(s.x, s.y) for s in spots] == [(0.0, 0.0), (0.2, 0.0), (0.3, 0.1), (0.3, 0.3)]
    assert spots[2].name == "P 3/4" and spots[3].find == "spot 4 of 4"


def test_builtin_protocols_are_in_the_wheel_layout():
    # the loader finds the built-ins both in a source checkout and inside the wheel
    assert (BUILTIN / "quick-check.protocol.toml").is_file()
    assert Path(BUILTIN).name in {"protocols", "builtin_protocols"}


def test_cache_gives_the_same_result_and_notices_changes(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(TEST_PROTOCOLS / "mini.protocol.toml", folder)
    shutil.copy(BAD / "unknown-spot.protocol.toml", folder)
    cache = tmp_path / "cache" / "protocols.json"
    fresh = load_protocols([BUILTIN, folder], cache=cache)
    assert cache.exists()
    cached = load_protocols([BUILTIN, folder], cache=cache)
    assert cached.specs == fresh.specs
    assert cached.catalogue == fresh.catalogue
    assert cached.problems == fresh.problems
    assert cached.specs["quick-check"].builtin and not cached.specs["test-mini"].builtin
    (folder / "mini.protocol.toml").write_text(
        (TEST_PROTOCOLS / "mini.protocol.toml").read_text().replace("Test mini routine", "Renamed!")
    )
    assert load_protocols([BUILTIN, folder], cache=cache).specs["test-mini"].name == "Renamed!"
    cache.write_text("{ not json")
    assert load_protocols([BUILTIN, folder], cache=cache).specs == load_protocols([BUILTIN, folder]).specs


def test_checking_the_shipped_folder_or_one_of_its_files_never_clashes_with_itself(tmp_path):
    assert check_paths([BUILTIN], [BUILTIN]) == []
    assert check_paths([BUILTIN / "common.spots.toml"], [BUILTIN]) == []
    assert check_paths([BUILTIN / "glute-arcs.protocol.toml"], [BUILTIN]) == []
    copy = tmp_path / "shipped"
    shutil.copytree(BUILTIN, copy)
    problems = check_paths([copy], [BUILTIN])
    assert problems and all("already defined in" in p.message for p in problems)


def test_a_user_catalogue_reusing_a_builtin_id_is_a_problem_not_a_crash(tmp_path):
    shutil.copy(BAD / "reuses-builtin-id.spots.toml", tmp_path)
    shutil.copy(TEST_PROTOCOLS / "mini.protocol.toml", tmp_path)
    result = load_protocols([BUILTIN, tmp_path])
    (problem,) = result.problems
    assert problem.line == 3 and str(BUILTIN / "common.spots.toml") in problem.message
    assert result.catalogue["thoracolumbar-corner"].name == "Thoracolumbar corner"
    assert "test-mini" in result.specs and "perfect-spots" in result.specs
    (checked,) = check_paths([tmp_path], [BUILTIN, tmp_path])
    assert checked.line == 3


def test_a_refused_catalogue_spot_is_named_where_it_is_used(tmp_path):
    shutil.copy(BAD / "nerve-in-catalogue.spots.toml", tmp_path)
    (tmp_path / "uses.protocol.toml").write_text(
        'id = "uses"\nversion = 1\nname = "Uses"\nsummary = "s"\n\n'
        '[[routes]]\nid = "r"\nname = "R"\nkind = "set"\nspots = ["inner-sitting-bone"]\n'
    )
    result = load_protocols([BUILTIN, tmp_path])
    assert "uses" not in result.specs and "glute-arcs" in result.specs
    (used,) = [p for p in result.problems if p.path.endswith("uses.protocol.toml")]
    assert used.line == 10 and "breaks the rule on nerves and vessels" in used.message
    assert "nerve-in-catalogue.spots.toml:9" in used.message


def test_locate_finds_nested_arrays_of_tables():
    from selftrack.protocols.loader import locate

    text = "\n".join(
        [
            'id = "x"',  # 1
            "[[spots]]",  # 2
            'id = "a"',  # 3
            "[[spots.adapt]]",  # 4
            'when = ["osteoporosis"]',  # 5
            "[[spots]]",  # 6
            'id = "b"',  # 7
            "[[spots.adapt]]",  # 8
            'when = ["pregnancy"]',  # 9
            "[[spots.adapt]]",  # 10
            'when = ["nope"]',  # 11
            "[[routes]]",  # 12
            "[routes.along]",  # 13
            "count = 2",  # 14
            "[[routes.along.adapt]]",  # 15
            'when = ["x"]',  # 16
        ]
    )
    assert locate(text, ("spots", 0, "adapt", 0, "when")) == 5
    assert locate(text, ("spots", 1, "adapt", 0, "when", 0)) == 9
    assert locate(text, ("spots", 1, "adapt", 1, "when", 0)) == 11
    assert locate(text, ("spots", 1, "adapt", 1)) == 10
    assert locate(text, ("routes", 0, "along", "count")) == 14
    assert locate(text, ("routes", 0, "along", "adapt", 0, "when")) == 16


def test_along_use_puts_a_named_spot_in_a_line():
    result = load_protocols([BUILTIN])
    line = result.specs["low-back-lines"].route("line-1").spot_ids
    assert line[5] == "l5-paraspinal" and "low-back-line1-6" not in line
    assert line[6] == "low-back-line1-7"
    assert result.specs["low-back-lines"].spots["l5-paraspinal"] == result.catalogue["l5-paraspinal"]


def test_adapt_rules_are_loaded_and_cached(tmp_path):
    cache = tmp_path / "cache" / "protocols.json"
    fresh = load_protocols([BUILTIN], cache=cache)
    cached = load_protocols([BUILTIN], cache=cache)
    glute = fresh.specs["glute-arcs"]
    assert any(a.skip and "hip-replacement" in a.when for a in glute.adaptations)
    assert any(a.skip for a in glute.spot_adaptations["glute-lower-arc-1"])
    assert "psoas" in fresh.specs["deep-and-distant"].spot_adaptations
    assert cached.specs == fresh.specs
    assert cached.catalogue_adaptations == fresh.catalogue_adaptations
    lines = fresh.specs["low-back-lines"].spot_adaptations
    assert "low-back-line1-1" in lines and "low-back-line3-1" not in lines
