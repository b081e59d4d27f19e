"""GG305 (analysis/backward_hooks.py): which full backward hook registrations are on a module inside a model the
code is handed. Torch's side (a hooked layer's output changed in place raises, a tensor hook from a forward hook does
not) is run by the rule examples in rules/examples/GG305."""

from __future__ import annotations

import textwrap

import pytest

from gradguard.config import Config
from gradguard.engine import analyze


def gg305_lines(source: str) -> list[int]:
    analysis = analyze(textwrap.dedent(source), "lib.py", Config())
    return sorted(f.span.line for f in analysis.findings if f.code == "GG305")


FLAGGED = {
    "a target layer handed on its own": """
        class GradCam:
            def __init__(self, model, target_layer):
                self.model = model
                target_layer.register_full_backward_hook(self.save)
        """,
    "loop over a list of layers": """
        def hook(target_layers, fn):
            for layer in target_layers:
                layer.register_full_backward_hook(fn)
        """,
    "named_modules of a parameter, filtered by type": """
        import torch.nn as nn
        def hook(model, fn):
            for name, m in model.named_modules():
                if isinstance(m, nn.Linear):
                    m.register_full_backward_hook(fn)
        """,
    "keys of a dict comprehension over the model's modules": """
        def hook(model, fn):
            names = {mod: name for name, mod in model.named_modules()}
            for mod in names:
                mod.register_full_backward_hook(fn)
        """,
    "a list filled in a loop": """
        def hook(model, fn):
            chosen = []
            for m in model.modules():
                chosen.append(m)
            for m in chosen:
                m.register_full_backward_pre_hook(fn)
        """,
    "get_submodule of an attribute set from a constructor argument": """
        class Curvature:
            def __init__(self, model, names):
                self.model = model
                self.names = names
            def install(self, fn):
                for name in self.names:
                    module = self.model.get_submodule(name)
                    module.register_full_backward_hook(fn)
        """,
    "an attribute a base class sets, through getattr of a conditional method name": """
        import torch
        class Cam(Base):
            def __init__(self, model, layer):
                super().__init__(model, layer)
                name = 'register_full_backward_hook' if torch.__version__ >= '1.8' else 'register_backward_hook'
                getattr(self.submodules[layer], name)(self.save)
        """,
    "a closure over the enclosing function's parameter": """
        def install(model):
            def add(fn):
                for m in model.children():
                    m.register_full_backward_hook(fn)
            return add
        """,
    "a global full backward hook": """
        import torch
        def debug():
            torch.nn.modules.module.register_module_full_backward_hook(lambda m, gi, go: None)
        """,
}

CLEAN = {
    "the non-full backward hook": """
        def hook(target_layers, fn):
            for layer in target_layers:
                layer.register_backward_hook(fn)
        """,
    "a forward hook that registers a tensor hook": """
        def hook(target_layers, fn):
            for layer in target_layers:
                layer.register_forward_hook(lambda m, i, out: out.register_hook(fn))
        """,
    "the module's own layer": """
        import torch.nn as nn
        class Block(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.proj = nn.Linear(dim, dim)
                self.proj.register_full_backward_hook(self.record)
        """,
    "self, and self's own modules": """
        import torch.nn as nn
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.register_full_backward_hook(self.record)
                for m in self.modules():
                    m.register_full_backward_hook(self.record)
        """,
    "a model handed whole whose submodules the function visits": """
        def trace(model_chunk, fn, record):
            for name, sub in model_chunk.named_modules():
                sub.register_forward_hook(record)
            model_chunk.register_full_backward_hook(fn)
        """,
    "a layer the function builds": """
        import torch.nn as nn
        def make(fn):
            layer = nn.Linear(3, 3)
            layer.register_full_backward_hook(fn)
            return layer
        """,
    "module-level script code": """
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(3, 3), nn.ReLU())
        net[0].register_full_backward_hook(lambda *a: None)
        """,
}


@pytest.mark.parametrize("name", sorted(FLAGGED))
def test_reported(name: str) -> None:
    source = textwrap.dedent(FLAGGED[name])
    expected = [i + 1 for i, line in enumerate(source.splitlines())
                if ".register_full_backward" in line or ".register_module_full" in line or "getattr(self" in line]
    assert gg305_lines(source) == expected


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_not_reported(name: str) -> None:
    assert gg305_lines(CLEAN[name]) == []


def test_the_finding_is_a_warning_on_the_registration() -> None:
    source = textwrap.dedent(FLAGGED["loop over a list of layers"])
    analysis = analyze(source, "lib.py", Config())
    finding, = [f for f in analysis.findings if f.code == "GG305"]
    assert finding.severity.value == "warning"
    assert (finding.span.line, finding.span.column) == (4, 9)
    assert "BackwardHookFunction" in finding.message and "register_hook" in finding.message
