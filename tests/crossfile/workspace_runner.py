"""Run programs that import from their own workspace under torch, one after the other, in this process.

    python tests/crossfile/workspace_runner.py JOBS.json

JOBS.json: [{"id": ..., "workspace": DIR, "file": PATH, "code": SOURCE or null, "paths": [DIR...]}, ...]. The
workspace goes first on sys.path (as PYTHONPATH would put it), then `paths` (an installed package's folder), the modules it imported are dropped after each program, and the
program runs as `__main__` (`code`, when given, stands for the file's text: a notebook's cells in order).
Prints one JSON object: id -> {"raised": bool, "type", "message", "line"} where `line` is the last traceback
line in the program itself.

A script for the test suite; the analyzer never imports it.
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def run(job: dict) -> dict:
    import torch

    torch.set_grad_enabled(True)
    torch.manual_seed(0)
    workspace = os.path.realpath(job["workspace"])
    path = os.path.realpath(job["file"])
    code = job.get("code")
    if code is None:
        with open(path, encoding="utf-8") as fh:
            code = fh.read()
    before = set(sys.modules)
    extra = [os.path.realpath(p) for p in job.get("paths") or []]
    sys.path[:0] = [workspace] + extra
    try:
        exec(compile(code, path, "exec"), {"__name__": "__main__", "__file__": path})
        return {"raised": False}
    except Exception as exc:  # noqa: BLE001 - recording what torch did is the point
        line = None
        for frame in traceback.extract_tb(exc.__traceback__):
            if os.path.realpath(frame.filename) == path:
                line = frame.lineno
        return {"raised": True, "type": type(exc).__name__, "message": str(exc), "line": line}
    finally:
        for folder in [workspace] + extra:
            sys.path.remove(folder)
        for name in set(sys.modules) - before:
            module = sys.modules.get(name)
            where = os.path.realpath(getattr(module, "__file__", None) or "/")
            if any(where.startswith(folder + os.sep) for folder in [workspace] + extra):
                del sys.modules[name]


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        jobs = json.load(fh)
    print(json.dumps({job["id"]: run(job) for job in jobs}))


if __name__ == "__main__":
    main()
