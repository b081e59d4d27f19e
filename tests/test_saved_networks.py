"""A module class holding a network built by another file (`self.sparse_linear = parts['sparse_linear']`, the runner
puts an `nn.Linear` in the dict) and saving its weights (`self.sparse_linear.state_dict()`): its output requires grad
on the training path (analysis/saved_modules.py). BGE-M3's sparse head keeps `scatter_reduce(..., "amax")`'s output
for backward and zeroes columns of it in place: torch raises at the runner's backward(). The class file is analysed
alone (the runner is not read); torch runs both files."""

from __future__ import annotations

from pathlib import Path

from test_models_built_elsewhere import analyse_and_run

MODEL = """\
import torch


class SparseEmbedder(torch.nn.Module):
    def __init__(self, parts, vocab_size=20):
        super().__init__()
        self.encoder = parts["encoder"]
        self.sparse_linear = parts["sparse_linear"]
        self.vocab_size = vocab_size

    def sparse_embedding(self, hidden_state, input_ids):
        token_weights = torch.relu(self.sparse_linear(hidden_state))
        out = torch.zeros(input_ids.size(0), self.vocab_size, dtype=token_weights.dtype)
        out = out.scatter_reduce(dim=-1, index=input_ids, src=token_weights.squeeze(-1), reduce="amax")
ZERO
        return out

    def forward(self, features):
        hidden_state = self.encoder(**features).last_hidden_state
        return self.sparse_embedding(hidden_state, features["input_ids"])

    def save(self, path):
SAVE
"""
IN_PLACE = "        out[:, [0, 1, 2]] *= 0."
OUT_OF_PLACE = "        out = out * (torch.arange(self.vocab_size) > 2)"
SAVES = "        torch.save(self.sparse_linear.state_dict(), path)"
LOADS = "        self.sparse_linear.load_state_dict(torch.load(path))"

RUNNER = """\
import types

import torch
from model import SparseEmbedder


class Encoder(torch.nn.Module):  # a frozen encoder: the head's weights alone require grad
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(20, 8).requires_grad_(False)

    def forward(self, input_ids):
        return types.SimpleNamespace(last_hidden_state=self.emb(input_ids))


torch.manual_seed(0)
head = torch.nn.Linear(8, 1)
FREEZE
model = SparseEmbedder({"encoder": Encoder(), "sparse_linear": head})
out = model({"input_ids": torch.randint(0, 20, (2, 5))})
loss = out.sum() + torch.zeros(1, requires_grad=True).sum()
loss.backward()
print("ok")
"""


def run(tmp_path: Path, zero: str, save: str, freeze: str = ""):
    return analyse_and_run(tmp_path, {"model.py": MODEL.replace("ZERO", zero).replace("SAVE", save),
                                      "runner.py": RUNNER.replace("FREEZE", freeze)}, "model.py", "runner.py")


def test_saved_head_output_changed_in_place(tmp_path: Path):
    found, ran = run(tmp_path, IN_PLACE, SAVES)
    assert "modified by an inplace operation" in ran.stderr and "output 0 of ScatterReduce" in ran.stderr
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG201", 15, "warning")]


def test_saved_head_changed_out_of_place_is_quiet(tmp_path: Path):
    found, ran = run(tmp_path, OUT_OF_PLACE, SAVES)
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []


def test_a_head_that_is_only_loaded_is_no_evidence(tmp_path: Path):
    # a frozen teacher loads weights too: its output does not require grad, and torch runs
    found, ran = run(tmp_path, IN_PLACE, LOADS, freeze="head.requires_grad_(False)")
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stderr
    assert found.findings == []


def test_the_editor_sees_save_turned_into_load():
    """The answer reads `save()`'s body, which another method's walk does not otherwise depend on: the editor's
    incremental analysis must drop the warning when `save()` stops saving the head (and bring it back), as a full
    analysis does."""
    from gradguard.engine import analyze, forget

    def found(result):
        return sorted((f.code, f.span.line, f.severity.value) for f in result.findings)

    saving = MODEL.replace("ZERO", IN_PLACE).replace("SAVE", SAVES)
    loading = MODEL.replace("ZERO", IN_PLACE).replace("SAVE", LOADS)
    path = "/nonexistent/saved_networks_editor.py"
    try:
        for text in (saving, loading, saving):
            assert found(analyze(text, path, incremental=True)) == found(analyze(text, path))
        assert found(analyze(loading, path)) == [] and found(analyze(saving, path)) != []
    finally:
        forget(path)
