"""Random edit sequences on real files: after every keystroke-sized step, analyze() answers in bounded time.

Seeds are the bundled examples (every rule's bad and good programs, examples/) and, in the test that asks for
it, files of the real-code corpus. Each step inserts or deletes characters, whole lines, brackets, quotes,
indentation, odd line endings... (`fuzzing.SNIPPETS`, `fuzzing.OPS`). Checked after each step
(`fuzzing.analyse_and_check`): no exception, the engine's time bound, one-line error or findings, spans inside
the text, fixes that apply, and never a finding inside a block that does not parse.
"""

from __future__ import annotations

import ast

import itertools

import pytest
from fuzzing import analyse_and_check, apply, edits_strategy, example_files, fuzz_settings, parses, read
from hypothesis import given, note
from hypothesis import strategies as st

EXAMPLES = example_files()


@fuzz_settings(scale=3)
@given(seed=st.sampled_from(EXAMPLES), edits=edits_strategy)
def test_edits_of_the_bundled_examples(seed, edits):
    text = read(seed)
    note(f"seed file: {seed}")
    for edit in edits:
        text = apply(text, edit)
        analyse_and_check(text, str(seed))


@fuzz_settings(scale=0.5)
@given(data=st.data())
def test_edits_of_corpus_files(corpus_files, data):
    small = [p for p in corpus_files if p.stat().st_size < 60_000]  # keep one example under a few seconds
    seed = data.draw(st.sampled_from(small), label="seed")
    text = read(seed)
    for edit in data.draw(edits_strategy, label="edits"):
        text = apply(text, edit)
        analyse_and_check(text, str(seed))


@fuzz_settings(scale=3)
@given(seed=st.sampled_from(EXAMPLES), edits=edits_strategy)
def test_partial_parse_of_text_that_parses_is_the_whole_parse(seed, edits):
    """The block splitter never changes code that parses: same tree, same positions, nothing broken."""
    from gradguard.analysis.partial import parse_partially

    text = read(seed)
    for edit in edits:
        text = apply(text, edit)
        if not parses(text):
            continue
        module, broken = parse_partially(text)
        expected = ast.parse(text)
        assert broken == []
        if module is None:
            assert expected.body == []
        else:
            assert ast.dump(module, include_attributes=True) == ast.dump(expected, include_attributes=True)


_PATHS = itertools.count(1)


def found(result) -> list[tuple]:
    return sorted((f.code, f.span.line, f.span.column, f.severity.value) for f in result.findings)


@fuzz_settings(scale=2)
@given(seed=st.sampled_from(EXAMPLES), edits=edits_strategy)
def test_incremental_analysis_matches_a_full_one(seed, edits):
    """analyze(incremental=True) (the server's path: re-walks only what an edit can affect) finds after every
    step exactly what a full analysis of the same text finds."""
    from gradguard.engine import analyze, forget

    path = f"/nonexistent/incremental{next(_PATHS)}.py"
    text = read(seed)
    try:
        assert found(analyze(text, path, incremental=True)) == found(analyze(text, path))
        for edit in edits:
            text = apply(text, edit)
            incremental = analyze(text, path, incremental=True)
            full = analyze(text, path)
            if full.error is None or not full.error.startswith("syntax error"):
                assert found(incremental) == found(full), text
            else:  # half-typed: the server's path may reuse what scopes found when the file last parsed
                assert incremental.error is not None and incremental.error.startswith("syntax error")
    finally:
        forget(path)


INCREMENTAL_CASES = {
    "a statement appended after `y = x + 1`": [
        "import torch\ns = '😀'; x = torch.ones(3, requires_grad=True)\nx += 1\n",
        "import torch\ns = '😀'; x = torch.ones(3, requires_grad=True)\ny = x + 1\n",
        "import torch\ns = '😀'; x = torch.ones(3, requires_grad=True)\ny = x + 1\nx.add_(1)\n",
    ],
    "the first line swapped below the imports": [
        read(EXAMPLES[0].parent.parent / "GG501" / "bad_backward_after_conditional_backward.py"),
        apply(read(EXAMPLES[0].parent.parent / "GG501" / "bad_backward_after_conditional_backward.py"),
              ("swap_lines", 0, 145, "(")),
    ],
    # forward's findings read the layers __init__ builds: deleting `self.act = nn.ReLU(...)` from __init__ (a
    # method body, which the class's own fingerprint leaves out) must walk forward again
    "a layer deleted from __init__": [
        read(EXAMPLES[0].parent.parent / "GG201" / "bad_inplace_from_class_attribute.py"),
        read(EXAMPLES[0].parent.parent / "GG201" / "bad_inplace_from_class_attribute.py").replace(
            "        self.act = nn.ReLU(inplace=self.inplace)\n", ""),
    ],
    # a backward() in one method reads the attribute a hook registered by another method sets: renaming what the
    # hook sets (the other method's body) must walk the first method again
    "the attribute a hook sets renamed in another method": [
        HOOKED := read(EXAMPLES[0].parent.parent / "GG503" / "bad_loss_from_attribute_a_forward_hook_sets.py").replace(
            "loss = -torch.mean(self.target)", "loss = -torch.mean(self.conv_output)"),
        HOOKED.replace("self.conv_output = output[0, self.channel]", "self.other = output[0, self.channel]"),
        HOOKED,
    ],
}



@pytest.mark.parametrize("case", list(INCREMENTAL_CASES))
def test_incremental_known_differences(case):
    from gradguard.engine import analyze, forget

    path = f"/nonexistent/known-{abs(hash(case))}.py"
    try:
        for text in INCREMENTAL_CASES[case]:
            assert found(analyze(text, path, incremental=True)) == found(analyze(text, path)), text
    finally:
        forget(path)
