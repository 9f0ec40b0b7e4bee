"""Fixtures for the terminal program's tests."""

from __future__ import annotations

import pytest

from selftrack import safety
from support import FIXED_NOW, answer_safety


@pytest.fixture
def acknowledged(private_home):
    """The first-run safety note has already been read."""
    safety.acknowledge(FIXED_NOW)


@pytest.fixture
def tracker(tracker):
    """The usual tracker with the safety questions answered (all no) and no conditions given:
    most tests of the terminal program are about what comes after them (tests/tui/test_care.py
    starts from a first run)."""
    answer_safety(tracker)
    return tracker
