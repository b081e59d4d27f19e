"""End to end through `gradguard lsp` and the real engine: diagnostics, hovers, code actions."""

from __future__ import annotations

from lsp_helpers import (
    LEAF,
    SAVED,
    apply_edits,
    change,
    code_actions,
    codes,
    hover,
    init,
    open_doc,
    published,
    rng,
    wait_until,
    write,
)
from lsprotocol import types


async def test_capabilities(client, tmp_path):
    result = await init(client, tmp_path)
    caps = result.capabilities
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert caps.text_document_sync.open_close and caps.text_document_sync.save
    assert caps.hover_provider
    assert set(caps.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.gradguard"}
    assert caps.diagnostic_provider is None  # this client cannot pull: the server pushes
    assert result.server_info.name == "gradguard"


async def test_leaf_inplace_is_reported_on_open(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF, version=7)
    params = await published(client, uri)
    assert params.version == 7
    [diag] = params.diagnostics
    assert diag.code == "GG101" and diag.source == "gradguard"
    assert diag.range == rng(2, 0, 2, 6)
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.code_description.href.endswith("GG101.md")
    assert diag.data["code"] == "GG101"


async def test_saved_tensor_has_related_locations(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "saved.py", SAVED)
    open_doc(client, uri, SAVED)
    [diag] = (await published(client, uri, 1)).diagnostics
    assert diag.code == "GG201" and diag.range.start.line == 3
    related = {info.location.range.start.line: info for info in diag.related_information}
    assert set(related) == {2, 4}  # the sigmoid that saved y, the backward() that fails
    assert all(info.location.uri == uri for info in related.values())
    assert "sigmoid" in related[2].message and "backward" in related[4].message


async def test_hover_tells_what_torch_prints_and_where(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "saved.py", SAVED)
    open_doc(client, uri, SAVED)
    await published(client, uri, 1)
    result = await hover(client, uri, 3, 3)
    assert result is not None and result.contents.kind == types.MarkupKind.Markdown
    text = result.contents.value
    assert "GG201" in text and "saved-tensor-modified" in text and "GG201.md" in text
    assert "modified by an inplace operation" in text  # torch's own message
    assert "line 5" in text  # the backward() that raises
    assert "sigmoid" in text  # what autograd keeps
    assert await hover(client, uri, 0, 0) is None  # `import torch` is fine


async def test_hover_plaintext_for_clients_without_markdown(client, tmp_path):
    await init(client, tmp_path, markdown=False)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    result = await hover(client, uri, 2, 0)
    assert result.contents.kind == types.MarkupKind.PlainText
    assert "leaf Variable" in result.contents.value and "```" not in result.contents.value


async def test_astral_characters_shift_utf16_columns(client, tmp_path):
    await init(client, tmp_path)
    text = 'import torch\nx = torch.ones(3, requires_grad=True)\ns = "\U0001F600\U0001F600"; x += 1\n'
    uri = write(tmp_path, "emoji.py", text)
    open_doc(client, uri, text)
    [diag] = (await published(client, uri, 1)).diagnostics
    # `x` is code point 10 of the line, but each emoji takes two UTF-16 units
    assert diag.range == rng(2, 12, 2, 18)
    assert (await hover(client, uri, 2, 13)) is not None


async def test_utf8_positions_when_the_client_prefers_them(client, tmp_path):
    result = await init(client, tmp_path, encodings=["utf-8", "utf-16"])
    assert result.capabilities.position_encoding == "utf-8"
    text = 'import torch\nx = torch.ones(3, requires_grad=True)\ns = "\U0001F600\u00e9"; x += 1\n'
    uri = write(tmp_path, "emoji.py", text)
    open_doc(client, uri, text)
    [diag] = (await published(client, uri, 1)).diagnostics
    assert diag.range == rng(2, 14, 2, 20)  # the emoji is 4 bytes, the é 2
    change(client, uri, 2, (rng(2, 0, 2, 0), "\u00e9 = 1\n"))  # a line above, in UTF-8 units too
    [diag] = (await published(client, uri, 2)).diagnostics
    assert diag.range == rng(3, 14, 3, 20)


async def test_noqa_action_silences_the_finding(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    actions = await code_actions(client, uri, rng(2, 2, 2, 2))
    [noqa] = [a for a in actions if "noqa" in a.title]
    assert noqa.title == "Suppress GG101 with # noqa" and noqa.kind == types.CodeActionKind.QuickFix
    edits = noqa.edit.changes[uri]
    new_text = apply_edits(LEAF, edits)
    assert new_text.splitlines()[2] == "x += 1  # noqa: GG101"
    change(client, uri, 2, *[(e.range, e.new_text) for e in edits])
    assert list((await published(client, uri, 2)).diagnostics) == []


async def test_noqa_merges_into_existing_comment(client, tmp_path):
    await init(client, tmp_path)
    text = SAVED.replace("y.mul_(2)", "y.mul_(2)  # noqa: GG999")
    uri = write(tmp_path, "saved.py", text)
    open_doc(client, uri, text)
    await published(client, uri, 1)
    actions = await code_actions(client, uri, rng(3, 0, 3, 0))
    [noqa] = [a for a in actions if "noqa" in a.title]
    new_text = apply_edits(text, noqa.edit.changes[uri])
    assert new_text.splitlines()[3] == "y.mul_(2)  # noqa: GG999, GG201"


async def test_quick_fix_applied_by_the_client_clears_the_diagnostic(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    params = await published(client, uri, 1)
    actions = await code_actions(client, uri, params.diagnostics[0].range)
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and "noqa" not in a.title]
    [fix] = [a for a in fixes if a.is_preferred]
    assert len([a for a in actions if "noqa" in a.title]) == 1  # the engine's or the server's, not both
    assert fix.diagnostics and fix.diagnostics[0].code == "GG101"
    edits = fix.edit.changes[uri]
    change(client, uri, 2, *[(e.range, e.new_text) for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)])
    params = await published(client, uri, 2)
    assert "GG101" not in codes(params)


async def test_fix_all_for_code_actions_on_save(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    await published(client, uri, 1)
    # editor.codeActionsOnSave asks for source.fixAll; nothing but source actions may come back
    actions = await code_actions(client, uri, rng(0, 0, 0, 0), only=[types.CodeActionKind.SourceFixAll])
    assert all(a.kind == "source.fixAll.gradguard" for a in actions)
    only_quick = await code_actions(client, uri, rng(2, 0, 2, 0), only=[types.CodeActionKind.QuickFix])
    assert all(a.kind == types.CodeActionKind.QuickFix for a in only_quick)
    [fix_all] = actions
    new_text = apply_edits(LEAF, fix_all.edit.changes[uri])
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)],
        )
    )
    assert "GG101" not in codes(await published(client, uri, 2))


async def test_broken_syntax_keeps_diagnostics_moved_with_the_edits(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "saved.py", SAVED)
    open_doc(client, uri, SAVED)
    await published(client, uri, 1)
    # Typing an unfinished line above the finding: the buffer no longer parses.
    change(client, uri, 2, (rng(1, 0, 1, 0), "def broken(:\n    pass\n"))
    params = await published(client, uri, 2)
    [diag] = params.diagnostics
    assert diag.code == "GG201" and diag.range == rng(5, 0, 5, 9)  # two lines further down
    assert {i.location.range.start.line for i in diag.related_information} == {4, 6}
    await wait_until(lambda: any("syntax" in m.message.lower() for m in client.log_messages), what="a logged syntax error")
    assert not [m for m in client.messages if "syntax" in m.message.lower()]  # logged, not popped up

    # An edit inside the flagged range drops that diagnostic; the rest stay.
    change(client, uri, 3, (rng(5, 2, 5, 5), "add"))
    assert list((await published(client, uri, 3)).diagnostics) == []

    # Parses again: fresh results, at the right place (y.add_ mutates the saved output too).
    change(client, uri, 4, (rng(1, 0, 3, 0), ""))
    [diag] = (await published(client, uri, 4)).diagnostics
    assert diag.code == "GG201" and diag.range == rng(3, 0, 3, 9)


NO_GRAD_FORWARD = (
    "import torch\n"
    "w = torch.ones(2, requires_grad=True)\n"
    "with torch.no_grad():\n"
    "    loss = (w * 3).sum()\n"
    "loss.backward()\n"
)
EARLY_STEP = (
    "import torch\n"
    "w = torch.ones(2, requires_grad=True)\n"
    "x = torch.ones(2, requires_grad=True)\n"
    "loss = (w * x).sum()\n"
    "with torch.no_grad():\n"
    "    w -= 0.1 * w.grad\n"
    "loss.backward()\n"
)


async def test_code_action_restores_the_graph_like_check_fix(client, tmp_path):
    """GG503's fix (unwrap the no_grad block the loss was computed in) is the code action; it is what --fix does."""
    from gradguard.autofix import fix_source

    await init(client, tmp_path)
    uri = write(tmp_path, "loss.py", NO_GRAD_FORWARD)
    open_doc(client, uri, NO_GRAD_FORWARD)
    params = await published(client, uri, 1)
    assert codes(params) == ["GG503"]
    actions = await code_actions(client, uri, params.diagnostics[0].range)
    [fix] = [a for a in actions if a.is_preferred]
    new_text = apply_edits(NO_GRAD_FORWARD, fix.edit.changes[uri])
    assert new_text == fix_source(NO_GRAD_FORWARD)[0]
    assert "no_grad" not in new_text and "loss = (w * 3).sum()\nloss.backward()\n" in new_text
    change(client, uri, 2, *[(e.range, e.new_text) for e in fix.edit.changes[uri]])
    assert "GG503" not in codes(await published(client, uri, 2))


async def test_no_safe_rewrite_says_why_and_offers_a_choice_that_is_not_preferred(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "step.py", EARLY_STEP)
    open_doc(client, uri, EARLY_STEP)
    params = await published(client, uri, 1)
    [diag] = params.diagnostics
    assert diag.code == "GG201" and "No safe automatic fix" in diag.message and "`.grad`" in diag.message
    actions = await code_actions(client, uri, diag.range)
    moves = [a for a in actions if a.title.startswith("Move this after")]
    assert moves and not any(a.is_preferred for a in actions if "noqa" not in a.title)
    # the `.clone()` form: `mul` gets a copy of `w` (test_fixes.py runs it under torch), explicitly not preferred
    [clone] = [a for a in actions if ".clone()" in a.title]
    assert clone.is_preferred is False and "not preferred" in clone.title
    assert [e.new_text for e in clone.edit.changes[uri]] == [".clone()"]
    assert apply_edits(EARLY_STEP, clone.edit.changes[uri]).splitlines()[3] == "loss = (w.clone() * x).sum()"


# One program per fix form of issue #16 (tests/test_fix_forms.py runs each fixed program under torch).
FORMS = {
    "functional_statement.py": "import torch\nimport torch.nn.functional as F\nx = torch.randn(3, requires_grad=True)\n"
                               "y = torch.tanh(x)\nF.relu(y, inplace=True)\ny.sum().backward()\n",
    "buffer_zero.py": "import torch\nw = torch.rand(3, requires_grad=True)\nbuf = torch.ones(3)\ny = w * buf\n"
                      "buf.zero_()\ny.sum().backward()\n",
    "no_twin.py": "import torch\nx = torch.randn(2, 2, requires_grad=True)\ny = torch.sigmoid(x)\n"
                  "y.fill_diagonal_(0.0)\ny.sum().backward()\n",
    "mask.py": "import torch\nx = torch.randn(3, requires_grad=True)\ny = torch.exp(x)\ny[y > 1.0] = 0.0\n"
               "y.sum().backward()\n",
    "alias.py": "import torch\nx = torch.rand(3, requires_grad=True)\np = torch.sigmoid(x)\nq = p\nq -= 0.5\n"
                "(q.sum() + p.sum()).backward()\n",
    "one_line.py": "import torch\nx = torch.rand(3, requires_grad=True)\ny = torch.tanh(x); y.add_(1); z = y * 2\n"
                   "z.sum().backward()\n",
    "data_write.py": "import torch\nx = torch.ones(3, requires_grad=True)\nloss = (x ** 2).sum()\n"
                     "x.data.mul_(10)\nloss.backward()\n",
    "out_assign.py": "import torch\na = torch.rand(3, requires_grad=True)\nbuf = torch.empty(3)\n"
                     "c = torch.mul(a, 2.0, out=buf)\nc.sum().backward()\n",
}


async def test_the_preferred_code_action_is_what_check_fix_does(client, tmp_path):
    """The editor's quick fixes are the engine's: for each fix form, applying the preferred code action gives the
    text `check --fix` writes."""
    from gradguard.autofix import fix_source

    await init(client, tmp_path)
    for name, text in FORMS.items():
        uri = write(tmp_path, name, text)
        open_doc(client, uri, text)
        [diag] = (await published(client, uri, 1)).diagnostics
        actions = await code_actions(client, uri, diag.range, only=[types.CodeActionKind.QuickFix])
        [fix] = [a for a in actions if a.is_preferred]
        assert all(a.is_preferred is False for a in actions if a is not fix), [(a.title, a.is_preferred) for a in actions]
        assert apply_edits(text, fix.edit.changes[uri]) == fix_source(text, name)[0], name
