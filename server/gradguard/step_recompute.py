"""An optimizer step that changes parameters a pending backward() still needs (GG201), where the pending update
cannot run first (step_order.backward_first): compute the pending loss again after the steps, from the module call
that saved the stepped parameters, so that its backward() goes through the parameters as they are now.

    q_pred = torch.min(self.qf_1(sa), self.qf_2(sa))         ...
    v_target = (q_pred - alpha * log_prob).detach()           self.qf_2_optim.step()
    ...                                                       q_pred = torch.min(self.qf_1(sa), self.qf_2(sa))
    self.qf_2_optim.step()          # GG201          ->       ...
    advantage = q_pred - v_pred.detach()                      advantage = q_pred - v_pred.detach()
    actor_loss.backward()                                     actor_loss.backward()

This is the usual alternating update (a GAN's generator after the discriminator's step, an actor after its critics'):
every step keeps the gradients of its own loss, and the pending loss is the one torch can differentiate, at the
current parameters. Moving the step after the pending backward() instead (flow_fixes.defer_past_backward) makes the
step also use the gradients that backward() adds to its parameters. The conditions, all checked:

- the call of the module that saved the parameters (not a layer where it is built), the steps and the pending
  backward() are statements of one block;
- the statements computed again are the assignments (to names) from that call's statement up to the first step
  that the pending loss depends on through names bound from the call; none calls a random sampler;
- nothing rebinds, between a recomputed statement and the insertion after the last step, a name it reads; a name
  a recomputed statement binds that the loss does not need is read nowhere after the insertion;
- the analysis, run again on the new text, finds nothing on the steps (GG201), on the pending backward() and on the
  recomputed lines.

A second backward() through a graph the first freed, with a step between (GG501, where `retain_graph=True` would
leave the step's change in the graph): the same fix, for the second loss.
"""

from __future__ import annotations

import ast

from .findings import Fix, Span, TextEdit
from .fix_text import scope_of, short, statement_of
from .flow_fixes import backward_names, block_of, statement_at

RANDOM = frozenset({"rand", "randn", "randint", "rand_like", "randn_like", "randint_like", "randperm", "normal",
                    "sample", "rsample", "multinomial", "bernoulli", "poisson", "uniform_", "normal_", "choice"})


def is_step(s: ast.stmt) -> bool:
    return isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and \
        isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "step"


def targets_ok(s: ast.stmt) -> bool:
    """`x = ...`, `a, b = ...`: names only (an attribute or an item would be a change the copy repeats)."""
    if not isinstance(s, ast.Assign):
        return False
    for t in s.targets:
        elts = t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t]
        if not all(isinstance(e, ast.Name) for e in elts):
            return False
    return True


def bound(s: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def read(s: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def random_call(s: ast.stmt) -> bool:
    return any(isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", None)) in RANDOM
               for n in ast.walk(s))


class SaveAt:
    """A save named by the module call that made it (the call in the step's block of a module built elsewhere)."""

    def __init__(self, node: ast.Call):
        self.node = node


def calls_of_built_module(b, node: ast.AST, step_stmt: ast.stmt) -> list[ast.Call]:
    """`D = nn.Sequential(nn.Linear(...), ...)` with `node` the Linear (or the Sequential): the calls `D(...)` that
    are the whole value of a statement of the step's block before the step (`prob = D(fake)`), in order."""
    built = node
    while built is not None and not isinstance(built, (ast.Assign, ast.stmt)):
        built = b.parents.get(built)
    if not isinstance(built, ast.Assign) or len(built.targets) != 1 or \
            not isinstance(built.targets[0], (ast.Name, ast.Attribute)):
        return []
    name = ast.dump(built.targets[0])
    found = block_of(b.parents, step_stmt)
    if found is None:
        return []
    block, i = found
    return [s.value for s in block[:i] if isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and
            ast.dump(s.value.func).replace("Store()", "Load()") == name.replace("Store()", "Load()")]


def recompute_after_steps(b, step_stmt: ast.stmt, backward_stmt: ast.stmt | None, save,
                          steps_proven: bool = True) -> Fix | None:
    """The fix, or None. `steps_proven`: the new text must have nothing on the steps either (GG201 on a step); else
    only on the backward() and the recomputed lines (GG501 on the second backward())."""
    node = getattr(save, "node", None)
    if backward_stmt is None or not isinstance(node, ast.Call) or getattr(node, "_gg_file", None) is not None:
        return None
    qual = b.imports.qualname(node.func) if b.imports is not None else None
    name = getattr(node.func, "attr", getattr(node.func, "id", ""))
    classes = {c.name for c in ast.walk(b.tree) if isinstance(c, ast.ClassDef)}
    if (qual and qual.startswith("torch.nn.")) or name in classes or (name[:1].isupper() and not name.isupper()):
        # where a module is built (`nn.Linear(...)`, `Critic()`), not where it ran (`D(fake)`): the calls of the
        # name it is built into (`D = nn.Sequential(nn.Linear(...), ...)`), in the step's block, latest first
        for call in reversed(calls_of_built_module(b, node, step_stmt)):
            fix = recompute_after_steps(b, step_stmt, backward_stmt, SaveAt(call), steps_proven)
            if fix is not None:
                return fix
        return None
    origin = statement_of(node, b.parents)
    found = block_of(b.parents, step_stmt)
    if origin is None or found is None:
        return None
    block, i = found
    anchor = backward_stmt  # the backward(), or the statement of the block that holds it (`if update_actor:`)
    while anchor is not None and anchor not in block:
        anchor = b.parents.get(anchor)
    if origin not in block or anchor is None:
        return None
    p, j = block.index(origin), block.index(anchor)
    if not p < i < j:
        return None
    ins = max(k for k in range(i, j) if is_step(block[k]))
    call = backward_stmt.value if isinstance(backward_stmt, ast.Expr) else None
    needed = backward_names(call) if anchor is backward_stmt else read(anchor)  # all the nested block reads
    if not needed:
        return None
    # the statements from the call up to the first step whose values flow from the call
    tainted, chain = bound(origin), [origin]
    for s in block[p + 1:i]:
        if read(s) & tainted and targets_ok(s):
            chain.append(s)
            tainted |= bound(s)
    # what the pending loss needs of them: back from the backward() to the call
    keep, at_insertion = [], set(needed)
    for k in range(j - 1, p - 1, -1):
        s = block[k]
        if k == ins:
            at_insertion = set(needed)  # what the statements after the steps read of those before them
        hit = bound(s) & needed
        if not hit:
            continue
        if k < ins and s not in chain and hit & tainted:
            return None  # a statement the copy cannot repeat (a loop, a `with`) binds what the loss needs
        if s in chain or k > ins:  # the latest binding of a name is the one the loss reads
            keep += [s] if s in chain else []
            needed = (needed - (bound(s) if targets_ok(s) else set())) | read(s)
    keep.reverse()
    if origin not in keep or not all(targets_ok(s) and b.text.alone_on_lines(s) and not random_call(s) for s in keep):
        return None
    last = block[ins]
    for s in keep:  # what a copy reads is what the original read
        own = set().union(*(bound(t) for t in keep[:keep.index(s)])) if s is not keep[0] else set()
        later = block[block.index(s) + 1:ins + 1]
        if (read(s) - own) & set().union(*(bound(t) for t in later if t not in keep)):
            return None
    extra = set().union(*(bound(s) for s in keep)) - at_insertion - set().union(*(read(s) for s in keep))
    scope = scope_of(last, b.parents)
    if extra and any(isinstance(n, ast.Name) and n.id in extra and isinstance(n.ctx, ast.Load) and
                     getattr(n, "lineno", 0) > last.end_lineno for n in ast.walk(scope)):
        return None  # `current_q1, current_q1a = ...`: `current_q1` read later would get the new values
    text = "".join("".join(b.text.lines[s.lineno - 1:s.end_lineno]) for s in keep)
    at = last.end_lineno + 1
    if not b.text.lines[last.end_lineno - 1].endswith(("\n", "\r")):
        text = "\n" + text.rstrip("\r\n")
    new = "".join(b.text.lines[:last.end_lineno]) + text + "".join(b.text.lines[last.end_lineno:])
    added = text.count("\n") if text.endswith("\n") else text.count("\n") + 1
    lines = frozenset({block[k].lineno for k in range(i, ins + 1) if steps_proven and is_step(block[k])} |
                      set(range(at, at + added)) | {backward_stmt.lineno + added})
    from .step_order import nothing_left

    region = "".join(b.text.lines[origin.lineno - 1:backward_stmt.end_lineno])
    if not nothing_left(new, min(lines), max(lines), region, lines):
        return None
    names = ", ".join(sorted(bound(origin) & needed)) or short(b.text.segment(origin.targets[0]), 30)
    title = f"Compute `{short(names, 30)}` again after `{short(b.text.segment(last.value), 30)}`, for " \
            f"`{short(b.text.segment(call), 24)}`"
    return Fix(title, (TextEdit(Span(at, 1, at, 1), text),), True, True)


def after_step_between(b, first_backward: ast.AST) -> Fix | None:
    """GG501 where a step runs between the first backward() and the second (retain_graph=True would not do: the
    step changes what the second goes through): the second loss computed again after the step."""
    second = statement_at(b.tree, b.finding.span.line)
    first = statement_of(first_backward, b.parents)
    found = block_of(b.parents, second) if second is not None else None
    if found is None or first not in found[0]:
        return None
    block, j = found
    steps = [s for s in block[block.index(first) + 1:j] if is_step(s)]
    return recompute_after_steps(b, steps[0], second, b.ctx.get("save"), steps_proven=False) if steps else None
