"""The language-server tests of this folder reuse tests/lsp's harness: a fresh `gradguard lsp` per test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lsp"))

from recording import client, recording_client  # noqa: E402,F401  (pytest finds the fixture here)
