"""Hypothesis-made protocol files: the loader answers with `file:line: message`, never raises.

Mutations keep the layout of a real file (a value changed on its line, a line dropped, added
or repeated), so most inputs are valid TOML with wrong types or values; the rest is random
text and random bytes.
"""

from __future__ import annotations

import math
import re
import tempfile
import time
from datetime import date, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selftrack.protocols import check_paths, load_protocols
from support import FIGURES, TEST_PROTOCOLS

VALID = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
LINES = VALID.splitlines()
KEYS = sorted(
    {line.split("=")[0].strip() for line in LINES if re.match(r"^\s*[A-Za-z_]+\s*=", line)}
    | {"along", "sides", "note", "adapt", "when", "skip", "use", "remove_tools", "regions"}
)

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,  # new examples every run, no files written; a failure prints how to reproduce it
)


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.sampled_from(["99999999999999999999999", "1000001", "-5", str(2**63), str(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True).map(toml_float),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=300).map(toml_string),
    st.sampled_from(['""', '"x" ', '"test-dimple-spot"', '"buttock"', '"left"', "0", "-1", "1e309"]),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    st.sampled_from(["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", '"\\ud800"']),
    st.datetimes(timezones=st.just(timezone.utc)).map(
        lambda d: d.isoformat().replace("+00:00", "Z")
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3).map(
            lambda d: "{" + ", ".join(f"{k} = {v}" for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=8,
)


# A valid file with adapt rules, along.use and a spot near a nerve, to mutate as well.
ADAPTED = """\
id = "test-adapted"
version = 1
name = "Adapted"
summary = "With adapt rules."

[[adapt]]
when = ["blood-thinners"]
remove_tools = ["ball"]
caution = "Light."

[[adapt]]
when = ["hip-replacement"]
regions = ["buttock"]
skip = true
caution = "Ask first."

[[spots]]
id = "near-nerve"
name = "Near the nerve"
region = "buttock"
x = 0.33
y = 0.80
cautions = ["The sciatic nerve is here."]
tools = ["hands"]

[[spots.adapt]]
when = ["osteoporosis", "pregnancy"]
pressure = "Gently."

[[spots]]
id = "low-line-end"
name = "Bottom of the line"
region = "low-back"
x = 0.06
y = 0.41
tools = ["hands"]

[[routes]]
id = "line"
name = "Line"
kind = "line"
[routes.along]
path = [[0.05, 0.0], [0.05, 0.40]]
count = 3
id_prefix = "adapted-line"
use = { 3 = "low-line-end" }
name = "Line {n}"
region = "low-back"
tools = ["ball", "hands"]

[[routes.along.adapt]]
when = ["implanted-device"]
skip = true
caution = "Leads."

[[routes]]
id = "set"
name = "Set"
kind = "set"
spots = ["near-nerve"]
"""


@st.composite
def mutated_files(draw, base: str = VALID) -> str:
    lines = base.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "value", "value", "drop", "add", "repeat"]))
        key_lines = [i for i, line in enumerate(lines) if re.match(r"^\s*[A-Za-z_]+\s*=", line)]
        if kind == "value" and key_lines:
            index = draw(st.sampled_from(key_lines))
            key = lines[index].split("=")[0].rstrip()
            lines[index] = f"{key} = {draw(values)}"
        elif kind == "drop" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif kind == "add":
            line = f"{draw(st.sampled_from(KEYS))} = {draw(values)}"
            lines.insert(draw(st.integers(0, len(lines))), line)
        elif lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
    return "\n".join(lines) + "\n"


@st.composite
def hostile_files(draw) -> str:
    """Whole files built to hurt a parser: nesting deeper than it recurses, dotted keys whose
    parsing time grows with the square of their parts, huge numbers, control characters in
    keys (attacks.md 9, 10, 11)."""
    kind = draw(st.sampled_from(["nested", "nested-inline", "dotted", "dotted-table", "key", "version"]))
    depth = draw(st.sampled_from([10, 999, 5000, 100_000]))
    base = VALID.rstrip("\n") + "\n"
    if kind == "nested":
        return base + "deep = " + "[" * depth + "]" * depth + "\n"
    if kind == "nested-inline":
        return base + "deep = " + "{a = " * depth + "1" + "}" * depth + "\n"
    if kind == "dotted":
        return base + ".".join(["k"] * depth) + " = 1\n"
    if kind == "dotted-table":
        return base + "[" + ".".join(["t"] * depth) + "]\n"
    if kind == "key":
        return base + toml_string(draw(st.text(min_size=1, max_size=20))) + " = 1\n"
    return base.replace("version = 1", f"version = {draw(huge_versions)}")


huge_versions = st.one_of(st.integers(min_value=1_000_001), st.integers(max_value=0)).map(str)


def _answer(content: bytes) -> list[str]:
    """Load and check one file; every problem must be a one-line `file:line: message`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.protocol.toml"
        path.write_bytes(content)
        loaded = load_protocols([Path(folder)])
        checked = check_paths([path], [])
        FIGURES["bad protocol files tried"] += 1
        shown = [str(p) for p in [*loaded.problems, *checked]]
        for problem in [*loaded.problems, *checked]:
            assert problem.path == str(path)
            assert isinstance(problem.line, int) and problem.line >= 1, str(problem)
            assert problem.message.strip() and "\n" not in problem.message, str(problem)
            assert "Traceback" not in problem.message
        if loaded.specs:
            assert not loaded.problems and not checked
        else:
            assert loaded.problems and checked
    return shown


@pytest.mark.slow
@settings(FUZZ, max_examples=600)
@given(mutated_files())
def test_mutated_protocol_files(text):
    _answer(text.encode())


@settings(FUZZ, max_examples=300)
@given(mutated_files(ADAPTED))
def test_mutated_files_with_adapt_rules(text):
    _answer(text.encode())


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text):
    _answer(text.encode("utf-8", "surrogatepass"))


@settings(FUZZ, max_examples=150)
@given(st.binary(max_size=2000))
def test_random_bytes(content):
    _answer(content)


@settings(FUZZ, max_examples=60)
@given(hostile_files())
def test_hostile_files_are_answered_quickly(text):
    started = time.perf_counter()
    _answer(text.encode("utf-8", "surrogatepass"))
    assert time.perf_counter() - started < 5  # 100,000 dotted parts used to take minutes


def test_the_valid_file_loads():
    assert _answer(VALID.encode()) == []
    assert _answer(ADAPTED.encode()) == []


def test_the_attacks_on_the_parser_are_answered_in_one_line_at_once(tmp_path):
    """attacks.md 9-11: a key of 100,000 dotted parts (over 90 s in tomllib), nesting 100,000
    deep (RecursionError), a version of 99999999999999999999999 (an OverflowError when
    started): each a one-line problem at its line, in well under a second."""
    cases = {
        "dotted.protocol.toml": (VALID + ".".join(["k"] * 100_000) + " = 1\n", "dotted parts"),
        "deep.protocol.toml": (VALID + "x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        "version.protocol.toml": (VALID.replace("version = 1", "version = 99999999999999999999999"),
                                  "version: Input should be less than or equal to 1000000"),  # fmt: skip
    }
    for name, (text, words) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        started = time.perf_counter()
        problems = check_paths([path], [])
        assert time.perf_counter() - started < 1.0, name
        assert len(problems) == 1 and words in problems[0].message, problems
        assert problems[0].line and problems[0].line > 1 and "\n" not in str(problems[0])
