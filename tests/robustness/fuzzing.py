"""Shared by the robustness tests: hypothesis profiles, the edits a typing user makes, and what every analysis
result must satisfy.

    GRADGUARD_FUZZ=long            the long run (`make fuzz`): profile "long", the whole corpus
    GRADGUARD_FUZZ_EXAMPLES=N      override max_examples of the chosen profile
    GRADGUARD_FUZZ_PROFILE=name    pick a hypothesis profile by name
"""

from __future__ import annotations

import ast
import os
import re
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent.parent
LONG = os.environ.get("GRADGUARD_FUZZ", "").lower() == "long"

# Applied per test (`fuzz_settings()`), never loaded globally, so other suites' hypothesis tests keep theirs.
# deadline=None: the bound that matters is the engine's own time limit, which the checks below assert.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=int(os.environ.get("GRADGUARD_FUZZ_EXAMPLES", 12)), deadline=None,
                          derandomize=True, print_blob=True, database=None, suppress_health_check=_SLOW_OK)
settings.register_profile("long", max_examples=int(os.environ.get("GRADGUARD_FUZZ_EXAMPLES", 500)),
                          deadline=None, print_blob=True, suppress_health_check=_SLOW_OK)
PROFILE = os.environ.get("GRADGUARD_FUZZ_PROFILE") or ("long" if LONG else "ci")


# What the fuzz tests tried, printed at the end of the run (conftest.pytest_terminal_summary).
STATS: dict[str, str] = {}


def fuzz_settings(scale: float = 1.0, **overrides) -> settings:
    """The chosen profile, with max_examples scaled for a cheaper or dearer test."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(1, int(base.max_examples * scale)), **overrides)


# -- inputs ---------------------------------------------------------------------------------------------------

CORPUS = Path(os.environ.get("GRADGUARD_CORPUS", "/tmp/gradguard-corpus")) / "src"
FETCH = REPO / "bench" / "fetch_corpus.sh"


def corpus_files_now() -> list[Path]:
    return sorted(CORPUS.rglob("*.py")) if CORPUS.is_dir() else []


def example_files() -> list[Path]:
    """The bundled example programs: every rule's bad/good examples and examples/."""
    files = sorted((REPO / "server" / "gradguard" / "rules" / "examples").glob("*/*.py"))
    return files + sorted((REPO / "examples").glob("*.py"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# -- edits ----------------------------------------------------------------------------------------------------

# What a user types: brackets and quotes left open, keywords half written, indentation, odd line endings,
# characters outside the BMP, and a few things no editor should send but some do.
SNIPPETS = [
    "(", ")", "[", "]", "{", "}", "'", '"', '"""', "'''", ":", ",", ".", "=", "+=", "*=", "\\", "#", " ",
    "\n", "\r\n", "\r", "    ", "\t", "\x0c", "é", "😀", "\ufeff", "\x00",
    "def f(", "def g(x):\n    return x\n", "class C(nn.Module):", "if x:", "else:", "elif", "for i in range(3):",
    "while True:", "try:", "except:", "with torch.no_grad():", "lambda", "@", "@torch.no_grad()\n", "return",
    "yield", "async ", "await ", "global x", "nonlocal x", "import torch\n", "from torch import nn\n",
    "x.add_(1)", "y.mul_(2)", "x += 1", "out.relu_()", ".backward()", "loss.backward()\n", "torch.sigmoid(",
    "torch.ones(3, requires_grad=True)", "x = torch.ones(3, requires_grad=True)\nx += 1\n", "[0]", "[:, 1:]",
    ".data", ".detach()", "print 'py2'", "exec 'x=1'", "f'{", "b'\\xff'", "(" * 30, ")" * 30, "# noqa",
    "if True:\n" + "    " * 3 + "pass\n",
]

OPS = ("insert", "delete", "delete_line", "duplicate_line", "indent", "dedent", "swap_lines", "truncate",
       "replace", "join_lines", "split_line")

edit_strategy = st.tuples(st.sampled_from(OPS), st.integers(0, 1 << 24), st.integers(0, 1 << 24),
                          st.sampled_from(SNIPPETS))
edits_strategy = st.lists(edit_strategy, min_size=1, max_size=8)


def _snap(text: str, offset: int) -> int:
    """Never between the \\r and the \\n of a \\r\\n: no editor position can say that."""
    offset = max(0, min(offset, len(text)))
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        offset -= 1
    return offset


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end incl. terminator) of every line, terminators as Python and LSP count them."""
    spans, start = [], 0
    for m in re.finditer(r"\r\n|\r|\n", text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def as_replacement(text: str, edit) -> tuple[int, int, str]:
    """The edit as one replacement (start offset, end offset, new text) of `text`."""
    op, a, b, snippet = edit
    n = len(text)
    lines = _line_spans(text)
    la = lines[a % len(lines)]
    lb = lines[b % len(lines)]
    if op == "insert":
        at = _snap(text, a % (n + 1))
        return at, at, snippet
    if op == "delete":
        start = _snap(text, a % (n + 1))
        return start, _snap(text, start + 1 + b % 40), ""
    if op == "replace":
        start = _snap(text, a % (n + 1))
        return start, _snap(text, start + b % 8), snippet
    if op == "truncate":
        at = _snap(text, a % (n + 1))
        return at, n, ""
    if op == "delete_line":
        return la[0], la[1], ""
    if op == "duplicate_line":
        line = text[la[0]:la[1]]
        return la[0], la[0], line if line.endswith(("\n", "\r")) else line + "\n"
    if op == "indent":
        return la[0], la[0], "\t" if b % 5 == 0 else "    "
    if op == "dedent":
        line = text[la[0]:la[1]]
        strip = len(line) - len(line.lstrip(" \t"))
        return la[0], la[0] + min(strip, 1 + b % 8), ""
    if op == "swap_lines":
        first, second = sorted((la, lb))
        if first == second:
            return first[0], first[0], ""
        one, two = text[first[0]:first[1]], text[second[0]:second[1]]
        if not two.endswith(("\n", "\r")):
            two, one = two + "\n", one.rstrip("\r\n")
        return first[0], second[1], two + text[first[1]:second[0]] + one
    if op == "join_lines":
        end = la[1]
        body = text[la[0]:end].rstrip("\r\n")
        return la[0] + len(body), end, ""
    if op == "split_line":
        at = _snap(text, la[0] + (b % (la[1] - la[0] + 1)))
        return at, at, "\n"
    raise AssertionError(op)


def apply(text: str, edit) -> str:
    start, end, new = as_replacement(text, edit)
    return text[:start] + new + text[end:]


# -- what every result satisfies ---------------------------------------------------------------------------


def python_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def time_bound() -> float:
    """The engine's per-file time limit, plus parsing (not counted by it) and a loaded CI machine."""
    from gradguard.analysis.checker import DEFAULT_TIME_LIMIT

    return DEFAULT_TIME_LIMIT * 1.5 + 5


def analyse_and_check(text: str, path: str = "fuzzed.py"):
    """analyze() must return, in bounded time, findings or one clear message; never a finding in a broken block."""
    from gradguard.analysis.partial import parse_partially
    from gradguard.engine import analyze
    from gradguard.fixes import apply_edits

    started = time.monotonic()
    result = analyze(text, path)
    elapsed = time.monotonic() - started
    assert elapsed < time_bound(), f"analysis took {elapsed:.1f} s"
    assert isinstance(result.findings, list)
    if result.error is not None:
        assert isinstance(result.error, str) and result.error.strip(), repr(result.error)
        assert "\n" not in result.error, f"not one line: {result.error!r}"
    source = text[1:] if text.startswith("\ufeff") else text  # the engine drops one BOM
    lines = python_lines(source)
    for f in result.findings:
        span = f.span
        assert 1 <= span.line <= span.end_line <= len(lines), (span, len(lines))
        assert span.column >= 1 and span.end_column >= 1, span
        for fix in f.fixes:  # the quick fixes must at least apply to the text they were made for
            assert isinstance(apply_edits(text, fix.edits), str)
    if result.error and result.error.startswith("syntax error"):
        _, broken = parse_partially(source)
        for f in result.findings:
            for first, last in broken:
                assert not first <= f.span.line <= last, f"finding {f.code} at line {f.span.line} in broken {first}-{last}"
    return result


def parses(text: str) -> bool:
    try:
        ast.parse(text)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
