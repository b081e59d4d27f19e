"""Rewrites of one in-place call into what keeps its meaning, for fixes.Builder (`b`, the finding's builder):

- `F.relu(x, inplace=True)` -> `inplace=False` (assigned when its result was dropped);
- `nn.ReLU(inplace=True)` -> `inplace=False` where the module is built, in this file or another workspace file,
  when every call of the module uses its result;
- `x.zero_()` / `x.fill_(2.0)` / `x.copy_(src)` of a tensor without grad -> `torch.zeros_like(x)` /
  `torch.full_like(x, 2.0)` / `torch.empty_like(x).copy_(src)`;
- `y[y > 1] = 0.0` -> `y = torch.where(y > 1, 0.0, y)`;
- `h.detach_()` of a view -> `h = h.detach()` (GG304);
- `x.requires_grad = True` of a tensor with a history -> `x = x.detach().requires_grad_()` (GG104).
"""

from __future__ import annotations

import ast
import os

from . import facts
from .analysis.names import name_or_dotted
from .analysis.values import Tri
from .findings import Fix, Span, TextEdit
from .fix_text import Parents, SourceText, keyword, number_literal, scope_of, short, statement_of


def inplace_false(b, call: ast.AST, stmt: ast.stmt | None = None) -> Fix | None:
    """`F.relu(x, inplace=True)` -> `inplace=False`; a call whose result is dropped (`F.relu(x, inplace=True)`
    as a statement) assigns it: `x = F.relu(x, inplace=False)`, else the change would be lost."""
    flag = inplace_flag(call)
    if flag is None:
        return None
    edit = b.replace(flag, "False")
    if stmt is None or not (isinstance(stmt, ast.Expr) and stmt.value is call):
        return Fix("Set `inplace=False`", (edit,), True, True)
    target = call.args[0] if call.args else None
    if not isinstance(target, (ast.Name, ast.Attribute, ast.Subscript)):
        return None
    start = b.text.span(call)
    name = b.text.segment(target)
    return Fix(f"Set `inplace=False` and assign the result to `{name}`",
               (TextEdit(Span(start.line, start.column, start.line, start.column), f"{name} = "), edit), True, True)


def module_inplace_false(b, module_node: ast.AST, remote_tree: ast.Module | None = None) -> Fix | None:
    """`nn.ReLU(inplace=True)` -> `inplace=False` where the module is built: in this file, or in another
    workspace file (`remote_tree` is that file's tree; the edit then names its path). Only when every call of the
    module there uses its result: `self.act(h)` as a statement, with `h` read after it, relies on the change."""
    tag = getattr(module_node, "_gg_file", None)
    if tag is None:
        tree, parents, text, path = b.tree, b.parents, b.text, None
    elif remote_tree is not None:
        tree, parents, text, path = remote_tree, Parents(remote_tree), SourceText("\n".join(tag.lines) + "\n"), \
            tag.path
    else:
        return None
    switch = parents.get(module_node)
    if isinstance(module_node, ast.Attribute) and isinstance(switch, ast.Assign) and \
            isinstance(switch.value, ast.Constant) and switch.value.value is True:
        # `for m in self.modules(): ... m.inplace = True`: the modules it switches run out of place again
        where = f" ({os.path.basename(path)}, line {switch.lineno})" if path else ""
        return Fix(f"Set `inplace = False` where the modules are switched to in place{where}",
                   (TextEdit(text.span(switch.value), "False", path),), True, True)
    flag = inplace_flag(module_node, positional_from=1)
    if flag is None or not module_results_kept(module_node, tree, parents):
        return None
    parent = parents.get(module_node)
    if path and not self_calls_keep_results(b, parent):
        return None  # this file (a subclass) calls the module and reads the argument it changed
    if path and isinstance(parent, ast.Assign) and isinstance(scope_of(parent, parents), ast.Module) and \
            any(isinstance(t, ast.Name) for t in parent.targets):
        return None  # a module-level `act = nn.ReLU(inplace=True)` of another file: other files may call it too
    edit = TextEdit(text.span(flag), "False", path)
    where = f" ({os.path.basename(path)}, line {flag.lineno})" if path else ""
    return Fix(f"Set `inplace=False` where the module is built{where}", (edit,), True, True)


def fill_form(b, event, name: str, tensor: ast.AST, args: list, keywords: list) -> str | None:
    """`x.zero_()` -> `torch.zeros_like(x)`, `x.fill_(2.0)` -> `torch.full_like(x, 2.0)`, `x.copy_(src)` ->
    `torch.empty_like(x).copy_(src)`: for a tensor that does not require grad (these new tensors have no graph,
    so for one that does, the same method on a copy keeps the gradient as torch computes it: `x.clone().zero_()`).
    None: not one of these."""
    if name not in ("zero_", "fill_", "copy_") or event.obj.requires_grad is not Tri.NO:
        return None
    torch = b.torch or "torch"
    x = b.text.segment(tensor)
    if name == "zero_" and not args and not keywords:
        return f"{torch}.zeros_like({x})"
    if name == "fill_" and len(args) == 1 and not keywords and number_literal(args[0]):
        return f"{torch}.full_like({x}, {b.text.segment(args[0])})"
    if name == "copy_" and args and not any(isinstance(a, ast.Starred) for a in args):
        rest = ", ".join(b.text.segment(a) for a in args + [k.value for k in keywords if k.arg is None])
        kws = ", ".join(f"{k.arg}={b.text.segment(k.value)}" for k in keywords if k.arg is not None)
        return f"{torch}.empty_like({x}).copy_({', '.join(p for p in (rest, kws) if p)})"
    return None


def where_for_mask(b, event, stmt: ast.stmt) -> Fix | None:
    """`y[y > 1] = 0.0` -> `y = torch.where(y > 1, 0.0, y)`: a mask made from `y` itself (so of its shape) and a
    number, on a tensor that requires grad (a floating one: `where` keeps its dtype)."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and stmt.targets[0] is event.node):
        return None
    sub = event.node
    if not (isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and number_literal(stmt.value)):
        return None
    if event.obj.requires_grad not in (Tri.YES, Tri.ASSUMED):
        return None
    name, mask = sub.value.id, sub.slice
    if not (isinstance(mask, ast.Compare) and len(mask.comparators) == 1 and any(
            isinstance(side, ast.Name) and side.id == name for side in (mask.left, mask.comparators[0]))):
        return None
    torch = b.torch or "torch"
    new = f"{name} = {torch}.where({b.text.segment(mask)}, {b.text.segment(stmt.value)}, {name})"
    return b.with_torch_import(Fix(f"Use the out-of-place form: `{short(new)}`", (b.replace(stmt, new),),
                                      True, True))


def inplace_flag(call: ast.AST, positional_from: int = 2):
    """The `True` of `inplace=True`, or of a last positional `True` (`F.dropout(x, 0.1, True, True)`,
    `nn.Dropout(0.1, True)`), else None."""
    if not isinstance(call, ast.Call):
        return None
    kw = keyword(call, "inplace")
    if kw is not None:
        return kw.value
    if len(call.args) >= positional_from and isinstance(call.args[-1], ast.Constant) and call.args[-1].value is True:
        return call.args[-1]
    return None


def module_results_kept(module_node: ast.AST, tree: ast.Module, parents) -> bool:
    """Does every call of the module built at `module_node` use its result, so that `inplace=False` changes nothing
    but the input it no longer overwrites? A module bound to `self.act` is looked up in its class, one bound to a
    name in that name's scope; a member of a container (`nn.Sequential(...)`) is used for its result."""
    parent = parents.get(module_node)
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1):
        return True
    target = parent.targets[0]
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        scope = parent
        while scope is not None and not isinstance(scope, ast.ClassDef):
            scope = parents.get(scope)

        def is_call(c):
            return isinstance(c.func, ast.Attribute) and c.func.attr == target.attr and \
                isinstance(c.func.value, ast.Name) and c.func.value.id == "self"
    elif isinstance(target, ast.Name):
        scope = scope_of(parent, parents)

        def is_call(c):
            return isinstance(c.func, ast.Name) and c.func.id == target.id
    else:
        return True
    if scope is None:
        return True
    calls = [n for n in ast.walk(scope) if isinstance(n, ast.Call) and is_call(n)]
    return all(call_result_kept(c, parents) for c in calls)


def self_calls_keep_results(b, built: ast.AST) -> bool:
    """Does every call of `self.<name>(...)` in the finding's file use its result, for a module another file builds
    as `self.<name> = nn.Dropout(p, inplace=True)` (a base class; the calls are in a subclass here)?"""
    target = built.targets[0] if isinstance(built, ast.Assign) and len(built.targets) == 1 else None
    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
        return True
    calls = [n for n in ast.walk(b.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and
             n.func.attr == target.attr and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"]
    return all(call_result_kept(c, b.parents) for c in calls)


def call_result_kept(call: ast.Call, parents) -> bool:
    """`x = act(x)`, `return act(h)`, `act(self.fc(x))`: nothing reads the argument afterwards expecting the change."""
    arg = call.args[0] if call.args else None
    if not isinstance(arg, ast.Name):
        return True  # a temporary (or nothing to change)
    stmt = statement_of(call, parents)
    if isinstance(stmt, ast.Assign) and stmt.value is call and \
            any(isinstance(t, ast.Name) and t.id == arg.id for t in stmt.targets):
        return True
    scope = scope_of(call, parents)
    end = getattr(stmt, "end_lineno", call.end_lineno)

    def reads_values(n) -> bool:  # `x.grad`, `x.shape` do not read what the module changed
        parent = parents.get(n)
        return isinstance(n, ast.Name) and n.id == arg.id and isinstance(n.ctx, ast.Load) and n is not arg and \
            not (isinstance(parent, ast.Attribute) and parent.attr in NOT_VALUES)

    later = [n for n in ast.walk(scope) if reads_values(n) and n.lineno > end]
    loop = stmt
    while loop is not None and loop is not scope and not isinstance(loop, (ast.For, ast.While)):
        loop = parents.get(loop)
    if loop is not None and loop is not scope:  # read again in the next iteration
        later += [n for n in ast.walk(loop) if reads_values(n)]
    return not later


NOT_VALUES = {"grad", "shape", "dtype", "device", "requires_grad", "size", "dim", "ndim", "is_leaf", "numel"}


def detached_view(b, call: ast.AST) -> Fix | None:
    """`h.detach_()` of a view (GG304) -> `h = h.detach()`; `y = h[:, -1].detach_()` -> `.detach()`. Safe: torch
    refuses the original, so no working result changes. Not for `state[0].detach_()` as a statement: assigning
    `state[0]` would copy into `state` in place."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "detach_"):
        return None
    receiver = call.func.value
    stmt = statement_of(call, b.parents)
    name = b.text.segment(receiver)
    if isinstance(stmt, ast.Expr) and stmt.value is call:
        if name_or_dotted(receiver) is None:
            return None
        return Fix(f"Rebind `{name}` to a detached copy: `{name} = {name}.detach()`",
                   (b.replace(call, f"{name} = {name}.detach()"),), True, True)
    return Fix("Use `.detach()`, which returns a detached tensor", (b.replace(call, f"{name}.detach()"),), True, True)


def leaf_flag(b, node: ast.AST) -> Fix | None:
    """GG104: `x.requires_grad = v` of a tensor with a history -> `x = x.detach().requires_grad_(v)`;
    `x.requires_grad_(False)` -> `x = x.detach()`. Safe: torch refuses the original, so no working result changes."""
    stmt = statement_of(node, b.parents)
    if isinstance(node, ast.Attribute) and isinstance(stmt, ast.Assign) and stmt.targets == [node]:
        receiver, flag = node.value, stmt.value
        name = b.text.segment(receiver)
        arg = "" if isinstance(flag, ast.Constant) and flag.value is True else b.text.segment(flag)
        new = f"{name} = {name}.detach().requires_grad_({arg})"
    elif isinstance(node, ast.Call) and isinstance(stmt, ast.Expr) and stmt.value is node:
        receiver = node.func.value
        name = b.text.segment(receiver)
        new = f"{name} = {name}.detach()"
    else:
        return None
    if name_or_dotted(receiver) is None:
        return None
    return Fix(f"Start from a leaf: `{new}`", (b.replace(stmt, new),), True, True)


def twin_in_value(b, call, stmt: ast.stmt) -> Fix | None:
    """An in-place method whose result the statement uses, `return x.mul_(g)`, `y[..., 2:] = y[..., 2:].sqrt_()`:
    its out-of-place twin (`x.mul(g)`, `.sqrt()`), so the op makes (and saves) a tensor of its own. Only where
    nothing reads the change the method made: the statement writes its own target over it (the same text), or the
    receiver is a name (or a piece of one), not an attribute's state, which the statement returns or nothing reads
    after it. A clone before such a statement would be read, saved
    and written alike."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or \
            getattr(call, "_gg_file", None) is not None or b.is_torch_function(call.func) or \
            isinstance(stmt, ast.Expr) and stmt.value is call or not any(n is call for n in ast.walk(stmt)):
        return None
    twin = out_of_place_name(call.func.attr) if call.func.attr.endswith("_") else None
    receiver = call.func.value
    if twin is None or not isinstance(receiver, (ast.Name, ast.Attribute, ast.Subscript)):
        return None
    text = b.text.segment(receiver)
    local = receiver.value if isinstance(receiver, ast.Subscript) else receiver  # not `self.count`: a state
    if not (isinstance(stmt, ast.Assign) and any(b.text.segment(t) == text for t in stmt.targets) or
            isinstance(local, ast.Name) and (isinstance(stmt, ast.Return) or not b.later_uses(stmt, local.id))):
        return None
    attr = b.text.span(call.func)
    edit = TextEdit(Span(attr.end_line, attr.end_column - len(call.func.attr), attr.end_line, attr.end_column), twin)
    return Fix(f"Use the out-of-place `{twin}` (the statement uses its result): `{short(text)}.{twin}(...)`",
               (edit,), True, True)


def out_of_place_name(name: str) -> str | None:
    """`add_` -> `add` when torch has that op (from the facts table), else None."""
    fact_twin = None
    try:
        candidates = facts.known_op_names()
    except Exception:  # noqa: BLE001
        candidates = frozenset()
    base = name[:-1]
    if name in candidates:
        fact = facts.op(name, "method", {})
        fact_twin = fact.inplace_twin if fact is not None else None
    if fact_twin and not fact_twin.endswith("_"):
        return fact_twin
    if base in candidates or base in facts.OUT_OF_PLACE_BASES:
        return base
    return None
