"""Half-typed code: the top-level blocks that parse are still analysed (analysis/partial.py), and the blocks
that do not never get a finding."""

from __future__ import annotations

import ast
import textwrap

import pytest
from gradguard.analysis import partial
from gradguard.analysis.partial import block_starts, parse_partially, split_lines
from gradguard.engine import analyze

# Two module classes, each with a finding torch confirms (GG201: sigmoid's output changed in place in forward).
TWO_MODELS = '''\
import torch
from torch import nn


class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        g = torch.sigmoid(self.lin(x))
        out = x * g
        g.mul_(0.5)
        return out


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        g = torch.sigmoid(self.lin(x))
        out = x * g
        g.add_(1)
        return out
'''
A_LINE, B_LINE = 13, 25


def found(text: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in analyze(text, "model.py").findings]


def test_both_findings_when_it_parses():
    assert found(TWO_MODELS) == [("GG201", A_LINE), ("GG201", B_LINE)]


@pytest.mark.parametrize("broken_line", [
    "        out = x * (",            # an unclosed bracket in A's forward
    "        out = x *",              # half an expression
    "        if out",                 # a half-typed if
    '        s = """never closed',     # an unclosed triple-quoted string... to the end of its block
])
def test_one_broken_method_does_not_hide_the_other_class(broken_line):
    lines = TWO_MODELS.splitlines(keepends=True)
    lines[11] = broken_line + "\n"  # `out = x * g` of A
    text = "".join(lines)
    result = analyze(text, "model.py")
    assert result.error.startswith("syntax error at line ")
    if broken_line.startswith('        s = """'):  # everything after the quote is a string to Python
        return
    assert result.error.endswith("(findings from the parts that parse are shown)")
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", B_LINE)]
    assert result.broken_ranges == [(5, 14)]  # class A, up to its last line of code


def test_the_broken_block_itself_gets_nothing_and_the_message_names_the_line():
    text = TWO_MODELS.replace("        out = x * g\n        g.add_(1)", "        out = x * g)\n        g.add_(1)")
    result = analyze(text, "model.py")
    assert result.error.startswith("syntax error at line 24, column 20: unmatched ')'")
    assert [(f.code, f.span.line) for f in result.findings] == [("GG201", A_LINE)]
    assert not any(17 <= f.span.line <= 26 for f in result.findings)


def test_nothing_parses_or_nothing_found_keeps_the_plain_message():
    result = analyze("def f(:\n    pass\n", "x.py")
    assert result.error == "syntax error at line 1, column 7: invalid syntax" and result.findings == []
    result = analyze("import torch\nx = (\n", "x.py")
    assert result.findings == [] and "findings from the parts" not in result.error


def test_script_statements_after_a_broken_block_are_not_guessed():
    """A skipped statement may have changed what the next ones see (here: `x = x.detach()` half typed)."""
    text = "import torch\nx = torch.ones(3, requires_grad=True)\nx = x.detach(\nx += 1\n"
    assert found(text) == []
    # before the broken block, the script is analysed
    text = "import torch\nx = torch.ones(3, requires_grad=True)\nx += 1\ny = x.detach(\n"
    result = analyze(text, "x.py")
    assert [(f.code, f.span.line) for f in result.findings] == [("GG101", 3)]
    assert result.error.startswith("syntax error at line 4")


def test_script_after_a_broken_def_only_with_the_switch(monkeypatch):
    text = "import torch\ndef helper(:\n    pass\nx = torch.ones(3, requires_grad=True)\nx += 1\n"
    assert found(text) == []
    monkeypatch.setattr(partial, "SCRIPT_AFTER_BROKEN_DEF", True)
    assert found(text) == [("GG101", 5)]
    # ... but not when the broken "def" swallowed script lines at column 0 (an unclosed signature)
    assert found("import torch\ndef helper(a,\nx = torch.ones(3, requires_grad=True)\nx = x.detach()\n"
                 "def g():\n    pass\nx += 1\n") == []


def test_block_starts():
    text = textwrap.dedent('''\
        import torch                # 1
        # a comment
        @decorator                  # 3
        # comment between
        @other(
        a=1)

        def f(x):
            s = """
        text at column 0
        def not_a_def():
        """
            return s
        x = [                       # 14
        1,
        ]
        if x:                       # 17
            pass
        else:
            pass
        try:                        # 21
            pass
        except Exception:
            pass
        finally:
            pass
        y = 1 + \\
        2
        z = foo(                    # 29
        def g():                    # 30
            return (
        1)                          # 32: after an indented line (parse_partially glues it back)
        w = 1                       # 33
        ''')
    starts = [i + 1 for i in block_starts(split_lines(text))]
    assert starts == [1, 3, 14, 17, 21, 27, 29, 30, 32, 33]


def test_an_unclosed_bracket_ends_where_the_code_dedents_to_column_0():
    text = "def f(x):\n    y = g(x,\n    return y\ndef h():\n    pass\n"
    module, broken = parse_partially(text)
    assert broken == [(1, 3)]
    assert [type(n).__name__ for n in module.body] == ["FunctionDef"] and module.body[0].lineno == 4


def test_a_closing_bracket_at_column_0_never_starts_a_block():
    """transformers' Trainer: a decorator whose arguments close at column 0, then a 5,000-line class."""
    text = '@requires(\n    backends=(\n        "torch",\n    )\n)\nclass Trainer:\n' + "    x = 1\n" * 5000
    assert block_starts(split_lines(text)) == [0]
    module, broken = parse_partially(text + "def f(:\n")
    assert broken == [(5007, 5007)] and module.body[0].name == "Trainer" and module.body[0].decorator_list


def test_real_line_numbers_and_columns_with_any_line_ending():
    for newline in ("\n", "\r\n", "\r"):
        text = newline.join(["import torch", "def f(:", "    pass", "", "class C:", "    x = 1", ""])
        module, broken = parse_partially(text)
        assert broken == [(2, 3)]
        cls = module.body[1]
        assert (cls.lineno, cls.end_lineno, cls.body[0].lineno, cls.body[0].col_offset) == (5, 6, 6, 4)


def test_a_block_retried_with_the_next_ones_until_it_parses():
    """Lines at column 0 inside a bracket after an indented line look like new blocks: the retry glues them."""
    text = "x = foo(\n    a,\nb)\nif x:\n    pass\ny = (\n"
    module, broken = parse_partially(text)
    assert [type(n).__name__ for n in module.body] == ["Assign", "If"]
    assert broken == [(6, 6)]


def test_split_lines_matches_pythons_line_count():
    text = "a\r\nb\rc\nd\x0ce\u2028f\x1cg\x85h"
    assert split_lines(text) == ["a\r\n", "b\r", "c\n", "d\x0ce\u2028f\x1cg\x85h"]
    assert len(split_lines(text)) == ast.parse("a\r\nb\rc\nd", mode="exec").body[-1].lineno


def test_decorators_stay_with_their_function():
    text = "@torch.no_grad()\n\ndef step(p):\n    p.add_(1)\n\ndef broken(:\n    pass\n"
    module, broken = parse_partially(text)
    assert broken == [(6, 7)]
    [fn] = module.body
    assert fn.name == "step" and fn.decorator_list and fn.lineno == 3


def test_every_valid_example_splits_back_into_its_own_tree():
    from fuzzing import example_files, read

    for path in example_files():
        text = read(path)
        module, broken = parse_partially(text)
        assert broken == [], path
        assert ast.dump(module, include_attributes=True) == ast.dump(ast.parse(text), include_attributes=True), path


def test_valid_corpus_files_split_back_into_their_own_tree(corpus_files):
    """On real code (a seeded sample in CI, all of it with GRADGUARD_FUZZ=long): the splitter loses nothing."""
    import random

    from fuzzing import LONG, read

    files = corpus_files if LONG else random.Random(7).sample(corpus_files, min(60, len(corpus_files)))
    for path in files:
        text = read(path)
        module, broken = parse_partially(text)
        assert broken == [], path
        expected = ast.parse(text)
        assert (module is None and not expected.body) or ast.dump(module) == ast.dump(expected), path
