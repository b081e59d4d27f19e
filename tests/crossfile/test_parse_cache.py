"""The parses of other files that projects share (gradguard.parsed_files): a file an import chain only passes
through is kept as its name index, a file whose definitions were walked as its tree, both bounded; the findings
are the same however small the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.parsed_files import ParsedFiles
from gradguard.project import Project

FIXTURE = Path(__file__).parents[1] / "lsp" / "fixtures" / "visionpkg"
CALLER = """\
import torch.nn as nn
from visionpkg import scaled_residual_block


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 1)

    def forward(self, x):
        return scaled_residual_block(self.conv(x))
"""
REEXPORT = "from .blocks import scaled_residual_block\n"
BLOCKS = "from .layers import scaled_residual\n\n\ndef scaled_residual_block(x):\n    return scaled_residual(x, x)\n"


def workspace(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "visionpkg", ignore=shutil.ignore_patterns("__pycache__", "models.py"))
    (tmp_path / "visionpkg" / "__init__.py").write_text(REEXPORT)
    (tmp_path / "visionpkg" / "blocks.py").write_text(BLOCKS)
    (tmp_path / "train.py").write_text(CALLER)
    return tmp_path


def findings(root: Path, cache: ParsedFiles) -> list[tuple]:
    project = Project(str(root), cache=cache)
    result = analyze(CALLER, str(root / "train.py"), Config(), project=project)
    return [(f.code, f.span.line, f.message) for f in result.findings]


def test_a_file_only_passed_through_keeps_its_names_not_its_tree(tmp_path):
    root = workspace(tmp_path)
    cache = ParsedFiles(max_lines=10_000)
    first = findings(root, cache)
    assert [code for code, _, _ in first] == ["GG201"]  # through __init__ -> blocks -> layers.scaled_residual
    package = str((root / "visionpkg" / "__init__.py").resolve())
    layers = str((root / "visionpkg" / "layers.py").resolve())
    key = lambda p: ("disk", Path(p).stat().st_mtime_ns, Path(p).stat().st_size)  # noqa: E731
    assert cache.get(package, key(package), full=True) is None  # only its index
    assert cache.get(package, key(package), full=False).tree is None
    assert cache.get(layers, key(layers), full=True).tree is not None  # walked: its tree stays
    assert findings(root, cache) == first  # the index answers the chain the next time


def test_the_findings_do_not_depend_on_the_size_of_the_cache(tmp_path):
    root = workspace(tmp_path)
    roomy = findings(root, ParsedFiles(max_lines=None))
    tiny = ParsedFiles(max_lines=1, max_indexes=1)  # every new tree pushes the last one out
    assert findings(root, tiny) == roomy and findings(root, tiny) == roomy
    assert len(tiny) <= 2


def test_a_buffer_is_the_same_on_disk_when_its_text_is_what_the_file_decodes_to(tmp_path):
    project = Project(str(tmp_path))
    (tmp_path / "utf8.py").write_bytes("\ufeffx = 'é'\n".encode("utf-8"))
    (tmp_path / "latin.py").write_bytes("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1"))
    assert project.same_on_disk(str(tmp_path / "utf8.py"), "x = 'é'\n")
    assert project.same_on_disk(str(tmp_path / "utf8.py"), "\ufeffx = 'é'\n")
    assert project.same_on_disk(str(tmp_path / "latin.py"), "# -*- coding: latin-1 -*-\nx = 'é'\n")
    assert not project.same_on_disk(str(tmp_path / "utf8.py"), "x = 'e'\n")
    assert not project.same_on_disk(str(tmp_path / "gone.py"), "x = 'é'\n")
    project.close()
