"""The incremental path (the server's, on every keystroke) gives exactly what a full analysis gives.

Random edit sequences over real example files: after every edit, incremental and full results are compared
finding by finding (code, severity, message, span, related spans)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gradguard import engine
from gradguard.rules import EXAMPLES_DIR

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "examples").glob("*.py")) + sorted(EXAMPLES_DIR.glob("GG2*/bad_*.py"))[:12]
SNIPPETS = ["x = 1\n", "    pass\n", "y = torch.sigmoid(y)\n", "        h += 1\n", "\n", "# comment\n",
            "def helper(t):\n    t.mul_(2)\n", "z = x * 2\n", "(\n", "        h = torch.exp(h)\n"]


def summary(result):
    return (result.error is not None,
            sorted((f.code, f.severity.value, f.message, f.span.line, f.span.column, f.span.end_line,
                    f.span.end_column, tuple((r.span.line, r.span.column, r.message) for r in f.related))
                   for f in result.findings))


def edit(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    i = rng.randrange(len(lines) + 1)
    kind = rng.random()
    if kind < 0.4 and lines:  # type a character inside a line
        j = rng.randrange(len(lines))
        line = lines[j]
        k = rng.randrange(len(line)) if line else 0
        lines[j] = line[:k] + rng.choice("abx_ 1+*().") + line[k:]
    elif kind < 0.7:
        lines.insert(i, rng.choice(SNIPPETS))
    elif lines:
        del lines[rng.randrange(len(lines))]
    return "".join(lines)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_incremental_equals_full(path):
    rng = random.Random(path.name)
    text = path.read_text()
    doc = f"incremental-test://{path.name}"
    engine.forget(doc)
    for step in range(25):
        inc = engine.analyze(text, doc, incremental=True)
        full = engine.analyze(text, doc)
        if full.error is None or not full.error.startswith("syntax error"):
            assert summary(inc) == summary(full), f"step {step}"
        else:  # half-typed: best effort from the parts that parse, never inside the broken part
            assert inc.error is not None and inc.error.startswith("syntax error")
            broken = getattr(inc, "broken_ranges", [])
            assert not any(a <= f.span.line <= b for f in inc.findings for a, b in broken)
        text = edit(text, rng)
    engine.forget(doc)


INDEPENDENT = """import torch
import torch.nn as nn


class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        h = torch.sigmoid(self.fc(x))
        h += 1
        return h


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return torch.relu(self.fc(x))
"""


def test_typing_reuses_scopes(monkeypatch):
    """A keystroke inside A.forward walks only A.forward again: not A.__init__, not B, not the module."""
    from gradguard.analysis import checker

    doc = "incremental-test://reuse"
    engine.forget(doc)
    first = engine.analyze(INDEPENDENT, doc, incremental=True)
    assert [(f.code, f.span.line) for f in first.findings] == [("GG201", 12)]
    walked = []
    real = checker.run_unit

    def spy(info, unit, *args):
        walked.append(unit)
        return real(info, unit, *args)

    monkeypatch.setattr(checker, "run_unit", spy)
    edited = INDEPENDENT.replace("        h += 1\n", "        h += 1  # typing\n")
    engine.analyze(edited, doc, incremental=True)
    assert sorted((u[2], u[1].name) for u in walked) == [("A", "forward")]
    walked.clear()
    moved = "# a new first line\n" + edited  # every statement moves down: nothing is walked again
    result = engine.analyze(moved, doc, incremental=True)
    assert walked == [] and [(f.code, f.span.line) for f in result.findings] == [("GG201", 13)]
    engine.forget(doc)


def test_half_typed_code_reparses_and_rewalks_only_the_broken_function(monkeypatch):
    """While A.forward does not parse, a keystroke in it parses the lines of class A alone (the top-level statement
    around it, not the file) and walks no scope again; B's finding stays, A's broken lines never get one."""
    from gradguard import pyparse
    from gradguard.analysis import checker

    text = INDEPENDENT.replace("return torch.relu(self.fc(x))", "y = torch.relu(self.fc(x))\n        y += 1\n"
                               "        return y")
    doc = "incremental-test://half-typed"
    engine.forget(doc)
    assert [(f.code, f.span.line) for f in engine.analyze(text, doc, incremental=True).findings] == [
        ("GG201", 12), ("GG201", 23)]
    typed = text.replace("        h += 1\n", "        h += (\n")
    first = engine.analyze(typed, doc, incremental=True)
    assert first.error.startswith("syntax error at line 12")
    assert [(f.code, f.span.line) for f in first.findings] == [("GG201", 23)]
    parsed, walked = [], []
    real_parse, real_run = pyparse.parse, checker.run_unit
    monkeypatch.setattr(pyparse, "parse", lambda source, *a: parsed.append(source.strip()) or real_parse(source, *a))
    monkeypatch.setattr(checker, "run_unit", lambda info, unit, *a: walked.append(unit) or real_run(info, unit, *a))
    more = typed.replace("        h += (\n", "        h += (1\n")
    result = engine.analyze(more, doc, incremental=True)
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", 23)]
    assert walked == []
    # every parse (the statement's, and parse_partially's of its blocks: the blank lines above it, class A) is of
    # class A's lines alone
    code = [text for text in parsed if text]
    assert code and all(text.startswith("class A(nn.Module):") and "class B" not in text for text in code)
    fixed = more.replace("        h += (1\n", "        h += (1)\n")
    assert summary(engine.analyze(fixed, doc, incremental=True)) == summary(engine.analyze(fixed, doc))
    engine.forget(doc)


def test_two_broken_places_that_close_each_other_are_judged_on_the_whole_text():
    """One edit opens a triple-quoted string, a later one elsewhere closes it: each region alone does not parse,
    the whole file does."""
    text = "import torch\n\na = 1\nb = 2\nc = 3\n\nx = torch.ones(2, requires_grad=True)\nx += 1\n"
    doc = "incremental-test://two-gaps"
    engine.forget(doc)
    steps = [text, text.replace("a = 1", 'a = """'), text.replace("a = 1", 'a = """').replace("c = 3", 'c = """')]
    for step in steps:
        inc, full = engine.analyze(step, doc, incremental=True), engine.analyze(step, doc)
        assert summary(inc) == summary(full)
        assert (inc.error is None) == (step is not steps[1])
    assert [(f.code, f.span.line) for f in engine.analyze(steps[2], doc, incremental=True).findings] == [
        ("GG101", 8)]
    engine.forget(doc)


def test_an_analysis_leaves_no_garbage_for_the_cyclic_collector():
    """Everything a keystroke's analysis drops is freed by reference counting: no reference cycles (a context
    and its Reporter, a recursive closure) left for the collector, whose passes stalled the server for 10-20 ms
    every few keystrokes on a large file."""
    import gc

    text = INDEPENDENT
    doc = "incremental-test://garbage"
    engine.forget(doc)
    engine.analyze(text, doc, incremental=True)
    engine.analyze(text, doc)
    gc.collect()
    gc.disable()
    try:
        for i in range(5):
            text = text.replace("        h += 1\n", f"        h += 1  # {i}\n", 1) if i % 2 else text + f"\nz{i} = {i}\n"
            engine.analyze(text, doc, incremental=True)
            engine.analyze(text, doc)
        assert gc.collect() == 0
    finally:
        gc.enable()
        engine.forget(doc)


def edit_in_function(text: str, rng: random.Random) -> str:
    """An edit on a line inside a function's body (where typing re-parses only part of the file): a character
    typed, a statement or a blank/comment line inserted at the indentation of the line before, a line deleted."""
    import ast

    lines = text.splitlines(keepends=True)
    try:
        bodies = [(fn.body[0].lineno, fn.end_lineno) for fn in ast.walk(ast.parse(text))
                  if isinstance(fn, ast.FunctionDef)]
    except SyntaxError:
        bodies = []
    if not bodies:
        return edit(text, rng)
    first, last = rng.choice(bodies)
    j = rng.randrange(first - 1, last)
    line = lines[j]
    indent = line[:len(line) - len(line.lstrip())] if line.strip() else "        "
    kind = rng.random()
    if kind < 0.4:
        k = rng.randrange(len(line)) if line else 0
        lines[j] = line[:k] + rng.choice("abx_ 1+*().:") + line[k:]
    elif kind < 0.8:
        lines.insert(j + 1, indent + rng.choice(["y = x + 1", "x.add_(1)", "pass", "# note", "", "if x:",
                                                 "    z = 2", "return x", "(", "'''"]) + "\n")
    else:
        del lines[j]
    return "".join(lines)


def with_functions(paths: list[Path], count: int) -> list[Path]:
    """The first `count` files that define a function of 3+ statements."""
    import ast

    def long_function(path):
        return any(isinstance(n, ast.FunctionDef) and len(n.body) >= 3 for n in ast.walk(ast.parse(path.read_text())))
    return [p for p in paths if long_function(p)][:count]


@pytest.mark.parametrize("path", with_functions(FILES, 10) +
                         with_functions(sorted((ROOT / "tests" / "recall").glob("bad_*.py")), 10), ids=lambda p: p.name)
def test_incremental_parse_equals_full_parse(path):
    """The tree a keystroke re-parses part of (a block's statements, a function, a top-level statement) is the tree
    a parse of the whole text gives: every node, with its positions."""
    import ast

    from gradguard.analysis.incremental import IncrementalAnalyzer

    rng = random.Random("parse:" + path.name)
    text = path.read_text()
    doc = IncrementalAnalyzer()
    blocks = []  # what each statement-level re-parse answered
    real = doc.reparse_statements
    doc.reparse_statements = lambda *args: blocks.append(real(*args)) or blocks[-1]
    compared = 0
    good = text
    for step in range(400):  # until enough edits parsed (how many a typist breaks depends on the file)
        if step >= 100 and compared >= 25 and blocks.count(True) >= 2:
            break
        tree, broken, _ = doc.parse(text, str(path))
        try:
            full = ast.parse(text)
        except SyntaxError:
            full = None
        if full is not None:
            assert not broken
            assert ast.dump(tree, include_attributes=True) == ast.dump(full, include_attributes=True), f"step {step}"
            compared += 1
            good = text
        elif rng.random() < 0.5:
            text = good  # the typist fixes it (sometimes only later)
        text = edit_in_function(text, rng)
    assert compared >= 25 and blocks.count(True) >= 2


def test_a_line_typed_below_a_functions_last_statement_continues_it():
    """`h = h * 2` typed on a new line after `return h`, before the blank line that ends A.forward: the region
    after the function starts indented, so it is parsed with the function (parsed alone it was an
    IndentationError, and the keystroke reported a syntax error the file does not have)."""
    doc = "incremental-test://continue"
    engine.forget(doc)
    engine.analyze(INDEPENDENT, doc, incremental=True)
    edited = INDEPENDENT.replace("        return h\n", "        return h\n        h = h * 2\n")
    inc = engine.analyze(edited, doc, incremental=True)
    assert inc.error is None
    assert summary(inc) == summary(engine.analyze(edited, doc))
    engine.forget(doc)
