"""Hypothesis-made import files: refused with one clear line naming the file (and the place,
where there is one), never another exception, and the database exactly as it was."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selftrack.exports import ExportRequest
from selftrack.exports.json_import import ImportRefused
from support import FIGURES

GOLDEN = json.loads((Path(__file__).parents[1] / "data" / "golden" / "export.json").read_text())
EXAMPLES = {"sqlite": 500, "postgres": 100}

# What the attack run used (attacks.md 4, 5): huge and negative integers, times far outside
# the real world or with impossible offsets, lone surrogates, text longer than any limit.
huge_integers = st.one_of(
    st.integers(min_value=2**31 - 2, max_value=2**64 + 2),
    st.integers(max_value=-(2**31) + 2, min_value=-(2**64) - 2),
    st.sampled_from([2**63, 10**30, -(10**20), 99999999999999999999999, 1_000_001, 0]),
)
far_times = st.builds(
    lambda year, month, day, minutes, seconds: (
        f"{year:04d}-{month:02d}-{day:02d}T12:00:{seconds:02d}"
        + ("Z" if minutes == 0 else f"{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    ),
    st.integers(1, 9999), st.integers(1, 12), st.integers(1, 31),
    st.integers(-(24 * 60 - 1), 24 * 60 - 1), st.integers(0, 61),
)
surrogate_text = st.builds(lambda a, b: a + "\ud800" + b, st.text(max_size=5), st.text(max_size=5))
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        huge_integers,
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=60),
        surrogate_text,
        far_times,
        st.sampled_from(["", "left", "mid", "low-back", "2026-09-01T06:30:00", "finished", 11, -1,
                         " ", "a\nb", "=evil()", "\u001b]0;OWNED\u0007", "x" * 20_001]),  # fmt: skip
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_exports(draw) -> bytes:
    document = json.loads(json.dumps(GOLDEN))
    for _ in range(draw(st.integers(1, 3))):
        parent, key = document, None
        for _depth in range(draw(st.integers(1, 6))):
            node = parent if key is None else parent[key]
            if isinstance(node, dict) and node:
                parent, key = node, draw(st.sampled_from(sorted(node)))
            elif isinstance(node, list) and node:
                parent, key = node, draw(st.integers(0, len(node) - 1))
            else:
                break
        if key is None:
            continue
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(json_values)
    encoded = json.dumps(document, indent=draw(st.sampled_from([None, 1, 2]))).encode()
    damage = draw(st.integers(0, 19))
    if damage == 0:  # now and then, damage the text itself
        cut = draw(st.integers(0, len(encoded)))
        encoded = encoded[:cut] + draw(st.binary(max_size=8))
    elif damage == 1:  # or nest a value deeper than any decoder follows
        depth = draw(st.sampled_from([50, 999, 1001, 5000, 200_000]))
        cut = encoded.find(b'"notes": ') + len(b'"notes": ')
        encoded = encoded[:cut] + b"[" * depth + b"]" * depth + encoded[cut + 2 :]
    elif damage == 2:  # or write a key twice
        encoded = encoded.replace(b'"tool": ', b'"tool": "cane", "tool": ', 1)
    return encoded


def _snapshot(tracker) -> tuple:
    out = io.StringIO(newline="")
    tracker.export(ExportRequest("json"), out)
    with tracker.database.reading() as db:
        counts = tuple(
            db.scalar(f"SELECT count(*) FROM {table}")
            for table in ("profiles", "sessions", "ratings", "spot_definitions")
        )
    return out.getvalue(), counts


def _try_import(tracker, content: bytes, folder: Path) -> str:
    path = folder / "fuzzed.json"
    path.write_bytes(content)
    before = _snapshot(tracker)
    try:
        tracker.import_file(path)
    except ImportRefused as refused:
        message = str(refused)
        assert message.startswith(str(path)) and message.endswith("nothing was imported")
        assert "\n" not in message and "Traceback" not in message
        assert _snapshot(tracker) == before, "a refused import changed the database"
        FIGURES["bad import files refused, database unchanged"] += 1
        return "refused"
    FIGURES["fuzzed import files accepted (valid after mutation)"] += 1
    return "accepted"


@pytest.mark.slow
def test_fuzzed_import_files(history, backend):
    outcomes: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:

        @settings(
            max_examples=EXAMPLES[backend],
            deadline=None,
            database=None,  # new examples every run; a failure prints how to reproduce it
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(st.one_of(mutated_exports(), st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
        def attempt(content: bytes) -> None:
            outcomes.append(_try_import(history, content, Path(scratch)))

        attempt()
    assert outcomes.count("refused") > len(outcomes) // 2


def test_nul_in_a_note_and_escapes_in_a_name_are_refused(history, tmp_path):
    """PostgreSQL cannot store NUL; a name is shown on screen, so it holds no control codes."""
    spot = next(iter(GOLDEN["spot_definitions"]))
    cases = {
        "nul": (("sessions", 0, "ratings", 0, "note"), "a\u0000b", "note: holds a NUL character"),
        "name": (("spot_definitions", spot, "name"), "Esc\u001b[2J", "name: holds a control character"),
        "routine": (("sessions", 0, "protocol", "name"), "R\u009bx", "name: holds a control character"),
    }
    for name, (path, value, message) in cases.items():
        document = json.loads(json.dumps(GOLDEN))
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        target = tmp_path / f"{name}.json"
        target.write_text(json.dumps(document))
        before = _snapshot(history)
        try:
            history.import_file(target)
        except ImportRefused as refused:
            assert message in str(refused) and "\x1b" not in str(refused)
        else:
            raise AssertionError(f"{name}: imported")
        assert _snapshot(history) == before
    # Control characters in a note are the user's own text: kept exactly, shown harmlessly.
    document = json.loads(json.dumps(GOLDEN))
    document["sessions"] = document["sessions"][:1]
    document["sessions"][0]["id"] = "e0000000-0000-4000-8000-0000000000ff"
    document["sessions"][0]["ratings"][0]["note"] = "line\r\nnext \x1b[31m"
    target = tmp_path / "note.json"
    target.write_text(json.dumps(document))
    assert history.import_file(target).added_sessions == 1
    (rating, *_) = history.ratings("e0000000-0000-4000-8000-0000000000ff")
    assert rating.note == "line\r\nnext \x1b[31m"
