"""In-place writes into a language model's input-embedding output (analysis/input_embeddings.py).

Each program runs under torch the way LoRA fine-tuning runs it: the embedding frozen and the forward hook that
transformers' `enable_input_require_grads()` registers on `get_input_embeddings()` (`output.requires_grad_(True)`),
grad mode on. The test asserts what torch did and what gradguard says about the same text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.config import Config
from gradguard.engine import analyze

MODEL = '''import torch
import torch.nn as nn


class VisionLanguageModel(nn.Module):
    def __init__(self, vocab=10, dim=4, image_token=3):
        super().__init__()
        self.image_token = image_token
        self.EMBED = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
GETTER
    def forward(self, input_ids, image_embeds):
        mask = input_ids == self.image_token
BODY
        return self.proj(inputs_embeds)


def run():
    model = VisionLanguageModel()
    model.EMBED.weight.requires_grad_(False)
    model.EMBED.register_forward_hook(lambda module, args, output: output.requires_grad_(True))
    ids = torch.tensor([[1, 3, 2, 3]])
    model(ids, torch.randn(2, 4, requires_grad=True)).sum().backward()


if __name__ == "__main__":
    run()
'''

GETTER = '''
    def get_input_embeddings(self):
        return self.EMBED
'''

LEAF = "a leaf Variable that requires grad is being used in an in-place operation"
VIEW = "a view of a leaf Variable that requires grad is being used in an in-place operation"

CASES = [
    # (embedding attribute, get_input_embeddings defined, forward body, what torch raises, gradguard's finding)
    ("embed_tokens", True, "inputs_embeds = self.embed_tokens(input_ids)\ninputs_embeds[mask] = image_embeds",
     LEAF, "GG101"),
    ("embed_tokens", True, "inputs_embeds = self.get_input_embeddings()(input_ids)\ninputs_embeds[mask] = image_embeds",
     LEAF, "GG101"),
    ("text_embedder", True, "inputs_embeds = self.text_embedder(input_ids)\ninputs_embeds += 0 * image_embeds.mean()",
     LEAF, "GG101"),  # the attribute the file's get_input_embeddings returns
    ("embed_tokens", True, "inputs_embeds = self.embed_tokens(input_ids)\nflat = inputs_embeds.view(-1, 4)\n"
     "flat.index_copy_(0, torch.tensor([1, 3]), image_embeds)", VIEW, "GG102"),
    ("embed_tokens", True, "inputs_embeds = self.embed_tokens(input_ids)\ninputs_embeds[:, 1] = image_embeds[0]",
     VIEW, "GG102"),
    # out of place, or a copy first: the hooked leaf is never written
    ("embed_tokens", True, "inputs_embeds = self.embed_tokens(input_ids)\n"
     "inputs_embeds = inputs_embeds.masked_scatter(mask.unsqueeze(-1), image_embeds)", None, None),
    ("embed_tokens", True, "inputs_embeds = self.embed_tokens(input_ids).clone()\ninputs_embeds[mask] = image_embeds",
     None, None),
    ("embed_tokens", True, "inputs_embeds = self.embed_tokens(input_ids) * 2.0\ninputs_embeds[mask] = image_embeds",
     None, None),
    ("embed_tokens", True, "with torch.no_grad():\n    inputs_embeds = self.embed_tokens(input_ids)\n"
     "    inputs_embeds[mask] = image_embeds.detach()\ninputs_embeds = inputs_embeds + 0 * image_embeds.sum()",
     None, None),
    # another embedding than the input one (`get_input_embeddings` names the other): not hooked
    ("pos_embed", True, "inputs_embeds = self.proj(image_embeds[:1]).expand(4, 4).clone()\n"
     "other = nn.functional.embedding(input_ids, self.proj.weight)\nother[mask] = image_embeds", None, None),
]


def program(attr: str, getter: bool, body: str) -> str:
    indented = "\n".join("        " + line for line in body.splitlines())
    return MODEL.replace("GETTER", GETTER if getter else "").replace("BODY", indented).replace("EMBED", attr)


@pytest.mark.parametrize("attr, getter, body, raises, expected", CASES)
def test_torch_and_gradguard_agree(tmp_path: Path, attr, getter, body, raises, expected):
    text = program(attr, getter, body)
    path = tmp_path / "vlm.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    if raises:
        assert raises in ran.stderr.splitlines()[-1]
    else:
        assert ran.returncode == 0, ran.stderr
    found = [(f.code, f.severity.value) for f in analyze(text, "vlm.py", Config()).findings]
    assert found == ([] if expected is None else [(expected, "warning")])
    if expected:
        message = analyze(text, "vlm.py", Config()).findings[0].message
        assert "enable_input_require_grads()" in message and raises in message


def test_outside_the_hugging_face_ecosystem_nothing_is_assumed(tmp_path: Path):
    """No transformers/peft/trl import and no `get_input_embeddings`: nothing hooks the embedding (torch runs the
    program clean without the hook), so a write into its output is the plain, torch-safe in-place op it is."""
    text = program("embed_tokens", False, "inputs_embeds = self.embed_tokens(input_ids)\n"
                                          "inputs_embeds[mask] = image_embeds")
    text = text.replace("    model.EMBED.register_forward_hook", "    # no hook")
    text = text.replace("    model.embed_tokens.register_forward_hook(", "    (")
    path = tmp_path / "plain.py"
    path.write_text(text)
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert analyze(text, "plain.py", Config(strict=True)).findings == []
    with_import = "from transformers import PreTrainedModel  # noqa: F401\n" + text
    assert [f.code for f in analyze(with_import, "plain.py", Config()).findings] == ["GG101"]


PATCHED = '''import torch
import torch.nn as nn
from transformers import PreTrainedModel  # noqa: F401 (read by gradguard, never run)


class Qwen2VLForConditionalGeneration(nn.Module):  # stands for the library's class
    def __init__(self):
        super().__init__()
        self.model = nn.Module()
        self.model.embed_tokens = nn.Embedding(10, 4)
        self.lm_head = nn.Linear(4, 10)


def mixed_modality_forward(self, input_ids, image_embeds):
    inputs_embeds = self.model.embed_tokens(input_ids)
    flat = inputs_embeds.view(-1, 4)
    flat.index_copy_(0, (input_ids == 3).flatten().nonzero().flatten(), image_embeds)
    return self.lm_head(flat.view(input_ids.shape + (4,)))


def replace_forward():
    Qwen2VLForConditionalGeneration.forward = mixed_modality_forward


if __name__ == "__main__":
    replace_forward()
    model = Qwen2VLForConditionalGeneration()
    model.model.embed_tokens.weight.requires_grad_(False)
    model.model.embed_tokens.register_forward_hook(lambda module, args, output: output.requires_grad_(True))
    model(torch.tensor([[1, 3, 2, 3]]), torch.randn(2, 4, requires_grad=True)).sum().backward()
'''


def test_a_function_patched_in_as_a_forward_is_on_the_training_path(tmp_path: Path):
    """Fine-tuning repositories replace a library model's forward (`Cls.forward = my_forward`): that function is a
    forward, walked with grad mode on like a class's own (Qwen-VL-Series-Finetune's `index_copy_`)."""
    path = tmp_path / "patch.py"
    path.write_text(PATCHED.replace("from transformers import PreTrainedModel", "import torch as _unused"))
    ran = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert VIEW in ran.stderr.splitlines()[-1]
    found = analyze(PATCHED, "patch.py", Config()).findings
    assert [(f.code, f.span.line, f.severity.value) for f in found] == [("GG102", 17, "warning")]
    unpatched = PATCHED.replace("    Qwen2VLForConditionalGeneration.forward = mixed_modality_forward", "    pass")
    assert analyze(unpatched, "patch.py", Config()).findings == []


EDITED = '''import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed_tokens = nn.Embedding(10, 4)
        self.proj = nn.Linear(4, 4)

    def forward(self, input_ids, image_embeds):
        inputs_embeds = self.embed_tokens(input_ids)
        inputs_embeds[input_ids == 3] = image_embeds
        return self.proj(inputs_embeds)


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = Model()
'''

WRAPPER_GETTER = '''
    def get_input_embeddings(self):
        return self.model.embed_tokens
'''


@pytest.mark.parametrize("getter_first", [False, True])
def test_the_editor_rewalks_a_forward_when_another_class_gains_or_loses_the_getter(getter_first):
    """A `get_input_embeddings` typed into (or deleted from) another class decides whether `Model.forward`'s write
    is reported; the editor's per-scope cache must not keep the forward's old answer."""
    from gradguard import engine

    doc = f"incremental-test://input-embeddings-{getter_first}.py"
    engine.forget(doc)
    texts = [EDITED + WRAPPER_GETTER, EDITED] if getter_first else [EDITED, EDITED + WRAPPER_GETTER]
    try:
        seen = []
        for text in texts + texts[:1]:
            incremental = engine.analyze(text, doc, incremental=True)
            full = engine.analyze(text, "full.py")
            assert [f.code for f in incremental.findings] == [f.code for f in full.findings]
            seen.append([f.code for f in full.findings])
        assert seen == ([["GG101"], [], ["GG101"]] if getter_first else [[], ["GG101"], []])
    finally:
        engine.forget(doc)
