"""Helpers of the trace tests: trace programs in worker processes running tests/trace/trace_batch.py (the test
process never imports torch)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # tests/example_markers.py

PROGRAMS = sorted((HERE / "programs").glob("*.py"))
EXAMPLES = sorted((ROOT / "server" / "gradguard" / "rules" / "examples").glob("*/*.py"))


def trace_many(files: list[Path], workers: int = 2, strict: bool = False, plain: bool = False) -> dict[str, dict]:
    """What trace reported for each file; with plain=True, what the file raises without trace."""
    files = [os.path.realpath(f) for f in files]
    chunks = [files[i::workers] for i in range(workers) if files[i::workers]]
    cmd = [sys.executable, str(HERE / "trace_batch.py")] + (["--strict"] if strict else []) \
        + (["--plain"] if plain else [])
    procs = [subprocess.Popen(cmd + chunk, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for chunk in chunks]
    results = {}
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        results.update({r["path"]: r for r in json.loads(out)})
    return results
