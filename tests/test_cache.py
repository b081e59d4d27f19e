"""The result cache of `gradguard check` (.gradguard_cache/): a re-run reuses what still holds, and only that."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "server"))

from gradguard import cache as cache_module  # noqa: E402
from gradguard.cache import CACHE_DIR_NAME, ResultCache, decode_finding, encode_finding  # noqa: E402
from gradguard.config import Config  # noqa: E402
from gradguard.engine import analyze  # noqa: E402

EXAMPLES = REPO / "examples"
FIXTURES = REPO / "tests" / "crossfile" / "fixtures"


def gradguard(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "server"))
    return subprocess.run([sys.executable, "-m", "gradguard", *args], capture_output=True, text=True, cwd=str(cwd),
                          env=env, timeout=300)


def analysed(proc: subprocess.CompletedProcess) -> dict[str, str]:
    """What `check -v` says it analysed (path -> why); every other file came from the cache."""
    return {path.removeprefix("./"): why
            for path, why in re.findall(r"^gradguard: analysed (.+) \((.+)\)$", proc.stderr, re.M)}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A project: the examples, helpers imported by some scripts and not by others, a package re-exporting."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    for f in EXAMPLES.glob("*.py"):
        shutil.copy(f, root / f.name)
    shutil.copy(FIXTURES / "mutating_helper" / "helpers.py", root / "helpers.py")
    main = (FIXTURES / "mutating_helper" / "main.py").read_text()
    (root / "main_a.py").write_text(main)
    (root / "main_b.py").write_text(main.replace("2.0", "3.0"))
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("from .impl import scale_\n")
    (root / "pkg" / "impl.py").write_text((FIXTURES / "mutating_helper" / "helpers.py").read_text())
    (root / "user.py").write_text(main.replace("from helpers import scale_", "from pkg import scale_"))
    (root / "alone.py").write_text("import torch\n\nx = torch.ones(3, requires_grad=True)\ny = x.exp()\ny.add_(1)\n"
                                   "y.sum().backward()\n")
    return root


def every_file(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.py") if CACHE_DIR_NAME not in p.parts}


def test_cached_and_fresh_output_are_identical_in_every_format(workspace: Path) -> None:
    for fmt in ("text", "json", "sarif"):
        fresh = gradguard("check", "--no-cache", "--format", fmt, ".", cwd=workspace)
        cold = gradguard("check", "-v", "--format", fmt, ".", cwd=workspace)
        warm = gradguard("check", "-v", "--format", fmt, ".", cwd=workspace)
        assert fresh.returncode == cold.returncode == warm.returncode == 1, fresh.stderr
        assert fresh.stdout == cold.stdout == warm.stdout
        assert "GG201" in fresh.stdout and "helpers.py" in fresh.stdout  # findings with related places in other files
        assert analysed(warm) == {}, warm.stderr
    assert (workspace / CACHE_DIR_NAME / ".gitignore").read_text().splitlines()[-1] == "*"
    assert not gradguard("check", "--no-cache", ".", cwd=workspace).stderr


def test_every_field_of_a_finding_survives_the_cache() -> None:
    found = []
    for f in sorted(EXAMPLES.glob("*.py")):
        found += analyze(f.read_text(), str(f), Config(strict=True)).findings
    assert any(f.fixes for f in found) and any(f.related for f in found) and any(f.explanation for f in found)
    for f in found:
        back = decode_finding(json.loads(json.dumps(encode_finding(f))))
        assert back == f  # dataclass equality: every field but the fix builder's AST context


def test_fix_and_diff_never_use_the_cache(workspace: Path) -> None:
    fresh = gradguard("check", "--no-cache", "--diff", ".", cwd=workspace)
    gradguard("check", ".", cwd=workspace)
    poison_every_entry(workspace / CACHE_DIR_NAME)  # a cache that would hide every finding if it were read
    before = sorted(p.read_bytes() for p in (workspace / CACHE_DIR_NAME).rglob("*.json"))
    diff = gradguard("check", "--diff", ".", cwd=workspace)
    assert diff.stdout == fresh.stdout and diff.stdout.startswith("---")
    fix = gradguard("check", "--fix", "--unsafe-fixes", "alone.py", cwd=workspace)
    assert fix.returncode in (0, 1) and "fixed alone.py" in fix.stderr
    assert sorted(p.read_bytes() for p in (workspace / CACHE_DIR_NAME).rglob("*.json")) == before


def poison_every_entry(folder: Path) -> None:
    """Rewrite each entry with no findings and a valid checksum: what only a deliberate forger could do."""
    for entry in folder.rglob("*.json"):
        body = json.loads(entry.read_bytes().partition(b"\n")[2])
        body["findings"] = []
        data = json.dumps(body).encode()
        entry.write_bytes(cache_module.content_digest(data).encode() + b"\n" + data)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "tampered", "foreign version", "wrong types", "empty"])
def test_a_damaged_or_foreign_entry_is_ignored(workspace: Path, damage: str) -> None:
    fresh = gradguard("check", "--no-cache", "--format", "json", "main_a.py", "alone.py", cwd=workspace)
    gradguard("check", "main_a.py", "alone.py", cwd=workspace)
    entries = sorted((workspace / CACHE_DIR_NAME).rglob("*.json"))
    assert len(entries) == 2
    for entry in entries:
        raw = entry.read_bytes()
        checksum, _, data = raw.partition(b"\n")
        body = json.loads(data)
        if damage == "truncated":
            raw = raw[: len(raw) // 2]
        elif damage == "garbage":
            raw = os.urandom(len(raw))
        elif damage == "tampered":  # the body changed, the checksum did not
            raw = checksum + b"\n" + data.replace(b'"findings":[{', b'"findings":[],"x":[{', 1)
        elif damage == "empty":
            raw = b""
        else:
            if damage == "foreign version":
                body["tool"] = "0.0.1-0000000000000000"
            else:
                body["findings"] = [{"code": 201, "span": "everywhere"}]
            data = json.dumps(body).encode()
            raw = cache_module.content_digest(data).encode() + b"\n" + data
        entry.write_bytes(raw)
    again = gradguard("check", "-v", "--format", "json", "main_a.py", "alone.py", cwd=workspace)
    assert again.stdout == fresh.stdout and json.loads(again.stdout)
    assert set(analysed(again)) == {"main_a.py", "alone.py"}, again.stderr
    assert set(analysed(gradguard("check", "-v", "main_a.py", "alone.py", cwd=workspace))) == set()  # rewritten


def test_editing_an_imported_file_reanalyses_exactly_its_followers(workspace: Path) -> None:
    assert set(analysed(gradguard("check", "-v", ".", cwd=workspace))) == every_file(workspace)
    assert analysed(gradguard("check", "-v", ".", cwd=workspace)) == {}

    helpers = workspace / "helpers.py"
    helpers.write_text(helpers.read_text() + "\n# a comment\n")
    proc = gradguard("check", "-v", ".", cwd=workspace)
    assert set(analysed(proc)) == {"helpers.py", "main_a.py", "main_b.py"}, proc.stderr
    assert analysed(proc)["main_a.py"] == f"{os.path.realpath(helpers)} changed"

    # a file an import chain passes through, not the one defining the function: its followers too
    init = workspace / "pkg" / "__init__.py"
    init.write_text("# re-exported\n" + init.read_text())
    assert set(analysed(gradguard("check", "-v", ".", cwd=workspace))) == {"user.py", "pkg/__init__.py"}

    # a change of what the helper does: the followers' findings change, exactly as a fresh run says
    helpers.write_text(helpers.read_text().replace("t.mul_(k)", "t = t * k"))
    proc = gradguard("check", "-v", "--format", "json", ".", cwd=workspace)
    assert set(analysed(proc)) == {"helpers.py", "main_a.py", "main_b.py"}, proc.stderr
    assert proc.stdout == gradguard("check", "--no-cache", "--format", "json", ".", cwd=workspace).stdout
    assert not [f for f in json.loads(proc.stdout) if f["path"] in ("main_a.py", "main_b.py")]


def test_a_new_python_file_or_other_settings_reanalyse_everything(workspace: Path) -> None:
    gradguard("check", ".", cwd=workspace)
    (workspace / "pkg" / "extra.py").write_text("X = 1\n")  # an import may now find what was not there
    assert set(analysed(gradguard("check", "-v", ".", cwd=workspace))) == every_file(workspace)
    assert set(analysed(gradguard("check", "-v", "--strict", ".", cwd=workspace))) == every_file(workspace)
    assert set(analysed(gradguard("check", "-v", "--no-follow", ".", cwd=workspace))) == every_file(workspace)
    assert analysed(gradguard("check", "-v", ".", cwd=workspace)) == {}  # each setting has its own entries


def test_a_file_edited_into_a_caller_reanalyses_the_function_it_now_calls(tmp_path: Path) -> None:
    """core.py's finding depends on its callers (callers.py): every caller runs under no_grad, so it is not reported.
    A file that imports core without calling `gated`, then a file that imports nothing of it, are edited to pass a
    Parameter with grad mode on: the cached run re-analyses core.py and says what a fresh run says (an error)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "caller_under_no_grad", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (root / "rowgate_nograd" / "__init__.py").write_text("from .core import gated\n")
    (root / "train.py").write_text("import torch\n\nfrom rowgate_nograd import core\n\nprint(core.__name__)\n")
    (root / "other.py").write_text("import torch\n\nprint(torch.ones(2))\n")
    caller = "import torch\n\n{imp}\n\nw = torch.nn.Parameter(torch.randn(3, 3))\nloss = {call}(torch.randn(2, 3), w).sum()\n"

    def errors_in_core(proc) -> list:
        return [f["line"] for f in json.loads(proc.stdout) if f["path"].endswith("core.py")]

    first = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert errors_in_core(first) == [] and "rowgate_nograd/core.py" in analysed(first)
    assert analysed(gradguard("check", "-v", ".", cwd=root)) == {}

    # an importer that did not call: among the files core.py's result was keyed on
    (root / "train.py").write_text(caller.format(imp="from rowgate_nograd import core", call="core.gated"))
    proc = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert analysed(proc)["rowgate_nograd/core.py"] == f"{os.path.realpath(root / 'train.py')} changed", proc.stderr
    assert proc.stdout == gradguard("check", "--no-cache", "--format", "json", ".", cwd=root).stdout
    assert errors_in_core(proc) == [7]

    # a file that imported nothing of it, now calling through the package's re-export
    (root / "train.py").write_text("import torch\n")
    gradguard("check", ".", cwd=root)
    (root / "other.py").write_text(caller.format(imp="from rowgate_nograd import gated", call="gated"))
    proc = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert "now imports" in analysed(proc)["rowgate_nograd/core.py"], proc.stderr
    assert proc.stdout == gradguard("check", "--no-cache", "--format", "json", ".", cwd=root).stdout
    assert errors_in_core(proc) == [7]


def test_a_caller_edited_under_no_grad_reanalyses_the_method_it_calls(tmp_path: Path) -> None:
    """policy.py's `log_std.clamp_` on a chunk piece is a warning on its own line because algo.py's training step
    calls `sample` (users.py, changing_functions). algo.py edited to call it under no_grad only: the cached run
    re-analyses policy.py and says what a fresh run says (nothing)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "callee_changed_for_a_caller", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")

    def policy_lines(proc) -> list:
        return [f["line"] for f in json.loads(proc.stdout) if f["path"].endswith("policy.py")]

    first = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert policy_lines(first) == [18] and "agent/nets/policy.py" in analysed(first), first.stderr
    assert analysed(gradguard("check", "-v", ".", cwd=root)) == {}

    algo = root / "agent" / "algo.py"
    algo.write_text(algo.read_text().replace("        action, log_pi = self.actor.sample(features)",
                                             "        with torch.no_grad():\n"
                                             "            action, log_pi = self.actor.sample(features)"))
    proc = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert analysed(proc)["agent/nets/policy.py"] == f"{os.path.realpath(algo)} changed", proc.stderr
    assert proc.stdout == gradguard("check", "--no-cache", "--format", "json", ".", cwd=root).stdout
    assert policy_lines(proc) == []


def test_a_layer_edited_into_self_attention_reanalyses_the_attention_it_builds(tmp_path: Path) -> None:
    """attention.py's chunk branch is taken when query, key and value are one tensor, which only the layer that builds
    the attention (layer.py) shows (callers.py): a cross-attention call leaves it unreported. Edited to call it as
    self-attention, the cached run re-analyses attention.py and says what a fresh run says (an error)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "caller_cross_attention", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")

    def errors_in_attention(proc) -> list:
        return [f["line"] for f in json.loads(proc.stdout) if f["path"].endswith("attention.py")]

    first = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert errors_in_attention(first) == [] and "packed_attn_cross/attention.py" in analysed(first)
    assert analysed(gradguard("check", "-v", ".", cwd=root)) == {}
    layer = root / "layer.py"
    layer.write_text(layer.read_text().replace("key=memory, value=memory", "key=x, value=x"))
    proc = gradguard("check", "-v", "--format", "json", ".", cwd=root)
    assert analysed(proc)["packed_attn_cross/attention.py"] == f"{os.path.realpath(layer)} changed", proc.stderr
    assert proc.stdout == gradguard("check", "--no-cache", "--format", "json", ".", cwd=root).stdout
    assert errors_in_attention(proc) == [28]


def test_concurrent_runs_with_workers_share_one_cache(workspace: Path) -> None:
    for i in range(10):
        shutil.copy(workspace / "main_a.py", workspace / f"more_{i}.py")
    fresh = gradguard("check", "--no-cache", "--format", "json", ".", cwd=workspace)
    env = dict(os.environ, PYTHONPATH=str(REPO / "server"))
    runs = [subprocess.Popen([sys.executable, "-m", "gradguard", "check", "-j", "2", "--format", "json", "."],
                             cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outs = [r.communicate(timeout=300)[0] for r in runs]
    assert outs == [fresh.stdout, fresh.stdout]
    warm = gradguard("check", "-v", "-j", "2", "--format", "json", ".", cwd=workspace)
    assert warm.stdout == fresh.stdout and analysed(warm) == {}
    assert not list((workspace / CACHE_DIR_NAME).rglob(".tmp-*"))


def test_cache_dir_and_clean(workspace: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "cache-here"
    gradguard("check", "--cache-dir", str(elsewhere), "alone.py", cwd=workspace)
    assert list(elsewhere.rglob("*.json")) and not (workspace / CACHE_DIR_NAME).exists()
    gradguard("check", "alone.py", cwd=workspace)
    proc = gradguard("clean", cwd=workspace)
    assert proc.returncode == 0 and not (workspace / CACHE_DIR_NAME).exists(), proc.stderr
    assert gradguard("clean", "--cache-dir", str(elsewhere), cwd=workspace).returncode == 0
    assert not elsewhere.exists()
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    refused = gradguard("clean", "--cache-dir", str(precious), cwd=workspace)
    assert refused.returncode == 2 and "not a gradguard cache" in refused.stderr
    assert (precious / "notes.txt").read_text() == "mine"


def test_prune_removes_what_no_run_used_lately(workspace: Path) -> None:
    gradguard("check", ".", cwd=workspace)
    root = workspace / CACHE_DIR_NAME
    [current] = [d for d in root.iterdir() if d.is_dir()]
    entries = sorted(current.glob("*.json"))
    old = time.time() - 30 * 86400
    for entry in entries[:3]:
        os.utime(entry, (old, old))
    foreign = root / "0.0.1-0123456789abcdef"
    foreign.mkdir()
    (foreign / "x.json").write_text("{}")
    os.utime(foreign, (old, old))
    cache = ResultCache(root, {}, None)
    cache.folder = current
    assert cache.prune() == 4
    assert sorted(current.glob("*.json")) == entries[3:] and not foreign.exists()
    assert cache.prune(max_entries=2) == len(entries) - 5
    assert len(list(current.glob("*.json"))) == 2


def test_a_change_to_gradguard_itself_is_another_cache(tmp_path: Path) -> None:
    copy = tmp_path / "server" / "gradguard"
    shutil.copytree(REPO / "server" / "gradguard", copy, ignore=shutil.ignore_patterns("__pycache__"))

    def tool() -> str:
        return subprocess.run([sys.executable, "-c", "from gradguard.cache import tool_id; print(tool_id())"],
                              env=dict(os.environ, PYTHONPATH=str(copy.parent)), capture_output=True, text=True,
                              check=True).stdout.strip()

    before = tool()
    data = copy / "data" / "torch_ops.json"
    data.write_text(data.read_text() + " ")
    assert tool() != before


def test_a_root_too_large_to_fingerprint_is_not_cached(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text("X = 1\n")
    assert cache_module.workspace_layout(str(tmp_path), limit=100) is not None
    assert cache_module.workspace_layout(str(tmp_path), limit=3) is None


def test_an_analysis_cut_short_is_not_cached(tmp_path: Path, monkeypatch) -> None:
    from gradguard import cli
    from gradguard.findings import Analysis

    script = tmp_path / "slow.py"
    script.write_text("X = 1\n")
    calls = []

    def cut_short(text, path, config, project=None):
        calls.append(path)
        return Analysis(error="analysis stopped after 10 s (time limit); findings so far are shown", timed_out=True)

    monkeypatch.setattr(cli, "analyze", cut_short)
    cache = ResultCache.open(tmp_path / CACHE_DIR_NAME, {}, None)
    for _ in range(2):
        [res] = cli.check_paths([str(script)], Config(), jobs=1, cache=cache)
        assert "time limit" in res.error
    assert len(calls) == 2 and not list((tmp_path / CACHE_DIR_NAME).rglob("*.json"))
