#!/usr/bin/env python3
"""Score gradguard on the real bugs in ../shared/realbugs: one row per case, then the totals.

A case is found when an error/warning finding lies on one of its buggy lines; error/warning findings on the fixed
version are noise. The buggy and fixed files are third-party code: they are extracted into a temporary folder from
the repositories' git mirrors and never written into this repository.

    python tools/realbugs.py [--mirrors DIR] [--cases DIR] [--strict] [--json OUT]

--mirrors: a folder of OWNER+NAME/repo git mirrors (default: $GRADGUARD_MIRRORS or /work/.mirror); the files are
extracted with ../shared/realbugs/extract.py. --cases: a folder already holding <id>/buggy.py and <id>/fixed.py.
Each file is checked on its own (the way a user opens one file), with the CLI's defaults.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "realbugs"


def gradguard_json(path: Path, strict: bool) -> list[dict]:
    cmd = [sys.executable, "-m", "gradguard", "check", "--isolated", "--format", "json", "-j", "1", str(path)]
    if strict:
        cmd.append("--strict")
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent)
    if done.returncode not in (0, 1):
        print(f"  ! {path}: exit {done.returncode}: {done.stderr.strip()[:200]}", file=sys.stderr)
    try:
        return json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return []


def loud(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] in ("error", "warning")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirrors", default=os.environ.get("GRADGUARD_MIRRORS", "/work/.mirror"))
    ap.add_argument("--cases", help="folder with <id>/buggy.py and <id>/fixed.py (skips extraction)")
    ap.add_argument("--shared", default=str(SHARED), help="the realbugs folder (cases.json, extract.py)")
    ap.add_argument("--strict", action="store_true", help="check with --strict (information findings still do not count)")
    ap.add_argument("--json", help="write the per-case results here")
    args = ap.parse_args()

    shared = Path(args.shared)
    cases = json.loads((shared / "cases.json").read_text())
    if args.cases:
        folder = Path(args.cases)
    else:
        folder = Path(tempfile.mkdtemp(prefix="gg-realbugs-"))
        done = subprocess.run([sys.executable, str(shared / "extract.py"), args.mirrors, str(folder)],
                              capture_output=True, text=True)
        print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip(), file=sys.stderr)

    rows, found, noise, missing = [], 0, 0, 0
    print(f"| case | kind | buggy lines | hit | findings on buggy (e/w) | findings on fixed (e/w) |")
    print("|---|---|---|---|---|---|")
    for case in cases:
        buggy, fixed = folder / case["id"] / "buggy.py", folder / case["id"] / "fixed.py"
        if not buggy.is_file():
            missing += 1
            print(f"| {case['id']} | {case['kind'][:50]} | {case['buggy_lines']} | (not extracted) | | |")
            continue
        on_buggy = loud(gradguard_json(buggy, args.strict))
        on_fixed = loud(gradguard_json(fixed, args.strict)) if fixed.is_file() else []
        hits = sorted({f["line"] for f in on_buggy if f["line"] in case["buggy_lines"]})
        hit = bool(hits)
        found += hit
        noise += len(on_fixed)
        codes = ",".join(sorted({f["code"] for f in on_buggy if f["line"] in hits})) if hit else ""
        print(f"| {case['id']} | {case['kind'][:50]} | {case['buggy_lines']} | {'yes ' + codes if hit else 'no'} "
              f"| {len(on_buggy)} | {len(on_fixed)} |")
        rows.append({"id": case["id"], "found": hit, "hit_lines": hits,
                     "buggy": [(f["line"], f["code"]) for f in on_buggy],
                     "fixed": [(f["line"], f["code"]) for f in on_fixed]})
    total = len(cases) - missing
    print()
    print(f"found {found} of {total} cases ({100 * found / max(total, 1):.0f} %); "
          f"{noise} error/warning findings on the fixed versions" + (f"; {missing} not extracted" if missing else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0 if not missing else 2


if __name__ == "__main__":
    sys.exit(main())
