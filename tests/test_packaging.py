"""The pre-commit hook and the VS Code packaging recipe (tools/package_vsix.py); the packages themselves are built
and installed into a real editor by `make e2e`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def load_packager():
    spec = importlib.util.spec_from_file_location("package_vsix", REPO / "tools" / "package_vsix.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pre_commit_hook_runs_gradguard_check_on_python_and_notebooks(tmp_path):
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "gradguard" and hook["entry"] == "gradguard check"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    # what pre-commit runs: the entry with the staged files appended
    notebook = REPO / "tests" / "notebooks" / "fixtures" / "bad_across_cells.ipynb"
    files = [str(notebook), str(REPO / "examples" / "resnet_block.py")]
    argv = [sys.executable, "-m", "gradguard", *hook["entry"].split()[1:], *files]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad_across_cells.ipynb:cell" in done.stdout and "resnet_block.py:" in done.stdout


def test_every_vsce_target_has_pip_platform_tags_and_a_python_list():
    pkg = load_packager()
    assert sorted(pkg.PLATFORMS) == ["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64", "win32-x64"]
    assert all(pkg.PLATFORMS[t] for t in pkg.PLATFORMS)
    assert pkg.PYTHON_VERSIONS == sorted(pkg.PYTHON_VERSIONS, key=lambda v: tuple(map(int, v.split("."))))


def test_bundle_merge_keeps_native_modules_side_by_side_and_refuses_mixed_versions(tmp_path):
    pkg = load_packager()
    a, b, out = tmp_path / "cp311", tmp_path / "cp312", tmp_path / "libs"
    for tree, tag in ((a, "311"), (b, "312")):
        (tree / "libcst").mkdir(parents=True)
        (tree / "libcst" / "__init__.py").write_text("# same\n")
        (tree / "libcst" / f"native.cpython-{tag}-x86_64-linux-gnu.so").write_bytes(tag.encode())
        (tree / "libcst-1.9.0.dist-info").mkdir()
        (tree / "libcst-1.9.0.dist-info" / "RECORD").write_text(tag)  # differs per install: allowed
    out.mkdir()
    pkg.merge(a, out)
    pkg.merge(b, out)
    assert sorted(p.name for p in (out / "libcst").iterdir()) == [
        "__init__.py", "native.cpython-311-x86_64-linux-gnu.so", "native.cpython-312-x86_64-linux-gnu.so"]
    (b / "libcst" / "__init__.py").write_text("# another version\n")
    with pytest.raises(SystemExit, match="differs between Python versions"):
        pkg.merge(b, out)
