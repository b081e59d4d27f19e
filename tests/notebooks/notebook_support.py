"""Shared by the notebook tests (kept apart from tests/crossfile so each folder runs alone)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "crossfile"))

from crossfile_support import expected, run_under_torch  # noqa: E402,F401

FIXTURES = HERE / "fixtures"
NOTEBOOKS = sorted(FIXTURES.rglob("*.ipynb"))
