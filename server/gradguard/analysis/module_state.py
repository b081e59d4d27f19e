"""GG502 in model code: a module's `forward` keeps this call's graph in its state and feeds it into the next call.

Two forms, for the checker (`sink`, which reports):
- stored: `out, self.hidden = self.lstm(x, self.hidden)`, `self.memory = torch.tanh(h + self.memory)`;
- written in place: `self.queue[:, ptr:ptr + n] = keys.T` (a MoCo queue, a memory bank), in forward or a method it
  calls, with `keys` carrying the graph, and forward reading `self.queue` with grad on. The buffer then requires
  grad through the write (CopySlices); the next call's graph goes through it into this call's, which the backward()
  in between freed.
Once a backward() has freed the carried graph, the next backward() raises 'Trying to backward through the graph a
second time', unless the training loop resets the state (an assignment outside `__init__`/`forward`, or a loop there that detaches the module's buffers).
"""

from __future__ import annotations

import ast

from ..findings import Severity
from .buffer_loops import detached_by_buffer_loop
from .values import Tri, flat_refs

NO_FIX_HERE = ("No safe automatic fix here: detaching it in forward would also cut the graph for a caller that runs "
               "several calls before one backward(); detach it in the training loop, after backward() (where this "
               "file calls backward(), that is the fix offered).")


def stored(sink, walker, target: ast.Attribute, value, value_node, state) -> None:
    """`out, self.hidden = self.lstm(x, self.hidden)` in forward: the module keeps this call's graph and feeds
    it into the next call; once a backward() freed it, the next backward() goes through it again."""
    fn = walker.func_stack[0] if walker.func_stack else None
    if walker.frames or fn is None or getattr(fn, "name", None) != "forward" or state.grad is Tri.NO or \
            not (isinstance(target.value, ast.Name) and target.value.id == "self") or value_node is None:
        return
    # fed back with its graph: `self.cell(x, self.state.detach())` feeds only this call's graph forward
    detached = {id(n.value) for n in ast.walk(value_node) if isinstance(n, ast.Attribute) and n.attr in
                ("detach", "data")}
    fed_back = any(isinstance(n, ast.Attribute) and n.attr == target.attr and isinstance(n.value, ast.Name)
                   and n.value.id == "self" and id(n) not in detached for n in ast.walk(value_node))
    refs = flat_refs([value])
    if not fed_back or not refs or reset_elsewhere(sink, target.attr) or bound_fresh_before(fn, target) or \
            not used_beyond_updates(walker, fn, target.attr):
        return
    saves = carried_saves(walker, refs, state)
    if not saves:
        return
    name = f"self.{target.attr}"
    sink.add("GG502", target, Severity.WARNING,
             f"`{name}` keeps this call's graph (through `{saves[-1].op}`) and feeds it into the next call: "
             "once a backward() has freed it, the next backward() raises 'Trying to backward through the graph "
             f"a second time' (unless the training loop resets `{name}` before each batch). Store the state "
             f"detached. {NO_FIX_HERE} A `.clone()` cannot help: a copy is part of the same graph.",
             [sink.related(saves[-1].node, f"`{saves[-1].op}` is part of the carried graph")],
             [f"`{name}` is module state: it outlives this call, and with it the graph it was computed by."])


def written(sink, walker, event, state, inputs) -> None:
    """`self.queue[:, ptr:ptr + n] = keys.T` (or `self.bank.copy_(feats)`) in forward or a method of the module
    that forward calls, `keys` carrying this call's graph, and forward reading `self.queue` with grad on."""
    if event.grad_enabled is Tri.NO or len(walker.func_stack) < 1 or getattr(event.node, "_gg_file", None):
        return
    top, here = walker.func_stack[0], walker.func_stack[-1]
    target = written_attribute(event.node, event.kind)
    if getattr(top, "name", None) != "forward" or target is None or not all(
            isinstance(fn, ast.FunctionDef) and first_param(fn) for fn in (top, here)) or \
            target.value.id != first_param(here):
        return
    refs = flat_refs(list(inputs))
    # `self.loss = y * torch.log(p)` and then `self.loss.add_(...)` in forward: the write changes this call's tensor
    fresh = here is top and bound_fresh_before(top, target)
    if not refs or fresh or not read_with_grad(top, first_param(top), target.attr) or \
            reset_elsewhere(sink, target.attr, True) or not used_beyond_updates(walker, top, target.attr):
        return
    saves = carried_saves(walker, refs, state)
    if not saves:
        return
    name = f"self.{target.attr}"
    related = [sink.related(f.call, f"`{f.func_name}` is called here") for f in walker.frames]
    sink.add("GG502", event.node, Severity.WARNING,
             f"`{name}` is changed in place ({event.op}) with a value that carries this call's graph (through "
             f"`{saves[-1].op}`), and forward reads `{name}` with grad on: the next call's graph goes through this "
             "one, and once a backward() has freed it, the next backward() raises 'Trying to backward through the "
             f"graph a second time' (unless the training loop resets `{name}` before each batch). Write a detached "
             f"value (`.detach()`), or make the update under `torch.no_grad()`. {NO_FIX_HERE}",
             [*related, sink.related(saves[-1].node, f"`{saves[-1].op}` is part of the carried graph")],
             [f"`{name}` is module state: written with a tensor that requires grad, it requires grad itself and "
              "keeps the graph of what was written into it."])


def bound_fresh_before(fn: ast.FunctionDef, target: ast.Attribute) -> bool:
    """Does `fn` bind `self.attr` afresh (a value that does not read it) in a statement of its own body before
    `target`'s line? `self.features = []` first, then `self.features.append(...)`; `self.out = self.head(x)`, then
    `self.out = self.out.reshape(...)`: what is read is this call's value, not the previous call's."""
    me, attr = target.value.id, target.attr
    for stmt in fn.body:
        if stmt.lineno >= target.lineno:
            return False
        if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == attr and isinstance(t.value, ast.Name) and
                t.value.id == me for target_ in stmt.targets for t in
                (target_.elts if isinstance(target_, (ast.Tuple, ast.List)) else [target_])) and not any(
                isinstance(n, ast.Attribute) and n.attr == attr and isinstance(n.value, ast.Name) and n.value.id == me
                for n in ast.walk(stmt.value)):
            return True
    return False


def used_beyond_updates(walker, forward: ast.FunctionDef, attr: str) -> bool:
    """Does the training path read `self.attr` for more than its own update? A running statistic
    (`self.running_mean = (1 - m) * self.running_mean + m * mean`) read only there and under `if not self.training`
    carries its graph from call to call, but no backward() goes through it: torch raises nothing. Read by forward,
    or by a method of the module that forward calls (`x = self.normalize(x)`), outside the value of an assignment to
    the module's attributes only and outside the eval side of an `if` on `self.training`."""
    info = walker.ctx.class_table.get(walker.class_name) if walker.class_name else None
    methods = info.methods if info is not None else {}
    called = {n.func.attr for n in ast.walk(forward) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"}
    scopes = [forward] + [methods[m] for m in sorted(called) if m in methods and methods[m] is not forward]
    return any(read_outside_updates(fn, attr) for fn in scopes)


def read_outside_updates(fn: ast.FunctionDef, attr: str) -> bool:
    skip = set()
    for n in ast.walk(fn):
        for block in (getattr(n, "body", None), getattr(n, "orelse", None)):
            skip.update(id(m) for s in eval_only_rest(block) for m in ast.walk(s))
        if isinstance(n, ast.Assign) and all(self_attributes(t) for t in n.targets):
            skip.update(id(m) for m in ast.walk(n.value))
            skip.update(id(t.value) for t in n.targets if isinstance(t, ast.Subscript))  # the buffer written
        elif isinstance(n, ast.If) and (eval_side := eval_only_side(n.test)) is not None:
            skip.update(id(m) for s in (n.orelse if eval_side else n.body) for m in ast.walk(s))
        elif isinstance(n, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot)) for op in n.ops):
            skip.update(id(m) for m in ast.walk(n))  # `self.running_mean is not None`: not a tensor's use
        elif isinstance(n, ast.Attribute) and n.attr in NOT_GRAPH:
            skip.add(id(n.value))  # `self.running_mean.shape`
        elif isinstance(n, ast.Call) and normalizes_by_batch_in_training(n):
            skip.update(id(a) for a in n.args[1:3])
    return any(isinstance(n, ast.Attribute) and n.attr == attr and isinstance(n.value, ast.Name) and
               n.value.id == "self" and isinstance(n.ctx, ast.Load) and id(n) not in skip for n in ast.walk(fn))


def eval_only_rest(block) -> list:
    """The statements of `block` after an `if self.training:` (no else) that ends in a return: they run only in
    eval mode (`if self.training: ...; return out` then `return x - self.running_mean`)."""
    if not isinstance(block, list):
        return []
    for i, stmt in enumerate(block):
        if isinstance(stmt, ast.If) and eval_only_side(stmt.test) is True and not stmt.orelse and \
                isinstance(stmt.body[-1], (ast.Return, ast.Raise)):
            return block[i + 1:]
    return []


def normalizes_by_batch_in_training(call: ast.Call) -> bool:
    """`F.batch_norm(x, self.running_mean, self.running_var, ..., self.training or ...)` (instance_norm too): in
    training the output is normalized by the batch's statistics; the running ones are only updated."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("batch_norm", "instance_norm") and any(
        is_training_flag(m) for a in [*call.args[3:], *(k.value for k in call.keywords)] for m in ast.walk(a))


def self_attributes(target: ast.AST) -> bool:
    """`self.a`, `self.a, self.b` or `self.a[:]`: a target that only sets the module's state."""
    if isinstance(target, ast.Tuple):
        return all(self_attributes(t) for t in target.elts)
    if isinstance(target, ast.Subscript):
        target = target.value  # `self.stored_mean[:] = self.stored_mean * (1 - m) + mean * m`: written in place
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"


def eval_only_side(test: ast.AST) -> bool | None:
    """True when the `else` of `if <test>:` runs only in eval mode (`self.training`, `self.training or ...`), False
    when its body does (`not self.training`), None otherwise."""
    if is_training_flag(test) or isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and \
            any(is_training_flag(v) for v in test.values):
        return True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and is_training_flag(test.operand):
        return False
    return None


def is_training_flag(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "training" and isinstance(node.value, ast.Name) and \
        node.value.id == "self"


def carried_saves(walker, refs, state) -> list:
    """What the graph of `refs` saved, in order, when they require grad (on the training path at least)."""
    if any(walker.rg(r, state).value < Tri.ASSUMED.value for r in refs):
        return []
    return sorted((s for r in refs for s in walker.history(r, state)), key=lambda s: (s.seq, s.id))


def first_param(fn: ast.FunctionDef) -> str | None:
    params = fn.args.posonlyargs + fn.args.args
    return params[0].arg if params else None


def written_attribute(node: ast.AST, kind: str) -> ast.Attribute | None:
    """`self.queue` in `self.queue[:, i] = k`, `self.bank.copy_(f)`, `self.buf += x`: an attribute of a name."""
    if kind == "setitem" and isinstance(node, ast.Subscript):
        target = node.value
    elif kind == "method" and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        target = node.func.value
    elif kind == "augassign" and isinstance(node, ast.AugAssign):
        target = node.target
    else:
        return None
    return target if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) else None


def read_with_grad(forward: ast.FunctionDef, me: str | None, attr: str) -> bool:
    """Does `forward` read `me.attr` as a tensor outside `torch.no_grad()` blocks, not through `.detach()` /
    `.data` (`self.queue.clone().detach()`), other than as the tensor it changes in place?"""
    skip, chained = set(), {}
    for n in ast.walk(forward):
        if isinstance(n, ast.With) and any(no_grad_item(i.context_expr) for i in n.items):
            skip.update(id(m) for s in n.body for m in ast.walk(s))
        elif isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store):
            skip.add(id(n.value))
        elif isinstance(n, (ast.Assign, ast.AugAssign)):
            skip.update(id(t) for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))
        if isinstance(n, (ast.Attribute, ast.Subscript)):
            chained[id(n.value)] = n
        elif isinstance(n, ast.Call):
            chained[id(n.func)] = n
    for n in ast.walk(forward):
        if not (isinstance(n, ast.Attribute) and n.attr == attr and isinstance(n.value, ast.Name) and
                n.value.id == me and isinstance(n.ctx, ast.Load) and id(n) not in skip):
            continue
        up = chained.get(id(n))
        while up is not None and not (isinstance(up, ast.Attribute) and up.attr in NOT_GRAPH):
            up = chained.get(id(up))
        if up is None:
            return True
    return False


# Reached through these, a tensor's read carries no graph: detached, or not a tensor.
NOT_GRAPH = frozenset({"detach", "data", "shape", "size", "device", "dtype", "ndim", "dim", "numel", "is_cuda",
                       "nelement", "tolist", "item"})


def no_grad_item(expr: ast.AST) -> bool:
    func = expr.func if isinstance(expr, ast.Call) else expr
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("no_grad", "inference_mode")


def reset_elsewhere(sink, attr: str, whole: bool = False) -> bool:
    """Is `.attr` set anywhere but a constructor or forward (`model.hidden = model.init_hidden()` in the loop,
    `model.memory = model.memory.detach()`, a `reset_state` method)? Then the loop resets the state. `whole`: only
    an assignment of the attribute itself counts (`self.queue[:, i] = k` in a helper is the write, not a reset)."""
    tree = sink.ctx.tree if sink.ctx else None
    if tree is None:
        return False
    cache = sink.__dict__.setdefault("_resets", {})
    if (attr, whole) not in cache:
        cache[attr, whole] = any(attribute_set_outside(tree, attr, whole)) or detached_by_buffer_loop(tree, attr)
    return cache[attr, whole]


def attribute_set_outside(tree: ast.Module, attr: str, whole: bool = False):
    """Assignments to `<x>.attr` that are not in an `__init__` or a `forward`."""
    return _attribute_sets(tree, None, attr, whole)


def _attribute_sets(node, inside: str | None, attr: str, whole: bool):
    # (not a closure: a recursive one refers to itself, a cycle left for the collector on every call)
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _attribute_sets(child, child.name, attr, whole)
            continue
        if isinstance(child, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and inside not in ("__init__", "forward"):
            targets = child.targets if isinstance(child, ast.Assign) else [child.target]
            for t in targets:
                for n in (ast.walk(t) if not whole else [t, *(t.elts if isinstance(t, ast.Tuple) else ())]):
                    if isinstance(n, ast.Attribute) and n.attr == attr:
                        yield n
        yield from _attribute_sets(child, inside, attr, whole)
