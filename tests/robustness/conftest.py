"""Robustness suite: whatever an editor or a file system hands gradguard, it answers in bounded time.

Budgets (see README.md here): by default the short CI run (hypothesis profile "ci", a seeded sample of the
corpus); `GRADGUARD_FUZZ=long` (what `make fuzz` sets) uses the "long" profile and the whole corpus.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "lsp"))  # lsp_helpers: the LSP tests' client and session helpers

from fuzzing import CORPUS, FETCH, PROFILE, REPO, STATS, corpus_files_now  # noqa: E402
from lsp_helpers import make_client, server_fixture  # noqa: E402


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    """Every .py file of the corpus; fetched once (bench/fetch_corpus.sh: 10 pinned wheels from PyPI, 1-2
    minutes) when it is missing. Skips, saying why, only when it is missing and cannot be fetched."""
    files = corpus_files_now()
    if files:
        return files
    try:
        CORPUS.mkdir(parents=True, exist_ok=True)  # fetch_corpus.sh counts the files in it before fetching
        proc = subprocess.run(["bash", str(FETCH)], capture_output=True, text=True, timeout=900,
                              env={**os.environ, "GRADGUARD_CORPUS": str(CORPUS.parent)})
        detail = (proc.stderr or proc.stdout or f"exit code {proc.returncode}").strip().splitlines()[-3:]
    except (OSError, subprocess.TimeoutExpired) as exc:
        detail = [str(exc)]
    files = corpus_files_now()
    if not files:
        pytest.skip(f"the corpus is not at {CORPUS} and `bash {FETCH.relative_to(REPO)}` could not fetch it "
                    f"(no network?): {' | '.join(detail)}")
    return files


client = server_fixture(make_client)


def pytest_terminal_summary(terminalreporter):
    if STATS:
        terminalreporter.section(f"gradguard robustness (hypothesis profile {PROFILE!r})")
        for name, line in STATS.items():
            terminalreporter.write_line(f"{name}: {line}")
