"""Half-typed code in the language server: while the buffer does not parse, the last good diagnostics stay
(moved with the edits) unless the parts that do parse give fresh ones; a broken method does not hide another
class's finding."""

from __future__ import annotations

from lsp_helpers import LEAF, change, debug_info, hover, init, open_doc, published, rng, write
from test_partial import A_LINE, B_LINE, TWO_MODELS


def lines_of(params) -> list[tuple[str, int]]:
    return sorted((d.code, d.range.start.line + 1) for d in params.diagnostics)


async def test_last_good_diagnostics_stay_while_nothing_else_can_be_analysed(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    assert lines_of(await published(client, uri, 1)) == [("GG101", 3)]
    # A half-typed statement at the top: the script after it cannot be analysed (it may depend on that line).
    change(client, uri, 2, (rng(0, 0, 0, 0), "y = (\n"))
    assert lines_of(await published(client, uri, 2)) == [("GG101", 4)]  # the old one, moved down a line
    assert (await debug_info(client))["documents"][uri]["broken"] is True
    assert await hover(client, uri, 3, 0) is not None  # its hover too
    # More typing, still broken: still there, still moving.
    change(client, uri, 3, (rng(0, 5, 0, 5), "1, 2,\n"))
    assert lines_of(await published(client, uri, 3)) == [("GG101", 5)]
    # It parses again: fresh results.
    change(client, uri, 4, (rng(0, 0, 2, 0), ""))
    assert lines_of(await published(client, uri, 4)) == [("GG101", 3)]
    assert (await debug_info(client))["documents"][uri]["broken"] is False


async def test_a_broken_method_does_not_hide_the_other_class(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "models.py", TWO_MODELS)
    open_doc(client, uri, TWO_MODELS)
    assert lines_of(await published(client, uri, 1)) == [("GG201", A_LINE), ("GG201", B_LINE)]
    # `out = x * g` of A's forward (line 12) becomes `out = x * (`: A does not parse, B is analysed afresh.
    change(client, uri, 2, (rng(11, 18, 11, 19), "("))
    params = await published(client, uri, 2)
    assert lines_of(params) == [("GG201", B_LINE)]
    # Fixing B's bug while A is still broken: B's finding goes (the edit covers it; B is clean when analysed).
    change(client, uri, 3, (rng(B_LINE - 1, 8, B_LINE - 1, 17), "g = g + 1"))
    assert lines_of(await published(client, uri, 3)) == []
    # A parses again: both classes are analysed.
    change(client, uri, 4, (rng(11, 18, 11, 19), "g"))
    assert lines_of(await published(client, uri, 4)) == [("GG201", A_LINE)]
