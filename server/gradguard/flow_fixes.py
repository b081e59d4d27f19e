"""Quick fixes that change *where* a statement runs or *whether* grad mode is on, not the expression itself.

- a write to a tensor a pending backward() still needs (GG201 on a leaf, GG401, GG402): move the writing statement
  to just after that backward(), when nothing in between mentions what it mentions. Safe when the moved statement
  reads no `.grad` (the backward in between would change what it reads): an optimizer step or `w -= lr * w.grad`
  gets the move only as an explicit, not-preferred, unsafe choice;
- an in-place change under `no_grad`/`inference_mode` of an output a grad-mode op saved: `.clone()` at the
  saving site, so the op keeps its own output and the change goes to the copy;
- backward() on a tensor without grad (GG503): follow the names the loss is computed from back through the block
  and undo what cut the graph: unwrap `with torch.no_grad():`, `set_grad_enabled(False)` -> `True`, drop `.data`
  / `.detach()` / a `torch.tensor(x.item())` re-wrap / a `@torch.no_grad()` decorator; failing those,
  `requires_grad=True` on the factory of a tensor whose `.grad` is read later.
The builders take the `fixes.Builder` of the finding (its text, tree, parents and imports).
"""

from __future__ import annotations

import ast
import builtins
import io
import tokenize

from .facts import FACTORIES, NO_GRAD_CONTEXTS, returns_several
from .findings import Fix, Span, TextEdit
from .fix_text import scope_of, statement_of

_BUILTINS = set(dir(builtins))


def block_of(parents, stmt: ast.stmt) -> tuple[list, int] | None:
    """The statement list holding `stmt`, and its index there."""
    parent = parents.get(stmt)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and stmt in block:
            return block, block.index(stmt)
    return None


def names_in(nodes) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def reads_grad(node: ast.AST) -> bool:
    """Reads a `.grad` (an update step) or steps an optimizer."""
    return any((isinstance(n, ast.Attribute) and n.attr == "grad") or
               (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "step")
               for n in ast.walk(node))


def statement_at(tree: ast.Module, line: int) -> ast.stmt | None:
    """The innermost statement that starts on `line`."""
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno == line and (
                found is None or node.col_offset >= found.col_offset):
            found = node
    return found


def lines_text(b, first: int, last: int) -> str:
    text = "".join(b.text.lines[first - 1:last])
    return text if text.endswith(("\n", "\r")) else text + "\n"


# ------------------------------------------------------------------------------- one no_grad block per update
def is_update(b, s: ast.stmt) -> bool:
    """`w -= lr * w.grad`, `p.grad.zero_()`, `p.add_(p.grad, alpha=-lr)`: an in-place step that reads `.grad`."""
    if not b.text.alone_on_lines(s) or not any(isinstance(n, ast.Attribute) and n.attr == "grad"
                                               for n in ast.walk(s)):
        return False
    if isinstance(s, ast.AugAssign):
        return True
    return isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and \
        isinstance(s.value.func, ast.Attribute) and s.value.func.attr.endswith("_")


def update_run(b, stmt: ast.stmt) -> tuple[ast.stmt, ast.stmt]:
    """The first and last of the adjacent update statements around `stmt`; a `for` loop made only of updates
    counts as one, so the block goes around the whole loop."""
    if not is_update(b, stmt):
        return stmt, stmt
    first, last = adjacent_updates(b, stmt)
    loop = b.parents.get(first)
    if isinstance(loop, ast.For) and loop.body[0] is first and loop.body[-1] is last and not loop.orelse and \
            b.text.alone_on_lines(loop):
        return adjacent_updates(b, loop)
    return first, last


def adjacent_updates(b, stmt: ast.stmt) -> tuple[ast.stmt, ast.stmt]:
    found = block_of(b.parents, stmt)
    if found is None:
        return stmt, stmt
    block, i = found
    j = i
    while i > 0 and is_update(b, block[i - 1]):
        i -= 1
    while j + 1 < len(block) and is_update(b, block[j + 1]):
        j += 1
    return block[i], block[j]


# ------------------------------------------------------------------------------- move past backward()
def defer_past_backward(b, stmt: ast.stmt, after: ast.stmt | None, data_writes: bool = False) -> Fix | None:
    """Move `stmt` (or its ancestor in the block of `after`, the backward() statement) to just after `after`.
    `data_writes`: the moved statement writes through `.data`; it goes to the real tensor under
    `with torch.no_grad():` instead, so that a later backward() that needs the old values raises, not miscomputes."""
    found = block_of(b.parents, after) if after is not None else None
    if found is None:
        return None
    block, j = found
    moved = stmt
    while moved is not None and moved not in block:
        moved = b.parents.get(moved)
    if not isinstance(moved, ast.stmt) or block.index(moved) >= j:
        return None
    if not (b.text.alone_on_lines(moved) and b.text.alone_on_lines(after)):
        return None
    between = block[block.index(moved) + 1:j]
    modules = set(b.imports.aliases) if b.imports else set()
    shared = (names_in([moved]) - modules - _BUILTINS) & names_in(between)
    if shared and reads_grad(moved):  # a step, offered only as an unsafe choice: `self.opt_g.step()` may pass
        shared = {m for m in overlapping_objects(b, [moved], between) if m[0] not in modules}  # `self.opt_d...`
    if shared or bound_names(moved) & names_in([after]):  # `loss = f(...)` cannot move past `loss.backward()`
        return None
    if reads_grad(moved) and same_loss_before(b, block[:block.index(moved)], after):
        return None  # `loss.backward(retain_graph=True); opt.step(); loss.backward()`: it would step with it twice
    text = lines_text(b, moved.lineno, moved.end_lineno)
    through_data = data_writes and no_grad_instead_of_data(b, moved)
    if through_data:
        text = through_data
    at = after.end_lineno + 1
    last = b.text.lines[after.end_lineno - 1] if after.end_lineno <= len(b.text.lines) else "\n"
    if not last.endswith(("\n", "\r")):
        text = "\n" + text.rstrip("\r\n")
    edits = (TextEdit(Span(moved.lineno, 1, moved.end_lineno + 1, 1), ""), TextEdit(Span(at, 1, at, 1), text))
    if through_data and b.torch is None:
        edits += (b.import_torch(),)
    safe = not reads_grad(moved)
    what = b.text.segment(after).strip()
    title = f"Move this after `{what}`, which still needs the old values" if safe else \
        f"Move this after `{what}` (unsafe: it then also steps with the gradients that backward() adds)"
    if through_data:
        title += ", under `torch.no_grad()` instead of through `.data`"
    return Fix(title, edits, safe, safe)


def same_loss_before(b, before: list, after: ast.stmt) -> bool:
    """A backward() of the tensor `after` differentiates runs in `before` too."""
    def loss_text(s):
        call = s.value if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) else None
        if call is None or not (isinstance(call.func, ast.Attribute) and call.func.attr == "backward"):
            return None
        return b.text.segment(call.func.value)
    text = loss_text(after)
    return text is not None and any(loss_text(s) == text for s in before)


def objects_in(b, nodes) -> set[tuple[str, ...]]:
    """The dotted objects the statements mention: `self.opt_d` of `self.opt_d.zero_grad()` (a method's name is
    not part of its object), `self` of `f(self)`."""
    out = set()
    for node in nodes:
        for n in ast.walk(node):
            if not isinstance(n, ast.Name):
                continue
            parts, top = [n.id], n
            while isinstance(b.parents.get(top), ast.Attribute) and b.parents.get(top).value is top:
                top = b.parents.get(top)
                parts.append(top.attr)
            call = b.parents.get(top)
            if len(parts) > 1 and isinstance(call, ast.Call) and call.func is top:
                parts.pop()
            out.add(tuple(parts))
    return out


def overlapping_objects(b, moved, between) -> set[tuple[str, ...]]:
    """The objects of `moved` that `between` mentions too, or a part or a whole of."""
    theirs = objects_in(b, between)
    return {m for m in objects_in(b, moved) if m[0] not in _BUILTINS and
            any(m[:len(t)] == t or t[:len(m)] == m for t in theirs)}


def bound_names(stmt: ast.stmt) -> set[str]:
    """The names the statement assigns (`loss = ...`, `a, b = ...`, `for x in ...`, `with ... as y`)."""
    return {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def data_write_sites(stmt: ast.stmt, parents) -> list[ast.Attribute]:
    """The `.data` the statement writes through: `p.data.clamp_(...)`, `p.data *= 2`, `p.data[0] = 1`."""
    sites = []
    for n in ast.walk(stmt):
        if not (isinstance(n, ast.Attribute) and n.attr == "data" and isinstance(n.ctx, ast.Load)):
            continue
        parent = parents.get(n)
        grand = parents.get(parent)
        if isinstance(parent, ast.Attribute) and parent.value is n and parent.attr.endswith("_") and \
                not parent.attr.endswith("__") and isinstance(grand, ast.Call) and grand.func is parent:
            sites.append(n)  # p.data.clamp_(...)
        elif isinstance(parent, ast.Subscript) and parent.value is n and isinstance(parent.ctx, ast.Store):
            sites.append(n)  # p.data[0] = 1
        elif isinstance(parent, ast.Subscript) and parent.value is n and isinstance(grand, ast.AugAssign) and \
                grand.target is parent:
            sites.append(n)  # p.data[0] += 1
    for n in ast.walk(stmt):  # p.data *= 2 (an augmented target is a Store)
        if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Attribute) and n.target.attr == "data":
            sites.append(n.target)
    return sites


def no_grad_instead_of_data(b, moved: ast.stmt) -> str | None:
    """The lines of `moved` with `.data` dropped where it writes, in a `with torch.no_grad():` block."""
    sites = data_write_sites(moved, b.parents)
    if not sites or any(s.lineno != s.end_lineno or s.value.end_lineno != s.lineno for s in sites):
        return None
    lines = [b.text.line(n) for n in range(moved.lineno, moved.end_lineno + 1)]
    for site in sorted(sites, key=lambda s: (s.lineno, s.end_col_offset), reverse=True):
        row = site.lineno - moved.lineno
        start, end = b.text.col(site.lineno, site.value.end_col_offset), b.text.col(site.lineno, site.end_col_offset)
        if lines[row][start:end].replace(" ", "") != ".data":
            return None
        lines[row] = lines[row][:start] + lines[row][end:]
    indent = b.text.indent(moved.lineno)
    body = [("    " + ln) if ln.strip() else ln for ln in lines]
    return f"{indent}with {b.torch or 'torch'}.no_grad():\n" + "\n".join(body) + "\n"


def backward_names(backward) -> set[str]:
    """The names in the tensor a backward() call differentiates (`y` in `y.sum().backward()`)."""
    if not isinstance(backward, ast.Call):
        return set()
    if isinstance(backward.func, ast.Attribute) and backward.func.attr == "backward":
        return names_in([backward.func.value])
    return names_in(backward.args[:1])


def copy_shared_array(b, stmt: ast.stmt) -> Fix | None:
    """`arr = t.detach().numpy()` ... `f(arr)` -> `arr = t.detach().numpy().copy()`: the array stops sharing."""
    mentioned = names_in([stmt])
    found = block_of(b.parents, stmt)
    if found is None:
        return None
    block, i = found
    for s in reversed(block[:i]):
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) and \
                s.targets[0].id in mentioned and isinstance(s.value, ast.Call) and \
                isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "numpy":
            return Fix(f"Copy the array: `{b.text.segment(s.value)}.copy()`", (TextEdit(b.end_of(s.value), ".copy()"),),
                       True, True)
    return None


def no_clone_reason(b) -> str:
    """Why no `.clone()` where the tensor is saved makes the program run (clone_at_save found none)."""
    save = b.ctx.get("save")
    node = getattr(save, "node", None)
    if save is None or node is None:
        return "the analysis does not know where the tensor is saved"
    if getattr(node, "_gg_file", None) is not None:
        return f"`{save.op}` saves it in another file"
    if save.role != "result" and isinstance(node, ast.Call):
        return f"`{save.op}` saves its `{save.role}` inside the module (`{short_text(b, node)}`): the module's own " \
            "parameter, which no copy can stand in for"
    return f"`{save.op}` does not take the tensor as an expression of this line"


def not_deferrable_reason(b, stmt: ast.stmt) -> str:
    return ("it reads `.grad` (or steps an optimizer), and moving it after the pending backward() would change "
            "the gradients it uses: reorder by hand") if reads_grad(stmt) else \
        "the statements before the pending backward() use the same names: reorder by hand"


# ------------------------------------------------------------------------------- a second backward() after a step
def step_before_second_backward(b, first: ast.AST, second_line: int) -> str | None:
    """`q_loss.backward()`, `q_opt.step()`, then `pi_loss.backward()` with `pi_loss` computed before the step: with
    `retain_graph=True` on the first, the second backward() still goes through what the step changed in place (the
    network both losses went through), and torch raises the version error instead. The step's text, else None."""
    first_stmt = statement_of(first, b.parents)
    second = statement_at(b.tree, second_line)
    scope = scope_of(first_stmt, b.parents) if first_stmt is not None else None
    if second is None or scope is None or scope is not scope_of(second, b.parents):
        return None
    backward = next((n for n in ast.walk(second) if isinstance(n, ast.Call) and
                     getattr(n.func, "attr", None) == "backward"), None)
    loss = backward_names(backward) if backward is not None else set()
    steps = [n for n in ast.walk(scope) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) and
             getattr(n.value.func, "attr", None) == "step" and first_stmt.end_lineno < n.lineno < second.lineno]
    for step in steps:
        recomputed = any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in loss and
                         step.end_lineno < n.lineno < second.lineno for n in ast.walk(scope))
        if loss and not recomputed:
            return b.text.segment(step.value)
    return changed_text(b)


def changed_text(b) -> str | None:
    """The change in place the analysis found of a tensor the freed graph saved, made after the save
    (analysis/freed_changes.py: a step on a loop's next pass, a step before a loss computed again only on some
    paths): its text, else None."""
    changed = b.ctx.get("changed")
    if changed is None:
        return None
    if getattr(changed.node, "_gg_file", None) is None and changed.node.lineno == changed.node.end_lineno:
        return b.text.segment(changed.node)
    return changed.op


def retain_withheld(b, step: str) -> str:
    """Why `retain_graph=True` is not offered: what changes the kept graph before the second backward()."""
    save = b.ctx.get("save")
    if step == changed_text(b) and save is not None:
        where = f" (line {save.node.lineno})" if getattr(save.node, "_gg_file", None) is None else ""
        return (f" No safe automatic fix: `retain_graph=True` would keep the freed graph, but `{step}` changes in "
                f"place a tensor `{save.op}` saved for it{where} before the second backward() "
                "goes through it, which then raises the version error instead; compute what goes through "
                f"`{save.op}` again after the change, or take it as a number where no gradient should flow. A "
                "`.clone()` cannot help either: a copy is part of the same graph, which the previous backward() "
                "freed.")
    return (f" No safe automatic fix: `retain_graph=True` keeps the graph, but `{step}` changes in place what the "
            "second backward() goes through before it runs; compute the second loss after the step, or step after "
            "both backward() calls.")


def flag_set_on_a_piece(b, stmt: ast.stmt, target: ast.AST) -> bool:
    """`images[b:b+1] = image` in a loop whose body also takes a piece of `images` and sets its flag (`image =
    images[b:b+1]`, `image.requires_grad = True`): a clone of `images` before the write would keep the caller's
    tensor, but once an image that requires grad is written into it, the copy has a history too, and the next pass's
    flag change on a piece of it raises 'you can only change requires_grad flags of leaf variables' (torchattacks'
    DeepFool, torch 2.13); what is written must not require grad (`.detach()`), which changes what the write carries.
    True (the message says why) when that loop sets the flag of a name bound from a subscript of `target`."""
    if not isinstance(target, (ast.Name, ast.Attribute)):
        return False
    loop = b.parents.get(stmt)
    while loop is not None and not isinstance(loop, (ast.For, ast.AsyncFor, ast.While)):
        if isinstance(loop, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        loop = b.parents.get(loop)
    if loop is None:
        return False
    held = ast.dump(target).replace("Store()", "Load()")
    pieces = {t.id for n in ast.walk(loop) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Subscript) and
              ast.dump(n.value.value) == held for t in n.targets if isinstance(t, ast.Name)}
    flagged = next((n for n in ast.walk(loop) if isinstance(n, ast.Attribute) and n.attr == "requires_grad" and
                    isinstance(n.ctx, ast.Store) and isinstance(n.value, ast.Name) and n.value.id in pieces), None)
    if flagged is None:
        return False
    name, piece = b.text.segment(target), flagged.value.id
    b.finding.message += (f" No safe automatic fix: a clone of `{name}` before the write would keep the caller's "
                          f"tensor, but this loop sets the flag of `{piece}`, a piece of `{name}` (line "
                          f"{flagged.lineno}), which torch refuses once a tensor that requires grad was written "
                          f"into `{name}` ('you can only change requires_grad flags of leaf variables'); write a "
                          "value that does not require grad (`.detach()` it) where no gradient should flow back.")
    return True


# ------------------------------------------------------------------------------- a caller's multi-output view
MULTI_OUTPUT_VIEWS = frozenset({"split", "chunk", "unbind", "split_with_sizes", "tensor_split", "hsplit", "vsplit",
                                "dsplit"})


def split_piece_passed(b, stmt: ast.stmt, name: str | None) -> str | None:
    """`gen, copy = scores.split(...)` then `self.combine(gen, ...)` in this file, where `combine` writes its argument
    `gen` in place: torch refuses any in-place change of a piece of split()/chunk()/unbind() that requires grad
    (whatever copy the saving op gets), so only an out-of-place change is right. The call's text, else None."""
    fn = scope_of(stmt, b.parents)
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or name is None:
        return None
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if name not in params:
        return None
    index = params.index(name)
    pieces = {}
    for n in ast.walk(b.tree):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], (ast.Tuple, ast.List)) and \
                isinstance(n.value, ast.Call) and \
                getattr(n.value.func, "attr", getattr(n.value.func, "id", None)) in MULTI_OUTPUT_VIEWS:
            for t in n.targets[0].elts:
                if isinstance(t, ast.Name):
                    pieces.setdefault(scope_of(n, b.parents), set()).add(t.id)
    for call in ast.walk(b.tree):
        if not isinstance(call, ast.Call) or getattr(call.func, "attr", getattr(call.func, "id", None)) != fn.name:
            continue
        bound = isinstance(call.func, ast.Attribute) and params[:1] in (["self"], ["cls"])
        at = index - 1 if bound else index
        arg = call.args[at] if 0 <= at < len(call.args) else next(
            (k.value for k in call.keywords if k.arg == name), None)
        if isinstance(arg, ast.Name) and arg.id in pieces.get(scope_of(call, b.parents), ()):
            return b.text.segment(call) if call.lineno == call.end_lineno else f"{fn.name}(...)"
    return None


def held_elsewhere(b, stmt: ast.stmt, name: str | None) -> bool:
    """Before `stmt`, its function puts the tensor `name` into a container bound to a name (`pieces = [gen]`,
    `pieces.append(gen)`), read after `stmt`: it holds the tensor a rebinding of `name` would not change."""
    fn = scope_of(stmt, b.parents)
    containers = set()
    for n in ast.walk(fn):
        if not isinstance(n, ast.Name) or n.id != name or n.lineno >= stmt.lineno or not isinstance(n.ctx, ast.Load):
            continue
        parent = b.parents.get(n)
        holder = b.parents.get(parent)
        if isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.Dict)) and \
                isinstance(holder, (ast.Assign, ast.AnnAssign)) and holder.value is parent:
            targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
            containers |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(parent, ast.Call) and n in parent.args and isinstance(parent.func, ast.Attribute) and \
                parent.func.attr in ("append", "insert", "extend", "add") and isinstance(parent.func.value, ast.Name):
            containers.add(parent.func.value.id)
    return any(isinstance(n, ast.Name) and n.id in containers and isinstance(n.ctx, ast.Load) and
               n.lineno > stmt.end_lineno for n in ast.walk(fn))


def loop_piece_base(b, stmt: ast.stmt, name: str | None) -> str | None:
    """`for channel, mean, std in zip(denormalized[0], means, stds): channel.mul_(std).add_(mean)`, then
    `denormalized` read after the loop (flashtorch's denormalize): `channel` is a piece of the tensor the loop goes
    through, and the change is meant for that tensor; rebinding `channel` out of place would leave it as it was.
    The text of the iterated tensor (`denormalized[0]`) when its root name is read after the loop, else None."""
    loop, node = None, b.parents.get(stmt)
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
        if isinstance(node, (ast.For, ast.AsyncFor)):
            loop = node
            break
        node = b.parents.get(node)
    if loop is None or name is None:
        return None
    target, source = loop.target, loop.iter
    while True:
        if isinstance(target, ast.Name):
            break
        call = getattr(getattr(source, "func", None), "id", None) if isinstance(source, ast.Call) else None
        if not isinstance(target, (ast.Tuple, ast.List)) or call not in ("zip", "enumerate") or source.keywords:
            return None
        items = [None, source.args[0]] if call == "enumerate" and len(source.args) == 1 else source.args
        held = [i for i, t in enumerate(target.elts) if any(isinstance(n, ast.Name) and n.id == name
                                                             for n in ast.walk(t))]
        if len(items) != len(target.elts) or len(held) != 1 or items[held[0]] is None:
            return None
        target, source = target.elts[held[0]], items[held[0]]
    if target.id != name:
        return None
    root = source
    while isinstance(root, (ast.Subscript, ast.Attribute)):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    scope = scope_of(loop, b.parents)
    if any(isinstance(n, ast.Name) and n.id == root.id and isinstance(n.ctx, ast.Load) and
           n.lineno > loop.end_lineno for n in ast.walk(scope)):
        return b.text.segment(source)
    return None


def piece_note(name: str, base: str) -> str:
    return (f" No safe automatic fix: `{name}` is a piece of `{base}`, which the loop goes through and is read after "
            f"it: rebinding `{name}` out of place would leave `{base}` unchanged; write the new values into a copy by "
            f"index (`out[i] = {name}.mul(...)`) and use that.")


# ------------------------------------------------------------------------------- clone at the saving site
def read_in_value(b, stmt: ast.stmt, target, save) -> ast.Subscript | None:
    """The `target[...]` a call of the assigned value is given, when the op that saved the tensor ran inside
    that call (in the call itself, or in the body of the called name's function, of this file or of the other
    workspace file the save is in, or of a function that one calls by name there): a copy given to the call is
    then what the op saves. A save made before the statement is no business of the call's."""
    node = getattr(save, "node", None)
    if not isinstance(stmt, ast.Assign) or target is None or node is None:
        return None
    for call in ast.walk(stmt.value):
        if not isinstance(call, ast.Call):
            continue
        read = next((a for a in call.args if isinstance(a, ast.Subscript) and
                     ast.dump(a.value) == ast.dump(target)), None)
        if read is not None and (in_call(call, node) or
                                 saved_in_called(node, called_names(b, call), b.tree)):
            return read
    return None


def called_names(b, call: ast.Call) -> set[str]:
    """`rotate` of `rotate(...)`, `self.rotate(...)`, and of `rot(...)` after `from rope import rotate as rot`."""
    names = {getattr(call.func, "id", getattr(call.func, "attr", None))}
    qualname = b.imports.qualname(call.func) if b.imports is not None else None
    if qualname:
        names.add(qualname.rsplit(".", 1)[-1])
    return names - {None}


def in_call(call: ast.Call, node: ast.AST) -> bool:
    """`node` is part of `call` (an op of its arguments)."""
    return getattr(node, "_gg_file", None) is getattr(call, "_gg_file", None) and \
        call.lineno <= getattr(node, "lineno", 0) <= call.end_lineno and any(n is node for n in ast.walk(call))


def saved_in_called(node: ast.AST, names: set[str], tree: ast.Module, depth: int = 3) -> bool:
    """Did the op `node` run in a function of one of `names`, or in a function that one calls by name in its file, a
    few calls deep (`apply_rotary_emb` -> `rotate_half`)? `node` is of this file (`tree`) or of another workspace
    file (its `_gg_file` has the lines, parsed here: only when a fix is built)."""
    tag = getattr(node, "_gg_file", None)
    if tag is not None:
        tree = other_tree(tag)
        if tree is None:
            return False
    defs: dict[str, list[ast.AST]] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs.setdefault(fn.name, []).append(fn)
    line, seen, todo = getattr(node, "lineno", 0), set(), set(names)
    for _ in range(depth):
        bodies = [fn for name in todo - seen for fn in defs.get(name, ())]
        seen |= todo
        if any(fn.lineno <= line <= fn.end_lineno and (tag is not None or any(n is node for n in ast.walk(fn)))
               for fn in bodies):
            return True
        todo = {getattr(c.func, "id", getattr(c.func, "attr", None)) for fn in bodies for c in ast.walk(fn)
                if isinstance(c, ast.Call)} - {None}
    return False


_OTHER_TREES: dict = {}


def other_tree(tag) -> ast.Module | None:
    """Another workspace file's tree, parsed again from the lines its nodes' FileTag keeps (the project's parse is
    not reachable from a node: see parsed_files.FileTag); the last few kept."""
    kept = _OTHER_TREES.get(tag.path)
    if kept is None or kept[0] is not tag.lines:  # the file's one version: its FileTag's lines
        try:
            tree = ast.parse("\n".join(tag.lines))
        except (SyntaxError, ValueError):
            tree = None
        if len(_OTHER_TREES) >= 8 and tag.path not in _OTHER_TREES:
            _OTHER_TREES.pop(next(iter(_OTHER_TREES)))
        kept = _OTHER_TREES[tag.path] = (tag.lines, tree)
    return kept[1]


def clone_at_save(b, save) -> Fix | None:
    """`y = torch.exp(x)` -> `y = torch.exp(x).clone()`: exp keeps its own output, the change goes to the copy.
    For a saved input, the op gets a copy: `(w * x)` -> `(w.clone() * x)`, and the change goes to the tensor."""
    node = getattr(save, "node", None)
    if save is None or not isinstance(node, (ast.Call, ast.BinOp, ast.UnaryOp)) or \
            getattr(node, "_gg_file", None) is not None:
        return None
    if save.role != "result":
        operand = saved_operand(b, save)
        if operand is None:
            return None
        return Fix(f"Give `{save.op}` a copy of `{short_text(b, operand)}` to save: "
                   f"`{short_text(b, operand)}.clone()`", clone_edits(b, operand), True, True)
    event = b.ctx.get("event")
    if getattr(scope_of(node, b.parents), "name", None) == "__init__" and event is not None and \
            scope_of(node, b.parents) is not scope_of(event.node, b.parents):
        return None  # `ConvModule(..., act_cfg=relu)` in `__init__`: the module is built there, its output made later
    if returns_several(save.op) or isinstance(b.parents.get(node), ast.Assign) and any(
            isinstance(t, (ast.Tuple, ast.List)) for t in b.parents.get(node).targets):
        # `torch.svd(x).clone()`, `output, state = self.lstm(x).clone()`: a tuple of tensors has no clone; the
        # output changed is one item of it
        return None
    return Fix(f"Clone `{save.op}`'s output where it is made, so the change goes to the copy", clone_edits(b, node),
               True, True)


def clone_edits(b, node: ast.AST) -> tuple[TextEdit, ...]:
    if isinstance(node, (ast.Call, ast.Name, ast.Attribute, ast.Subscript)):
        return (TextEdit(b.end_of(node), ".clone()"),)
    start = b.text.span(node)
    return (TextEdit(Span(start.line, start.column, start.line, start.column), "("), TextEdit(b.end_of(node), ").clone()"))


def short_text(b, node: ast.AST) -> str:
    text = " ".join(b.text.segment(node).split())
    return text if len(text) <= 30 else text[:29] + "…"


def saved_operand(b, save):
    """The expression the op at `save.node` got for the saved argument (`save.role`, a name of torch's signature):
    `w` of `w * x` (input), `x` of `torch.mul(w, x)` (other); None when it is not written there (a module's own
    weight, saved inside `model(x)`)."""
    from .facts import params

    node, role = save.node, save.role
    names = params(save.op) or ("input", "other")
    index = 0 if role == "self" else names.index(role) if role in names else None
    if isinstance(node, ast.BinOp):
        return (node.left, node.right)[index] if index in (0, 1) else None
    if isinstance(node, ast.UnaryOp):
        return node.operand if index == 0 else None
    if not isinstance(node, ast.Call) or index is None:
        return None
    func = node.func
    qual = b.imports.qualname(func) if b.imports else None
    classes = {c.name for c in ast.walk(b.tree) if isinstance(c, ast.ClassDef)}
    if qual and qual.startswith("torch."):
        if qual.rsplit(".", 1)[1].rstrip("_") != save.op.rstrip("_"):
            return None  # `nn.Linear(3, 1)`: where a module is built, not where its op ran
        args = list(node.args)  # torch.mul(w, x), F.linear(x, w)
    elif isinstance(func, ast.Attribute) and func.attr.rstrip("_") == save.op.rstrip("_"):  # w.mul(x)
        args = [func.value] + list(node.args)
    elif isinstance(func, (ast.Name, ast.Attribute, ast.Subscript)) and \
            not (isinstance(func, ast.Name) and func.id in classes):
        # a module call (`self.fc(x)`, `self.blocks[i](x)`): only its input is written there
        args = list(node.args[:1]) if index == 0 else []
    else:
        return None
    if any(isinstance(a, ast.Starred) for a in args):
        return None
    found = args[index] if index < len(args) else next((k.value for k in node.keywords if k.arg == role), None)
    return None if found is None or isinstance(found, ast.Constant) else found


# ------------------------------------------------------------------------------- backward() without grad
def restore_grad(b, backward: ast.Call, stmt: ast.stmt | None) -> list[Fix]:
    """`backward` is the call, `stmt` its statement."""
    found = block_of(b.parents, stmt) if stmt is not None else None
    if found is None or not isinstance(backward, ast.Call):
        return []
    if isinstance(backward.func, ast.Attribute) and backward.func.attr == "backward":
        tensor = backward.func.value
    elif backward.args:
        tensor = backward.args[0]
    else:
        return []
    block, j = found
    needed = names_in([tensor])
    edits: list[TextEdit] = []
    for s in reversed(block[:j]):
        if isinstance(s, ast.Expr) and grad_off_call(b, s.value):
            edits.append(b.replace(s.value.args[0], "True"))
            continue
        assigned = {n.id for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if not assigned & needed:
            continue
        if isinstance(s, ast.With) and no_grad_with(b, s):
            unwrapped = unwrap(b, s)
            if unwrapped is not None:
                edits.append(unwrapped)
            needed |= names_in(s.body)
            continue
        if isinstance(s, ast.Assign):
            rewrap = rewrapped(s)
            if rewrap is not None and b.text.alone_on_lines(s):
                edits.append(TextEdit(Span(s.lineno, 1, s.end_lineno + 1, 1), ""))
                continue  # `loss = torch.tensor(loss.item())`: the loss before it is the one to differentiate
            edits.extend(cut_points(b, s.value))
            needed |= names_in([s.value])
    if not edits:
        edits = needs_requires_grad(b, block[:j], needed, stmt)
    if edits and not grad_kept(b, edits, stmt):
        b.finding.message += (" No safe automatic fix: restoring the graph in this block leaves the error (the "
                               "analysis of the result still finds it); the graph is cut in code this block calls "
                               "(a helper's `torch.tensor(...)`, a property's `.detach()`).")
        return []
    if not edits:
        return []
    return [Fix("Keep the graph up to this backward()", tuple(edits), True, True)]


def grad_kept(b, edits: list[TextEdit], stmt: ast.stmt) -> bool:
    """The analysis of the fixed text finds no error or warning on the backward()'s line: where the graph is cut
    elsewhere (`torch.tensor(coef)` inside a helper, a property's `.detach()`), the edits here would change the code
    and leave the error (torch 2.13 on GG503's bad_coefficients_through_torch_tensor and bad_temperature_property)."""
    from .analysis.incremental import IncrementalAnalyzer
    from .config import Config
    from .fix_text import apply_edits
    from .project import ACTIVE

    shift = sum(e.new_text.count("\n") - (e.span.end_line - e.span.line) for e in edits
                if (e.span.end_line, e.span.end_column) <= (stmt.lineno, 1))
    line = stmt.lineno + shift
    new = apply_edits(b.text.source, list(edits))
    token = ACTIVE.set(None)  # this file alone: the project's session belongs to the analysis running now
    try:
        result = IncrementalAnalyzer().analyze(new, "<grad-kept>", Config(), 10.0)
    except Exception:  # noqa: BLE001 - no proof against the fix: keep it, as before this check
        return True
    finally:
        ACTIVE.reset(token)
    return not any(f.code == b.finding.code and f.span.line == line for f in result.findings)


def view_outside_inference(b, origin) -> Fix | None:
    """`with torch.inference_mode(): head = h[:2]` -> `head = h[:2]`, when the block holds only that statement."""
    from_stmt = origin
    while from_stmt is not None and not isinstance(from_stmt, ast.stmt):
        from_stmt = b.parents.get(from_stmt)
    block = b.parents.get(from_stmt) if from_stmt is not None else None
    if not isinstance(block, ast.With) or len(block.body) != 1 or not no_grad_with(b, block) or \
            getattr(origin, "_gg_file", None) is not None:
        return None
    edit = unwrap(b, block)
    return Fix("Take the view outside the `with` block", (edit,), True, True) if edit else None


def grad_off_call(b, node) -> bool:
    return isinstance(node, ast.Call) and b.imports is not None and \
        b.imports.qualname(node.func) in ("torch.set_grad_enabled", "torch.autograd.set_grad_enabled") and \
        len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and node.args[0].value is False


def no_grad_with(b, s: ast.With) -> bool:
    if len(s.items) != 1 or not b.imports:
        return False
    expr = s.items[0].context_expr
    return isinstance(expr, ast.Call) and (b.imports.qualname(expr.func) in NO_GRAD_CONTEXTS or grad_off_call(b, expr))


def unwrap(b, s: ast.With) -> TextEdit | None:
    """The body of the `with` block, one level out; a comment on its header stays, on a line of its own."""
    if s.body[0].lineno == s.lineno or not b.text.alone_on_lines(s):
        return None
    outer, inner = b.text.indent(s.lineno), b.text.indent(s.body[0].lineno)
    lines = [outer + comment for comment in header_comments(b, s)]
    for n in range(s.body[0].lineno, s.end_lineno + 1):
        line = b.text.line(n)
        lines.append(outer + line[len(inner):] if line.startswith(inner) else line)
    last = b.text.line(s.end_lineno)
    return TextEdit(Span(s.lineno, 1, s.end_lineno, len(last) + 1), "\n".join(lines))


def header_comments(b, s: ast.With) -> list[str]:
    """The comments on the lines of a block's header (`with torch.no_grad():  # eval features`)."""
    header = "".join(b.text.line(n) + "\n" for n in range(s.lineno, s.body[0].lineno))
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(header).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return []


def rewrapped(s: ast.Assign):
    """`loss = torch.tensor(loss.item())`: the same name re-wrapped from its Python number."""
    v = s.value
    if len(s.targets) == 1 and isinstance(s.targets[0], ast.Name) and isinstance(v, ast.Call) and \
            isinstance(v.func, ast.Attribute) and v.func.attr in ("tensor", "as_tensor") and len(v.args) == 1:
        inner = v.args[0]
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr in (
                "item", "tolist") and isinstance(inner.func.value, ast.Name) and \
                inner.func.value.id == s.targets[0].id:
            return inner
    return None


ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.List, ast.Tuple, ast.Dict)


def cut_points(b, value: ast.AST) -> list[TextEdit]:
    """`.data`, `.detach()` and calls of `@torch.no_grad()` functions in the expression, undone."""
    edits = []
    for n in ast.walk(value):
        if isinstance(n, ast.Attribute) and n.attr == "data" and isinstance(n.ctx, ast.Load):
            edits.append(b.replace(n, b.text.segment(n.value)))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "detach" and \
                not n.args and not n.keywords:
            inner = b.text.segment(n.func.value)  # `(a - b).detach()`: the parentheses stay with what they held
            edits.append(b.replace(n, inner if isinstance(n.func.value, ATOMS) else f"({inner})"))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            edits.extend(no_grad_decorator(b, n.func.id))
    return edits


def no_grad_decorator(b, name: str) -> list[TextEdit]:
    calls = [n for n in ast.walk(b.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == name]
    if len(calls) != 1:
        return []  # other callers rely on the decorator
    for node in b.tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            for dec in node.decorator_list:
                call = dec.func if isinstance(dec, ast.Call) else dec
                if b.imports and b.imports.qualname(call) in NO_GRAD_CONTEXTS and dec.lineno == dec.end_lineno \
                        and b.text.line(dec.lineno).strip() == "@" + b.text.segment(dec):
                    return [TextEdit(Span(dec.lineno, 1, dec.lineno + 1, 1), "")]
    return []


def needs_requires_grad(b, before: list, needed: set[str], backward_stmt: ast.stmt) -> list[TextEdit]:
    """`w = torch.tensor([...])` whose `w.grad` is read after the backward(): `requires_grad=True`."""
    edits = []
    for s in before:
        if not (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)):
            continue
        name, v = s.targets[0].id, s.value
        if name not in needed or not b.grad_read_later(name, backward_stmt) or not isinstance(v, ast.Call):
            continue
        qual = b.imports.qualname(v.func) if b.imports else None
        if qual is None or not qual.startswith("torch.") or qual.rsplit(".", 1)[1] not in FACTORIES or \
                any(kw.arg == "requires_grad" for kw in v.keywords):
            continue
        end = b.end_of(v)
        sep = ", " if v.args or v.keywords else ""
        edits.append(TextEdit(Span(end.line, end.column - 1, end.line, end.column - 1), f"{sep}requires_grad=True"))
    return edits
