#!/usr/bin/env python3
"""Score gradguard on the real bugs in ../shared/realbugs: one row per case, then the totals.

A case is found when an error/warning finding lies on one of its buggy lines; error/warning findings on the fixed
version are noise. The buggy and fixed files are third-party code: they are extracted into a temporary folder from
the repositories' git mirrors and never written into this repository.

    python tools/realbugs.py [--mirrors DIR] [--cases DIR] [--strict] [--json OUT]
    python tools/realbugs.py --list tools/realbugs2.json     # 23 more, found in session 7 (see that file)

--mirrors: a folder of OWNER+NAME/repo git mirrors (default: $GRADGUARD_MIRRORS or /work/.mirror); the files are
extracted with ../shared/realbugs/extract.py. --cases: a folder already holding <id>/buggy.py and <id>/fixed.py.
--shared: the realbugs folder (default: $GRADGUARD_REALBUGS, else ../shared/realbugs beside this checkout or beside
the main checkout of a git worktree). Each file is checked on its own (the way a user opens one file), with the
CLI's defaults. `make realbugs` runs this.

--in-repo: check each file inside its repository's whole tree at the buggy (and the fixed) commit instead, the way
an editor opens it in its project: the other files are there to follow. Needs the mirrors; the trees go to a
temporary folder and are removed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOW_TO_GET_MIRRORS = (
    "The real-bug files are extracted from the repositories' git histories, which are not in {where}.\n"
    "Put a clone of each repository listed in {cases} at MIRRORS/OWNER+NAME/repo (for example\n"
    "`git clone https://github.com/pytorch/examples MIRRORS/pytorch+examples/repo`), then run\n"
    "`GRADGUARD_MIRRORS=MIRRORS make realbugs`, or point --cases at a folder of already extracted <id>/buggy.py files."
)


def default_shared() -> Path:
    """../shared/realbugs beside this checkout, or beside the main checkout when this is a git worktree."""
    if os.environ.get("GRADGUARD_REALBUGS"):
        return Path(os.environ["GRADGUARD_REALBUGS"])
    candidates = [ROOT.parent / "shared" / "realbugs"]
    common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            capture_output=True, text=True)
    if common.returncode == 0 and common.stdout.strip():
        candidates.append(Path(common.stdout.strip()).parent.parent / "shared" / "realbugs")
    return next((c for c in candidates if (c / "cases.json").is_file()), candidates[0])


def mirrors_present(mirrors: Path, cases: list[dict]) -> bool:
    return any((mirrors / c["repo"].replace("/", "+") / "repo").is_dir() for c in cases)


def gradguard_json(path: Path, strict: bool) -> list[dict]:
    path = path.resolve()  # with --in-repo, a link into the repository's tree: the tree is the project
    cmd = [sys.executable, "-m", "gradguard", "check", "--isolated", "--no-cache", "--format", "json", "-j", "1",
           str(path)]
    if strict:
        cmd.append("--strict")
    # this checkout's engine, whatever the working directory (a relative PYTHONPATH would not survive `cwd`)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent, env=env)
    if done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr:
        # a crash also exits 1, the code for "findings": say it, whatever the exit code
        print(f"  ! {path}: exit {done.returncode}: {done.stderr.strip()[-400:]}", file=sys.stderr)
    try:
        found = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return []
    return [f for f in found if Path(path.parent, f["path"]).resolve() == path or Path(f["path"]).resolve() == path]


def extract_with_git(cases: list[dict], mirrors: Path, folder: Path) -> str:
    """<id>/buggy.py (and fixed.py when the case has a fix commit) from MIRRORS/OWNER+NAME/repo."""
    done = 0
    for case in cases:
        git_dir = mirrors / case["repo"].replace("/", "+") / "repo"
        if (git_dir / ".git").is_dir():  # a mirror may hold a .git folder rather than be a bare repository
            git_dir = git_dir / ".git"
        out = folder / case["id"]
        for name, commit in (("buggy.py", case["buggy_commit"]), ("fixed.py", case.get("fix_commit"))):
            if not commit or not git_dir.is_dir():
                continue
            shown = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{case['path']}"],
                                   capture_output=True)
            if shown.returncode == 0:
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(shown.stdout)
                done += name == "buggy.py"
    return f"extracted {done} of {len(cases)} buggy files"


def extract_trees(cases: list[dict], mirrors: Path, folder: Path) -> str:
    """<id>/tree_buggy and <id>/tree_fixed: each repository's Python files at the two commits (only those: a mirror
    may lack its large data files), with an empty .git folder at the top so that the tree is the project root;
    <id>/buggy.py and fixed.py point into them."""
    done = 0
    for case in cases:
        git_dir = mirrors / case["repo"].replace("/", "+") / "repo"
        if (git_dir / ".git").is_dir():
            git_dir = git_dir / ".git"
        for name, commit in (("buggy", case["buggy_commit"]), ("fixed", case.get("fix_commit"))):
            if not commit or not git_dir.is_dir():
                continue
            tree = folder / case["id"] / f"tree_{name}"
            tree.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", "--format=tar", commit, "--",
                                      "*.py"], capture_output=True)
            if archive.returncode != 0:
                continue
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            (tree / ".git").mkdir(exist_ok=True)
            if (tree / case["path"]).is_file():
                (folder / case["id"] / f"{name}.py").symlink_to(tree / case["path"])
                done += name == "buggy"
    return f"extracted {done} of {len(cases)} repository trees at the buggy commit"


def loud(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] in ("error", "warning")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirrors", default=os.environ.get("GRADGUARD_MIRRORS", "/work/.mirror"))
    ap.add_argument("--cases", help="folder with <id>/buggy.py and <id>/fixed.py (skips extraction)")
    ap.add_argument("--shared", default=None, help="the realbugs folder (cases.json, extract.py)")
    ap.add_argument("--list", help="another case list (tools/realbugs2.json: real bugs found in session 7), its files "
                                   "extracted from the mirrors with git show")
    ap.add_argument("--strict", action="store_true", help="check with --strict (information findings still do not count)")
    ap.add_argument("--json", help="write the per-case results here")
    ap.add_argument("--in-repo", action="store_true", help="check each file inside its repository's tree (see above)")
    args = ap.parse_args()

    if args.list:
        listing = Path(args.list)
        cases = json.loads(listing.read_text())
    else:
        shared = Path(args.shared) if args.shared else default_shared()
        if not (shared / "cases.json").is_file():
            print(f"no cases.json in {shared}: pass --shared DIR (the realbugs folder) or set GRADGUARD_REALBUGS",
                  file=sys.stderr)
            return 2
        listing = shared / "cases.json"
        cases = json.loads(listing.read_text())
    if args.cases:
        folder = Path(args.cases)
    elif not mirrors_present(Path(args.mirrors), cases):  # --in-repo needs them too
        print(HOW_TO_GET_MIRRORS.format(where=args.mirrors, cases=listing), file=sys.stderr)
        return 2
    else:
        folder = Path(tempfile.mkdtemp(prefix="gg-realbugs-"))
        if args.in_repo:
            print(extract_trees(cases, Path(args.mirrors), folder), file=sys.stderr)
        elif args.list:
            print(extract_with_git(cases, Path(args.mirrors), folder), file=sys.stderr)
        else:
            done = subprocess.run([sys.executable, str(shared / "extract.py"), args.mirrors, str(folder)],
                                  capture_output=True, text=True)
            print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip(),
                  file=sys.stderr)

    rows, found, noise, missing = [], 0, 0, 0
    print("| case | kind | buggy lines | hit | findings on buggy (e/w) | findings on fixed (e/w) |")
    print("|---|---|---|---|---|---|")
    for case in cases:
        buggy, fixed = folder / case["id"] / "buggy.py", folder / case["id"] / "fixed.py"
        if not buggy.is_file():
            missing += 1
            print(f"| {case['id']} | {case['kind'][:50]} | {case['buggy_lines']} | (not extracted) | | |")
            continue
        every = gradguard_json(buggy, args.strict)
        on_buggy = loud(every)
        quiet_hits = sorted({(f["line"], f["code"]) for f in every if f["severity"] not in ("error", "warning")
                             and f["line"] in case["buggy_lines"]})
        on_fixed = loud(gradguard_json(fixed, args.strict)) if fixed.is_file() else []
        hits = sorted({f["line"] for f in on_buggy if f["line"] in case["buggy_lines"]})
        hit = bool(hits)
        found += hit
        noise += len(on_fixed)
        codes = ",".join(sorted({f["code"] for f in on_buggy if f["line"] in hits})) if hit else ""
        if not hit and quiet_hits:
            codes = "information only: " + ",".join(f"{code}@{line}" for line, code in quiet_hits)
        print(f"| {case['id']} | {case['kind'][:50]} | {case['buggy_lines']} | {'yes ' + codes if hit else ('no ' + codes).strip()} "
              f"| {len(on_buggy)} | {len(on_fixed)} |")
        rows.append({"id": case["id"], "found": hit, "hit_lines": hits,
                     "buggy": [(f["line"], f["code"]) for f in on_buggy], "information_hits": quiet_hits,
                     "fixed": [(f["line"], f["code"]) for f in on_fixed]})
    total = len(cases) - missing
    print()
    print(f"found {found} of {total} cases ({100 * found / max(total, 1):.0f} %); "
          f"{noise} error/warning findings on the fixed versions" + (f"; {missing} not extracted" if missing else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    if not args.cases:
        shutil.rmtree(folder, ignore_errors=True)  # third-party code: not left behind
    return 0 if not missing else 2


if __name__ == "__main__":
    sys.exit(main())
