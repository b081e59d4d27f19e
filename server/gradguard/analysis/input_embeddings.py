"""The output of a language model's input embedding, changed in place.

Hugging Face's `model.enable_input_require_grads()` registers a forward hook on `model.get_input_embeddings()` that
calls `output.requires_grad_(True)`. PEFT/LoRA training turns it on (`peft.prepare_model_for_kbit_training`, and
`Trainer` with gradient checkpointing on a PEFT model): with the embedding frozen, its output has no grad_fn, so the
hook makes it a leaf that requires grad, and a write into it (`inputs_embeds[image_mask] = image_embeds`, or
`inputs_embeds.view(-1, h).index_copy_(...)`) raises 'a leaf Variable that requires grad is being used in an
in-place operation' (or 'a view of a leaf Variable ...'). With the embedding trained, the same write is fine, so the
finding is a warning that names the setting; Qwen-VL fine-tuning scripts and optimum-habana shipped it.

Only code of the Hugging Face ecosystem is read this way: a file that imports transformers, peft or trl, or that
defines `get_input_embeddings` (transformers' own models import it relatively). The input embedding is called as
`<anything>.embed_tokens(...)`, `.wte(...)`, `.word_embeddings(...)`, `<anything>.get_input_embeddings()(...)`, or
as the attribute the file's own `get_input_embeddings` returns.
"""

from __future__ import annotations

import ast

from ..findings import Severity
from .values import Ref, Tri

INPUT_EMBEDDING_ATTRS = frozenset({"embed_tokens", "wte", "word_embeddings"})
HF_PACKAGES = ("transformers", "peft", "trl")
SETTING = ("when training makes the embedding's output require grad with the embedding frozen "
           "(`model.enable_input_require_grads()`, which PEFT/LoRA training and gradient checkpointing turn on)")


def embedding_attrs(tree: ast.Module) -> tuple[bool, dict]:
    """(is the file of the Hugging Face ecosystem, class name -> the attributes its `get_input_embeddings`
    returns as `self.<attr>`). Kept on the tree: read once per parse."""
    found = getattr(tree, "_gg_input_embeddings", None)
    if found is None:
        found = tree._gg_input_embeddings = _embedding_attrs(tree)
    return found


def _embedding_attrs(tree: ast.Module) -> tuple[bool, dict]:
    hf = False
    returned: dict[str, set] = {}
    for node in ast.walk(tree):
        kind = node.__class__
        if kind is ast.ImportFrom and node.level == 0 and (node.module or "").split(".")[0] in HF_PACKAGES:
            hf = True
        elif kind is ast.Import and any(a.name.split(".")[0] in HF_PACKAGES for a in node.names):
            hf = True
        elif kind is ast.ClassDef:
            for fn in node.body:
                if isinstance(fn, ast.FunctionDef) and fn.name == "get_input_embeddings":
                    hf = True
                    for stmt in fn.body:
                        value = stmt.value if isinstance(stmt, ast.Return) else None
                        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and \
                                value.value.id == "self":
                            returned.setdefault(node.name, set()).add(value.attr)
    return hf, returned


def is_embedding_call(node: ast.Call, tree: ast.Module | None, class_name: str | None) -> bool:
    """`<anything>.embed_tokens(...)` (`wte`, `word_embeddings`), `<anything>.get_input_embeddings()(...)`, or
    `self.<attr>(...)` in a class whose `get_input_embeddings` returns `self.<attr>`, in a file of the ecosystem."""
    func = node.func
    if tree is None:
        return False
    if func.__class__ is ast.Call:
        inner = func.func
        return inner.__class__ is ast.Attribute and inner.attr == "get_input_embeddings" and embedding_attrs(tree)[0]
    if func.__class__ is not ast.Attribute:
        return False
    hf, returned = embedding_attrs(tree)
    if not hf:
        return False
    if func.attr in INPUT_EMBEDDING_ATTRS:
        return True
    return func.value.__class__ is ast.Name and func.value.id == "self" and func.attr in returned.get(class_name, ())


def note_output(walker, node: ast.Call, value, state) -> None:
    """Record the tensors an input-embedding call returned (by their version counter, which views share)."""
    if not isinstance(value, Ref) or state.grad is Tri.NO:
        return
    outputs = walker.ctx.root.input_embedding_outputs
    for oid in value.objs:
        obj = state.obj(oid)
        outputs[obj.storage] = (oid, node)


def report(reporter, event, name: str, via: list, slice_write: bool, training: bool) -> bool:
    """A warning when `event` changes the output of an input embedding (or a view of it) in place with grad mode on
    (the training path: `training`); True if reported."""
    ctx = reporter.ctx
    found = ctx.root.input_embedding_outputs.get(event.obj.storage) if ctx is not None else None
    if found is None or event.obj.detached or not training:
        return False
    oid, call = found
    base = event.obj.origin is call
    view = not base or slice_write
    code = "GG102" if view else "GG101"
    what = ("a view of a leaf Variable that requires grad is being used in an in-place operation." if view
            else "a leaf Variable that requires grad is being used in an in-place operation.")
    layer = reporter.text(call.func)
    reporter.add(code, event.node, Severity.WARNING,
                 f"`{name}` is {'a view of ' if not base else ''}the output of the model's input embedding "
                 f"(`{layer}`); changing it in place ({event.op}) raises {SETTING}, because the hook makes that "
                 f"output a leaf that requires grad: '{what}'",
                 [reporter.related(call, "the input embedding's output is made here"), *via],
                 [f"`{layer}` is what `get_input_embeddings()` returns: `enable_input_require_grads()` hooks it.",
                  "Write into a copy (`.clone()` first) or build a new tensor (`masked_scatter`, `torch.where`)."],
                 via=event.via, obj=event.obj, fix={"kind": "mutation", "event": event})
    return True
