"""What the defaults select when a flag freezes a parameter: `if freeze: self.emb.weight.requires_grad = False`,
then `model.emb.weight.copy_(vectors)` with grad mode on. With `freeze` False (a constructor's default, or an argparse
option's: `action='store_true'` is False unless the user passes the flag) the copy raises on the default run; the
finding is a warning that names the default. With the default on the frozen side, or the copy under `no_grad`,
torch runs clean and no error or warning is reported.

Each program runs under torch as written (argparse reads an empty command line); gradguard sees the files as an
editor does (the cross-file case: options declared in `config.py`, read through `args = parse_args()` in
`main.py`, the model in `model.py`, as dasguptar/treelstm.pytorch lays them out)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

LEAF = "a leaf Variable that requires grad is being used in an in-place operation"
COPY = "model.emb.weight.copy_(vectors)"
GUARDED = "with torch.no_grad():\n        model.emb.weight.copy_(vectors)"

MODEL = '''import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, dim, freeze=DEFAULT):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.out = nn.Linear(dim, 1)
        if freeze:
            self.emb.weight.requires_grad = False

    def forward(self, tokens, vectors):
        COPY
        return self.out(self.emb(tokens)).sum()


if __name__ == "__main__":
    torch.manual_seed(0)
    Encoder(10, 4)(torch.tensor([1, 2]), torch.randn(10, 4)).backward()
    print("ran")
'''


def run(folder: Path, name: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, name], capture_output=True, text=True, cwd=folder)


def loud(findings) -> list:
    return [(f.code, f.span.line, f.severity.value, f.message) for f in findings
            if f.severity.value in ("error", "warning")]


@pytest.mark.parametrize("default, copy, raises", [
    (False, "self.emb.weight.copy_(vectors)", True),
    (False, "with torch.no_grad():\n            self.emb.weight.copy_(vectors)", False),
    (True, "self.emb.weight.copy_(vectors)", False),  # frozen by default: raises only when built with freeze=False
])
def test_a_parameter_frozen_only_off_the_constructors_defaults(tmp_path: Path, default, copy, raises):
    text = MODEL.replace("DEFAULT", str(default)).replace("COPY", copy)
    (tmp_path / "encoder.py").write_text(text)
    ran = run(tmp_path, "encoder.py")
    assert (LEAF in ran.stderr) is raises and (ran.returncode == 0) is not raises, ran.stderr
    library = text.split('if __name__ == "__main__":')[0]  # the class alone, as a library file shows it
    found = loud(analyze(library, "encoder.py", Config()).findings)
    if raises:
        assert [f[:3] for f in found] == [("GG101", 14, "warning")]
        assert "with the default `freeze=False`" in found[0][3]
    else:
        assert found == []


SCRIPT = '''import argparse

import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, dim, freeze):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        if freeze:
            self.emb.weight.requires_grad = False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--freeze-embed", OPTION)
    args = parser.parse_args()
    SET
    torch.manual_seed(0)
    model = Encoder(10, 4, args.freeze_embed)
    vectors = torch.randn(10, 4)
    COPY
    print("ran")


main()
'''


@pytest.mark.parametrize("option, set_, copy, raises, reported", [
    ("action='store_true'", "", COPY, True, True),
    ("action='store_true'", "", GUARDED, False, False),
    ("action='store_false'", "", COPY, False, False),  # frozen unless the user passes --freeze-embed
    ("default=False, action='store_true'", "", COPY, True, True),
    ("action='store_true'", "args.freeze_embed = True", COPY, False, False),
    ("action='store_true'", "setattr(args, 'freeze_embed', True)", COPY, False, False),
    ("action='store_true'", "vars(args).update(freeze_embed=True)", COPY, False, False),
])
def test_an_argparse_option_read_at_its_default(tmp_path: Path, option, set_, copy, raises, reported):
    text = SCRIPT.replace("OPTION", option).replace("SET", set_ or "pass").replace("COPY", copy)
    (tmp_path / "train.py").write_text(text)
    ran = run(tmp_path, "train.py")
    assert (LEAF in ran.stderr) is raises and (ran.returncode == 0) is not raises, ran.stderr
    found = loud(analyze(text, str(tmp_path / "train.py"), Config()).findings)
    if reported:
        line = text.splitlines().index("    " + COPY) + 1
        assert [f[:3] for f in found] == [("GG101", line, "warning")]
        assert "with the default `args.freeze_embed=False`" in found[0][3]
    else:
        assert found == []


CONFIG = '''import argparse


def parse_args():
    parser = argparse.ArgumentParser(description="train an encoder")
    parser.add_argument("--dim", default=4, type=int)
    parser.add_argument("--freeze_embed", OPTION)
    return parser.parse_args()
'''

ENCODER = '''import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, dim, freeze):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.out = nn.Linear(dim, 1)
        if freeze:
            self.emb.weight.requires_grad = False

    def forward(self, tokens):
        return self.out(self.emb(tokens)).sum()
'''

MAIN = '''import torch

from config import parse_args
from model import Encoder


def main():
    args = parse_args()
    torch.manual_seed(0)
    model = Encoder(10, args.dim, args.freeze_embed)
    vectors = torch.randn(10, args.dim)
    COPY
    model(torch.tensor([1, 2])).backward()
    print("ran")


if __name__ == "__main__":
    main()
'''


@pytest.mark.parametrize("option, copy, raises", [
    ("action='store_true'", COPY, True),
    ("action='store_true'", GUARDED, False),
    ("action='store_false'", COPY, False),
])
def test_options_declared_in_another_file(tmp_path: Path, option, copy, raises):
    (tmp_path / "config.py").write_text(CONFIG.replace("OPTION", option))
    (tmp_path / "model.py").write_text(ENCODER)
    text = MAIN.replace("COPY", copy)
    (tmp_path / "main.py").write_text(text)
    ran = run(tmp_path, "main.py")
    assert (LEAF in ran.stderr) is raises and (ran.returncode == 0) is not raises, ran.stderr
    project = Project(str(tmp_path), jedi_budget=10.0)
    found = loud(analyze(text, str(tmp_path / "main.py"), Config(), project=project).findings)
    if raises:
        assert [f[:3] for f in found] == [("GG101", 12, "warning")]
        assert "with the default `args.freeze_embed=False`" in found[0][3]
    else:
        assert found == []


GET_PARSER = '''import argparse


def get_parser():
    parser = argparse.ArgumentParser(description="train an encoder")
    parser.add_argument("--dim", default=4, type=int)
    parser.add_argument("--freeze_embed", OPTION)
    return parser
'''

ENCODER_OF_ARGS = '''import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.emb = nn.Embedding(10, args.dim)
        self.out = nn.Linear(args.dim, 1)
        if args.freeze_embed:
            self.emb.weight.requires_grad = False

    def forward(self, tokens):
        return self.out(self.emb(tokens)).sum()
'''

MAIN_OF_PARSER = '''import torch

from config import get_parser
from model import Encoder


def main():
    args, _ = get_parser().parse_known_args()
    torch.manual_seed(0)
    model = Encoder(args)
    vectors = torch.randn(10, args.dim)
    COPY
    model(torch.tensor([1, 2])).backward()
    print("ran")


if __name__ == "__main__":
    main()
'''


@pytest.mark.parametrize("option, copy, raises", [
    ("action='store_true'", COPY, True),
    ("action='store_true'", GUARDED, False),
    ("action='store_false'", COPY, False),
])
def test_a_parser_made_in_another_file_and_the_namespace_handed_to_the_model(tmp_path: Path, option, copy, raises):
    """`get_parser().parse_known_args()` on a parser `config.py` builds, the namespace passed whole to the model,
    whose constructor tests `args.freeze_embed`."""
    (tmp_path / "config.py").write_text(GET_PARSER.replace("OPTION", option))
    (tmp_path / "model.py").write_text(ENCODER_OF_ARGS)
    text = MAIN_OF_PARSER.replace("COPY", copy)
    (tmp_path / "main.py").write_text(text)
    ran = run(tmp_path, "main.py")
    assert (LEAF in ran.stderr) is raises and (ran.returncode == 0) is not raises, ran.stderr
    project = Project(str(tmp_path), jedi_budget=10.0)
    found = loud(analyze(text, str(tmp_path / "main.py"), Config(), project=project).findings)
    if raises:
        assert [f[:3] for f in found] == [("GG101", 12, "warning")]
        assert "with the default `args.freeze_embed=False`" in found[0][3]
    else:
        assert found == []
