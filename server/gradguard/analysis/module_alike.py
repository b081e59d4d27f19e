"""When two nn.Module values the walk joins stand for each other: modules without parameters whose ops save the
same tensors for backward, two normalization layers, constructor calls written alike; and what an nn.Sequential
given other layers on two paths holds (values.join_val)."""

from __future__ import annotations

import ast

from .. import facts


# Normalization layers: a new tensor of the input's shape; they keep their input (and statistics) for backward,
# never their output (tests/test_torch_facts.py checks the facts they are read from)
NORM_OPS = frozenset({"batch_norm", "layer_norm", "group_norm", "instance_norm", "rms_norm"})
MODULE_FACT_KEYS = frozenset({"args", "op", "verified", "inplace_arg"})  # an nn module that is one op, no parameters



def alike_for_backward(a, b) -> bool:
    """Two torch.nn modules without parameters whose ops save the same tensors for backward (ReLU, Sigmoid,
    Tanh, Softmax save their output; GELU, SiLU, ELU their input), or two normalization layers: either stands for
    both."""
    if a.cls is not None or b.cls is not None or a.members or b.members or a.inplace != b.inplace \
            or a.by_default != b.by_default \
            or not a.kind or not b.kind:
        return False
    entries = [facts.module(a.kind), facts.module(b.kind)]
    if all(e and e.get("op") in NORM_OPS for e in entries) and \
            bool(entries[0].get("param_args")) == bool(entries[1].get("param_args")):
        return True  # `BatchNorm1d(d) if norm == "batchnorm" else LayerNorm(d)`: either keeps its input, not its output
    found = []
    for kind in (a.kind, b.kind):
        entry = facts.module(kind)
        if not entry or entry.get("op") is None or set(entry) - MODULE_FACT_KEYS:
            return False
        fact = facts.op(entry["op"], "torch", {"input": "tensor"}) or \
            facts.op(entry["op"], "functional", {"input": "tensor"})
        if fact is None or fact.view or fact.inplace:
            return False
        found.append((fact.saves_result, tuple(sorted(fact.saves.items())), fact.frees_saved))
    return found[0] == found[1]


def same_call(a: ast.AST, b: ast.AST) -> bool:
    """Two constructor calls written alike (`nn.Linear(d, 1)` twice in a list): the same class, the same arguments."""
    return type(a) is type(b) and ast.dump(a) == ast.dump(b)


def joined_members(a, b, unknown) -> tuple:
    """The layers of one nn.Sequential given other layers on two paths (`if stride != 1: body.add_module("pool",
    ...)`, a loop's passes): the layers both paths begin with run first on either, then layers unknown (maybe
    none: `unknown`, values.UNKNOWN). Other containers' blocks are unknown."""
    if a.kind != "Sequential":
        return (unknown,)
    same = 0
    for mine, theirs in zip(a.members, b.members):
        if mine != theirs:
            break
        same += 1
    return a.members[:same] + (unknown,)
