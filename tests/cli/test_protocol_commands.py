"""`protocols show --json`, `--condition`, and `protocols check` on the shipped folder."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from selftrack import bodymap
from selftrack.cli import cli
from selftrack.paths import builtin_protocols_dir
from support import DATA

BUILTIN = builtin_protocols_dir()


@pytest.fixture
def run(db_path):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)

    return invoke


def test_show_json_gives_every_step_in_walking_order(run):
    result = run("protocols", "show", "glute-arcs", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "glute-arcs" and data["version"] == 2 and data["sides"] == "both"
    steps = data["steps"]
    assert [s["index"] for s in steps] == list(range(len(steps))) and len(steps) == 48
    keys = {"index", "route", "spot", "name", "region", "view", "side", "x", "y", "tools", "cautions", "nearest"}
    assert all(set(s) == keys for s in steps)
    first_route = [s for s in steps if s["route"] == "arc-1"]
    assert [s["side"] for s in first_route] == ["left"] * 5 + ["right"] * 5, "left first, then right"
    left, right = first_route[0], first_route[5]
    assert left["spot"] == right["spot"] and left["x"] == -right["x"] and left["y"] == right["y"]
    arc4 = {s["spot"]: s for s in steps if s["route"] == "arc-4" and s["side"] == "right"}
    assert arc4["glute-lower-arc-3"]["tools"] == ["hands", "partner"]
    assert arc4["glute-lower-arc-3"]["nearest"]["structure"] == "sciatic-nerve"
    for step in steps:  # tooling can check the rule from the JSON alone
        near = step["nearest"]
        if near and near["distance"] <= bodymap.BODY_WEIGHT_DISTANCE:
            assert not set(step["tools"]) & set(bodymap.BODY_WEIGHT_TOOLS)


def test_show_json_front_and_calf_views(run):
    data = json.loads(run("protocols", "show", "deep-and-distant", "--json").stdout)
    views = {s["spot"]: (s["view"], s["nearest"]) for s in data["steps"]}
    assert views["psoas"][0] == "front" and views["psoas"][1]["structure"] == "aorta"
    assert views["iliacus"][1]["structure"] == "lateral-femoral-cutaneous-nerve"
    assert views["soleus"] == ("calf", None)


def test_show_with_a_condition_adapts_the_routine(run):
    result = run("protocols", "show", "deep-and-distant", "--json", "--condition", "blood-thinners")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert not {"psoas", "iliacus", "rectus-abdominis"} & {s["spot"] for s in data["steps"]}
    assert not {"ball", "roller", "elbow"} & {t for s in data["steps"] for t in s["tools"]}
    assert "left out psoas:" in result.stderr
    text = run("protocols", "show", "glute-arcs", "--condition", "hip-replacement")
    assert text.exit_code == 0 and "left out: Hip surgery or a hip replacement" in text.stderr
    bad = run("protocols", "show", "glute-arcs", "--condition", "diabetes")
    assert bad.exit_code == 1 and "unknown condition 'diabetes'" in bad.stderr


def test_show_text_draws_the_nerves(run):
    result = run("protocols", "show", "glute-arcs")
    shown = " ".join(result.stdout.split())
    assert "Dotted lines: the sciatic nerve" in shown and "pudendal nerve" in shown


def test_check_the_shipped_folder_reports_or_says_ok_never_a_traceback(run, tmp_path):
    ok = run("protocols", "check", str(BUILTIN))
    assert ok.exit_code == 0 and "ok:" in ok.stderr
    one = run("protocols", "check", str(BUILTIN / "common.spots.toml"))
    assert one.exit_code == 0, one.stderr
    copy = tmp_path / "protocols"
    shutil.copytree(BUILTIN, copy)
    copied = run("protocols", "check", str(copy))
    assert copied.exit_code == 1 and "Traceback" not in copied.stderr
    assert "spot id 'thoracolumbar-corner' is already defined in" in copied.stderr


def test_a_user_spots_file_reusing_a_builtin_id(run, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(DATA / "bad_protocols" / "reuses-builtin-id.spots.toml", folder)
    listed = run("--protocols-dir", str(folder), "protocols", "list")
    assert listed.exit_code == 0 and "perfect-spots" in listed.stdout
    assert "reuses-builtin-id.spots.toml:3: spot id 'thoracolumbar-corner'" in listed.stderr
    checked = run("--protocols-dir", str(folder), "protocols", "check", str(folder))
    assert checked.exit_code == 1 and "reuses-builtin-id.spots.toml:3:" in checked.stderr


def test_a_protocol_breaking_the_nerve_rule_fails_check_with_its_line(run):
    result = run("protocols", "check", str(DATA / "bad_protocols" / "ball-on-nerve.protocol.toml"))
    assert result.exit_code == 1
    assert "ball-on-nerve.protocol.toml:14: spot 'lower-buttock' is 0.006 map units from the sciatic nerve" in result.stderr
