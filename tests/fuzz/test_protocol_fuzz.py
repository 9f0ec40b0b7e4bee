"""Hypothesis-made protocol files: the loader answers with `file:line: message`, never raises.

Mutations keep the layout of a real file (a value changed on its line, a line dropped, added
or repeated), so most inputs are valid TOML with wrong types or values; the rest is random
text and random bytes.
"""

from __future__ import annotations

import math
import re
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

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
    database=None,  # the same examples every run, and no files written
    derandomize=True,
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
    st.floats(allow_nan=True, allow_infinity=True).map(toml_float),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=300).map(toml_string),
    st.sampled_from(['""', '"x" ', '"test-dimple-spot"', '"buttock"', '"left"', "0", "-1", "1e309"]),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
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


def test_the_valid_file_loads():
    assert _answer(VALID.encode()) == []
    assert _answer(ADAPTED.encode()) == []
