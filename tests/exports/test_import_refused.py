"""Files that cannot be imported: one per failure mode, each refused with its first problem and
where it is, and the database left exactly as it was. The files are made by
tests/data/imports/make_bad_files.py from the golden export.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.exports import ExportRequest
from selftrack.exports.json_import import ImportRefused
from support import DATA, FIGURES

BAD = DATA / "imports" / "bad"
S0 = "sessions[0] (id e0000000-0000-4000-8000-000000000001)"
S1 = "sessions[1] (id e0000000-0000-4000-8000-000000000002)"

# file: (what the message says after the file name, what the named line holds)
CASES = {
    "bad-json.json": (":3:15: not valid JSON: expected a key in double quotes", '"version": 3,,'),
    "truncated.json": (":452:1: not valid JSON: the file ends in the middle (is it complete?)", None),
    "not-an-object.json": (": not a selftrack export: the file is not a JSON object", None),
    "not-utf8.json": (": not UTF-8 text (byte 2271)", None),
    "wrong-format.json": (":2: not a selftrack export (format is 'other-app-export', expected 'selftrack-export')", "other-app-export"),
    "wrong-version.json": (":3: format version 4 is not supported (this selftrack reads versions 1, 2, 3; it writes 3)", '"version": 4'),
    "soreness-answers-in-version-2.json": (':764: unexpected key "soreness_answers": a version 2 file has no soreness_answers', '"soreness_answers"'),
    "soreness-answer-unknown.json": (":768: soreness_answers[0].answer: 'agony' is not one of", '"agony"'),
    "no-sessions.json": (': no "sessions" list', None),
    "unexpected-key.json": (':771: unexpected key "patients" at the top level', '"patients"'),
    "tenderness-out-of-range.json": (f":465: {S1}.ratings[3].tenderness: 11 is not a whole number from 0 to 10", '"tenderness": 11'),
    "skipped-with-tenderness.json": (f":533: {S1}.ratings[7].tenderness: a skipped spot has no tenderness", '"tenderness": 3'),
    "unknown-spot.json": (f":124: {S0}.spot_definitions.test-under-dimple: unknown spot: no definition '0000deadbeef0000deadbeef00000000' in the file", "0000deadbeef"),
    "step-without-definition.json": (f":136: {S0}.steps[1]: unknown spot 'test-elsewhere': it has no definition", "["),
    "time-without-offset.json": (f":112: {S0}.started_at: '2026-09-01T06:30:00' is not a time in ISO 8601 with its UTC offset", '"started_at"'),
    "definition-bad-region.json": (":13: spot_definitions['1271d2386f8b31cbbc7e52fcd9e7e32a'].region: 'neck' is not one of", '"neck"'),
    # the attacks of December 2026 (attacks.md 4 and 5): each was a traceback, or was accepted
    "version-2-to-the-63.json": (f":105: {S0}.protocol.version: 9223372036854775808 is not a version from 1 to 1,000,000", "9223372036854775808"),
    "version-10-to-the-30.json": (f":337: {S1}.protocol.version: 1000000000000000000000000000000 is not a version", "1000000000000000000000000000000"),
    "version-negative.json": (f":105: {S0}.protocol.version: -100000000000000000000 is not a version", "-100000000000000000000"),
    "version-minus-5.json": (f":105: {S0}.protocol.version: -5 is not a version from 1 to 1,000,000", '"version": -5'),
    "year-9999-offset.json": (f":112: {S0}.started_at: '9999-12-31T23:59:59-05:00' is not between 1900 and 2199", "9999-12-31"),
    "year-0001-offset.json": (f":344: {S1}.started_at: '0001-01-01T00:00:00+05:00' is not between 1900 and 2199", "0001-01-01"),
    "year-9999.json": (f":112: {S0}.started_at: '9999-12-31T23:00:00+00:00' is not between 1900 and 2199", "9999-12-31"),
    "year-0001.json": (f":112: {S0}.started_at: '0001-01-01T00:30:00+00:00' is not between 1900 and 2199", "0001-01-01"),
    "offset-out-of-range.json": (f":112: {S0}.started_at: '2026-09-01T06:30:00+23:00' has an offset no time zone has", "+23:00"),
    "lone-surrogate.json": (f":116: {S0}.notes: holds a lone surrogate (not text), which cannot be stored", "\\ud800"),
    "note-too-long.json": (f":454: {S1}.ratings[2].note: 20,001 characters, at most 20,000 fit", '"note": "xxxx'),
    "id-blank.json": (":102: sessions[0].id: ' ' is not a session id", '"id": " "'),
    "id-newline.json": (":334: sessions[1].id: 'a\\nb' is not a session id", '"id": "a\\nb"'),
    "ended-before-started.json": (f":113: {S0}.ended_at: 2026-08-31T06:30:00+00:00 is before the session started", "2026-08-31"),
    "rated-in-2099.json": (f":489: {S1}.ratings[4].rated_at: 2099-01-01T00:00:00+00:00 is outside the session's time", "2099-01-01"),
    "sides-left-with-right-steps.json": (f":151: {S0}.steps[4]: a right step in a session on the left side", "["),
    "tool-formula.json": (f":110: {S0}.tool: '=evil()' is not one of", "=evil()"),
    "tool-escape.json": (f":342: {S1}.tool: '\\x1b]0;OWNED\\x07' is not one of", "OWNED"),
    "hash-changed.json": (f":106: {S0}.protocol.hash: 'not a hash' is not a routine's hash", "not a hash"),
    "duplicate-key.json": (':110:20: the key "tool" appears twice in one object', '"tool": "ball", "tool"'),
    "duplicate-key-in-a-rating.json": (':187:22: the key "nerve" appears twice in one object', '"nerve": false, "nerve": true'),
    "duplicate-session.json": (":566: sessions[2] (id e0000000-0000-4000-8000-000000000001): the session starting on line 101 has the same id", '"id": "e0000000-0000-4000-8000-000000000001"'),
}


def test_every_bad_file_has_a_case():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


def snapshot(tracker) -> str:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("json"), out)
    return out.getvalue()


def test_refused_with_the_first_problem_and_its_place(history):
    """Every bad file, on one database per backend: refused with its first problem, the
    message naming the line of the bad value itself (the test reads that line and finds the
    value on it), and the database exactly as it was."""
    before = snapshot(history)
    wrong = []
    for name in sorted(CASES):
        try:
            history.import_file(BAD / name)
        except ImportRefused as refused:
            message = str(refused)
        else:
            wrong.append(f"{name}: imported")
            continue
        expected, on_the_line = CASES[name]
        if not message.startswith(f"{BAD / name}{expected}") or not message.endswith("; nothing was imported"):
            wrong.append(f"{name}: {message}")
        elif "\n" in message:
            wrong.append(f"{name}: more than one line")
        elif on_the_line is not None:
            line = int(re.match(rf"{re.escape(str(BAD / name))}:(\d+)", message).group(1))
            lines = (BAD / name).read_text(encoding="utf-8", errors="replace").splitlines()
            if on_the_line not in lines[line - 1]:
                wrong.append(f"{name}: line {line} does not hold {on_the_line!r}")
        FIGURES["bad import files refused, each at the line of its value"] += 1
    assert wrong == []
    assert snapshot(history) == before


@pytest.mark.parametrize("name", ["tenderness-out-of-range.json", "bad-json.json"])
def test_the_command_exits_1_with_one_line(name, history, tmp_path):
    db = history.db_location
    history.close()
    result = CliRunner().invoke(cli, ["--db", db, "import", str(BAD / name)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("selftrack: ")
    assert CASES[name][0].split(": ", 1)[1][:30] in lines[0]


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
