"""Trace many programs in one process (torch imported once) and print, as JSON, what trace reported for each.

    python tests/trace/trace_batch.py [--strict | --plain] PATH... > results.json

For each file: the findings (code, line, the "called from" lines of the same file, status), the exit code, and
the exception torch raised if any. With --plain, each file runs without trace and only its exception is kept
(what torch itself says, to compare trace's error with). Before each file the global torch state is reset as tests/torch_runner.py
does. A script for the test suite and the benchmark, not part of gradguard.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import warnings


def trace_one(path: str, strict: bool) -> dict:
    import torch

    from gradguard.trace import report, runner

    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(0)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = runner.run(path, [])
    result = report.build(outcome.observations, strict)
    return {
        "path": path,
        "exit_code": outcome.exit_code,
        "error": None if outcome.error is None else f"{type(outcome.error).__name__}: {outcome.error}",
        "findings": [{"code": t.finding.code, "path": t.path, "line": t.finding.span.line, "lines": list(t.lines),
                      "status": t.status, "message": t.finding.message,
                      "related": [[r.path or t.path, r.span.line, r.message] for r in t.finding.related]}
                     for t in result.findings],
        "stderr": err.getvalue()[-4000:],
    }


def plain_one(path: str) -> dict:
    import runpy

    import torch

    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(0)
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv, error = [path], None
    sys.path.insert(0, os.path.dirname(path))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit:
            pass
        except Exception as exc:  # noqa: BLE001 - the program's error is the result
            error = f"{type(exc).__name__}: {exc}"
        finally:
            sys.argv, sys.path[:] = saved_argv, saved_path
    return {"path": path, "error": error}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    results = []
    for path in args.paths:
        path = os.path.realpath(path)
        results.append(plain_one(path) if args.plain else trace_one(path, args.strict))
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
