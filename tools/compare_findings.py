#!/usr/bin/env python
"""Show that a change left the findings alone: run `gradguard check --format json` with two versions of the code.

The old version is a git revision, extracted with `git archive` into a temporary folder; the new one is the working
tree (or another revision). Both run with the same interpreter, flags, paths and working directory, each with its
own `server/` first on PYTHONPATH, and the outputs (every field of every finding, the exit code and what went to
stderr) are compared byte for byte.

Usage:
  python tools/compare_findings.py --old main [--new REV] [--flag=--strict] [--paths-from LIST [--root DIR]] PATH...
Exit code 0 when everything is identical, 1 when something differs (the differences are printed), 2 on bad input.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def extract(rev: str, into: Path) -> Path:
    """The `server/` folder of `rev`, written under `into`."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "server"], capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"compare_findings: cannot read revision {rev!r}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "server"


def run(server: Path, flags: list[str], paths: list[str], cwd: Path, jobs: int) -> tuple[int, bytes, bytes]:
    env = {"PYTHONPATH": str(server), "PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "LC_ALL": "C.UTF-8"}
    where = subprocess.run([sys.executable, "-c", "import gradguard; print(gradguard.__file__)"], env=env, cwd=cwd,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(server.resolve()):
        raise SystemExit(f"compare_findings: imported {where}, not the code under {server}")
    cmd = [sys.executable, "-m", "gradguard", "check", "--format", "json", "--exit-zero", "-j", str(jobs), *flags,
           "--", *paths]
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=False)
    return done.returncode, done.stdout, done.stderr


def describe_difference(old: bytes, new: bytes) -> str:
    try:
        a, b = json.loads(old), json.loads(new)
    except ValueError:
        return "".join(difflib.unified_diff(old.decode(errors="replace").splitlines(True),
                                            new.decode(errors="replace").splitlines(True), "old", "new", n=2))
    key = lambda f: json.dumps(f, sort_keys=True)  # noqa: E731
    only_old = sorted(set(map(key, a)) - set(map(key, b)))
    only_new = sorted(set(map(key, b)) - set(map(key, a)))
    lines = [f"findings: old {len(a)}, new {len(b)}; only in old {len(only_old)}, only in new {len(only_new)}"]
    lines += [f"- {f}" for f in only_old[:20]] + [f"+ {f}" for f in only_new[:20]]
    if not only_old and not only_new:
        lines.append("same findings, different order or formatting")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="git revision of the code before the change")
    parser.add_argument("--new", help="git revision of the code after it (default: the working tree)")
    parser.add_argument("--flag", action="append", default=[], help="a flag for `gradguard check` (repeatable)")
    parser.add_argument("--paths-from", type=Path, help="a file listing paths to check, one a line")
    parser.add_argument("--root", type=Path, help="folder the paths (and --paths-from entries) are relative to")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    cwd = (args.root or Path.cwd()).resolve()
    paths = list(args.paths)
    if args.paths_from:
        if not args.paths_from.is_file():
            parser.error(f"--paths-from: no such file: {args.paths_from}")
        paths += [p.strip() for p in args.paths_from.read_text().splitlines() if p.strip()]
    if not paths:
        parser.error("no paths to check")
    missing = [p for p in paths if not (cwd / p).exists()]
    if missing:
        parser.error(f"{len(missing)} path(s) do not exist under {cwd}, e.g. {missing[0]}")
    with tempfile.TemporaryDirectory(prefix="gg-compare-") as tmp:
        (Path(tmp) / "old").mkdir()
        old_server = extract(args.old, Path(tmp) / "old")
        if args.new:
            (Path(tmp) / "new").mkdir()
            new_server = extract(args.new, Path(tmp) / "new")
        else:
            new_server = REPO / "server"
        old = run(old_server, args.flag, paths, cwd, args.jobs)
        new = run(new_server, args.flag, paths, cwd, args.jobs)
    label = f"{len(paths)} path(s), flags {args.flag or 'none'}, {args.old} vs {args.new or 'working tree'}"
    count = len(json.loads(new[1])) if new[1].strip().startswith(b"[") else "?"
    if old == new:
        print(f"IDENTICAL: {label}: {count} findings, {len(new[1])} bytes of JSON, {len(new[2])} bytes of stderr, "
              f"exit {new[0]}")
        return 0
    print(f"DIFFERENT: {label}")
    if old[0] != new[0]:
        print(f"exit code: old {old[0]}, new {new[0]}")
    if old[1] != new[1]:
        print(describe_difference(old[1], new[1]))
    if old[2] != new[2]:
        print("stderr differs:")
        print("".join(difflib.unified_diff(old[2].decode(errors="replace").splitlines(True),
                                           new[2].decode(errors="replace").splitlines(True), "old", "new", n=1)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
