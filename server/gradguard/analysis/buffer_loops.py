"""A `for` over a module's buffers, walked buffer by buffer: `for b in self.buffers(): b.zero_().detach_()`.

A spiking network resets its membrane states between batches by zeroing and detaching every buffer of the model.
`module.buffers()` gives the tensors its classes registered (`self.register_buffer("v_mem", torch.zeros(0))`),
as they are now: the last tensor stored under each name (`self.v_mem = self.leak * self.v_mem + x` in forward keeps
the name a buffer). For a module of one of the file's classes, the walk reads each of those names as `m.v_mem`
would, and the loop's body runs once for each, in order, as it does for a dict whose keys it knows
(model_dicts.dict_loop_entries). Buffers of submodules the file's classes hold in attributes come after the
module's own (`recurse=True`, torch's default); a buffer the walk cannot name (a torch layer's running statistics,
a name built at run time) is left out, as it was unknown before.
"""

from __future__ import annotations

import ast

from .context import find_method, lookup_order
from .syntax import buffer_name, dotted
from .values import ConstStr, ModuleVal, Ref, Seq

BUFFER_ITERATORS = ("buffers", "named_buffers")
MAX_DEPTH = 3  # submodules inside submodules read for `recurse=True`


def registered_buffers(classes: dict, cls: str) -> list[str]:
    """The names `cls` and its bases in the file register as buffers on `self` with a literal name, in order."""
    out: dict[str, None] = {}
    for name in reversed(lookup_order(classes, cls)):  # a base's __init__ registers first
        info = classes.get(name)
        for method in info.methods.values() if info is not None else ():
            for node in ast.walk(method):
                name = buffer_name(node)
                if name is not None and isinstance(node.func.value, ast.Name) and node.func.value.id == "self":
                    out[name] = None
    return list(out)


def read_attribute(walker, receiver: ast.AST, attr: str, state):
    """What `receiver.attr` holds now, read as the walk reads that expression."""
    node = ast.copy_location(ast.Attribute(value=receiver, attr=attr, ctx=ast.Load()), receiver)
    return walker.expr(node, state), node


def buffer_loop_entries(walker, iter_node: ast.AST, state) -> list | None:
    """What each pass of `for b in m.buffers()` / `for name, b in m.named_buffers()` binds, in order, when `m` is a
    name (or dotted name) holding a module of one of the file's classes that registers buffers the walk can name.
    None for any other loop (its iterable is then evaluated by the caller, once)."""
    if not (isinstance(iter_node, ast.Call) and isinstance(iter_node.func, ast.Attribute) and
            iter_node.func.attr in BUFFER_ITERATORS) or iter_node.args or \
            any(k.arg != "recurse" or not isinstance(k.value, ast.Constant) for k in iter_node.keywords):
        return None
    receiver = iter_node.func.value
    if not (isinstance(receiver, ast.Name) or dotted(receiver) is not None):
        return None  # only a name is read again without doing anything
    mod = walker.expr(receiver, state)
    if not isinstance(mod, ModuleVal) or not mod.cls or \
            find_method(walker.class_context(mod).class_table, mod.cls, iter_node.func.attr) is not None:
        return None  # not a module of the file's classes, or one whose class defines its own `buffers`
    recurse = all(bool(k.value.value) for k in iter_node.keywords)
    found: list[tuple[str, Ref]] = []
    collect(walker, mod, receiver, "", recurse, found, state, 0, set())
    if not found:
        return None
    if iter_node.func.attr == "named_buffers":
        return [Seq((ConstStr(name), value)) for name, value in found]
    return [value for _, value in found]


def collect(walker, mod: ModuleVal, receiver: ast.AST, prefix: str, recurse: bool, found: list, state, depth: int,
            seen: set) -> None:
    """The buffers of `mod` (read through `receiver`), then, with `recurse`, those of the file's modules it holds in
    attributes, named as torch names them (`block.v_mem`)."""
    if mod.id in seen:
        return
    seen.add(mod.id)
    for name in registered_buffers(walker.class_context(mod).class_table, mod.cls):
        value, _ = read_attribute(walker, receiver, name, state)
        if isinstance(value, Ref):  # a buffer set to None is not given
            found.append((prefix + name, value))
    if not recurse or depth >= MAX_DEPTH:
        return
    for attr, sub in list(walker.ctx.instance_attrs.get(mod.id, {}).items()):
        if isinstance(sub, ModuleVal) and sub.cls and attr.isidentifier():
            value, node = read_attribute(walker, receiver, attr, state)
            if isinstance(value, ModuleVal) and value.id == sub.id:
                collect(walker, sub, node, f"{prefix}{attr}.", recurse, found, state, depth + 1, seen)


def detached_by_buffer_loop(tree: ast.Module, attr: str) -> bool:
    """Is `attr` a buffer (`self.register_buffer("attr", ...)` in the file) that a loop over a module's buffers
    detaches outside `__init__` and `forward` (`for b in self.buffers(): b.zero_().detach_()` in a `reset_states`
    method)? Then the training loop can cut the graph the buffer carries, as an assignment elsewhere does
    (module_state.reset_elsewhere). Only `detach_()` counts: `zero_()` alone keeps the tensor's history."""
    registered = any(buffer_name(n) == attr for n in ast.walk(tree))
    return registered and any(detaching_loop(n) for n in loops_outside(tree, None))


def loops_outside(node: ast.AST, inside: str | None):
    """The `for` statements not in an `__init__` or a `forward`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from loops_outside(child, child.name)
            continue
        if isinstance(child, ast.For) and inside not in ("__init__", "forward"):
            yield child
        yield from loops_outside(child, inside)


def detaching_loop(loop: ast.For) -> bool:
    """`for b in m.buffers(): ... b.detach_()` (or `for name, b in m.named_buffers()`)."""
    it = loop.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr in BUFFER_ITERATORS):
        return False
    target = loop.target.elts[-1] if isinstance(loop.target, ast.Tuple) and loop.target.elts else loop.target
    if not isinstance(target, ast.Name):
        return False
    for n in (n for stmt in loop.body for n in ast.walk(stmt)):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "detach_":
            base = n.func.value
            while isinstance(base, ast.Call) and isinstance(base.func, ast.Attribute):
                base = base.func.value  # `b.zero_().detach_()`
            if isinstance(base, ast.Name) and base.id == target.id:
                return True
    return False
