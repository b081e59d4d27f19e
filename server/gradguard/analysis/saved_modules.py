"""Networks a class saves: `self.sparse_linear(h)` where the class also saves `self.sparse_linear.state_dict()`.

A module class may hold a network built by code the walk cannot see (`self.sparse_linear =
base_model['sparse_linear']`, the dict filled by a runner in another file). Called on tensors, its output is
unknown to the walk: an in-place change of what an op saved from it then depends on whether it requires grad, and
stays information. When the class itself saves that attribute's weights (`torch.save(self.sparse_linear.state_dict(),
...)`: a tensor, a function, a dict or a tokenizer has no `state_dict()`; an optimizer or a scheduler is not called
on tensors), the attribute is a network whose weights are trained: its parameters require grad by the training
assumption, as those of a model whose `.parameters()` go to an optimizer (modules.foreign_module), and its output
requires grad on the training path (FlagEmbedding's BGE-M3 `_sparse_embedding`: `scatter_reduce(..., "amax")` saves
its output, then `sparse_embedding[:, unused_tokens] *= 0.` breaks the fine-tuning's backward).

Not evidence: `load_state_dict` (a frozen teacher loads weights too), `.parameters()` outside an optimizer (a loop
freezing them). Cost: one walk of a class's syntax, the first time one of its methods calls an unknown `self.` attribute.
"""

from __future__ import annotations

import ast

from .values import Unknown

SAVING = "state_dict"


def saved_attributes(cls: ast.ClassDef) -> frozenset[str]:
    """The `self.<attr>` of the class's methods on which `.state_dict()` is called (read once per class)."""
    found = cls.__dict__.get("_gg_saved_attributes")
    if found is None:
        found = cls._gg_saved_attributes = frozenset(
            n.func.value.attr for n in ast.walk(cls) if isinstance(n, ast.Call) and not n.args and not n.keywords
            and isinstance(n.func, ast.Attribute) and n.func.attr == SAVING
            and isinstance(n.func.value, ast.Attribute) and isinstance(n.func.value.value, ast.Name)
            and n.func.value.value.id == "self")
    return found


def saved_network(walker, key: str | None) -> bool:
    """Is `key` (`self.sparse_linear`, a model_key) an attribute of the walked method's class that the class saves?"""
    if key is None or not key.startswith("self.") or key.count(".") != 1 or walker.class_name is None:
        return False
    info = walker.ctx.class_table.get(walker.class_name)
    node = getattr(info, "node", None)
    if not isinstance(node, ast.ClassDef):
        return False
    # the answer reads every method's body, which the class's own fingerprint leaves out (analysis/incremental.py)
    walker.ctx.touched.update(n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return key[5:] in saved_attributes(node)


def known_network(walker, key: str | None, fn) -> bool:
    """Is `key` a network built by code the walk cannot see: one whose parameters went to an optimizer (already a
    foreign module), or an unknown attribute the class saves (saved_network, registered as a foreign module now)?"""
    if key in walker.ctx.root.foreign_modules:
        return True
    if isinstance(fn, Unknown) and saved_network(walker, key):
        walker.foreign_module(ast.parse(key, mode="eval").body)
        return True
    return False
