"""Keystroke scripts replayed on a real-shaped package (tests/lsp/fixtures/visionpkg: a timm-like model file with
72 registered entrypoints that all call one `_create_model`, and its layers): whatever the server folds together,
re-walks in the background or carries over between keystrokes, the diagnostics it publishes last for a version
are what a from-scratch `analyze` of that version's text gives, and it never publishes an older version after a
newer one."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from lsp_helpers import init, open_doc, rng, wait_until
from lsprotocol import types
from pygls.uris import from_fs_path

from gradguard import engine
from gradguard.config import Config
from gradguard.lsp.features import build_entries
from gradguard.lsp.settings import parse_settings
from gradguard.lsp.text import UTF16, LineIndex
from gradguard.project import Project

FIXTURE = Path(__file__).parent / "fixtures" / "visionpkg"
# What the VS Code extension sends (client/src/settings.ts serverSettings, every setting at its default).
CLIENT_SETTINGS = {"enable": True, "select": [], "ignore": [], "severity": {}, "exclude": [], "lintOnChange": True,
                   "strict": False, "followImports": True, "trace": "off"}


def typing(text: str, anchor: str, statements: list[str]) -> list[tuple[types.Range, str]]:
    """Range edits, one per keystroke: Enter at the end of the line holding `anchor`, then each statement typed
    one character at a time (a new line before each but the first), then the typed lines deleted in one go."""
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if anchor in line)
    indent = lines[row + 1][: len(lines[row + 1]) - len(lines[row + 1].lstrip())]
    end = len(lines[row])
    edits = []
    line, col = row, end
    for stmt in statements:
        edits.append((rng(line, col, line, col), "\n" + indent))
        line, col = line + 1, len(indent)
        for ch in stmt:
            edits.append((rng(line, col, line, col), ch))
            col += 1
    edits.append((rng(row, end, line, col), ""))
    return edits


def apply(text: str, at: types.Range, new: str) -> str:
    lines = text.split("\n")
    offset = lambda p: sum(len(x) + 1 for x in lines[: p.line]) + p.character  # noqa: E731 - ASCII edits only
    return text[: offset(at.start)] + new + text[offset(at.end):]


def expected(text: str, path: str, uri: str, version: int, root: str) -> list:
    config = Config().merged(parse_settings(CLIENT_SETTINGS).config)
    analysis = engine.analyze(text, path, config, project=Project(root))
    if analysis.error and not analysis.findings:
        return None  # does not parse, nothing found: the server keeps the last good diagnostics, moved
    entries = build_entries(analysis.findings, LineIndex(text, UTF16), uri, path, version, lambda p: None)
    return [shape(e.diagnostic) for e in entries]


def shape(d: types.Diagnostic) -> tuple:
    related = tuple((r.location.range.start.line, r.location.range.start.character, r.message)
                    for r in d.related_information or ())
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code,
            d.severity, d.message, related)


SCRIPTS = {
    # a forward near the middle of the file, with a statement that adds a finding and one that fixes it again
    "forward": ("x = self.downsample(x)", ["y = torch.sigmoid(x)", "y.mul_(2)", "x = x + y"]),
    # the function all 72 entrypoints call: every one of them depends on it
    "shared helper": ("model = VisionTransformer(**kwargs)", ["model.scale_ = 2", "kwargs = dict(kwargs)"]),
    # the large __init__ every method's `self` is built from
    "init": ("self.norm = nn.LayerNorm(embed_dim)", ["self.norm_pre = nn.Identity()"]),
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
async def test_every_published_version_matches_a_fresh_analysis(client, tmp_path, script):
    shutil.copytree(FIXTURE, tmp_path / "visionpkg", ignore=shutil.ignore_patterns("__pycache__"))
    path = str(tmp_path / "visionpkg" / "models.py")
    uri = from_fs_path(path)
    await init(client, tmp_path, settings=CLIENT_SETTINGS)
    text = Path(path).read_text(encoding="utf-8")
    open_doc(client, uri, text)
    texts = {1: text}
    anchor, statements = SCRIPTS[script]
    for version, (at, new) in enumerate(typing(text, anchor, statements), start=2):
        text = apply(text, at, new)
        texts[version] = text
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=at, text=new)]))
        # Mostly faster than the server analyses (edits arrive during analyses), with pauses it catches up in.
        if version % 4:
            await asyncio.sleep(0.02)
        else:
            await wait_until(lambda v=version: any(p.uri == uri and p.version >= v for p in client.published),
                             30, f"diagnostics for version {version}")
    assert texts[len(texts)] == texts[1]  # the script deletes what it typed

    last = len(texts)
    for _ in range(1500):  # until the last version is published and a background pass had time to follow
        if any(p.uri == uri and p.version == last for p in client.published):
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(1.5)
    mine = [p for p in client.published if p.uri == uri]
    versions = [p.version for p in mine]
    assert versions == sorted(versions), "an older version was published after a newer one"
    assert versions[-1] == last

    final = {p.version: [shape(d) for d in p.diagnostics] for p in mine}  # the last publish of each version
    compared = 0
    for version, published in final.items():
        want = expected(texts[version], path, uri, version, str(tmp_path))
        if want is None:
            continue
        assert published == want, f"version {version} differs from a fresh analysis of its text"
        compared += 1
    assert compared >= 3 and final[last] == expected(texts[last], path, uri, last, str(tmp_path))
    assert any(d[4] == "GG201" for d in final[last])  # the fixture's own findings are there
