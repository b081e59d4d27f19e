#!/usr/bin/env python3
"""Are gradguard's quick fixes the fixes real developers made? One row per real-bug case gradguard finds.

For every case a realbugs.py run found (its --json results, alone or --in-repo), the buggy file is extracted from the
repository's git mirror (alone: the file by itself; in repo: the repository's Python files at the buggy commit, the
way realbugs.py --in-repo checks it), gradguard checks it, and the preferred fix of each error/warning finding on a
buggy line is applied. The table then shows, per case: the rule, the kind of our fix, the kind of the developers' fix
(from the diff of the fix commit near the buggy lines), whether the finding is gone after our fix, and the verdict:

  same kind          our fix is the developers' kind of fix (both clone, both out of place, both no_grad, ...)
  different, ok      another kind of fix, judged right (a torch repro, or the reason written beside the verdict)
  different, unsafe  only an unsafe choice, which `check --fix` does not apply (its title says why)
  wrong              our fix leaves the bug, or changes what the program computes
  no fix             gradguard offers only `# noqa` for the finding on the buggy line
  not found          this run found nothing on the buggy lines (the results folder says it did)

The kinds are read from the changed lines (ours: the diff after up to four rounds of preferred fixes, as `check
--fix` applies them; theirs: the fix commit's hunks near the buggy lines). Two kinds that do the same to autograd
(`.data` and `no_grad()`) count as "different, ok"; "recompute" is a fix that only adds statements the file
already has (a forward pass run again after an optimizer step); any other pair of different kinds gets the verdict written in
tools/realbug_fix_verdicts.json ("list/id" -> the kind of our fix it judged, the verdict, why), or `unjudged`.

    python tools/realbugs_fixes.py RESULTS_DIR [--mirrors DIR] [--shared DIR] [--json OUT] [--table OUT.md]
                                   [--show-diffs] [--only ID,ID] [--rows OUT.json]   # --rows: judge again only

RESULTS_DIR holds realbugs.py's --json files, named as /tmp/s15/rb_all.sh names them: shared.json,
shared_repo.json, realbugs14.json, realbugs14_repo.json, ... The third-party files go to a temporary folder and are
removed; nothing of them is written into this repository.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from realbugs import default_shared, extract_trees, extract_with_git, gradguard_json, loud  # noqa: E402
from gradguard.findings import Span, TextEdit  # noqa: E402
from gradguard.fixes import apply_edits, overlaps  # noqa: E402

ROUNDS = 4
VERDICTS = Path(__file__).resolve().parent / "realbug_fix_verdicts.json"

# Kinds of fix, recognised in the changed lines (added, and removed); the first that matches names the fix.
KINDS = [
    ("no_grad", re.compile(r"no_grad\(|torch\.inference_mode|set_grad_enabled\(False")),
    ("data", re.compile(r"\.data\b")),
    ("retain_graph", re.compile(r"retain_graph")),
    ("inplace=False", re.compile(r"inplace\s*=\s*False")),
    ("requires_grad", re.compile(r"requires_grad\s*=\s*True|requires_grad_\(\)")),
    ("clone", re.compile(r"\.clone\(|copy\.deepcopy|torch\.clone\(")),
    ("detach", re.compile(r"\.detach\(")),
]
# Two kinds that do the same thing to autograd: the verdict is "different, ok" without a judgement per case.
EQUIVALENT = {
    frozenset({"no_grad", "data"}): "a parameter changed through `.data` or under `torch.no_grad()`: autograd "
                                    "records neither change, and the parameter stays a leaf",
}


def kind_of(added: str, removed: str = "", source: str = "") -> str:
    code = [ln.strip() for ln in added.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if source and code and not any(ln.strip() and not ln.strip().startswith("#") for ln in removed.splitlines()) \
            and set(code) <= {ln.strip() for ln in source.splitlines()}:
        return "recompute"  # statements of the file run again (after a step), nothing removed
    for name, pattern in KINDS:
        if pattern.search(added) and not pattern.search(removed):
            return name
    if re.search(r"inplace\s*=\s*True", removed) and not re.search(r"inplace\s*=\s*True", added):
        return "inplace=False"  # `nn.LeakyReLU(0.2, inplace=True)` -> `nn.LeakyReLU(0.2)`
    if re.search(r"\b(\w+)_\(", removed) or re.search(r"[+\-*/&|]=", removed):
        if not re.search(r"\b(?!_)\w+_\(", added) or re.search(r"[^=!<>+\-*/&|]=[^=]", added):
            return "out-of-place"
    moved = {ln.strip() for ln in removed.splitlines() if ln.strip() and not ln.strip().startswith("#")}
    if moved and moved <= {ln.strip() for ln in added.splitlines()}:
        return "reorder"  # the same statements, elsewhere
    return "other"


def diff_sides(diff: str) -> tuple[str, str]:
    """(added, removed) lines of a unified diff."""
    lines = [ln for ln in diff.splitlines() if not ln.startswith(("+++", "---"))]
    return ("\n".join(ln[1:] for ln in lines if ln.startswith("+")),
            "\n".join(ln[1:] for ln in lines if ln.startswith("-")))


def edits_text(source: str, edits: list[dict]) -> tuple[str, str]:
    """(added, removed) text of our edits."""
    lines = source.splitlines(keepends=True)
    removed = []
    for e in edits:
        removed.append("".join(lines[e["line"] - 1:e["end_line"]]))
    return "\n".join(e["new_text"] for e in edits), "\n".join(removed)


def our_fix(finding: dict) -> dict | None:
    fixes = [f for f in finding["fixes"] if f["edits"] and not f["title"].startswith("Suppress")]
    return next((f for f in fixes if f["preferred"]), fixes[0] if fixes else None)


def their_hunks(git_dir: Path, case: dict, near: int = 8) -> tuple[str, str, str]:
    """(added, removed, diff text) of the fix commit's hunks of the file near the buggy lines (all hunks if none is
    near)."""
    if not case.get("fix_commit"):
        return "", "", ""
    done = subprocess.run(["git", "--git-dir", str(git_dir), "diff", "-U0", case["buggy_commit"], case["fix_commit"],
                           "--", case["path"]], capture_output=True, text=True, errors="replace")
    hunks, cur = [], None
    for line in done.stdout.splitlines():
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+", line)
        if m:
            start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
            cur = {"start": start, "end": start + max(count, 1) - 1, "lines": [line]}
            hunks.append(cur)
        elif cur is not None:
            cur["lines"].append(line)
    buggy = case["buggy_lines"]
    close = [h for h in hunks if any(h["start"] - near <= b <= h["end"] + near for b in buggy)] or hunks
    added = "\n".join(ln[1:] for h in close for ln in h["lines"][1:] if ln.startswith("+"))
    removed = "\n".join(ln[1:] for h in close for ln in h["lines"][1:] if ln.startswith("-"))
    return added, removed, "\n".join(ln for h in close for ln in h["lines"])


def moved_lines(old: str, new: str, lines: set[int]) -> set[int]:
    """The lines of `new` that `lines` of `old` became: an unchanged line moves with the edits above it; a changed
    one becomes every line that replaced its block (a clone inserted before it, the statement rewritten)."""
    out = set()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for n in lines:
            if i1 < n <= i2 or (tag == "insert" and n == i1 + 1):
                out |= {n - i1 + j1} if tag == "equal" else set(range(j1 + 1, j2 + 1))
    return out


def git_dir_of(mirrors: Path, case: dict) -> Path:
    git_dir = mirrors / case["repo"].replace("/", "+") / "repo"
    return git_dir / ".git" if (git_dir / ".git").is_dir() else git_dir


def to_edits(fix: dict) -> list[TextEdit]:
    return [TextEdit(Span(e["line"], e["column"], e["end_line"], e["end_column"]), e["new_text"], e.get("path"))
            for e in fix["edits"]]


def lists(shared: Path) -> list[tuple[str, list[dict]]]:
    out = [("shared", json.loads((shared / "cases.json").read_text()))]
    for f in sorted((ROOT / "tools").glob("realbugs[0-9]*.json"), key=lambda p: (len(p.stem), p.stem)):
        out.append((f.stem, json.loads(f.read_text())))
    return out


def check_case(name: str, case: dict, mode: str, mirrors: Path, folder: Path) -> dict:
    work = folder / f"{name}-{case['id']}-{mode}"
    work.mkdir(parents=True)
    if mode == "repo":
        extract_trees([case], mirrors, work)
    else:
        extract_with_git([case], mirrors, work)
    buggy = work / case["id"] / "buggy.py"
    row = {"list": name, "id": case["id"], "mode": mode, "repo": case["repo"], "path": case["path"]}
    if not buggy.is_file():
        row["error"] = "not extracted"
        return row
    source = buggy.read_text(encoding="utf-8", errors="replace")
    target = buggy.resolve()
    if buggy.is_symlink():  # in repo: the file in its tree, changed there so that the tree is checked with it
        buggy.unlink()
    lines = set(case["buggy_lines"])
    current, titles, added, removed, rules = source, [], [], [], set()
    for round_ in range(ROUNDS):  # like `check --fix`: a fix may leave a finding whose own fix finishes the job
        hits = [f for f in loud(gradguard_json(target, False)) if f["line"] in lines]
        if round_ == 0:
            row["rules"] = sorted({f["code"] for f in hits})
            rules = set(row["rules"])
        else:
            hits = [f for f in hits if f["code"] in rules]
            row["still_found"] = sorted({(f["line"], f["code"]) for f in hits})
        chosen = []
        # as `check --fix`: the safe fixes; an unsafe one only in a round without any safe one (to show it)
        any_safe = any((our_fix(f) or {}).get("safe") for f in hits)
        for f in hits:
            fix = our_fix(f)
            if fix is None or (any_safe and not fix["safe"]):
                continue
            if any(e.get("path") for e in fix["edits"]):  # an edit of another file (where the module is built)
                if round_ == 0:
                    titles.append(f"{f['code']}@{f['line']}: {fix['title']} (in {fix['edits'][0]['path']})")
                    added.append("\n".join(e["new_text"] for e in fix["edits"]))
                continue
            edits = [e for e in to_edits(fix) if e not in chosen]  # two findings may propose one edit, as --fix
            if not edits or any(overlaps(e.span, t.span) for e in edits for t in chosen):
                continue
            chosen.extend(edits)
            titles.append(f"{f['code']}@{f['line']}: {fix['title']}" + ("" if fix["safe"] else " (unsafe)"))
            a, r = edits_text(current, fix["edits"])
            added.append(a)
            removed.append(r)
        if not chosen:
            break
        try:
            new = apply_edits(current, chosen)
        except Exception as e:  # noqa: BLE001
            row["error"] = f"edits do not apply: {e}"
            break
        lines = moved_lines(current, new, lines)
        current = new
        target.write_text(current, encoding="utf-8")
    row["our_fixes"] = titles
    if current != source:
        row["our_diff"] = "".join(difflib.unified_diff(source.splitlines(keepends=True),
                                                       current.splitlines(keepends=True), n=1))
    if not titles:
        row["our_kind"] = "no fix"
    elif current != source:
        row["our_kind"] = kind_of(*diff_sides(row["our_diff"]), source)
    else:  # only an edit of another file
        row["our_kind"] = kind_of("\n".join(added), "\n".join(removed))
    a, r, diff = their_hunks(git_dir_of(mirrors, case), case)
    row["their_kind"] = kind_of(a, r, source) if diff else "no fix commit"
    row["their_diff"] = diff
    return row


def judge(row: dict, verdicts: dict) -> None:
    """The row's verdict: written in the verdicts file (for the kind of fix offered now), else from the kinds."""
    kinds = frozenset({row.get("our_kind"), row.get("their_kind")})
    auto = ("not found", "no error/warning finding on a buggy line in this run") if not row.get("rules") else \
        ("no fix", "") if row.get("our_kind") == "no fix" else \
        ("same kind", "") if len(kinds) == 1 else \
        ("different, ok", EQUIVALENT[kinds]) if kinds in EQUIVALENT else None
    judged = verdicts.get(f"{row['list']}/{row['id']}")
    if judged and judged.get("ours") not in (None, row.get("our_kind")):
        judged = None  # judged for another fix than the one offered now: judge it again
    row["verdict"], row["why"] = (judged["verdict"], judged.get("why", "")) if judged else (auto or ("unjudged", ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", help="folder of realbugs.py --json results (shared.json, shared_repo.json, ...)")
    ap.add_argument("--mirrors", default=os.environ.get("GRADGUARD_MIRRORS", "/work/.mirror"))
    ap.add_argument("--shared", default=None, help="the realbugs folder (cases.json)")
    ap.add_argument("--json", help="write the rows here")
    ap.add_argument("--only", help="comma-separated case ids")
    ap.add_argument("--rows", help="the rows of an earlier --json run: judge them again (the verdicts file changed), "
                                   "check nothing")
    ap.add_argument("--show-diffs", action="store_true", help="print our diff and theirs under each row")
    ap.add_argument("--table", help="write the table (markdown, with the verdicts' reasons) here")
    args = ap.parse_args()
    shared = Path(args.shared) if args.shared else default_shared()
    results, mirrors = Path(args.results), Path(args.mirrors)
    verdicts = json.loads(VERDICTS.read_text()) if VERDICTS.is_file() else {}
    only = set(args.only.split(",")) if args.only else None
    folder = Path(tempfile.mkdtemp(prefix="gg-realbug-fixes-"))
    rows = json.loads(Path(args.rows).read_text()) if args.rows else []
    for row in rows:
        judge(row, verdicts)
    try:
        for name, cases in ([] if args.rows else lists(shared)):
            found = {}
            for mode, suffix in (("alone", ""), ("repo", "_repo")):
                f = results / f"{name}{suffix}.json"
                if f.is_file():
                    for r in json.loads(f.read_text()):
                        if r["found"]:
                            found.setdefault(r["id"], mode)  # alone when found alone: the file as a user opens it
            for case in cases:
                if case["id"] not in found or (only and case["id"] not in only):
                    continue
                row = check_case(name, case, found[case["id"]], mirrors, folder)
                judge(row, verdicts)
                rows.append(row)
                print(f"| {name} {case['id']} ({row['mode']}) | {','.join(row.get('rules', []))} | "
                      f"{row.get('our_kind')} | {row.get('their_kind')} | {row['verdict']} | "
                      f"{'still found ' + str(row['still_found']) if row.get('still_found') else ''} |", flush=True)
                if args.show_diffs:
                    print("    ours:  " + "; ".join(row.get("our_fixes", [])))
                    print("\n".join("    " + ln for ln in row.get("our_diff", "").splitlines()[2:]))
                    print("    theirs:")
                    print("\n".join("    " + ln for ln in row.get("their_diff", "").splitlines()))
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # third-party code: not left behind
    if args.table:
        with open(args.table, "w") as fh:
            fh.write("| case | rule | our fix | their fix | verdict | why |\n|---|---|---|---|---|---|\n")
            for r in rows:
                fh.write(f"| {r['list']} {r['id']} ({r['mode']}) | {','.join(r.get('rules', []))} | "
                         f"{r.get('our_kind')} | {r.get('their_kind')} | {r['verdict']} | {r['why']} |\n")
    counts = Counter(r["verdict"] for r in rows)
    print()
    print(f"{len(rows)} cases found; " + ", ".join(f"{v}: {n}" for v, n in counts.most_common()))
    print("our kinds: " + ", ".join(f"{k}: {n}" for k, n in Counter(r.get("our_kind") for r in rows).most_common()))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
