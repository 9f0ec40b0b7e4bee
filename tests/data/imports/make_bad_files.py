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


def main() -> None:
    out = HERE / "bad"
    out.mkdir(exist_ok=True)
    good = text(base())
    files = {
        "bad-json.json": good.replace('"version": 1,', '"version": 1,,', 1),
        "truncated.json": good[: len(good) * 3 // 5],
        "not-an-object.json": "[1, 2]\n",
        "wrong-format.json": mutated(lambda d: d.update(format="other-app-export")),
        "wrong-version.json": mutated(lambda d: d.update(version=2)),
        "tenderness-out-of-range.json": mutated(
            lambda d: d["sessions"][1]["ratings"][3].update(tenderness=11)
        ),
        "unknown-spot.json": mutated(
            lambda d: d["sessions"][0]["spot_definitions"].update({"test-under-dimple": "0000deadbeef"})
        ),
        "step-without-definition.json": mutated(
            lambda d: d["sessions"][0]["steps"][1].__setitem__(1, "test-elsewhere")
        ),
        "skipped-with-tenderness.json": mutated(
            lambda d: d["sessions"][1]["ratings"][7].update(tenderness=3)
        ),
        "time-without-offset.json": mutated(
            lambda d: d["sessions"][0].update(started_at="2026-09-01T06:30:00")
        ),
        "no-sessions.json": mutated(lambda d: d.pop("sessions")),
        "unexpected-key.json": mutated(lambda d: d.update(patients=[])),
        "definition-bad-region.json": mutated(
            lambda d: next(iter(d["spot_definitions"].values())).update(region="neck")
        ),
    }
    for name, content in files.items():
        (out / name).write_text(content, encoding="utf-8")
    raw = good.encode("utf-8").replace(b'"notes": "', b'"notes": "caf\xe9 ', 1)
    (out / "not-utf8.json").write_bytes(raw)


if __name__ == "__main__":
    main()
