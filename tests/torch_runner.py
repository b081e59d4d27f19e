"""Run example programs under torch and report, as JSON, what each one did.

    python tests/torch_runner.py [--workers 2] [--out results.json] PATH...

PATH is an example file or a folder (searched for ``*.py``). The files are shared out over ``--workers``
worker processes; each worker imports torch once and runs its files one after the other with
``runpy.run_path``. Before each file the worker resets the global torch state: grad mode on, anomaly
detection off, ``torch.manual_seed(0)``, float32 as the default dtype.

For each file the result records the captured stdout, the warnings, the run time and, if the program
raised, the exception's type and message and the line of the innermost traceback frame that lies in the
example file itself (for an error inside torch called from the example, the example line that called it).

This file is a script for the test suite; it must not be imported by the analyzer.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from typing import Any


def collect(paths: list[str]) -> list[str]:
    files: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(str(f) for f in sorted(path.rglob("*.py")))
        else:
            files.append(str(path))
    return [os.path.realpath(f) for f in files]


def _innermost_line(exc: BaseException, path: str) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename and os.path.realpath(filename) == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _reset_torch(torch: Any) -> None:
    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(0)


def run_one(path: str, torch: Any) -> dict[str, Any]:
    import runpy

    _reset_torch(torch)
    out = io.StringIO()
    result: dict[str, Any] = {"path": path, "raised": False}
    saved_argv = sys.argv[:]
    sys.argv = [path]
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(path, run_name="__main__")
        except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are results too
            if isinstance(exc, KeyboardInterrupt):
                raise
            result.update(
                raised=True,
                exc_type=type(exc).__name__,
                exc_message=str(exc),
                exc_line=_innermost_line(exc, path),
                traceback="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
            )
        finally:
            sys.argv = saved_argv
    result["seconds"] = round(time.perf_counter() - start, 4)
    result["stdout"] = out.getvalue()
    result["warnings"] = [
        {
            "category": w.category.__name__,
            "message": str(w.message),
            "line": w.lineno if os.path.realpath(w.filename) == path else None,
        }
        for w in caught
    ]
    # the next file must not inherit grad mode etc. from this one
    _reset_torch(torch)
    return result


def _warm_up(torch: Any) -> None:
    """Pay the one-time import costs once per worker, not in the first example that triggers them."""
    import torch.nn  # noqa: F401
    import torch.optim

    p = torch.zeros(1, requires_grad=True)
    torch.optim.SGD([p], lr=0.1)  # the first optimizer imports torch._dynamo (about a second)
    torch.nn.Linear(1, 1)


def worker_main(files: list[str], result_file: str) -> None:
    import torch  # imported once per worker

    torch.set_num_threads(1)
    _warm_up(torch)
    results = [run_one(f, torch) for f in files]
    with open(result_file, "w", encoding="utf-8") as fh:
        json.dump(results, fh)


def run_examples(files: list[str], workers: int = 2, timeout: float = 600.0) -> dict[str, dict[str, Any]]:
    """Run ``files`` in ``workers`` processes; returns {realpath: result}."""
    files = [os.path.realpath(f) for f in files]
    workers = max(1, min(workers, len(files) or 1))
    chunks = [files[i::workers] for i in range(workers)]
    procs = []
    with tempfile.TemporaryDirectory(prefix="gg-torch-runner-") as tmp:
        for i, chunk in enumerate(chunks):
            list_file = Path(tmp) / f"files-{i}.json"
            list_file.write_text(json.dumps(chunk), encoding="utf-8")
            result_file = Path(tmp) / f"results-{i}.json"
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", str(list_file), "--out", str(result_file)]
            procs.append((subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), result_file))
        results: dict[str, dict[str, Any]] = {}
        errors = []
        for proc, result_file in procs:
            try:
                stdout, stderr = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                stdout, stderr = proc.communicate()
                errors.append(f"worker timed out after {timeout}s\n{stderr}")
                continue
            if proc.returncode != 0 or not result_file.exists():
                errors.append(f"worker exited with {proc.returncode}\n{stdout}\n{stderr}")
                continue
            for r in json.loads(result_file.read_text(encoding="utf-8")):
                results[r["path"]] = r
        if errors:
            raise RuntimeError("torch runner failed:\n" + "\n".join(errors))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: JSON list of files to run
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(json.loads(Path(args.worker).read_text(encoding="utf-8")), args.out)
        return 0
    results = run_examples(collect(args.paths), workers=args.workers)
    text = json.dumps(results, indent=1, sort_keys=True)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
