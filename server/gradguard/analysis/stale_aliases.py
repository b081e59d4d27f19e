"""An in-place op whose result gets a new name, and the old name read afterwards as if it held the old values (GG403).

`h = self.relu(x)` with `nn.ReLU(inplace=True)` (or `F.relu(x, inplace=True)`, `h = x.clamp_(0)`) returns `x`
itself, changed: `h` and `x` are one tensor. Code that goes on to read `x` (`return self.conv(h) + x`, a shortcut
after the activation) reads the activated values where the old ones were meant: RefineNet's residual unit and
BigGAN's discriminator block (`--D_nl inplace_relu`) computed another function that way, with no error from torch,
since the op that reads `x` runs after the change and nothing saved the old values.

Reported when the walk itself saw the call change the argument in place and return it (so a module of unknown kind or
an `inplace` flag it cannot read stays silent), the result is bound to another plain name, and a later statement of
the same block, or one nested in it, reads the old name's values before anything binds it again. Reading only what
an in-place op keeps (`x.shape`, `x.size()`, `x.device`, `x.dtype`...) is not a use of the values.
"""

from __future__ import annotations

import ast

from ..findings import Severity
from .values import Ref, Tri

METADATA_ATTRS = frozenset({"shape", "dtype", "device", "ndim", "is_cuda", "layout", "requires_grad", "size", "dim",
                            "numel", "ndimension", "type", "get_device", "is_contiguous", "stride", "nelement",
                            "grad", "grad_fn", "is_leaf"})


def snapshot(walker, node: ast.Assign, state) -> tuple | None:
    """Before the call of `h = call(x, ...)` is walked: the plain names among its inputs that hold tensors (each
    Name node with its value), and the walk's event counter, or None when the statement cannot be such an alias."""
    target = node.targets[0] if len(node.targets) == 1 else None
    if target is None or target.__class__ is not ast.Name:
        return None
    call = node.value
    inputs = [a for a in call.args[:1] if a.__class__ is ast.Name]
    if call.func.__class__ is ast.Attribute and call.func.value.__class__ is ast.Name and \
            call.func.attr.endswith("_") and not call.func.attr.endswith("__"):
        inputs.append(call.func.value)  # `h = x.clamp_(0)`
    held = [(name, ref) for name in inputs if name.id != target.id
            and (ref := state.env.get(name.id)).__class__ is Ref and ref.objs]
    return (held, walker.ctx.root.seq) if held else None


def check(walker, node: ast.Assign, value, state, snap: tuple) -> None:
    held, seq_before = snap
    if value.__class__ is not Ref or not value.objs:
        return
    for argument, ref in held:
        name = argument.id
        if not value.objs <= ref.objs:
            continue  # the call returned another tensor: `h` is new, `x` what it was
        changes = [event for oid in ref.objs for event in state.muts.get(("s", state.obj(oid).storage), ())
                   if event.seq > seq_before and event.node is node.value and not event.silent]
        if not changes:
            continue  # the same tensor, not changed by this call itself (an identity module, `x.requires_grad_()`)
        if any(event.obj.leaf and event.grad_enabled is not Tri.NO for event in changes):
            continue  # a leaf changed in place with grad on: torch refuses the change itself (GG101)
        root = walker.func_stack[-1] if walker.func_stack else walker.ctx.tree
        read = later_read(root, node, name)
        if read is None:
            continue
        sink = walker.sink
        alias = node.targets[0].id
        op = changes[0].op
        sink.add("GG403", node.value, Severity.WARNING,
                 f"`{sink.text(node.value)}` changes `{name}` in place ({op}) and returns it: `{alias}` and `{name}` "
                 f"are one tensor, so `{name}` read on line {read.lineno} holds the changed values, not the old ones",
                 [sink.related(read, f"`{name}` is read here, after the change")],
                 [f"An in-place op returns the tensor it changed. If the old values of `{name}` are meant here (a "
                  "shortcut, a residual), make the op out of place (`inplace=False`, or the method without `_`); "
                  f"if the changed ones are, name them `{name}` (`{name} = ...`) so that the code says so."],
                 obj=state.obj(next(iter(ref.objs))), fix={"kind": "alias", "node": argument})
        return


def later_read(root: ast.AST, stmt: ast.stmt, name: str) -> ast.AST | None:
    """The first read of `name`'s values in the statements after `stmt` in its block (and in what they nest), before
    a statement binds `name` again; None when there is none."""
    block = enclosing_block(root, stmt)
    if block is None:
        return None
    for later in block[block.index(stmt) + 1:]:
        read = value_read(later, name)
        if read is not None:
            return read
        if binds(later, name):
            return None
    return None


def enclosing_block(root: ast.AST, stmt: ast.stmt) -> list | None:
    for node in ast.walk(root):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and any(s is stmt for s in block):
                return block
        for handler in getattr(node, "handlers", ()) or ():
            if any(s is stmt for s in handler.body):
                return handler.body
    return None


def value_read(stmt: ast.stmt, name: str) -> ast.AST | None:
    metadata = set()
    for node in ast.walk(stmt):
        if node.__class__ is ast.Attribute and node.value.__class__ is ast.Name and node.attr in METADATA_ATTRS:
            metadata.add(id(node.value))
        elif node.__class__ is ast.Call and node.func.__class__ is ast.Name and node.func.id in ("len", "isinstance",
                                                                                                  "type", "id"):
            metadata.update(id(a) for a in node.args[:1])
    reads = [n for n in ast.walk(stmt) if n.__class__ is ast.Name and n.id == name and
             n.ctx.__class__ is ast.Load and id(n) not in metadata]
    if not reads:
        return None
    if stmt.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda):
        return None  # a nested definition reads it when called, not here
    return min(reads, key=lambda n: (n.lineno, n.col_offset))


def binds(stmt: ast.stmt, name: str) -> bool:
    return any(n.__class__ is ast.Name and n.id == name and n.ctx.__class__ is not ast.Load for n in ast.walk(stmt))
