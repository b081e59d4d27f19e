"""Data transforms written as modules: what their `forward` is given is the batch, not a layer's output.

A module's `forward` is walked as the training path with its tensor inputs taken as requiring grad (a previous
layer's output). An augmentation written as an `nn.Module` breaks that assumption: the training step applies it to
the batch the data loader gave (`batch = self.augment(batch)`, `x, y = self.mixup(x, y)`), which requires no
grad, so an in-place scaling or mixing there changes a tensor no op saved, and torch raises nothing. Two shapes of
class say so, read from the class alone (the call is usually built from a config the analysis cannot follow):

- a class that builds no layer (its `__init__` makes no module, parameter or buffer) whose `forward` decides by
  Python's own randomness whether, or how much, to change the whole batch (`if self.training and random.random()
  < self.p:`): a per-batch coin flip, what an augmentation pipeline does (a layer that drops whole paths keeps a
  submodule, and one that drops units draws a tensor mask, `torch.rand(...)`, not a Python number);
- a class that builds no layer whose `forward` takes the labels with the data and returns both, the labels
  changed (MixUp and CutMix: `return x, mixed_labels`): a model's layer does not rewrite the targets, and a loss
  returns what it computed, not its input.

Then the forward's tensor inputs are walked as unknown (neither assumed to require grad nor not), as any helper's.
A caller in the same file that passes a tensor that requires grad still gets its findings from its own walk.
"""

from __future__ import annotations

import ast
import re

# The labels or targets handed in with the data (`labels`, `target`, `y_true`).
LABELS = re.compile(r"^(labels?|targets?|y|y_true|gt)$", re.IGNORECASE)
# A loss by its name (a loss takes the labels too, and returns what it computed from them).
LOSS_NAME = re.compile(r"loss|criterion", re.IGNORECASE)
# Python-level randomness: `random.random()`, `random.uniform(a, b)`, `np.random.rand()`, `numpy.random.beta(...)`.
PY_RANDOM_MODULES = {"random", "np.random", "numpy.random"}
# What an `__init__` may call without building a layer: plain Python and a sampler (`torch.distributions.Beta`).
LAYER_FREE_CALLS = re.compile(r"^(super|int|float|bool|str|tuple|list|dict|set|len|min|max|abs|round|isinstance|"
                              r"getattr|hasattr|print|range|sorted|assert)$|(^|\.)distributions\.")


def data_transform_classes(classes: list) -> frozenset:
    """The classes of a file that are data transforms (the module's docstring); one that builds only such
    transforms (`self.mixup = MixUp(...)`, `self.cutmix = CutMix(...)`) and applies them is one too."""
    found: set = set()
    while True:
        more = {c.name for c in classes if c.name not in found and data_transform_class(c, found)}
        if not more:
            return frozenset(found)
        found |= more


def data_transform_class(cls: ast.ClassDef, transforms: set | frozenset = frozenset()) -> bool:
    """Is `cls` a data transform written as a module (the module's docstring)? `transforms`: the names of the
    file's classes known to be ones, which its `__init__` may build."""
    methods = {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    forward = methods.get("forward")
    if forward is None or not builds_no_layer(methods.get("__init__"), transforms):
        return False
    if LOSS_NAME.search(cls.name):
        return False  # a loss takes the labels with the predictions, and the predictions require grad
    return coin_flip_on_batch(forward) or returns_changed_labels(forward)


def builds_no_layer(init, transforms: set | frozenset = frozenset()) -> bool:
    """Does `__init__` (None: inherited) store only plain values (or build data transforms, `transforms`): no call
    that may build a module or a tensor?"""
    if init is None:
        return False  # the base class's constructor is not seen: it may build layers
    for node in ast.walk(init):
        if isinstance(node, ast.Call):
            text = dotted(node.func)
            if text is None:
                return False
            if text.startswith("super") or LAYER_FREE_CALLS.search(text) or text in transforms or \
                    text.startswith("self.") and \
                    text.rsplit(".", 1)[-1] == "__init__":
                continue
            return False
    return True


def dotted(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    if isinstance(node, ast.Call):  # `super().__init__`
        inner = dotted(node.func)
        return None if inner is None else f"{inner}()"
    return None


def coin_flip_on_batch(forward) -> bool:
    """Does `forward` test a Python random number in an `if` (`if self.training and random.random() < self.p:`)?"""
    for node in ast.walk(forward):
        if isinstance(node, ast.If) and any(python_random(n) for n in ast.walk(node.test)):
            return True
    return False


def python_random(node) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    return dotted(node.func.value) in PY_RANDOM_MODULES


def returns_changed_labels(forward) -> bool:
    """Does `forward(self, x, labels)` return a tuple that holds a data argument (or a name it rebinds) and a
    value computed from the labels (not the labels themselves)?"""
    params = [a.arg for a in forward.args.posonlyargs + forward.args.args][1:]
    labels = [p for p in params if LABELS.match(p)]
    data = [p for p in params if p not in labels]
    if len(labels) != 1 or not data:
        return False
    label = labels[0]
    from_labels = {label}  # names computed from the labels
    for node in ast.walk(forward):
        if isinstance(node, ast.Assign) and any(isinstance(n, ast.Name) and n.id in from_labels
                                                for n in ast.walk(node.value)):
            for target in node.targets:
                from_labels.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    found = False
    for node in ast.walk(forward):
        if isinstance(node, ast.Return) and node.value is not None:
            if not isinstance(node.value, ast.Tuple):
                return False
            names = [e.id for e in node.value.elts if isinstance(e, ast.Name)]
            if not (set(names) & set(data)) or any(LOSS_NAME.search(n) for n in names) or \
                    not any(n in from_labels and n != label for n in names):
                return False
            found = True
    return found
