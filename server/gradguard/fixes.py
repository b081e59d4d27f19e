"""Quick fixes: minimal edits that keep the program's meaning, shared by the CLI (`--fix`, `--diff`) and the server.

Each finding gets the fixes that fit it, the best one marked preferred:
- a parameter update, or a leaf whose `.grad` is read later: wrap the statement in `with torch.no_grad():`;
- otherwise the out-of-place form at the mutation: `x += y` -> `x = x + y`, `t.add_(y)` -> `t = t.add(y)`,
  `torch.relu_(x)` -> `x = torch.relu(x)`, `inplace=True` -> `inplace=False` (where the module is built);
- an index write: `x = x.clone()` before it; an expanded tensor: `.clone()` after `expand(...)`;
- `out=buf`: `buf = torch.op(...)`; a second backward(): `retain_graph=True` on the first; a state carried across
  loop iterations: `h = h.detach()` after the backward(); `backward()` on a non-scalar: `.sum()` first (safe:
  torch refuses the original, so no working result changes);
- `inplace=True` flags and module definitions (also in another workspace file: the edit names its path),
  `zeros_like`/`full_like`/`empty_like` for fills of tensors without grad, `torch.where` for a mask: form_fixes.py;
- moving a write after the backward() that needs the old values, `.clone()` where a tensor is saved, and undoing what
  cut a graph: flow_fixes.py;
- every finding: suppress with `# noqa: CODE`.
Statements are rewritten with libcst (on that statement alone), so the user's formatting and comments inside the
expressions are kept. Fixes are plain text edits on 1-based line/column spans, so any client can apply them.
Applying them to files, and analysing again, is autofix.py's (it sits above the engine; this module below it).
"""

from __future__ import annotations

import ast
import re

from . import facts, flow_fixes, form_fixes, step_order, step_recompute
from .form_fixes import out_of_place_name
from .analysis.values import Tri
from .analysis.syntax import backward_reads
from .analysis.training import scaler_receiver
from .findings import Finding, Fix, Span, TextEdit
from .fix_text import SourceText, keyword, parents_of, scope_of, short, statement_of
from .fix_text import apply_edits  # noqa: F401 - tools and tests import it from here

NO_GRAD_LEAVES = ("parameter",)
AUG_TO_OP = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.FloorDiv: "//",
             ast.Mod: "%", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}
PRECEDENCE = {ast.BitOr: 1, ast.BitXor: 2, ast.BitAnd: 3, ast.LShift: 4, ast.RShift: 4, ast.Add: 5, ast.Sub: 5,
              ast.Mult: 6, ast.Div: 6, ast.FloorDiv: 6, ast.Mod: 6, ast.MatMult: 6, ast.Pow: 8}


def torch_name(imports) -> str | None:
    for local, target in (imports.aliases.items() if imports else []):
        if target == "torch":
            return local
    return None


# ------------------------------------------------------------------------------------------ builders
def build_fixes(source: str, finding: Finding, text: SourceText | None = None) -> list[Fix]:
    ctx = finding.context or {}
    tree = ctx.get("tree")
    text = text or SourceText(source)
    fixes: list[Fix] = []
    if tree is not None:
        try:
            fixes = Builder(text, tree, ctx.get("imports"), finding).fixes()
        except Exception:  # noqa: BLE001 - a fix we cannot build is no fix, never a crash
            fixes = []
    if fixes and not any(f.preferred for f in fixes):
        fixes[0] = Fix(fixes[0].title, fixes[0].edits, True, fixes[0].safe)
    fixes.append(noqa_fix(text, finding))
    return fixes


def noqa_fix(text: SourceText, finding: Finding) -> Fix:
    line = finding.span.line
    content = text.line(line)
    m = re.search(r"#\s*noqa(?::\s*([A-Za-z0-9, ]+))?", content)
    if m and m.group(1):
        start = m.start(1)
        new = content[:start] + m.group(1).rstrip() + f", {finding.code}" + content[m.end(1):]
        edit = TextEdit(Span(line, 1, line, len(content) + 1), new)
    elif m:
        return Fix(f"Suppress {finding.code} with # noqa", (), False, True)  # a bare noqa already covers it
    else:
        edit = TextEdit(Span(line, len(content) + 1, line, len(content) + 1), f"  # noqa: {finding.code}")
    return Fix(f"Suppress {finding.code} with # noqa", (edit,), False, True)


class Builder:
    def __init__(self, text: SourceText, tree: ast.Module, imports, finding: Finding):
        self.text = text
        self.tree = tree
        self.imports = imports
        self.finding = finding
        self.ctx = finding.context
        self.parents = parents_of(tree)
        self.torch = torch_name(imports)

    def fixes(self) -> list[Fix]:
        kind = self.ctx.get("kind")
        if kind == "mutation":
            return self.mutation_fixes(self.ctx["event"])
        if kind == "out":
            return self.out_fix(self.ctx["node"])
        if kind == "retain":
            return self.retain_fix(self.ctx["node"])
        if kind == "carried":
            return self.detach_fix(self.ctx["node"])
        if kind == "empty-list":
            return self.empty_list_fix(self.ctx["node"], self.ctx["list"])
        if kind == "nonscalar":
            return self.sum_fix(self.ctx["node"])
        if kind == "nograd":
            return flow_fixes.restore_grad(self, self.ctx["node"], statement_of(self.ctx["node"], self.parents))
        if kind == "detach-view":
            fix = form_fixes.detached_view(self, self.ctx["node"])
            return [fix] if fix else []
        if kind == "alias":  # GG403: the op changes a copy, the name keeps its values
            name = self.text.segment(self.ctx["node"])
            return [Fix(f"Change a copy: `{name}.clone()`", (self.replace(self.ctx["node"], f"{name}.clone()"),), True,
                        True)]
        if kind == "leaf-flag":
            fix = form_fixes.leaf_flag(self, self.ctx["node"])
            return [fix] if fix else []
        if kind == "remote-module":  # the module is built in another workspace file: `inplace=False` there
            fix = form_fixes.module_inplace_false(self, self.ctx["event"].module_node, self.ctx.get("module_tree")) or \
                flow_fixes.clone_at_save(self, self.ctx.get("save"))
            if fix is None and getattr(self.ctx["event"].node, "_gg_file", None) is None:
                return self.mutation_fixes(self.ctx["event"])  # the call is here: `h = h.clone()` before it
            return [fix] if fix else []
        return []

    # -- edits ---------------------------------------------------------------------------------
    def replace(self, node: ast.AST, new: str) -> TextEdit:
        return TextEdit(self.text.span(node), new)

    def insert_before(self, stmt: ast.stmt, line_text: str) -> TextEdit:
        indent = self.text.indent(stmt.lineno)
        return TextEdit(Span(stmt.lineno, 1, stmt.lineno, 1), f"{indent}{line_text}\n")

    def insert_after(self, stmt: ast.stmt, line_text: str) -> TextEdit:
        indent = self.text.indent(stmt.lineno)
        end = self.text.line(stmt.end_lineno)
        return TextEdit(Span(stmt.end_lineno, len(end) + 1, stmt.end_lineno, len(end) + 1), f"\n{indent}{line_text}")

    def wrap_no_grad(self, stmt: ast.stmt) -> list[TextEdit] | None:
        """`with torch.no_grad():` around the statement: around the whole run of parameter updates it belongs to
        (one block for `w -= ...; b -= ...`, the loop for `for p in params: p -= ...`), or, for a statement that
        shares its line with others (`y = f(x); w -= ...`), on a line of its own."""
        torch = self.torch or "torch"
        first, last = flow_fixes.update_run(self, stmt)
        if first is last and not self.text.alone_on_lines(stmt):
            edits = self.split_no_grad(stmt, torch)
        else:
            indent = self.text.indent(first.lineno)
            body = [self.text.line(n) for n in range(first.lineno, last.end_lineno + 1)]
            new = [f"{indent}with {torch}.no_grad():"] + [("    " + ln) if ln.strip() else ln for ln in body]
            edits = [TextEdit(Span(first.lineno, 1, last.end_lineno, len(body[-1]) + 1), "\n".join(new))]
        if edits and self.torch is None:
            edits.append(self.import_torch())
        return edits

    def split_no_grad(self, stmt: ast.stmt, torch: str) -> list[TextEdit] | None:
        """`y = f(x); w -= lr * w.grad` -> the update on its own lines, under `with torch.no_grad():`."""
        found = flow_fixes.block_of(self.parents, stmt)
        if found is None or stmt.lineno != stmt.end_lineno:
            return None
        block, i = found
        prev = block[i - 1] if i > 0 and block[i - 1].end_lineno == stmt.lineno else None
        nxt = block[i + 1] if i + 1 < len(block) and block[i + 1].lineno == stmt.end_lineno else None
        indent = self.text.indent(stmt.lineno)
        start = self.end_of(prev) if prev is not None else Span(stmt.lineno, 1, stmt.lineno, 1)
        end = self.text.span(nxt) if nxt is not None else self.end_of(stmt)
        new = ("\n" if prev is not None else "") + f"{indent}with {torch}.no_grad():\n{indent}    " + \
            self.text.segment(stmt) + (f"\n{indent}" if nxt is not None else "")
        return [TextEdit(Span(start.line, start.column, end.line, end.column), new)]

    def import_torch(self) -> TextEdit:
        line = 1
        for node in self.tree.body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node is self.tree.body[0]:
                line = node.end_lineno + 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                line = node.end_lineno + 1
            else:
                break
        return TextEdit(Span(line, 1, line, 1), "import torch\n")

    # -- mutations -----------------------------------------------------------------------------
    def mutation_fixes(self, event) -> list[Fix]:
        node = event.node
        stmt = statement_of(node, self.parents)
        if stmt is None:
            return []
        obj = event.obj
        code = self.finding.code
        if code in ("GG401", "GG402"):
            return self.silent_write_fixes(event, stmt)
        if code == "GG303":
            origin = obj.origin
            if expands_in_chain(origin) and getattr(origin, "_gg_file", None) is None:  # `.expand_as(b)` or `.expand_as(b).float()` of a float tensor
                return [Fix("Clone the expanded tensor: `.expand(...).clone()`",
                            (TextEdit(self.end_of(origin), ".clone()"),), True, True)]
            return []
        out: list[Fix] = []
        if event.module_node is not None and event.kind == "module":
            fix = form_fixes.module_inplace_false(self, event.module_node)
            if fix:
                return [fix]
        if event.kind == "inplace-arg" or (isinstance(node, ast.Call) and keyword(node, "inplace")) or (
                event.kind == "function" and isinstance(node, ast.Call) and self.imports is not None and
                (self.imports.qualname(node.func) or "").startswith("torch.nn.functional.")):
            fix = form_fixes.inplace_false(self, node, stmt)
            if fix:
                return [fix]
        target = self.target_node(event)
        name = ast.unparse(target) if target is not None else None
        # An update statement (`w -= ...`, `w[0] = ...`, `w.zero_()`), not an activation used for its result.
        update = isinstance(stmt, ast.AugAssign) or (isinstance(stmt, ast.Assign) and event.kind == "setitem") or (
            isinstance(stmt, ast.Expr) and in_call_chain(node, stmt.value))
        is_param = obj.param_of is not None or obj.describe.startswith(NO_GRAD_LEAVES)
        in_forward = getattr(scope_of(stmt, self.parents), "name", None) == "forward"
        assignable = isinstance(target, (ast.Name, ast.Attribute, ast.Subscript))
        if code in ("GG101", "GG102"):
            if not update:
                return out
            if is_param and in_forward and isinstance(target, ast.Attribute):
                fix = self.local_copy(event, stmt, target)  # a forward pass that masks its own weight
                if fix:
                    return [fix]
            grad_later = self.grad_read_later(name, stmt)
            named_view = obj.leaf_view and not obj.leaf
            if is_param or self.reads_grad(stmt) or named_view or not assignable or (
                    grad_later and event.kind != "setitem"):
                edits = self.wrap_no_grad(stmt)
                if edits:
                    return [Fix("Do the update under `torch.no_grad()`", tuple(edits), True, True)]
                return out
            if event.kind == "setitem":
                if grad_later and isinstance(target, ast.Name):
                    fix = self.local_copy(event, stmt, target, suffix="_new")  # keep the leaf, change a copy
                else:
                    fix = self.clone_before(stmt, target)
                return [fix] if fix else out
            fix = self.out_of_place(event, stmt)
            return [fix] if fix else out
        if code == "GG302":
            if obj.view_kind == "inference":  # take the view outside inference_mode(), when that is all it does
                fix = flow_fixes.view_outside_inference(self, obj.origin)
                return [fix] if fix else out
            edits = self.wrap_no_grad(stmt) if update else None
            return [Fix("Change the view under `torch.no_grad()`, where it was made", tuple(edits), True, True)] \
                if edits else out
        if code == "GG201" and event.grad_enabled is Tri.NO and name is not None and \
                name in flow_fixes.backward_names(self.ctx.get("backward")):
            # `y.add_(1)` under no_grad, then `y.sum().backward()`: out of place, `y` would lose its grad;
            # change a copy instead
            fix = flow_fixes.clone_at_save(self, self.ctx.get("save"))
            return [fix] if fix else out
        if code == "GG201" and obj.leaf:
            # a leaf saved for a pending backward(): move the change after that backward()
            return self.deferred(statement_at_finding(self) or stmt)
        if code == "GG201" and obj.view_op and obj.view_kind is None and event.kind != "setitem":
            fix = self.clone_base_of_view(obj, name)
            if fix:
                return [fix]
        caller = flow_fixes.split_piece_passed(self, stmt, name) if code == "GG201" else None
        if caller is not None:  # no copy helps: only the out-of-place form, where nothing else holds the tensor
            if self.read_later_under_another_name(stmt, name) or flow_fixes.held_elsewhere(self, stmt, name):
                self.finding.message += (f" No safe automatic fix: `{caller}` passes a piece of split()/chunk(), "
                                         "which torch lets no in-place op change, and the change is read later under "
                                         "another name: change it out of place and use the new tensor there.")
                return out
            fix = self.out_of_place(event, stmt)
            return [fix] if fix else out
        if code == "GG201" and self.read_later_under_another_name(stmt, name):
            # `out = probs; out -= 0.5; ... probs ...`: rebinding `out` would leave `probs` unchanged; a copy
            # where the op saves its tensor keeps both names on the changed tensor
            fix = flow_fixes.clone_at_save(self, self.ctx.get("save"))
            if fix:
                return [fix]
        if code == "GG301" and name is not None and flow_fixes.held_elsewhere(self, stmt, name):
            self.finding.message += (f" No safe automatic fix: a list made before the change holds `{name}`, which "
                                     "a rebinding would not change: change it out of place and use the new tensor "
                                     "there too.")
            return out
        if code == "GG301" and (base := flow_fixes.loop_piece_base(self, stmt, name)):
            self.finding.message += flow_fixes.piece_note(name, base)
            return out
        if code == "GG301" and isinstance(target, ast.Subscript):
            fix = self.unbind_to_list(event, stmt, target)
            if fix:
                return [fix]
        if event.kind == "setitem" and not isinstance(target, ast.Subscript):
            save = self.ctx.get("save")
            operand = flow_fixes.saved_operand(self, save) if save is not None and save.role != "result" and \
                save.node is not None and statement_of(save.node, self.parents) is stmt else None
            if isinstance(operand, ast.Subscript) and ast.dump(operand.value) == ast.dump(target):
                # `x[i] = conv(x[i])`: the op saves a view of `x` taken in the statement that writes `x`; a clone
                # of `x` before it would be saved and written alike. The op gets a copy: `conv(x[i].clone())`
                fix = flow_fixes.clone_at_save(self, save)
                return [fix] if fix else out
            fix = form_fixes.twin_in_value(self, getattr(save, "node", None), stmt) if \
                getattr(save, "role", None) == "result" else None
            if fix:  # `y[..., 2:] = y[..., 2:].sqrt_()`: sqrt_ saved the view it wrote, which the write changes again
                return [fix]
            read = flow_fixes.read_in_value(self, stmt, target, save)
            if read is not None:
                # `q[:, 1:] = rotate(q[:, 1:])` with the save inside the helper: a clone of `q` before the
                # statement would be read, saved and written alike. The helper gets a copy: `rotate(q[:, 1:].clone())`
                return [Fix(f"Give the call a copy: `{self.text.segment(read)}.clone()`",
                            (self.replace(read, f"{self.text.segment(read)}.clone()"),), True, True)]
            fix = form_fixes.where_for_mask(self, event, stmt) or self.clone_before(stmt, target)
            return [fix] if fix else out
        fix = self.out_of_place(event, stmt) or form_fixes.twin_in_value(self, node, stmt)
        if fix:
            return [fix]
        if target is not None and isinstance(target, ast.Name):
            fix = self.clone_before(stmt, target)
            if fix:
                return [fix]
        if named_tuple_field(target) and "No safe automatic fix" not in self.finding.message:
            self.finding.message += (f" No safe automatic fix: `{name}` is a field of torch's named tuple, which "
                                     "cannot be assigned; take it into a name of its own and change that. A "
                                     "`.clone()` cannot help either: the op returns a tuple, which has no clone.")
        return out

    def silent_write_fixes(self, event, stmt: ast.stmt) -> list[Fix]:
        """A `.data`/NumPy write to a saved tensor: out-of-place on the real tensor when the forward pass reads the
        new values before the backward(), else move the write after that backward()."""
        here = statement_at_finding(self) or stmt
        backward = self.ctx.get("backward")
        node = event.node
        if here is stmt and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "data":
            real = node.func.value.value
            name = ast.unparse(real)
            before = getattr(statement_of(backward, self.parents), "lineno", None) if backward is not None else None
            uses = [u for u in self.later_uses(stmt, name) if before is None or u.lineno < before]
            twin = out_of_place_name(node.func.attr)
            if uses and twin and isinstance(real, (ast.Name, ast.Attribute)) and self.text.alone_on_lines(stmt):
                import libcst as cst

                call = cst.parse_expression(self.text.segment(node))
                call = call.with_changes(func=cst.Attribute(value=cst.parse_expression(self.text.segment(real)),
                                                            attr=cst.Name(twin)))
                new = cst.Module([]).code_for_node(cst.Assign(
                    targets=[cst.AssignTarget(cst.parse_expression(self.text.segment(real)))], value=call))
                return [Fix(f"Change the real tensor, out of place: `{short(new)}`", (self.replace(node, new),),
                            True, True)]
        copy = flow_fixes.copy_shared_array(self, here) if event.kind == "numpy" else None
        return self.deferred(here, otherwise=copy)

    def deferred(self, stmt: ast.stmt, otherwise: Fix | None = None) -> list[Fix]:
        """Move `stmt` after the pending backward(); else `otherwise`; else say why not and offer the clone."""
        backward = self.ctx.get("backward")
        after = statement_of(backward, self.parents) if backward is not None else None
        fix = flow_fixes.defer_past_backward(self, stmt, after, data_writes=self.finding.code == "GG401")
        if fix is not None and fix.safe:
            return [fix]
        swap = step_order.backward_first(self, stmt, after) if flow_fixes.reads_grad(stmt) else None
        if swap is not None and swap.safe:
            return [swap]
        again = step_recompute.recompute_after_steps(self, stmt, after, self.ctx.get("save")) if swap is None and \
            flow_fixes.reads_grad(stmt) else None
        if again is not None:  # the pending loss computed again after the steps; the move stays an unsafe choice
            return [again] + ([fix] if fix else [])
        if otherwise is not None:
            return [otherwise]
        if "No safe automatic fix" not in self.finding.message:
            self.finding.message += f" No safe automatic fix: {flow_fixes.not_deferrable_reason(self, stmt)}."
        clone = flow_fixes.clone_at_save(self, self.ctx.get("save"))
        choices = ([swap] if swap else []) + ([fix] if fix else [])
        if clone is not None:  # an explicit choice, never applied by --fix: the backward() then sees old values
            choices.append(Fix(f"{clone.title} (not preferred: the pending backward() then uses the values before "
                               "the change)", clone.edits, False, False))
        elif "`.clone()`" not in self.finding.message:
            self.finding.message += f" A `.clone()` cannot help either: {flow_fixes.no_clone_reason(self)}."
        return choices

    def target_node(self, event):
        node = event.node
        if isinstance(node, ast.AugAssign):
            return node.target.value if isinstance(node.target, ast.Subscript) and event.kind == "setitem" \
                else node.target
        if isinstance(node, ast.Subscript):
            return node.value
        if isinstance(node, ast.Call) and event.kind in ("module", "inplace-arg"):  # `self.act(h)`: the input
            return node.args[0] if node.args else None
        if event.kind == "optimizer" and isinstance(node, ast.Call) and scaler_receiver(node) and node.args:
            return node.args[0]  # `scaler.step(optimizer)` steps the optimizer
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not self.is_torch_function(node.func):
            return node.func.value
        if isinstance(node, ast.Call) and node.args:
            return node.args[0]
        return None

    def read_later_under_another_name(self, stmt: ast.stmt, name: str | None) -> bool:
        """Another name bound to the changed tensor before the change (`probs` after `out = probs`, a list
        `outs = [h]`) is read after it: it sees the change, which a fix that rebinds `name` would not give it."""
        scope = scope_of(stmt, self.parents)
        for other in self.ctx.get("holders", ()):
            if other == name or (name or "").startswith(other + "["):
                continue  # `laterals[i] = laterals[i] + y` rebinds the item the list `laterals` holds: it sees it
            rebound = any(isinstance(n, ast.Name) and n.id == other and isinstance(n.ctx, ast.Store) and
                          n.lineno > stmt.end_lineno for n in ast.walk(scope))
            if not rebound and self.later_uses(stmt, other):
                return True
        return False

    def reads_grad(self, stmt: ast.stmt) -> bool:
        """`w -= lr * w.grad`: an update step."""
        return any(isinstance(n, ast.Attribute) and n.attr == "grad" for n in ast.walk(stmt))

    def grad_read_later(self, name: str | None, stmt: ast.stmt) -> bool:
        """The leaf's `.grad` is read after the change: the leaf itself must stay a leaf."""
        if name is None:
            return False
        scope = scope_of(stmt, self.parents)
        return any(isinstance(n, ast.Attribute) and n.attr == "grad" and getattr(n, "lineno", 0) > stmt.end_lineno
                   and ast.unparse(n.value) == name for n in ast.walk(scope))

    def clone_before(self, stmt: ast.stmt, target) -> Fix | None:
        """`name = name.clone()` before the statement: on a line of its own, or, for a statement that follows
        another on its line (`y = f(x); y[0] = 0`, `if c: y[0] = 0`), before it on that line."""
        if not isinstance(target, (ast.Name, ast.Attribute)) or flow_fixes.flag_set_on_a_piece(self, stmt, target):
            return None
        name = self.text.segment(target)
        if stmt.lineno > 1 and self.text.line(stmt.lineno - 1).strip() == f"{name} = {name}.clone()":
            return None  # a clone there already did not help (the statement reads what it writes): never a second
        before = self.text.line(stmt.lineno)[: self.text.col(stmt.lineno, stmt.col_offset)]
        if not before.strip():
            edit = self.insert_before(stmt, f"{name} = {name}.clone()")
        elif isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr)):
            start = self.text.span(stmt)
            edit = TextEdit(Span(start.line, start.column, start.line, start.column), f"{name} = {name}.clone(); ")
        else:
            return None
        return Fix(f"Clone `{name}` before changing it: `{name} = {name}.clone()`", (edit,), True, True)

    def later_uses(self, stmt: ast.stmt, name: str) -> list[ast.AST]:
        """Loads of `name` after `stmt` in the same function, except `name.grad` (which must stay the leaf's)."""
        scope = scope_of(stmt, self.parents)
        out = []
        for n in ast.walk(scope):
            if isinstance(n, (ast.Name, ast.Attribute)) and isinstance(getattr(n, "ctx", None), ast.Load) and \
                    n.lineno > stmt.end_lineno and ast.unparse(n) == name:
                parent = self.parents.get(n)
                if isinstance(parent, ast.Attribute) and parent.attr == "grad":
                    continue
                if scope_of(n, self.parents) is not scope:
                    continue
                out.append(n)
        return out

    def fresh_name(self, base: str, stmt: ast.stmt) -> str:
        scope = scope_of(stmt, self.parents)
        used = {n.id for n in ast.walk(scope) if isinstance(n, ast.Name)} | \
            {a.arg for a in ast.walk(scope) if isinstance(a, ast.arg)}
        name = base
        while name in used:
            name += "_local" if not name.endswith("_local") else "_"
        return name

    def local_copy(self, event, stmt: ast.stmt, target, suffix: str = "") -> Fix | None:
        """Change a copy in a new local name and use it from then on: `weight = self.weight.clone()`."""
        if not self.text.alone_on_lines(stmt):
            return None
        old = ast.unparse(target)
        base = (target.attr if isinstance(target, ast.Attribute) else target.id) + suffix
        new = self.fresh_name(base, stmt)
        edits = [self.replace(target, new)] if event.kind == "setitem" or isinstance(stmt, ast.AugAssign) else []
        node = event.node
        if event.kind == "setitem":
            edits.insert(0, self.insert_before(stmt, f"{new} = {old}.clone()"))
        elif isinstance(stmt, ast.AugAssign):
            fix = self.out_of_place(event, stmt, assign_to=new)
            if fix is None:
                return None
            edits = list(fix.edits)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            fix = self.out_of_place(event, stmt, assign_to=new)
            if fix is None:
                return None
            edits = list(fix.edits)
        else:
            return None
        edits += [self.replace(use, new) for use in self.later_uses(stmt, old)]
        return Fix(f"Change a copy, `{new}`, and use it from here on", tuple(edits), True, True)

    def clone_base_of_view(self, obj, name: str | None = None) -> Fix | None:
        """`v = x[0]` ... `v += 1` after an op saved `x`: clone `x` between the save and the view. Only when the save
        came before the view, in the same scope: a save of a sibling view taken later (`z1, z2 = z[:, :c],
        z[:, c:]`, then a conv of `z1`, then `z2 += ...`) shares the clone's version counter just the same.
        The base of `x.view(...)` is `x`; of `self.drop(x)`, `F.dropout(x)`, `torch.transpose(x, 0, 1)` (a module or
        function that may return its input, or a view of it), the argument. A view that took the base's own name
        (`out = self.drop(out)`, then `out += x`): the out-of-place form is the fix, as for any tensor (the old
        tensor is no longer read under that name)."""
        origin = obj.origin
        base = origin.value if isinstance(origin, ast.Subscript) else self.called_on(origin) \
            if isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute) else None
        stmt = statement_of(origin, self.parents) if origin is not None else None
        if not isinstance(base, ast.Name) or stmt is None or not self.text.alone_on_lines(stmt) or base.id == name:
            return None
        save = self.ctx.get("save")
        saved_at = statement_of(save.node, self.parents) if save is not None and \
            getattr(save.node, "_gg_file", None) is None else None  # a save in another file: not this one's
        if saved_at is None or scope_of(saved_at, self.parents) is not scope_of(stmt, self.parents) or \
                saved_at.lineno >= stmt.lineno:
            return None
        return Fix(f"Clone `{base.id}` before taking the view: `{base.id} = {base.id}.clone()`",
                   (self.insert_before(stmt, f"{base.id} = {base.id}.clone()"),), True, True)

    def called_on(self, call: ast.Call) -> ast.AST | None:
        """The tensor a call takes: `x` of `x.view(2, 3)`, but the first argument of a module's call (`self.drop(x)`,
        `self.blocks[0](x)`) or of a function of a module (`F.dropout(x)`, `torch.transpose(x, 0, 1)`)."""
        receiver = call.func.value
        module_call = isinstance(receiver, ast.Name) and (receiver.id in ("self", "cls") or (
            self.imports is not None and (self.imports.qualname(receiver) or "").split(".")[0] == "torch")) or \
            isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and receiver.value.id == "self"
        if module_call:
            return call.args[0] if call.args else None
        return receiver

    def unbind_to_list(self, event, stmt, target: ast.Subscript) -> Fix | None:
        """`rows = w.unbind(0)` ... `rows[0].add_(1)` -> `rows = list(w.unbind(0))` ... `rows[0] = rows[0].add(1)`."""
        origin = event.obj.origin
        if not isinstance(target.value, ast.Name) or not isinstance(origin, ast.Call):
            return None
        parent = self.parents.get(origin)
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)
                and parent.targets[0].id == target.value.id):
            return None
        rewrite = self.out_of_place(event, stmt)
        if rewrite is None:
            return None
        return Fix(f"Make `{target.value.id}` a list and assign the new piece", (
            self.replace(origin, f"list({self.text.segment(origin)})"), *rewrite.edits), True, True)

    def out_of_place(self, event, stmt: ast.stmt, assign_to: str | None = None) -> Fix | None:
        node = event.node
        import libcst as cst

        if isinstance(node, ast.AugAssign) and named_tuple_field(node.target) and not assign_to:
            return None
        if isinstance(node, ast.AugAssign) and type(node.op) in AUG_TO_OP and (
                not isinstance(node.target, ast.Subscript) or event.kind != "setitem"):
            target = self.text.segment(node.target)
            value = self.text.segment(node.value)
            if needs_parens(node.value, node.op):
                value = f"({value})"
            left = cst.parse_expression(target)
            new = cst.Module([]).code_for_node(cst.Assign(
                targets=[cst.AssignTarget(cst.parse_expression(assign_to) if assign_to else left)],
                value=cst.BinaryOperation(left=left, operator=cst_operator(node.op), right=cst.parse_expression(value)),
            ))
            return Fix(f"Use the out-of-place form: `{short(new)}`", (self.replace(node, new),), True, True)
        if isinstance(node, ast.Call) and isinstance(stmt, ast.Expr) and stmt.value is node:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr.endswith("_") and not self.is_torch_function(func):
                twin = out_of_place_name(func.attr)
                receiver = func.value
                if not isinstance(receiver, (ast.Name, ast.Attribute, ast.Subscript)) or \
                        named_tuple_field(receiver) and not assign_to:
                    return None
                recv = assign_to or self.text.segment(receiver)
                value = form_fixes.fill_form(self, event, func.attr, receiver, node.args, node.keywords)
                if value is None:
                    call = cst.parse_expression(self.text.segment(node))
                    if twin:
                        call = call.with_changes(func=call.func.with_changes(attr=cst.Name(twin)))
                    else:  # no out-of-place twin (`fill_diagonal_`, `copy_` of a tensor that requires grad...):
                        # the same method on a copy, which is what the name then holds
                        call = call.with_changes(func=call.func.with_changes(value=cst.Call(cst.Attribute(
                            value=call.func.value, attr=cst.Name("clone")))))
                    value = cst.Module([]).code_for_node(call)
                new = cst.Module([]).code_for_node(cst.Assign(targets=[cst.AssignTarget(
                    cst.parse_expression(recv))], value=cst.parse_expression(value)))
                return self.with_torch_import(Fix(f"Use the out-of-place form: `{short(new)}`",
                                                  (self.replace(node, new),), True, True))
            qual = self.imports.qualname(func) if self.imports else None
            if qual and qual.startswith("torch.") and qual.endswith("_") and node.args:
                name = qual.rsplit(".", 1)[1]
                twin = out_of_place_name(name)
                arg = node.args[0]
                if not isinstance(arg, (ast.Name, ast.Attribute, ast.Subscript)):
                    return None
                value = form_fixes.fill_form(self, event, name, arg, node.args[1:], node.keywords)
                if value is None and not twin:
                    return None
                if value is None:
                    call = cst.parse_expression(self.text.segment(node))
                    renamed = call.func.with_changes(attr=cst.Name(twin)) if isinstance(call.func, cst.Attribute) \
                        else call.func.with_changes(value=twin)
                    value = cst.Module([]).code_for_node(call.with_changes(func=renamed))
                new = cst.Module([]).code_for_node(cst.Assign(
                    targets=[cst.AssignTarget(cst.parse_expression(assign_to or self.text.segment(arg)))],
                    value=cst.parse_expression(value)))
                return self.with_torch_import(Fix(f"Use the out-of-place form: `{short(new)}`",
                                                  (self.replace(node, new),), True, True))
        if isinstance(stmt, ast.Expr) and stmt.value is not node and in_call_chain(node, stmt.value):
            return self.chain_out_of_place(stmt, assign_to)
        return None

    def chain_out_of_place(self, stmt: ast.Expr, assign_to: str | None) -> Fix | None:
        """`buf.mul_(d).add_(new, alpha=1 - d)` -> `buf = buf.mul(d).add(new, alpha=1 - d)`: every call of the
        chain an in-place method with an out-of-place twin, on a name or attribute (an EMA buffer update)."""
        import libcst as cst

        calls, expr = [], stmt.value
        while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            calls.append(expr)
            expr = expr.func.value
        if len(calls) < 2 or not isinstance(expr, (ast.Name, ast.Attribute)) or any(
                not c.func.attr.endswith("_") or out_of_place_name(c.func.attr) is None or
                self.is_torch_function(c.func) for c in calls):
            return None
        chain = cst.parse_expression(self.text.segment(stmt.value))

        def renamed(call):
            inner = call.func.value
            if isinstance(inner, cst.Call):
                inner = renamed(inner)
            return call.with_changes(func=call.func.with_changes(
                value=inner, attr=cst.Name(out_of_place_name(call.func.attr.value))))

        new = cst.Module([]).code_for_node(cst.Assign(targets=[cst.AssignTarget(
            cst.parse_expression(assign_to or self.text.segment(expr)))], value=renamed(chain)))
        return Fix(f"Use the out-of-place form: `{short(new)}`", (self.replace(stmt.value, new),), True, True)

    def with_torch_import(self, fix: Fix) -> Fix:
        """A fix that names `torch` in a file that does not import it gets the import."""
        if self.torch is None and any("torch." in e.new_text for e in fix.edits):
            return Fix(fix.title, fix.edits + (self.import_torch(),), fix.preferred, fix.safe)
        return fix

    def is_torch_function(self, func: ast.Attribute) -> bool:
        qual = self.imports.qualname(func) if self.imports else None
        return bool(qual and qual.startswith("torch."))

    def end_of(self, node: ast.AST) -> Span:
        line = node.end_lineno
        col = self.text.col(line, node.end_col_offset) + 1
        return Span(line, col, line, col)

    # -- other rules ---------------------------------------------------------------------------
    def out_fix(self, call: ast.Call) -> list[Fix]:
        """`torch.add(a, b, out=buf)` -> `buf = torch.add(a, b)`; `c = torch.add(a, b, out=buf)` -> `c = buf = ...`
        (out= returns `buf`, so both names hold the result, as before)."""
        stmt = statement_of(call, self.parents)
        kw = keyword(call, "out")
        if kw is None or not isinstance(kw.value, (ast.Name, ast.Attribute)):
            return []
        if isinstance(stmt, ast.Expr) and stmt.value is call:
            where, targets = call, []
        elif isinstance(stmt, ast.Assign) and stmt.value is call and self.text.alone_on_lines(stmt):
            where, targets = stmt, [self.text.segment(t) for t in stmt.targets]
        else:
            return []
        import libcst as cst

        expr = cst.parse_expression(self.text.segment(call))
        args = [a for a in expr.args if not (a.keyword and a.keyword.value == "out")]
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        new_call = expr.with_changes(args=args)
        new = cst.Module([]).code_for_node(cst.Assign(
            targets=[cst.AssignTarget(cst.parse_expression(t)) for t in targets + [self.text.segment(kw.value)]],
            value=new_call))
        return [Fix(f"Assign the result instead of `out=`: `{short(new)}`", (self.replace(where, new),), True, True)]

    def retain_fix(self, first_backward: ast.AST) -> list[Fix]:
        if not isinstance(first_backward, ast.Call) or keyword(first_backward, "retain_graph"):
            return []
        step = flow_fixes.step_before_second_backward(self, first_backward, self.finding.span.line)
        again = step_recompute.after_step_between(self, first_backward) if step is not None else None
        if again is not None:  # the second loss computed again after the step
            return [again]
        if step is not None:
            self.finding.message += flow_fixes.retain_withheld(self, step)
            return []
        end = self.end_of(first_backward)
        insert = Span(end.line, end.column - 1, end.line, end.column - 1)  # before the closing parenthesis
        sep = ", " if first_backward.args or first_backward.keywords else ""
        return [Fix("Keep the graph for the second backward(): `retain_graph=True` on the first one",
                    (TextEdit(insert, f"{sep}retain_graph=True"),), True, True)]

    def detach_fix(self, backward: ast.AST) -> list[Fix]:
        stmt = statement_of(backward, self.parents)
        loop = stmt
        while loop is not None and not isinstance(loop, (ast.For, ast.While)):
            loop = self.parents.get(loop)
        if loop is None or stmt is None or not self.text.alone_on_lines(stmt):
            return []
        names = self.ctx.get("names", [])
        carried = [n for n in names if not n.endswith("[:]") and ("." in n or n in loop_carried(loop))]
        if not carried:  # `loss = torch.stack(losses).sum(); loss.backward()`: empty the list it backpropagated
            block = next((getattr(self.parents.get(stmt), f) for f in ("body", "orelse")
                          if stmt in getattr(self.parents.get(stmt), f, ())), [stmt])
            read = backward_reads(backward, block, block.index(stmt))
            emptied = [n[:-3] for n in names if n.endswith("[:]") and n[:-3] in read]
            if self.parents.get(stmt) is loop:  # a list this loop grows and backpropagates every iteration: the
                grown = {ast.unparse(c.func.value) for c in ast.walk(loop) if isinstance(c, ast.Call)  # fix is
                         and isinstance(c.func, ast.Attribute) and c.func.attr == "append"}  # one backward after it
                emptied = [n for n in emptied if n not in grown]
            if emptied:
                lines = [f"del {n}[:]" for n in emptied]
                edits = tuple(self.insert_after(stmt, line) for line in reversed(lines))
                return [Fix(f"Empty what backward() went through: `{'; '.join(lines)}`", (merge_inserts(edits),),
                            True, True)]
        if not carried:
            if "No safe automatic fix" not in self.finding.message:
                self.finding.message += (" No safe automatic fix: no tensor carried into the next iteration can be "
                                         "detached (a growing list or total?); call backward() once, after the loop. "
                                         "A `.clone()` cannot help either: a copy is part of the same graph, which "
                                         "the previous backward() freed.")
            return []
        lines = [f"{n} = {n}.detach()" for n in carried]
        edits = tuple(self.insert_after(stmt, line) for line in reversed(lines))
        return [Fix(f"Detach the carried state after backward(): `{'; '.join(lines)}`", (merge_inserts(edits),),
                    True, True)]

    def empty_list_fix(self, backward: ast.AST, name: str) -> list[Fix]:
        """`del policy.saved_log_probs[:]` after the backward() that went through the list's items, when nothing
        after it in its block reads the list."""
        stmt = statement_of(backward, self.parents)
        parent = self.parents.get(stmt)
        block = next((getattr(parent, f) for f in ("body", "orelse") if stmt in getattr(parent, f, ())), None)
        if stmt is None or block is None or not self.text.alone_on_lines(stmt):
            return []
        later = block[block.index(stmt) + 1:]
        if any(ast.unparse(n) == name for st in later for n in ast.walk(st) if isinstance(n, ast.Attribute)):
            return []
        line = f"del {name}[:]"
        return [Fix(f"Empty the list after the update: `{line}`", (self.insert_after(stmt, line),), True, True)]

    def sum_fix(self, backward: ast.AST) -> list[Fix]:
        if not isinstance(backward, ast.Call):
            return []
        qual = self.imports.qualname(backward.func) if self.imports else None
        if qual == "torch.autograd.grad" and backward.args and not keyword(backward, "grad_outputs"):
            torch = self.torch or "torch"
            outputs = self.text.segment(backward.args[0])
            end = self.end_of(backward)
            at = Span(end.line, end.column - 1, end.line, end.column - 1)
            return [Fix(f"Pass `grad_outputs={torch}.ones_like({outputs})`",
                        (TextEdit(at, f", grad_outputs={torch}.ones_like({outputs})"),), True, True)]
        if not (isinstance(backward.func, ast.Attribute) and backward.func.attr == "backward"):
            return []
        tensor = backward.func.value
        fixes = []
        reduction = self.unreduced_loss(tensor, backward)
        if reduction is not None:
            fixes.append(Fix('Use the loss\'s default reduction: `reduction="mean"`',
                             (self.replace(reduction, '"mean"'),), True, True))
        mean_first = "loss" in ast.unparse(tensor).lower()
        for how in (("mean", "sum") if mean_first else ("sum", "mean")):
            fixes.append(Fix(f"Reduce to a scalar first: `.{how}().backward()`",
                             (TextEdit(self.end_of(tensor), f".{how}()"),), not fixes, True))
        return fixes

    def unreduced_loss(self, tensor: ast.AST, backward: ast.AST):
        """`loss = F.mse_loss(..., reduction="none")` assigned just before: its `"none"` node."""
        if not isinstance(tensor, ast.Name):
            return None
        stmt = statement_of(backward, self.parents)
        block = self.parents.get(stmt)
        for s in reversed([s for s in getattr(block, "body", []) if s.lineno < stmt.lineno]):
            if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == tensor.id for t in s.targets):
                if isinstance(s.value, ast.Call):
                    kw = keyword(s.value, "reduction")
                    if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value == "none":
                        return kw.value
                return None
        return None


def statement_at_finding(b: Builder) -> ast.stmt | None:
    """The statement the finding is reported on (a helper's change is reported at the call that led there)."""
    return flow_fixes.statement_at(b.tree, b.finding.span.line)


def loop_carried(loop) -> set[str]:
    """Names a loop body reads before (or while) it assigns them: values handed to the next iteration. The blocks
    of an `if`/`with`/`try` are read statement by statement (`loss = ...; loss.backward()` inside an `if` reads the
    new `loss`)."""
    assigned, carried = set(), set()

    def read(stmts) -> None:
        for stmt in stmts:
            blocks = [getattr(stmt, f) for f in ("body", "orelse", "finalbody") if isinstance(stmt, BLOCKS)
                      and getattr(stmt, f, None)]
            blocks += [h.body for h in getattr(stmt, "handlers", ())] if isinstance(stmt, BLOCKS) else []
            heads = [stmt.test] if isinstance(stmt, ast.If) else \
                [i.context_expr for i in stmt.items] if isinstance(stmt, (ast.With, ast.AsyncWith)) else \
                [] if isinstance(stmt, BLOCKS) else [stmt]
            for head in heads:
                for node in ast.walk(head):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in assigned:
                        carried.add(node.id)
                    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and \
                            node.target.id not in assigned:
                        carried.add(node.target.id)  # `total += loss` reads total
                for node in ast.walk(head):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        assigned.add(node.id)
            for block in blocks:
                read(block)

    read(loop.body)
    return carried & assigned


BLOCKS = (ast.If, ast.With, ast.AsyncWith, ast.Try)


def merge_inserts(edits):
    """Several insertions at one point, in order, as one edit."""
    first = edits[0]
    return TextEdit(first.span, "".join(e.new_text for e in reversed(edits)))


def needs_parens(value: ast.AST, op: ast.operator) -> bool:
    if isinstance(value, ast.BinOp):
        inner = PRECEDENCE.get(type(value.op), 0)
        outer = PRECEDENCE.get(type(op), 0)
        return inner < outer or (inner == outer and not isinstance(op, (ast.Add, ast.Mult))) or \
            isinstance(op, ast.Pow)
    return isinstance(value, (ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda, ast.NamedExpr, ast.UnaryOp)) and \
        not (isinstance(value, ast.UnaryOp) and not isinstance(op, ast.Pow))


def cst_operator(op: ast.operator):
    import libcst as cst

    return {ast.Add: cst.Add, ast.Sub: cst.Subtract, ast.Mult: cst.Multiply, ast.Div: cst.Divide, ast.Pow: cst.Power,
            ast.FloorDiv: cst.FloorDivide, ast.Mod: cst.Modulo, ast.BitAnd: cst.BitAnd, ast.BitOr: cst.BitOr,
            ast.BitXor: cst.BitXor, ast.LShift: cst.LeftShift, ast.RShift: cst.RightShift}[type(op)]()


def named_tuple_field(node: ast.AST) -> bool:
    """`res.V` of `res = torch.svd(x)`: a field of torch's named tuple, which cannot be assigned."""
    return isinstance(node, ast.Attribute) and node.attr in facts.RETURN_TYPE_FIELDS and \
        isinstance(node.value, ast.Name) and node.value.id not in ("self", "cls")


# ------------------------------------------------------------------------------------------ applying
def attach_fixes(source: str, findings: list[Finding]) -> None:
    text = SourceText(source)
    for f in findings:
        f.fixes = build_fixes(source, f, text)


def overlaps(a: Span, b: Span) -> bool:
    return not ((a.end_line, a.end_column) <= (b.line, b.column) or (b.end_line, b.end_column) <= (a.line, a.column))


def in_call_chain(node: ast.AST, expr: ast.AST) -> bool:
    """Is `node` the statement's call, or a call its result is chained from (`t.mul_(m).add_(o)`: both)?"""
    while isinstance(expr, ast.Call):
        if expr is node:
            return True
        expr = expr.func.value if isinstance(expr.func, ast.Attribute) else None
    return False


def expands_in_chain(origin) -> bool:
    """Is `origin` a method chain with an `expand`/`expand_as` in it (`x.expand_as(b).float()`)?"""
    while isinstance(origin, ast.Call) and isinstance(origin.func, ast.Attribute):
        if origin.func.attr in ("expand", "expand_as"):
            return True
        origin = origin.func.value
    return False
