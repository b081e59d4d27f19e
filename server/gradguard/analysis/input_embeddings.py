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

from ..bindings import cached_import_bindings
from ..findings import Severity
from .values import Ref, Tri

INPUT_EMBEDDING_ATTRS = frozenset({"embed_tokens", "wte", "word_embeddings"})
HF_PACKAGES = ("transformers", "peft", "trl")
SETTING = ("when training makes the embedding's output require grad with the embedding frozen "
           "(`model.enable_input_require_grads()`, which PEFT/LoRA training and gradient checkpointing turn on)")


def ecosystem_file(ctx) -> bool:
    """Does the file import transformers, peft or trl (absolutely), or define `get_input_embeddings`? Read from its
    import bindings (shared with project.target_of), kept on the tree, and from its class table. When the classes
    decide, the walk read them all: an edit that adds or removes a getter in any class changes the answer (the
    editor re-walks a scope only where an edit reaches what it read)."""
    tree = ctx.tree
    imports = getattr(tree, "_gg_hf_imports", None)
    if imports is None:
        imports = tree._gg_hf_imports = any(level == 0 and module.split(".", 1)[0] in HF_PACKAGES
                                            for _, module, level, _ in cached_import_bindings(tree).values())
    if imports:
        return True
    ctx.touched.update(info.node for info in ctx.classes.values())
    return any(returned_attrs(info.node) is not None for info in ctx.classes.values())


def returned_attrs(cls: ast.ClassDef) -> frozenset | None:
    """The `self.<attr>` that the class's own `get_input_embeddings` returns; None when it defines none. Kept on
    the class node."""
    found = cls.__dict__.get("_gg_input_embeddings", False)
    if found is False:
        found = None
        for fn in cls.body:
            if fn.__class__ is ast.FunctionDef and fn.name == "get_input_embeddings":
                found = frozenset(stmt.value.attr for stmt in fn.body
                                  if stmt.__class__ is ast.Return and stmt.value.__class__ is ast.Attribute and
                                  stmt.value.value.__class__ is ast.Name and stmt.value.value.id == "self")
        cls._gg_input_embeddings = found
    return found


def is_embedding_call(node: ast.Call, ctx, class_name: str | None) -> bool:
    """`<anything>.embed_tokens(...)` (`wte`, `word_embeddings`) or `<anything>.get_input_embeddings()(...)` in a
    file of the ecosystem, or `self.<attr>(...)` in a class whose own `get_input_embeddings` returns `self.<attr>`."""
    func = node.func
    kind = func.__class__
    if kind is ast.Attribute:
        if func.attr in INPUT_EMBEDDING_ATTRS:
            return ecosystem_file(ctx)
        if class_name is None or func.value.__class__ is not ast.Name or func.value.id != "self":
            return False
        info = ctx.classes.get(class_name)
        if info is None:
            return False
        ctx.touched.add(info.node)  # its getter decides
        returned = returned_attrs(info.node)
        return returned is not None and func.attr in returned
    if kind is ast.Call:  # `self.get_input_embeddings()(input_ids)`
        inner = func.func
        return inner.__class__ is ast.Attribute and inner.attr == "get_input_embeddings" and ecosystem_file(ctx)
    return False


def note_output(walker, node: ast.Call, value, state) -> None:
    """Record the tensors an input-embedding call returned (by their version counter, which views share)."""
    if not isinstance(value, Ref) or state.grad is Tri.NO:
        return
    outputs = walker.ctx.root.input_embedding_outputs
    for oid in value.objs:
        obj = state.obj(oid)
        outputs[obj.storage] = node


def report(reporter, event, name: str, via: list, slice_write: bool, training: bool) -> bool:
    """A warning when `event` changes the output of an input embedding (or a view of it) in place with grad mode on
    (the training path: `training`); True if reported."""
    ctx = reporter.ctx
    call = ctx.root.input_embedding_outputs.get(event.obj.storage) if ctx is not None else None
    if call is None or event.obj.detached or not training:
        return False
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
