"""Attributes that a module hook sets: `def hook_fn(m, i, o): self.features = o`, nested in a method and passed to
`register_forward_hook` (feature-level attacks, filter visualisations, Grad-CAM). torch calls the hook inside the
hooked model's call, so what the class reads from `self.features` after that call is the hooked layer's output,
which requires grad as the model does; the walk sees only the value another method gave (`torch.empty(0)`, `0`)."""

from __future__ import annotations

import ast

from .syntax import backward_reads


def hook_attributes(cls_node: ast.ClassDef) -> frozenset:
    """The `self.<attr>` names that functions nested in the class's methods assign, in a class that registers a
    hook (kept on the class node)."""
    found = cls_node.__dict__.get("_gg_hook_attrs")
    if found is None:
        names = set()
        registers = any(isinstance(n, ast.Attribute) and n.attr.startswith("register_") and n.attr.endswith("hook")
                        for n in ast.walk(cls_node))
        for method in cls_node.body if registers else ():
            if method.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(method):
                if inner is method or inner.__class__ not in (ast.FunctionDef, ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(inner):
                    targets = node.targets if node.__class__ is ast.Assign else []
                    names.update(t.attr for t in targets if t.__class__ is ast.Attribute and
                                 t.value.__class__ is ast.Name and t.value.id == "self")
        found = cls_node._gg_hook_attrs = frozenset(names)
    return found


def reads_hook_attribute(cls_node: ast.ClassDef, fn, node: ast.Call) -> bool:
    """Does the backward() call `node` in method `fn` read (through the assignments before it in its block) a
    `self.<attr>` that a hook of the class sets: `loss = -torch.mean(self.conv_output); loss.backward()`?"""
    attrs = hook_attributes(cls_node)
    if not attrs:
        return False
    for block in (getattr(n, field, None) for n in ast.walk(fn) for field in ("body", "orelse", "finalbody")):
        if not isinstance(block, list):
            continue
        at = next((i for i, st in enumerate(block) if isinstance(st, ast.Expr) and st.value is node), None)
        if at is not None:
            return any(r.startswith("self.") and r[5:] in attrs for r in backward_reads(node, block, at))
    return False
