"""Constants and helpers shared by the tests (importable: tests/ is on the path)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

DATA = Path(__file__).parent / "data"
TEST_PROTOCOLS = DATA / "protocols"
FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
