"""Files that cannot be imported: one per failure mode, each refused with its first problem and
where it is, and the database left exactly as it was. The files are made by
tests/data/imports/make_bad_files.py from the golden export.
"""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.exports import ExportRequest
from selftrack.exports.json_import import ImportRefused
from support import DATA

BAD = DATA / "imports" / "bad"
S0 = "sessions[0] (id e0000000-0000-4000-8000-000000000001)"
S1 = "sessions[1] (id e0000000-0000-4000-8000-000000000002)"

CASES = {
    "bad-json.json": ":3:15: not valid JSON: expected a key in double quotes",
    "truncated.json": ":308:3: not valid JSON: the file ends in the middle (is it complete?)",
    "not-an-object.json": ": not a selftrack export: the file is not a JSON object",
    "not-utf8.json": ": not UTF-8 text (byte 2271)",
    "wrong-format.json": ": not a selftrack export (format is 'other-app-export', expected 'selftrack-export')",
    "wrong-version.json": ": format version 2 is not supported (this selftrack reads version 1)",
    "no-sessions.json": ': no "sessions" list',
    "unexpected-key.json": ':510: unexpected key "patients" at the top level',
    "tenderness-out-of-range.json": f":305: {S1}.ratings[3].tenderness: 11 is not a whole number from 0 to 10",
    "skipped-with-tenderness.json": f":305: {S1}.ratings[7].tenderness: a skipped spot has no tenderness",
    "unknown-spot.json": f":101: {S0}.spot_definitions.test-under-dimple: unknown spot: no definition '0000deadbeef' in the file",
    "step-without-definition.json": f":101: {S0}.steps[1]: unknown spot 'test-elsewhere': it has no definition",
    "time-without-offset.json": f":101: {S0}.started_at: '2026-09-01T06:30:00' has no UTC offset",
    "definition-bad-region.json": ": spot_definitions['1271d2386f8b31cbbc7e52fcd9e7e32a'].region: 'neck' is not one of",
}


def test_every_bad_file_has_a_case():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


def snapshot(tracker) -> str:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("json"), out)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_with_the_first_problem_and_its_place(name, history):
    before = snapshot(history)
    with pytest.raises(ImportRefused) as caught:
        history.import_file(BAD / name)
    message = str(caught.value)
    assert message.startswith(f"{BAD / name}{CASES[name]}"), message
    assert message.endswith("; nothing was imported")
    assert snapshot(history) == before


@pytest.mark.parametrize("name", ["tenderness-out-of-range.json", "bad-json.json"])
def test_the_command_exits_1_with_one_line(name, history, tmp_path):
    db = history.db_location
    history.close()
    result = CliRunner().invoke(cli, ["--db", db, "import", str(BAD / name)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("selftrack: ")
    assert CASES[name].split(": ", 1)[1][:30] in lines[0]


def test_a_missing_file_is_refused(history, tmp_path):
    with pytest.raises(ImportRefused, match="cannot read .*nothing-here.json"):
        history.import_file(tmp_path / "nothing-here.json")


def test_a_definition_for_another_spot_is_refused(history, tmp_path):
    out = io.StringIO(newline="")
    history.export(ExportRequest("json"), out)
    doc = json.loads(out.getvalue())
    used = doc["sessions"][0]["spot_definitions"]
    used["test-beside-spine"] = used["test-under-dimple"]
    path = tmp_path / "swapped.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportRefused, match=r"spot_definitions.test-beside-spine: definition .* is for spot 'test-under-dimple'"):
        history.import_file(path)
