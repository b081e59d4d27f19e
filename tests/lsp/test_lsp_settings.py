"""Settings from initializationOptions, workspace/configuration, didChangeConfiguration and pyproject.toml."""

from __future__ import annotations

from lsp_helpers import LEAF, SAVED, change, codes, init, open_doc, published, rng, wait_until, write
from lsprotocol import types

ERROR, WARNING, INFO, HINT = (
    types.DiagnosticSeverity.Error,
    types.DiagnosticSeverity.Warning,
    types.DiagnosticSeverity.Information,
    types.DiagnosticSeverity.Hint,
)


def severities(params):
    return [d.severity for d in params.diagnostics]


async def test_severity_from_initialization_options(client, tmp_path):
    await init(client, tmp_path, settings={"severity": {"GG101": "warning"}})
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    assert severities(await published(client, uri, 1)) == [WARNING]


async def test_did_change_configuration_pushed_settings_republish(client, tmp_path):
    await init(client, tmp_path)
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    assert severities(await published(client, uri, 1)) == [ERROR]
    mark = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"gradguard": {"severity": {"GG101": "hint"}}})
    )
    params = await published(client, uri, 1, after=mark)
    assert severities(params) == [HINT]


async def test_workspace_configuration_is_pulled_per_folder_and_refreshed(client, tmp_path):
    folder = tmp_path.as_uri()
    client.set_configuration({"severity": {"GG101": "information"}}, section="gradguard", scope_uri=folder)
    await init(client, tmp_path, configuration=True, settings={"severity": {"GG101": "warning"}})
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    # the folder's configuration wins over initializationOptions, from the very first publish
    assert severities(await published(client, uri, 1)) == [INFO]

    client.set_configuration({"severity": {"GG101": "hint"}}, section="gradguard", scope_uri=folder)
    mark = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert severities(await published(client, uri, 1, after=mark)) == [HINT]


async def test_ignore_and_select(client, tmp_path):
    await init(client, tmp_path, settings={"ignore": ["GG101"]})
    leaf = write(tmp_path, "leaf.py", LEAF)
    saved = write(tmp_path, "saved.py", SAVED)
    open_doc(client, leaf, LEAF)
    open_doc(client, saved, SAVED)
    assert codes(await published(client, leaf, 1)) == []
    assert codes(await published(client, saved, 1)) == ["GG201"]

    mark = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"gradguard": {"select": ["GG1"]}})
    )
    assert codes(await published(client, saved, 1, after=mark)) == []


async def test_pyproject_applies_and_editor_settings_win(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.gradguard]\nignore = ["GG101"]\nseverity = { GG201 = "warning" }\n', encoding="utf-8"
    )
    await init(client, tmp_path, settings={"severity": {"GG201": "hint"}})
    leaf = write(tmp_path, "pkg/leaf.py", LEAF)
    saved = write(tmp_path, "pkg/saved.py", SAVED)
    open_doc(client, leaf, LEAF)
    open_doc(client, saved, SAVED)
    assert codes(await published(client, leaf, 1)) == []  # pyproject's ignore
    assert severities(await published(client, saved, 1)) == [HINT]  # the editor's severity


async def test_enable_false_and_lint_on_change_false(client, tmp_path):
    await init(client, tmp_path, settings={"lintOnChange": False})
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    assert codes(await published(client, uri, 1)) == ["GG101"]
    # An edit moves the shown diagnostic, but nothing is analysed until the save.
    change(client, uri, 2, (rng(0, 0, 0, 0), "# header\n"))
    params = await published(client, uri, 2)
    assert params.diagnostics[0].range == rng(3, 0, 3, 6)
    change(client, uri, 3, (rng(3, 0, 3, 6), "x = x + 1"))
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri)))
    assert codes(await published(client, uri, 3)) == []

    mark = len(client.published)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"gradguard": {"enable": False}}))
    saved = write(tmp_path, "saved.py", SAVED)
    open_doc(client, saved, SAVED)
    assert codes(await published(client, saved, 1, after=mark)) == []


async def test_malformed_settings_are_reported_once_and_the_previous_kept(client, tmp_path):
    await init(client, tmp_path, settings={"severity": {"GG101": "loud"}, "debounceMs": 20})
    uri = write(tmp_path, "leaf.py", LEAF)
    open_doc(client, uri, LEAF)
    assert severities(await published(client, uri, 1)) == [ERROR]  # defaults: the bad layer is dropped
    await wait_until(lambda: client.messages, what="a window/showMessage")
    assert "GG101" in client.messages[0].message and "loud" in client.messages[0].message

    mark = len(client.published)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"gradguard": {"severity": {"GG101": "warning"}}})
    )
    assert severities(await published(client, uri, 1, after=mark)) == [WARNING]

    for bad in ({"debounceMs": "soon"}, {"debounceMs": "soon"}, {"select": 5}, "not an object"):
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"gradguard": bad}))
    await wait_until(lambda: len(client.messages) >= 4, what="one message per distinct problem")
    assert len([m for m in client.messages if "debounceMs" in m.message]) == 1  # not one per repetition

    mark = len(client.published)
    change(client, uri, 2, (rng(0, 0, 0, 0), "\n"))
    assert severities(await published(client, uri, 2, after=mark)) == [WARNING]  # still the last good settings
