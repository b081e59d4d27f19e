#!/usr/bin/env python3
"""Precision and recall of gradguard on the project's runnable programs, each labelled by running it under torch.

    python tools/labelled.py [--strict] [--json OUT] [PATH ...]

The programs (by default): the rule examples (server/gradguard/rules/examples), the trace programs
(tests/trace/programs) and the bundled examples (examples/). Each one runs under torch (tests/torch_runner.py, two
worker processes) and is labelled by what torch did:

- positive: torch raised; or the file is a `bad_` program that torch ran clean, which is what a silent corruption
  looks like (`.data` / NumPy writes to a saved tensor, a fused optimizer step): the suite checks that its
  gradients differ from its fixed twin's;
- negative: torch ran it clean (and it is not such a `bad_` program).

gradguard's verdict on a program is positive when `gradguard check` (default settings, each file on its own)
reports an error or a warning anywhere in it. Precision = TP / (TP + FP), recall = TP / (TP + FN), per program.
The numbers are computed, never assumed: a program whose label and verdict disagree is listed by name.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from torch_runner import collect, run_examples  # noqa: E402

DEFAULT_PATHS = [ROOT / "server" / "gradguard" / "rules" / "examples", ROOT / "tests" / "trace" / "programs",
                 ROOT / "examples"]


def verdicts(files: list[str], strict: bool) -> dict[str, list[dict]]:
    """realpath -> gradguard's error/warning findings in that file."""
    cmd = [sys.executable, "-m", "gradguard", "check", "--isolated", "--no-cache", "--format", "json", "-j", "2",
           *files] + (["--strict"] if strict else [])
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"gradguard check exited {done.returncode}: {done.stderr.strip()[:500]}")
    out: dict[str, list[dict]] = {f: [] for f in files}
    for finding in json.loads(done.stdout or "[]"):
        if finding["severity"] in ("error", "warning") or strict:
            out.setdefault(os.path.realpath(finding["path"]), []).append(finding)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="files or folders of programs (default: the project's own)")
    ap.add_argument("--strict", action="store_true", help="count --strict findings (information) as positive too")
    ap.add_argument("--json", help="write the per-program labels and verdicts here")
    args = ap.parse_args(argv)
    files = collect([str(p) for p in (args.paths or DEFAULT_PATHS)])
    files = [f for f in files if Path(f).name != "__init__.py"]
    ran = run_examples(files, workers=2)
    found = verdicts(files, args.strict)
    rows = []
    for f in files:
        result = ran[f]
        silent = Path(f).name.startswith("bad_") and not result["raised"]
        label = bool(result["raised"]) or silent
        rows.append({"path": os.path.relpath(f, ROOT), "torch_raised": bool(result["raised"]), "silent": silent,
                     "label": label, "verdict": bool(found.get(f)),
                     "codes": sorted({x["code"] for x in found.get(f, [])})})
    tp = sum(r["label"] and r["verdict"] for r in rows)
    fp = sum(not r["label"] and r["verdict"] for r in rows)
    fn = sum(r["label"] and not r["verdict"] for r in rows)
    tn = sum(not r["label"] and not r["verdict"] for r in rows)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{len(rows)} programs labelled by torch: {tp + fn} positive ({sum(r['silent'] for r in rows)} of them "
          f"silent corruption), {fp + tn} negative")
    print("| | torch: positive | torch: negative |\n|---|---|---|")
    print(f"| gradguard: finding | {tp} | {fp} |\n| gradguard: nothing | {fn} | {tn} |")
    print(f"precision {precision:.3f}, recall {recall:.3f}" + (" (--strict)" if args.strict else ""))
    for r in rows:
        if r["label"] != r["verdict"]:
            kind = "false positive" if r["verdict"] else "missed"
            print(f"  {kind}: {r['path']} {' '.join(r['codes'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
