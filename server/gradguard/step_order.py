"""An optimizer step that changes parameters a pending backward() still needs (GG201): run that backward()'s whole
update (its `zero_grad()`, the `backward()`, its `step()`) before the updates that step first.

    opt_q.zero_grad()                          opt_pi.zero_grad()
    q_loss.backward()                          pi_loss.backward()
    opt_q.step()            # GG201    ->      opt_pi.step()
    opt_pi.zero_grad()                         opt_q.zero_grad()
    pi_loss.backward()      # fails here       q_loss.backward()
    opt_pi.step()                              opt_q.step()

Moving the step after the pending backward() (flow_fixes.defer_past_backward) would make it step with that loss's
gradients too: the backward() goes through the stepped parameters (that is why it needs their old values), so it adds
to their `.grad`. Moving the other update first keeps every step's gradients: each step reads the `.grad` its own
`zero_grad()` cleared, and only the backward() calls between that `zero_grad()` and the step add to it, in both
orders. What the moved backward() adds to the parameters of the updates it now precedes is cleared by their
`zero_grad()`. The conditions, all checked:

- the statements from the first update's `zero_grad()` to the moved update's last `step()` are updates only: calls
  of `zero_grad()`, `backward()`, `step()` (alone or in a `for` loop of them; the moved update may be an `if` of
  them), no other statement between;
- each `X.step()` there has its `X.zero_grad()` earlier in its own update (the same text: a loop's
  `opt[i].zero_grad()` and `opt[i].step()`), and the moved update steps no optimizer the others step;
- the analysis, run again on the reordered text, finds nothing from the first update to the last step (a backward()
  that now runs after the moved step and needed what it changes would be reported there).

Applied by `--fix` (safe) when, besides, no other call sits between the updates (`clip_grad_norm_`, a helper that
averages the gradients reads the `.grad` the order changes) and the function reads no `.grad` elsewhere and steps
nothing else without its own `zero_grad()` (the gradients left after the last step differ: the moved backward()'s
contributions to the earlier updates' parameters are gone, the earlier backward() calls' to the moved update's
parameters stay). Otherwise it is an explicit choice whose title says why it is not applied.
"""

from __future__ import annotations

import ast

from .findings import Fix, Severity, Span, TextEdit
from .flow_fixes import block_of

ZERO, BACKWARD, STEP, CALL, NEUTRAL = "zero", "backward", "step", "call", "neutral"
_CHECKED: dict = {}  # (source, span) -> the re-analysis found nothing there: the server builds fixes on each analysis
_REANALYSERS: dict = {}  # the updates' text -> the incremental analysis of their reordered file (nothing_left)


def leaf_kind(b, s: ast.stmt) -> tuple[str, str] | None:
    """(kind, receiver text) of one statement of an update: `opt.zero_grad()`, `loss.backward()`, `opt.step()`,
    `scaler.step(opt)`, another call; a docstring-like string is neutral; None for anything else."""
    if isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)):
        return NEUTRAL, ""
    if not isinstance(s, ast.Expr) or not isinstance(s.value, ast.Call) or not b.text.alone_on_lines(s):
        return None
    call = s.value
    func = call.func
    qual = b.imports.qualname(func) if b.imports is not None else None
    if qual == "torch.autograd.backward":
        return BACKWARD, ""
    if isinstance(func, ast.Attribute):
        if func.attr == "zero_grad":
            return ZERO, b.text.segment(func.value)
        if func.attr == "backward":
            return BACKWARD, ""
        if func.attr == "step":
            stepped = call.args[0] if call.args and "scaler" in b.text.segment(func.value).lower() else func.value
            return STEP, b.text.segment(stepped)
    return CALL, b.text.segment(call)


def unit_records(b, s: ast.stmt, allow_if: bool) -> list[tuple[str, str]] | None:
    """The update records of a statement of the block: itself, a `for` loop of zero_grad()s or of step()s (the
    loop's statement text stands for each receiver), or (allow_if) an `if` without `else` made of updates."""
    if isinstance(s, ast.For) and not s.orelse and b.text.alone_on_lines(s):
        inner = [leaf_kind(b, t) for t in s.body]
        kinds = {r[0] for r in inner if r is not None} - {NEUTRAL}
        if None in inner or len(kinds) != 1 or kinds & {BACKWARD, CALL}:
            return None
        return [r for r in inner if r[0] != NEUTRAL]
    if isinstance(s, ast.If) and allow_if and not s.orelse and b.text.alone_on_lines(s):
        inner = [unit_records(b, t, False) for t in s.body]
        return None if any(r is None for r in inner) else [r for rs in inner for r in rs]
    leaf = leaf_kind(b, s)
    return None if leaf is None else [leaf] if leaf[0] != NEUTRAL else []


def own_zeroes(records) -> bool:
    """Each step's optimizer had its zero_grad() earlier in these records."""
    zeroed = set()
    for kind, receiver in records:
        if kind == ZERO:
            zeroed.add(receiver)
        elif kind == STEP and receiver not in zeroed:
            return False
    return True


def backward_first(b, step_stmt: ast.stmt, backward_stmt: ast.stmt | None) -> Fix | None:
    """Move the update holding `backward_stmt` (the pending backward()) before the updates holding `step_stmt`."""
    steps_up = ancestors(b, step_stmt)
    moved, found = backward_stmt, None
    while moved is not None:  # the block that holds both (the backward() in an `if` of updates: the `if` moves)
        found = block_of(b.parents, moved) if isinstance(moved, ast.stmt) else None
        if found is not None and any(s in steps_up for s in found[0]):
            break
        moved, found = b.parents.get(moved), None
    if found is None:
        return None
    block, k = found
    if moved is not backward_stmt and unit_records(b, block[k], True) is None:
        return None
    # the moved update: the `if`, or zero_grad()s just before the backward() and calls/steps just after it
    first = last = k
    if moved is backward_stmt:
        while first > 0 and (unit_records(b, block[first - 1], False) or [("", "")])[0][0] == ZERO:
            first -= 1
        while last + 1 < len(block) and (unit_records(b, block[last + 1], False) or [("", "")])[0][0] in (STEP, CALL):
            last += 1
        while last > k and unit_records(b, block[last], False)[0][0] == CALL:
            last -= 1  # a call after the last step (a log line) is no part of the update
    group = [r for s in block[first:last + 1] for r in unit_records(b, s, True)]
    steps = {r for kind, r in group if kind == STEP}
    if not steps or not group or group[0][0] != ZERO or not own_zeroes(group):
        return None
    # the updates it jumps: back from the moved one over updates, up to the one that holds the step
    start = first
    while start > 0 and unit_records(b, block[start - 1], False) is not None:
        start -= 1
    while start < first and (unit_records(b, block[start], False) or [(CALL, "")])[0][0] == CALL:
        start += 1  # a docstring, `pass` or a call (a log line) before the updates stays where it is
    holder = step_stmt
    while holder is not None and holder not in block:
        holder = b.parents.get(holder)
    if holder is None or not (start <= block.index(holder) < first):
        return None
    jumped = [r for s in block[start:first] for r in unit_records(b, s, False)]
    if not own_zeroes(jumped) or steps & {r for kind, r in jumped if kind == STEP}:
        return None
    if not all(b.text.alone_on_lines(s) for s in block[start:last + 1]):
        return None
    edits, reordered = move_edits(b, block[start], block[first], block[last])
    region = "".join(b.text.lines[block[start].lineno - 1:block[last].end_lineno])
    if not nothing_left(reordered, block[start].lineno, block[last].end_lineno, region):
        return None
    calls = [r for kind, r in jumped + group if kind == CALL]
    reason = f"`{calls[0]}` between the updates reads the `.grad` the new order changes" if calls else \
        leftover_reason(b, block[start], block[last])
    what = b.text.segment(backward_stmt).strip()
    title = f"Run the update of `{what}` before the steps above, which change what it needs"
    if reason:
        title += f" (unsafe: {reason})"
    return Fix(title, edits, reason is None, reason is None)


def ancestors(b, node) -> list:
    out = []
    while node is not None:
        out.append(node)
        node = b.parents.get(node)
    return out


def move_edits(b, start: ast.stmt, first: ast.stmt, last: ast.stmt) -> tuple[tuple[TextEdit, ...], str]:
    """The lines of `first`..`last` (with the blank line above them, which goes below them) moved before `start`:
    the edits, and the text they make."""
    lines = b.text.lines
    top = first.lineno
    blank_above = top > start.end_lineno + 1 and not lines[top - 2].strip()
    text = "".join(lines[top - 1:last.end_lineno])
    if not text.endswith(("\n", "\r")):
        text += "\n"  # the file's last line, without its line break
    text += "\n" if blank_above else ""
    cut_from = top - 1 if blank_above else top
    edits = (TextEdit(Span(start.lineno, 1, start.lineno, 1), text),
             TextEdit(Span(cut_from, 1, last.end_lineno + 1, 1), ""))
    reordered = "".join(lines[:start.lineno - 1]) + text + "".join(lines[start.lineno - 1:cut_from - 1]) + \
        "".join(lines[last.end_lineno:])
    return edits, reordered


def nothing_left(new: str, first_line: int, last_line: int, region: str, only: frozenset | None = None) -> bool:
    """The analysis of the reordered text finds no error or warning on the lines of the updates. The server builds
    fixes on every analysis, so each keystroke gives a new reordered text: it is analysed incrementally, by the
    analyser kept for the same updates (`region`, their text before the move), which walks again only the scopes an
    edit elsewhere reached, as the editor's own analysis does."""
    from .analysis.incremental import IncrementalAnalyzer
    from .config import Config
    from .project import ACTIVE

    key = (new, first_line, last_line, only)
    if key not in _CHECKED:
        analyser = _REANALYSERS.pop(region, None) or IncrementalAnalyzer()
        _REANALYSERS[region] = analyser
        while len(_REANALYSERS) > 4:
            _REANALYSERS.pop(next(iter(_REANALYSERS)))
        token = ACTIVE.set(None)  # this file alone: the project's session belongs to the analysis running now
        try:
            result = analyser.analyze(new, "<reordered>", Config(), 10.0)
            _CHECKED[key] = result.error is None and not result.timed_out and not any(
                f.severity in (Severity.ERROR, Severity.WARNING) and first_line <= f.span.line <= last_line and
                (only is None or f.span.line in only) for f in result.findings)
        except Exception:  # noqa: BLE001 - no proof, no fix
            _REANALYSERS.pop(region, None)  # what the failure left half-updated is not reused
            _CHECKED[key] = False
        finally:
            ACTIVE.reset(token)
        if len(_CHECKED) > 16:
            _CHECKED.pop(next(iter(_CHECKED)))
    return _CHECKED[key]


def leftover_reason(b, start: ast.stmt, last: ast.stmt) -> str | None:
    """Why the gradients left after the updates may matter: the function reads a `.grad` elsewhere, or steps an
    optimizer without its own zero_grad() before it."""
    scope = b.parents.get(start)
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        scope = b.parents.get(scope)
    if scope is None:
        return "the updates are in no function"
    outside = [n for n in ast.walk(scope) if not (start.lineno <= getattr(n, "lineno", 0) <= last.end_lineno)]
    for n in outside:
        if isinstance(n, ast.Attribute) and n.attr == "grad" and isinstance(n.ctx, ast.Load):
            return f"`{b.text.segment(n)}` is read after the updates, and the gradients left there differ"
    for n in outside:
        if not isinstance(n, ast.Expr):
            continue
        leaf = leaf_kind(b, n)
        if leaf is None or leaf[0] != STEP:
            continue
        found = block_of(b.parents, n)
        before = [leaf_kind(b, s) for s in found[0][:found[1]]] if found else []
        if (ZERO, leaf[1]) not in before:
            return f"`{leaf[1]}` is stepped elsewhere without its own zero_grad(), and the gradients left differ"
    return None
