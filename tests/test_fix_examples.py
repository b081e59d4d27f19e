"""What `gradguard check --fix` does to every rule example, judged by torch.

All rule examples (``server/gradguard/rules/examples/<CODE>/*.py``, new ones are picked up by the glob) are copied
into a temporary folder and fixed there by the CLI itself (``python -m gradguard check --isolated --fix``, the code
path a user runs). Then:

- every good example is byte-identical: a fix never touches code without a finding;
- every fixed file parses (libcst, the library the fixes are built with) and keeps every comment of the original;
- every bad example is run under torch after the fix. It is *fixed & clean* when it runs without an exception and,
  for a silent bug (no ``torch raises`` marker: the gradient was wrong, not refused), prints what its good twin
  prints (its own closing ``assert not ...  # silently wrong``, which a right fix makes false, may fail); *fixed but still fails* when --fix changed it but torch still raises or the numbers still differ;
  *no fix* when --fix left it alone. At least ``TARGET`` of the bad examples must be fixed & clean. The table per
  rule is printed in the test output.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import libcst
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from example_markers import is_wrongness_check, parse_markers  # noqa: E402
from test_fixes import FIX_GAPS, NO_AUTOMATIC_FIX  # noqa: E402 - reorderings; fixes torch shows wrong
from torch_runner import run_examples  # noqa: E402

from gradguard.rules import EXAMPLES_DIR  # noqa: E402
from gradguard.rules.fix_descriptions import FIX_DESCRIPTIONS  # noqa: E402

TARGET = 0.95
FILES = sorted(EXAMPLES_DIR.glob("GG*/*.py"))
BAD = [p for p in FILES if p.name.startswith("bad_")]
GOOD = [p for p in FILES if p.name.startswith("good_")]
CLEAN, STILL_FAILS, NO_FIX = "fixed & clean", "fixed but still fails", "no fix"


def key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def twin_of(bad: Path) -> Path | None:
    good = bad.with_name("good_" + bad.name[len("bad_"):])
    return good if good.exists() else None


@dataclass
class Outcome:
    original: str
    fixed: str
    verdict: str = NO_FIX
    why: str = ""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("fix-examples")
    copies = {}
    for path in FILES:
        copy = root / path.parent.name / path.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, copy)
        copies[key(path)] = copy
    cli = subprocess.run([sys.executable, "-m", "gradguard", "check", "--isolated", "--fix", str(root)],
                         capture_output=True, text=True, timeout=600)
    assert cli.returncode in (0, 1), f"gradguard check --fix failed ({cli.returncode}):\n{cli.stderr}"
    result = {k: Outcome(p.read_text(encoding="utf-8"), copies[k].read_text(encoding="utf-8"))
              for k, p in ((key(p), p) for p in FILES)}
    changed = [p for p in BAD if result[key(p)].fixed != result[key(p)].original]
    twins = [t for t in (twin_of(p) for p in changed) if t is not None]
    runs = run_examples([str(copies[key(p)]) for p in changed] + [str(t) for t in twins], workers=2)
    for bad in changed:
        outcome = result[key(bad)]
        run = runs[os.path.realpath(copies[key(bad)])]
        twin = twin_of(bad)
        silent = not parse_markers(bad).raises
        if silent and run["raised"] and run["exc_type"] == "AssertionError" and \
                is_wrongness_check(outcome.fixed, run["exc_line"]):
            run = dict(run, raised=False)  # the example's own `assert not ...  # silently wrong` no longer holds
        if run["raised"]:
            outcome.verdict, outcome.why = STILL_FAILS, f"{run['exc_type']}: {run['exc_message'].splitlines()[0]}"
        elif silent and twin is not None and run["stdout"] != runs[os.path.realpath(twin)]["stdout"]:
            outcome.verdict, outcome.why = STILL_FAILS, "prints other numbers than its good twin"
        else:
            outcome.verdict = CLEAN
    return result


def table(outcomes: dict[str, Outcome]) -> str:
    per_rule: dict[str, Counter] = {}
    for bad in BAD:
        per_rule.setdefault(bad.parent.name, Counter())[outcomes[key(bad)].verdict] += 1
    cols = (CLEAN, STILL_FAILS, NO_FIX)
    lines = [f"{'rule':6s}  " + "  ".join(f"{c:>21s}" for c in cols)]
    total: Counter = Counter()
    for code, counts in sorted(per_rule.items()):
        lines.append(f"{code:6s}  " + "  ".join(f"{counts[c]:>21d}" for c in cols))
        total += counts
    lines.append(f"{'all':6s}  " + "  ".join(f"{total[c]:>21d}" for c in cols))
    lines += [f"  {outcomes[key(b)].verdict}: {key(b)} {outcomes[key(b)].why}".rstrip()
              for b in BAD if outcomes[key(b)].verdict != CLEAN]
    return "\n".join(lines)


def test_fixed_bad_examples_run_clean_under_torch(outcomes, capsys):
    report = table(outcomes)
    with capsys.disabled():
        print(f"\n--fix on {len(BAD)} bad rule examples, judged by torch:\n{report}")
    # Measured over the examples a fix is meant for: a reordering (a step moved after a pending backward()) is
    # left to the user by design, and each of those stays unfixed (tests/test_fixes.py checks it); the fixes torch
    # shows wrong are listed, with why, in tests/test_fixes.py, whose strict xfails fail once they are
    # right; a rule whose documented fix is "No automatic fix" (GG305's hook, GG505's Function) offers none by design
    fixable = [b for b in BAD if key(b) not in NO_AUTOMATIC_FIX and key(b) not in FIX_GAPS
               and not FIX_DESCRIPTIONS.get(b.parent.name, "").startswith("No automatic fix")]
    clean = sum(outcomes[key(b)].verdict == CLEAN for b in fixable)
    assert clean >= TARGET * len(fixable), f"only {clean} of {len(fixable)} run clean after --fix:\n{report}"


@pytest.mark.parametrize("good", GOOD, ids=[key(p) for p in GOOD])
def test_fix_leaves_good_examples_alone(good, outcomes):
    outcome = outcomes[key(good)]
    assert outcome.fixed == outcome.original, "--fix changed a program without findings"


def comments(source: str) -> Counter:
    return Counter(t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                   if t.type == tokenize.COMMENT)


@pytest.mark.parametrize("bad", BAD, ids=[key(p) for p in BAD])
def test_fixed_text_parses_and_keeps_comments(bad, outcomes):
    outcome = outcomes[key(bad)]
    module = libcst.parse_module(outcome.fixed)
    assert module.code == outcome.fixed
    lost = comments(outcome.original) - comments(outcome.fixed)
    assert not lost, f"--fix dropped comments: {sorted(lost)}"
    # formatting: apart from the lines a fix rewrites (a few per finding), every line is kept as written (a line
    # moved into a `with` block keeps its text, one level deeper)
    kept = Counter(line.strip() for line in outcome.fixed.splitlines())
    gone = [line for line in outcome.original.splitlines() if line.strip() and not kept[line.strip()]]
    allowed = 2 * len(parse_markers(bad).expect)
    assert len(gone) <= allowed, f"--fix rewrote {len(gone)} lines (at most {allowed}): {gone}"
