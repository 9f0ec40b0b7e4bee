"""Fixtures for the terminal program's tests."""

from __future__ import annotations

import pytest

from selftrack import safety
from support import FIXED_NOW


@pytest.fixture
def acknowledged(private_home):
    """The first-run safety note has already been read."""
    safety.acknowledge(FIXED_NOW)
