"""False-positive audit: what `gradguard check` reports on the whole PyTorch corpus, per package.

    python bench/audit.py                 # tables: findings by severity and by code, per package
    python bench/audit.py --list          # also every finding as `path:line:col CODE message`, for triage
    python bench/audit.py --package timm --list
    python bench/audit.py --strict        # also the caller-dependent findings (reported as information)
    python bench/audit.py --save /tmp/audit.json             # keep the CLI's output (and .stderr) ...
    python bench/audit.py --from /tmp/audit.json --list      # ... and triage it without running again

The corpus is libraries that work: every error there is a false positive until shown otherwise, and
warnings are the ones to read first. Files the CLI could not analyse (it exits 2 and names them on
stderr) are counted per package.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402

TIME_LIMIT = re.compile(r"time limit|timed out|timeout", re.I)
SEVERITIES = ("error", "warning", "information", "hint")


def relpath(path: str | None) -> str:
    if not path:
        return "?"
    if path.startswith("file://"):
        path = path[len("file://"):]
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.resolve().relative_to(bench.SRC.resolve()))
        except ValueError:
            return str(p)
    return str(p)


def package_of(rel: str) -> str:
    return rel.split("/", 1)[0]


def failed_files(stderr: str, files: list[str]) -> dict[str, str]:
    """Files named on stderr (the CLI's crash/unparseable report), each with the first line naming it."""
    known = set(files)
    out: dict[str, str] = {}
    src = str(bench.SRC) + "/"
    for line in stderr.splitlines():
        for token in line.replace(src, "").replace(",", " ").replace(":", " ").replace("'", " ").replace('"', " ").split():
            if token in known and token not in out:
                out[token] = line.strip()
    return out


def severity_of(f: dict) -> str:
    s = str(f.get("severity", "?")).lower()
    return {"info": "information", "warn": "warning", "1": "error", "2": "warning", "3": "information", "4": "hint"}.get(s, s)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="print every finding as path:line:col CODE message")
    ap.add_argument("--package", action="append", help="only these packages (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--from", dest="from_json", help="read this saved `gradguard check --format json` output")
    ap.add_argument("--stderr", help="with --from: the saved stderr of that run (default: FILE.stderr)")
    ap.add_argument("--save", help="keep the CLI's JSON output here, and its stderr in FILE.stderr")
    ap.add_argument("--strict", action="store_true", help="pass --strict: also the caller-dependent findings")
    ap.add_argument("--cli-arg", action="append", default=[], help="another argument for `gradguard check` (repeatable)")
    ap.add_argument("--ref", default="HEAD", help="git ref whose server/ is audited, from a frozen copy (default HEAD)")
    ap.add_argument("--worktree", action="store_true", help="audit the live working tree instead")
    args = ap.parse_args(argv)

    if not bench.SRC.is_dir():
        print(f"corpus missing: run `bash bench/fetch_corpus.sh` ({bench.SRC})", file=sys.stderr)
        return 2
    files = bench.corpus_files()
    if args.package:
        files = [f for f in files if package_of(f) in args.package]
    lines = {f: bench.count_lines(bench.SRC / f) for f in files}

    if args.from_json:
        out_path, rc = args.from_json, None
        err_file = args.stderr or (args.from_json + ".stderr" if Path(args.from_json + ".stderr").exists() else None)
        stderr = Path(err_file).read_text(errors="replace") if err_file else ""
        wall = None
    else:
        snap = bench.use_snapshot(None if args.worktree else args.ref)
        if not args.worktree:  # the frozen copy is only needed while the CLI runs
            import atexit
            import shutil
            atexit.register(shutil.rmtree, str(Path(snap).parent), True)
        print(f"measuring commit {bench.MEASURED['commit']} ({bench.MEASURED['ref']})", file=sys.stderr)
        ok, why = bench.gradguard_available()
        if not ok:
            print(f"gradguard CLI not available: {why}", file=sys.stderr)
            return 2
        fd, out_path = tempfile.mkstemp(prefix="gg-audit-", suffix=".json")
        extra = (["--strict"] if args.strict else []) + args.cli_arg
        print(f"running gradguard check -j {args.jobs} {' '.join(extra)} on {len(files)} files ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        with os.fdopen(fd, "wb") as out:
            p = subprocess.run(bench.GRADGUARD + ["check", "--format", "json", "-j", str(args.jobs)] + extra + files,
                               cwd=bench.SRC, stdout=out, stderr=subprocess.PIPE, env=bench.GG_ENV)
        wall = time.perf_counter() - t0
        rc, stderr = p.returncode, p.stderr.decode("utf-8", "replace")
        if args.save:
            Path(args.save).write_bytes(Path(out_path).read_bytes())
            Path(args.save + ".stderr").write_text(stderr)

    try:
        findings, _ = bench.load_findings(out_path)
    except ValueError as e:
        print(f"the CLI's output is not JSON ({e}); exit code {rc}; stderr:\n{stderr[-3000:]}", file=sys.stderr)
        return 2
    finally:
        if not args.from_json:
            os.unlink(out_path)

    failed = failed_files(stderr, files)
    by_pkg_sev: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    by_code: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    listed = []
    for path, f in findings:
        rel = relpath(path)
        pkg = package_of(rel)
        sev = severity_of(f)
        by_pkg_sev[pkg][sev] += 1
        by_code[(f["code"], sev)][pkg] += 1
        line, col = bench.finding_position(f)
        listed.append((rel, line, col, f["code"], " ".join(str(f.get("message", "")).split())))

    packages = sorted({package_of(f) for f in files})
    files_by_pkg = collections.Counter(package_of(f) for f in files)
    lines_by_pkg = collections.Counter()
    for f, n in lines.items():
        lines_by_pkg[package_of(f)] += n
    timed_out = {f for f, why in failed.items() if TIME_LIMIT.search(why)}
    crashed_by_pkg = collections.Counter(package_of(f) for f in failed if f not in timed_out)
    timed_out_by_pkg = collections.Counter(package_of(f) for f in timed_out)

    if not args.from_json:
        print(f"commit {bench.MEASURED['commit']} ({bench.MEASURED['ref']})")
    print(f"gradguard check on {len(files):,} files, {sum(lines.values()):,} lines"
          + (f"; exit {rc}, {wall:.0f} s wall" if rc is not None else ""))
    print()
    print("| Package | Files | Lines | Errors | Warnings | Information | Hints | E+W per 100 k lines "
          "| Crashed / unparseable | Stopped at the time limit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    total = collections.Counter()
    for pkg in packages:
        c = by_pkg_sev[pkg]
        total.update(c)
        ew = c["error"] + c["warning"]
        print(f"| {pkg} | {files_by_pkg[pkg]:,} | {lines_by_pkg[pkg]:,} | {c['error']} | {c['warning']} | "
              f"{c['information']} | {c['hint']} | {ew / lines_by_pkg[pkg] * 1e5:.1f} | {crashed_by_pkg[pkg]} | {timed_out_by_pkg[pkg]} |")
    n_lines = sum(lines.values())
    print(f"| **total** | {len(files):,} | {n_lines:,} | {total['error']} | {total['warning']} | {total['information']} | "
          f"{total['hint']} | {(total['error'] + total['warning']) / max(n_lines, 1) * 1e5:.1f} | {len(failed) - len(timed_out)} | {len(timed_out)} |")
    other = {k: v for k, v in total.items() if k not in SEVERITIES}
    if other:
        print(f"\nfindings with an unknown severity: {dict(other)}")

    if by_code:
        print()
        print("| Code | Severity | " + " | ".join(packages) + " | Total |")
        print("|---|---|" + "---|" * len(packages) + "---|")
        for (code, sev), c in sorted(by_code.items()):
            print(f"| {code} | {sev} | " + " | ".join(str(c[p] or "") for p in packages) + f" | {sum(c.values())} |")

    if failed:
        print()
        print("Files not (fully) analysed, as the CLI reported them on stderr:")
        for f, why in sorted(failed.items()):
            print(f"  {why}")
    elif rc == 2:
        print("\nexit 2 but no corpus file named on stderr; its last lines:")
        for line in stderr.strip().splitlines()[-10:]:
            print(f"  {line}")

    if args.list:
        print()
        for rel, line, col, code, msg in sorted(listed):
            print(f"{rel}:{line}:{col} {code} {msg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
