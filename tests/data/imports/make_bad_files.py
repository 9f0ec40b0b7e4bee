"""Write the bad import files, one per failure mode, from the golden JSON export.

Run from the repository root after the JSON format changes, then review the diff:
    .venv/bin/python tests/data/imports/make_bad_files.py
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
GOLDEN = HERE.parent / "golden" / "export.json"


def base() -> dict:
    doc = json.loads(GOLDEN.read_text(encoding="utf-8"))
    doc["sessions"] = doc["sessions"][:2]
    return doc


def text(doc) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def mutated(change) -> str:
    doc = copy.deepcopy(base())
    change(doc)
    return text(doc)


def first(doc) -> dict:
    return doc["sessions"][0]


def second(doc) -> dict:
    return doc["sessions"][1]


def main() -> None:
    out = HERE / "bad"
    out.mkdir(exist_ok=True)
    good = text(base())
    files = {
        "bad-json.json": good.replace('"version": 3,', '"version": 3,,', 1),
        "truncated.json": good[: len(good) * 3 // 5],
        "not-an-object.json": "[1, 2]\n",
        "wrong-format.json": mutated(lambda d: d.update(format="other-app-export")),
        "wrong-version.json": mutated(lambda d: d.update(version=4)),
        "soreness-answers-in-version-2.json": mutated(lambda d: d.update(version=2)),
        "soreness-answer-unknown.json": mutated(lambda d: d["soreness_answers"][0].update(answer="agony")),
        "tenderness-out-of-range.json": mutated(lambda d: second(d)["ratings"][3].update(tenderness=11)),
        "unknown-spot.json": mutated(
            lambda d: first(d)["spot_definitions"].update({"test-under-dimple": "0000deadbeef" * 2 + "00000000"})
        ),
        "step-without-definition.json": mutated(lambda d: first(d)["steps"][1].__setitem__(1, "test-elsewhere")),
        "skipped-with-tenderness.json": mutated(lambda d: second(d)["ratings"][7].update(tenderness=3)),
        "time-without-offset.json": mutated(lambda d: first(d).update(started_at="2026-09-01T06:30:00")),
        "no-sessions.json": mutated(lambda d: d.pop("sessions")),
        "unexpected-key.json": mutated(lambda d: d.update(patients=[])),
        "definition-bad-region.json": mutated(
            lambda d: next(iter(d["spot_definitions"].values())).update(region="neck")
        ),
        # the attacks of December 2026 (../shared/reviews/attacks.md, 4 and 5)
        "version-2-to-the-63.json": mutated(lambda d: first(d)["protocol"].update(version=2**63)),
        "version-10-to-the-30.json": mutated(lambda d: second(d)["protocol"].update(version=10**30)),
        "version-negative.json": mutated(lambda d: first(d)["protocol"].update(version=-(10**20))),
        "version-minus-5.json": mutated(lambda d: first(d)["protocol"].update(version=-5)),
        "year-9999-offset.json": mutated(lambda d: first(d).update(started_at="9999-12-31T23:59:59-05:00")),
        "year-0001-offset.json": mutated(lambda d: second(d).update(started_at="0001-01-01T00:00:00+05:00")),
        "year-9999.json": mutated(lambda d: first(d).update(started_at="9999-12-31T23:00:00+00:00")),
        "year-0001.json": mutated(lambda d: first(d).update(started_at="0001-01-01T00:30:00+00:00")),
        "offset-out-of-range.json": mutated(lambda d: first(d).update(started_at="2026-09-01T06:30:00+23:00")),
        "lone-surrogate.json": text(base()).replace('"notes": "', '"notes": "\\ud800', 1),
        "note-too-long.json": mutated(lambda d: second(d)["ratings"][2].update(note="x" * 20_001)),
        "id-blank.json": mutated(lambda d: first(d).update(id=" ")),
        "id-newline.json": mutated(lambda d: second(d).update(id="a\nb")),
        "ended-before-started.json": mutated(lambda d: first(d).update(ended_at="2026-08-31T06:30:00+00:00")),
        "rated-in-2099.json": mutated(lambda d: second(d)["ratings"][4].update(rated_at="2099-01-01T00:00:00+00:00")),
        "sides-left-with-right-steps.json": mutated(lambda d: first(d).update(sides="left")),
        "tool-formula.json": mutated(lambda d: first(d).update(tool="=evil()")),
        "tool-escape.json": mutated(lambda d: second(d).update(tool="\u001b]0;OWNED\u0007")),
        "hash-changed.json": mutated(lambda d: first(d)["protocol"].update(hash="not a hash")),
        "duplicate-key.json": good.replace('"tool": "cane"', '"tool": "cane", "tool": "ball"', 1)
        if '"tool": "cane"' in good
        else good.replace('"tool": "ball"', '"tool": "ball", "tool": "cane"', 2),
        "duplicate-session.json": mutated(lambda d: d["sessions"].append(copy.deepcopy(first(d)))),
        "duplicate-key-in-a-rating.json": good.replace('"nerve": false,', '"nerve": false, "nerve": true,', 12),
    }
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8")
    raw = good.encode("utf-8").replace(b'"notes": "', b'"notes": "caf\xe9 ', 1)
    (out / "not-utf8.json").write_bytes(raw)


if __name__ == "__main__":
    main()
