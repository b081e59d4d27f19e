"""The pure parts of the server: positions, moving ranges with edits, noqa edits, fix-all, settings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from gradguard.findings import Finding, Fix, Severity, Span, TextEdit
from gradguard.lsp.features import CommentMap, build_entries, fix_all_edits, kind_requested, noqa_edit
from gradguard.lsp.settings import Settings, SettingsError, parse_settings, unwrap_init_options
from gradguard.lsp.text import UTF8, UTF16, UTF32, LineIndex, apply_change, full_replacement_edit, move_range

ALPHABET = st.sampled_from(["a", "b", " ", "\n", "\r\n", "é", "\U0001F600", "#", "x"])
texts = st.lists(ALPHABET, max_size=40).map("".join)


def test_span_to_range_counts_utf16_units_for_astral_characters():
    index = LineIndex('s = "\U0001F600"; x += 1\n', UTF16)
    # `x` is code point 9 (1-based column 10); the emoji takes two UTF-16 units, four UTF-8 ones
    assert index.span_range(Span(1, 10, 1, 16)) == types.Range(types.Position(0, 10), types.Position(0, 16))
    assert LineIndex(index.text, UTF32).span_range(Span(1, 10, 1, 16)).start.character == 9
    assert LineIndex(index.text, UTF8).span_range(Span(1, 10, 1, 16)).start.character == 12
    assert index.cp_position(types.Position(0, 10)) == (1, 10)
    assert index.cp_position(types.Position(0, 6)) == (1, 6)  # the middle of the emoji: its start


def test_spans_outside_the_text_are_clamped():
    index = LineIndex("ab\ncd", UTF16)
    assert index.span_range(Span(9, 1, 9, 4)) == types.Range(types.Position(1, 2), types.Position(1, 2))
    assert index.span_range(Span(1, 1, 1, 99)).end == types.Position(0, 2)


def test_lines_end_only_at_lsp_line_terminators():
    index = LineIndex("a\x0cb\u2028c\rd\r\ne", UTF16)
    assert index.lines == ["a\x0cb\u2028c", "d", "e"]


@st.composite
def edit_case(draw):
    text = draw(texts)
    index = LineIndex(text, UTF16)
    offsets = sorted(draw(st.lists(st.integers(0, len(text)), min_size=4, max_size=4)))
    a, b, s, e = offsets if draw(st.booleans()) else [offsets[2], offsets[3], offsets[0], offsets[1]]
    new = draw(texts)
    return text, index, (a, b), (s, e), new


@settings(max_examples=300, deadline=None)
@given(edit_case())
def test_a_moved_range_still_covers_the_same_text(case):
    text, index, (a, b), (s, e), new = case
    # keep offsets on code-point boundaries that are also line-index positions
    a, b, s, e = (index.offset(index.position(o)) for o in (a, b, s, e))
    if not (a <= b and s <= e):
        return
    rng = types.Range(index.position(a), index.position(b))
    change = types.TextDocumentContentChangePartial(range=types.Range(index.position(s), index.position(e)), text=new)
    new_text, edit = apply_change(text, change, UTF16)
    assert new_text == text[:s] + new + text[e:]
    moved = move_range(rng, edit, edit.new_end())
    if b <= s or a >= e:
        assert moved is not None
    if moved is not None:
        after = LineIndex(new_text, UTF16)
        assert new_text[after.offset(moved.start):after.offset(moved.end)] == text[a:b]


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_full_replacement_edit_turns_old_into_new(old, new):
    edit = full_replacement_edit(old, new, UTF16)
    index = LineIndex(old, UTF16)
    assert old[: index.offset(edit.start)] + edit.text + old[index.offset(edit.end):] == new


def _noqa(text: str, line: int, code: str = "GG101"):
    index = LineIndex(text, UTF16)
    edit = noqa_edit(index, line, code, CommentMap(text))
    if edit is None:
        return None
    start, end = index.offset(edit.range.start), index.offset(edit.range.end)
    return (text[:start] + edit.new_text + text[end:]).split("\n")[line]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("x += 1", "x += 1  # noqa: GG101"),
        ("x += 1   ", "x += 1  # noqa: GG101"),
        ("x += 1  # noqa: GG999", "x += 1  # noqa: GG999, GG101"),
        ("x += 1  # why  # noqa:GG999,GG201", "x += 1  # why  # noqa:GG999,GG201, GG101"),
        ("x += 1  # just a note", "x += 1  # just a note  # noqa: GG101"),
        ("s = '#'; x += 1", "s = '#'; x += 1  # noqa: GG101"),
        ("x += 1  # noqa: GG101", None),  # already there
        ("x += 1  # noqa", None),  # a bare noqa silences everything already
        ("x = 1 + \\", None),  # a comment after a continuation backslash breaks the code
    ],
)
def test_noqa_edit(line, expected):
    assert _noqa(line + "\n", 0) == expected


def test_noqa_is_not_added_inside_a_multiline_string():
    text = 'x = f("""\nabc""")\n'
    assert _noqa(text, 0) is None
    assert _noqa(text, 1) == 'abc""")  # noqa: GG101'


def test_noqa_in_a_buffer_that_does_not_tokenize():
    assert _noqa("x += 1  # noqa: GG2\ny = (\n", 0) == "x += 1  # noqa: GG2, GG101"


def _finding(line, col, end, *fixes):
    return Finding("GG101", Severity.ERROR, "m", Span(line, col, line, end), fixes=list(fixes))


def test_fix_all_takes_safe_preferred_fixes_without_collisions():
    def fix(line, col, end, text, preferred=True, safe=True):
        return Fix("t", (TextEdit(Span(line, col, line, end), text),), preferred=preferred, safe=safe)

    findings = [
        _finding(1, 1, 3, fix(1, 1, 3, "A")),
        _finding(1, 2, 4, fix(1, 2, 4, "B")),  # overlaps the first: skipped
        _finding(2, 1, 2, fix(2, 1, 2, "C", safe=False)),  # unsafe: skipped
        _finding(3, 1, 2, fix(3, 1, 2, "D", preferred=False)),  # not preferred: skipped
        _finding(4, 1, 2, fix(4, 1, 2, "E")),
    ]
    entries = build_entries(findings, LineIndex("abcd\nx\ny\nz\n", UTF16), "file:///a.py", "/a.py", 1)
    assert [e.new_text for e in fix_all_edits(entries)] == ["A", "E"]


def test_code_action_kinds():
    assert kind_requested("source.fixAll.gradguard", None)
    assert kind_requested("source.fixAll.gradguard", ["source"])
    assert kind_requested("source.fixAll.gradguard", ["source.fixAll"])
    assert not kind_requested("source.fixAll.gradguard", ["quickfix"])
    assert not kind_requested("quickfix", ["source.fixAll"])


def test_settings_parse_and_reject():
    parsed = parse_settings({"severity": {"gg101": "info"}, "debounceMs": 0, "lintOnChange": False, "other": 1})
    assert parsed.config.severity["GG101"] == Severity.INFORMATION and parsed.debounce_ms == 0
    assert not parsed.lint_on_change
    assert parse_settings(None) == Settings()
    for bad in ({"enable": "yes"}, {"debounceMs": -1}, {"trace": "loud"}, {"ignore": 3}, {"severity": {"GG1": "x"}}, []):
        with pytest.raises(SettingsError):
            parse_settings(bad)
    assert unwrap_init_options({"settings": {"enable": False}}) == {"enable": False}
    assert unwrap_init_options({"settings": {"gradguard": {"enable": False}}}) == {"enable": False}
    assert unwrap_init_options(None) is None


# -- the server in-process, with a stand-in engine ----------------------------------------------


class _FakeAnalysis:
    def __init__(self, findings, error=None, facts=None):
        self.findings, self.error, self.error_line, self._facts = findings, error, None, facts or {}

    def facts_at(self, line, column):
        return self._facts.get((line, column))


async def _run(server, uri, text, analysis, monkeypatch):
    from gradguard.lsp import server as server_module
    from gradguard.lsp.server import DocState

    monkeypatch.setattr(server_module.engine, "analyze", lambda source, path, config, **options: analysis)
    published = []
    monkeypatch.setattr(server, "_publish", lambda st: published.append([e.finding.code for e in st.entries]))
    monkeypatch.setattr(server, "_log", lambda message, kind=None: None)
    st = server.docs.setdefault(uri, DocState(uri, text, 1))
    if st.text != text:
        st.text, st.gen = text, st.gen + 1
    await server.ensure_fresh(uri, 5)
    return st, published


async def test_time_limit_keeps_the_findings_so_far_and_syntax_errors_keep_the_old_ones(monkeypatch):
    from gradguard.lsp.server import GradGuardServer

    server = GradGuardServer()
    uri = "file:///t/a.py"
    one = _finding(1, 1, 2)
    st, published = await _run(server, uri, "x\n", _FakeAnalysis([one], error="analysis stopped after 10 s"), monkeypatch)
    assert published == [["GG101"]] and st.fresh
    st, published = await _run(server, uri, "x(\n", _FakeAnalysis([], error="syntax error at line 1"), monkeypatch)
    assert published == [["GG101"]] and st.broken and not st.fresh
    server.executor.shutdown()


async def test_hover_over_a_name_uses_the_engines_facts_when_it_has_them(monkeypatch):
    from gradguard.lsp.server import GradGuardServer

    server = GradGuardServer()
    uri = "file:///t/b.py"
    facts = {(1, 1): ["`x` is a leaf tensor that requires grad", "version 0"]}
    await _run(server, uri, "x = 1\n", _FakeAnalysis([], facts=facts), monkeypatch)
    result = server.on_hover(types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0)))
    assert "leaf tensor" in result.contents.value and "- version 0" in result.contents.value
    assert server.on_hover(types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 4))) is None
    server.executor.shutdown()


def test_cli_fix_applies_one_clone_that_two_findings_of_a_line_propose(monkeypatch):
    from gradguard import autofix
    from gradguard.findings import Analysis

    source = "import torch\nq = torch.ones(2)\nq.mul_(2)\n"
    insert = TextEdit(Span(3, 1, 3, 1), "q = q.clone()\n")

    def analyze(text, path, config=None, project=None):
        if text != source:
            return Analysis()
        return Analysis(findings=[_finding(3, 1, 10, Fix("clone q", (insert,), preferred=True)) for _ in range(2)])

    monkeypatch.setattr(autofix, "analyze", analyze)
    fixed, titles = autofix.fix_source(source)
    assert fixed == "import torch\nq = torch.ones(2)\nq = q.clone()\nq.mul_(2)\n"
    assert len(titles) == 1
