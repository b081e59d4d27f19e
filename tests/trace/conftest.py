"""Every program (tests/trace/programs and the rule examples) is traced once per session, in 2 workers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trace_helpers import EXAMPLES, PROGRAMS, trace_many  # noqa: E402


@pytest.fixture(scope="session")
def traced() -> dict[str, dict]:
    return trace_many(PROGRAMS + EXAMPLES)
