"""What the walk knows of libraries around torch: einops patterns (judged by torch), torch.nn mirrors in other
packages, `nn.Sequential` members of unknown classes, and `map` over a lambda."""

from __future__ import annotations

import textwrap

import pytest
import torch
from einops import rearrange, repeat

from gradguard.analysis.einops import layout_after, parse_pattern
from gradguard.engine import analyze


def torch_layout(result: torch.Tensor, source: torch.Tensor) -> str:
    if result is source:
        return "same"
    shares = result.untyped_storage().data_ptr() == source.untyped_storage().data_ptr()
    return "view" if shares else "copy"


PATTERNS = [
    # (pattern, chunk dim of the source or None for a contiguous source, repeat axes)
    ("b (h d) x y -> b h (x y) d", 1, {}),
    ("b n (h d) -> b h n d", -1, {}),
    ("b n d -> (b n) d", -1, {}),
    ("b n (h d) -> b (n h) d", -1, {}),
    ("b n d -> b (n d)", -1, {}),
    ("b n d -> b (n d)", None, {}),
    ("b n d -> b d n", -1, {}),
    ("b n d -> b (d n)", None, {}),
    ("b n d -> b n d", None, {}),
    ("b n d -> b n () d", None, {}),
    ("b n d -> b n d r", None, {"r": 2}),
    ("b n d -> b n (d r)", None, {"r": 2}),
]


@pytest.mark.parametrize("pattern, chunk_dim, axes", PATTERNS)
def test_einops_layout_matches_torch(pattern, chunk_dim, axes):
    base = torch.randn(2, 12, 3, 3) if "x y" in pattern else torch.randn(2, 4, 6)
    source = base.chunk(3, dim=chunk_dim)[0] if chunk_dim is not None else base
    out = repeat(source, pattern, **axes) if axes else rearrange(source, pattern, h=2) if "h" in pattern \
        else rearrange(source, pattern)
    left, right = parse_pattern(pattern)
    gaps = frozenset({chunk_dim}) if chunk_dim not in (None, 0) else frozenset()
    kind, _ = layout_after(left, right, gaps, frozenset(axes))
    # "merge": merged axes that are not adjacent in memory, a copy at these sizes (every axis longer than 1)
    assert (kind if kind != "merge" else "copy") == torch_layout(out, source)


@pytest.mark.parametrize("pattern, merged_axis, kind", [
    ("b n (h d) -> (b h) n d", 0, "merge"),  # the batch axis merged across a permute: a view for a batch of one
    ("b n (h d) -> b (n h) d", 1, "copy"),  # a view only for a sequence of one: taken as a copy
])
def test_a_batch_merge_is_a_view_for_a_batch_of_one(pattern, merged_axis, kind):
    """timesformer-pytorch's `q *= self.scale` after `rearrange(q, 'b n (h d) -> (b h) n d')` of a chunk piece
    raised only for a batch of one: reshape gives a view when the merged axes but one have size 1."""
    left, right = parse_pattern(pattern)
    assert layout_after(left, right, frozenset({-1}))[0] == kind
    for size, expected in ((1, "view"), (2, "copy")):
        shape = [2, 4, 12]
        shape[merged_axis] = size
        source = torch.randn(*shape).chunk(3, dim=-1)[0]
        assert torch_layout(rearrange(source, pattern, h=2), source) == expected


def test_unknown_layout_merges_are_copies():
    left, right = parse_pattern("b n d -> (b n) d")
    assert layout_after(left, right, None)[0] == "copy"
    assert parse_pattern("b n d") is None and parse_pattern("b (n d -> b n d") is None


def findings(src: str) -> list[tuple[int, str]]:
    result = analyze(textwrap.dedent(src).lstrip("\n"), "snippet.py")
    assert result.error is None, result.error
    return sorted((f.span.line, f.code) for f in result.findings)


MIRROR = """
    import torch
    import torch.nn.functional as F
    import {package} as nn


    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 8)
            self.classifier = nn.Sequential(nn.Dropout(p=0.2, inplace=True), nn.Linear(8, 2))

        def forward(self, x):
            x = F.relu(self.fc(x))
            return self.classifier(x)
    """


def test_mirror_of_torch_nn_is_torch_nn():
    # the Dropout(inplace=True) built on line 10 changes the ReLU output (line 13) that relu saved
    assert findings(MIRROR.format(package="nni.retiarii.nn.pytorch")) == [(10, "GG201")]
    assert findings(MIRROR.format(package="torch.nn")) == [(10, "GG201")]
    assert findings(MIRROR.format(package="mylib.layers")) == []  # not an `nn` package: unknown classes


def test_sequential_keeps_known_members_around_unknown_ones():
    src = """
        import torch
        import torch.nn as nn
        from speechlib import SamePad


        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(4, 4)
                self.pos_conv = nn.Sequential(nn.Conv1d(4, 4, 2, padding=1), SamePad(2), nn.GELU())

            def forward(self, features):
                x = self.proj(features)
                x_conv = self.pos_conv(x.transpose(1, 2)).transpose(1, 2)
                x += x_conv
                return {"features": x}
        """
    assert findings(src) == [(15, "GG201")]
    assert findings(src.replace("SamePad(2), nn.GELU()", "*[SamePad(2), nn.GELU()]")) == []


def test_map_lambda_keeps_views_and_sees_the_defining_scope():
    src = """
        import torch
        import torch.nn as nn


        class Split(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(4, 8)

            def forward(self, x):
                scale = 2.0
                a, b = map(lambda t: t.transpose(0, 1), self.proj(x).chunk(2, dim=-1))
                a *= scale
                return list(map(lambda t: t * scale, (a, b)))
        """
    assert findings(src) == [(13, "GG301")]


def test_decomposition_outputs_keep_their_saves():
    src = """
        import torch

        x = torch.randn(3, 3, requires_grad=True)
        a = x @ x.T
        evals, evecs = {call}
        evals.clamp_min_(0.0)
        (evecs * evals).sum().backward()
        """
    # symeig is gone from this torch; it is modelled by the facts of its successor, linalg.eigh
    for call in ("torch.linalg.eigh(a)", "a.symeig(eigenvectors=True)", "torch.linalg.qr(a)", "torch.svd(a)[:2]"):
        assert findings(src.format(call=call)) == [(6, "GG201")], call


def test_activation_registries_give_the_torch_module():
    src = """
        import torch.nn as nn
        from transformers.activations import ACT2FN, get_activation


        class Block(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.fc = nn.Linear(dim, dim)
                self.act = {lookup}

            def forward(self, x):
                y = self.act(self.fc(x))
                y += x
                return y
        """
    assert findings(src.format(lookup='ACT2FN["tanh"]')) == [(13, "GG201")]
    assert findings(src.format(lookup='get_activation("sigmoid")')) == [(13, "GG201")]
    assert findings(src.format(lookup='ACT2FN["gelu"]')) == []  # GELU keeps its input, not its output
    assert findings(src.format(lookup='ACT2FN["gelu_new"]')) == []  # not a name torch.nn has a class for
    assert findings(src.format(lookup='CONFIGS["tanh"]')) == []  # not an activation registry
