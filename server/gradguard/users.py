"""Users in other workspace files: a module class of the analysed file that breaks only the way another file uses it.

A module that changes its own state in place outside `__init__` (a buffer rewritten in forward, `self.U[:] = U`;
a count, `self.steps += 1`) is fine called once per backward. A parent module of another file that calls the same
instance twice (icefall's conformer layer applies one RandProjDrop to each of its residual branches) makes the
second call change what an op of the first call saved: backward raises. The analysed file alone never shows the
second call, so its own walk finds nothing; the parent's file, analysed, reports the finding at its own call (with
"`f` does it here" pointing into this file), and the file whose line the fix changes stays silent.

For the module classes of the analysed file that change a `self.` attribute in place outside `__init__`
(state_changes, from the syntax), this module looks for the other workspace files that may build one (their
imports name the module and their text the class: callers.CallerIndex.candidate_files), walks the scopes there that
build it as that file's own analysis walks them (a class's entry methods when its method builds it, else the
function or the module's statements: CallerIndex.user_units), and keeps each finding that walk proves (error or
warning, depending on nothing, not resting on the assumption that the walked scope's caller passes a tensor that
requires grad) whose in-place change is one of those state changes. It is reported on the analysed file's line,
with the user's call as a related location. The finding is the one the user's file reports: nothing is claimed
that the analysis of that file does not claim.

The same holds for a class whose method (not `__init__` or `forward`) steps an optimizer it holds, subclassed in
another file (stepping_methods): 3FabRec's AAETraining.update_encoding runs
`self.optimizer_E.step()`, and only its subclass in train_aae_unsupervised.py calls it between the encoder's
forward and the backward() that goes through it. The methods of the other file's subclasses that call one of those
methods through `self` are walked as that file's own analysis walks them (subclass_units), and a finding proven
there whose change ("does it here") is one of those lines is reported on it.

The same holds for a function or method whose in-place change breaks only as a caller in another file calls it
(changing_functions): slac's GaussianPolicy.sample clamps a `chunk` piece in place (`log_std.clamp_(-20, 2)`),
which alone depends on the caller's grad mode; algo.py's update_actor calls it in its training step. Only the
functions holding a finding of the file's own walk that still depends on something (information), or an in-place
change of a parameter or of a piece of one bound once (parameter_changes), are looked at; the scopes of other files
that call them (or call a function of this file that calls them, or build and call the class whose `__init__` or
forward does: called_names) are walked as those files' own analysis walks them (CallerIndex.called_in), and a
finding proven there whose change is one of those lines is reported on it, the caller's call as related.

The same holds for a backward() that frees a graph in a method of a class that leaves methods to its subclasses
(freeing_methods): pytorch_GAN_zoo's BaseGAN builds `self.netD = self.getNetD()`, a stub, and its
optimizeParameters runs `lossGFake.backward()` before GDPPLoss backpropagates through features of the same
discriminator call. The file alone cannot see that graph; the scopes that call the method in the files naming the
class or a subclass of it (subclass_users) are walked, and a GG501 proven there whose first backward() is one of
those lines is reported on it, where `retain_graph=True` goes.

Cost: nothing for a file without such a class or function; then the project's index of import lines (callers.py),
the files that name the class or function, and at most MAX_USER_WALKS + MAX_CALLEE_WALKS walks per file, cached per
version of the files involved; the result cache keys the analysed file on the files importing its module
(record_importers): editing a caller re-analyses it.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import replace
from functools import partial
from types import SimpleNamespace

from .analysis.context import AnalysisTimeout, find_method
from .analysis.reported import merge_finding
from .analysis.syntax import is_inplace_name
from .analysis.training import CALL_FREE, ENTRY_METHODS, calls_name, summary
from .findings import Related, Severity
from .pyparse import nodes_under

MAX_USER_WALKS = 4  # scopes of other files walked, per analysed file
MAX_CALLEE_WALKS = 4  # scopes of other files walked for the file's functions (changing_functions), per analysed file
MAX_CALLEES = 8  # functions of the analysed file whose callers are looked for
DOES_IT_HERE = " does it here"  # checker.Reporter.add: where a change made in another file's code is
FREES_HERE = "the first backward() frees the graph here"  # checker's related location of a GG501


def stateful_classes(info) -> dict[str, frozenset[int]]:
    """The file's module classes (with a forward) that change their own state in place when called: class name ->
    the lines of those changes. Only the classes holding a line that looks like one (STATE_CHANGE) are read."""
    text = "\n".join(info.lines)
    if "self." not in text:
        return {}
    marked, line, at = set(), 1, 0
    for match in STATE_CHANGE.finditer(text):  # it starts at the newline before the line
        line += text.count("\n", at, match.start() + 1)
        at = match.start() + 1
        marked.add(line)
    if not marked:
        return {}
    out = {}
    for name, known in info.classes.items():
        node = known.node
        if not any(node.lineno <= line <= node.end_lineno for line in marked):
            continue
        lines = state_changes(node)
        if lines and find_method(info.classes, name, "forward") is not None:
            out[name] = lines
    return out


# a line that may change a `self.` attribute in place: `self.U[:] = U`, `self.n += 1`, `self.buf[i] += x`,
# `self.running.mul_(m)` (state_changes reads the syntax of the classes holding one); led by the newline before it,
# which the search finds fast
STATE_CHANGE = re.compile(r"\n[ \t]*self\.\w+(?:[ \t]*\[[^\n]*\][ \t]*[-+*/@]?=[^=]|[ \t]*[-+*/@]=|\.\w+_\()")


def state_changes(cls: ast.ClassDef) -> frozenset[int]:
    """Lines of the in-place changes of a tensor the module keeps (tensor_attributes) made when it is called: in its
    forward and the methods of the class that forward calls (`self._randomize_U()`), not in `__init__` or a
    `reset_parameters` it calls: `self.U[:] = U`, `self.count += 1`, `self.buf[i] += x`, `self.running.mul_(m)`
    (read once per class)."""
    found = cls.__dict__.get("_gg_state_changes")
    if found is None:
        methods = {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        reached, frontier = set(), [m for m in ("forward", "__call__") if m in methods]
        while frontier:
            name = frontier.pop()
            if name in reached:
                continue
            reached.add(name)
            frontier += [n.func.attr for n in ast.walk(methods[name]) if isinstance(n, ast.Call)
                         and self_attribute(n.func) and n.func.attr in methods and n.func.attr != "__init__"]
        changed = [(node.lineno, attr) for name in reached for node in ast.walk(methods[name])
                   if (attr := changed_attribute(node)) is not None]
        tensors = tensor_attributes(methods.get("__init__")) if changed else frozenset()
        found = cls._gg_state_changes = frozenset(line for line, attr in changed if attr in tensors)
    return found


def tensor_attributes(init: ast.AST | None) -> frozenset[str]:
    """The attributes `__init__` makes tensors: `self.register_buffer("U", ...)`, `self.w = nn.Parameter(...)`,
    `self.U = torch.zeros(...)` (a dict cache or an int counter is no tensor to save)."""
    if init is None:
        return frozenset()
    out = set()
    for node in ast.walk(init):
        if isinstance(node, ast.Call) and self_attribute(node.func) and node.func.attr == "register_buffer" and \
                node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            out.add(node.args[0].value)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and makes_tensor(node.value.func):
            out.update(t.attr for t in node.targets if self_attribute(t))
    return frozenset(out)


def makes_tensor(func: ast.AST) -> bool:
    """`torch.zeros`, `torch.nn.Parameter`, `nn.Parameter`, `Parameter`."""
    if isinstance(func, ast.Name):
        return func.id == "Parameter"
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id in ("torch", "nn")


def changed_attribute(node: ast.AST) -> str | None:
    """`X` when `node` changes `self.X` in place: `self.X[i] = v`, `self.X += v`, `self.X[i] += v`, `self.X.mul_(m)`."""
    if isinstance(node, ast.Assign):
        targets = [t.value for t in node.targets if isinstance(t, ast.Subscript)]
    elif isinstance(node, ast.AugAssign):
        targets = [node.target.value if isinstance(node.target, ast.Subscript) else node.target]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_inplace_name(node.func.attr):
        targets = [node.func.value]
    else:
        return None
    return next((t.attr for t in targets if self_attribute(t)), None)


def self_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def report_used_elsewhere(index, found: dict, info, lines: list[str], path: str, deadline) -> None:
    """Add to `found` (checker.analyse_tree's findings, before finalize) what the state changes of the file's
    classes break as other workspace files use them, and what the optimizer steps in the methods of its
    classes break as other files' subclasses call them (see the module's docstring). `index`:
    callers.CallerIndex."""
    if not path.endswith(".py"):
        return
    classes, inherited = stateful_classes(info), stepping_methods(info)
    callees, freeing = changing_functions(info, found), freeing_methods(info)
    if not classes and not inherited and not callees and not freeing:
        return
    path = index.project.real(path)
    version = hash("\n".join(lines))
    known = {(f.code, f.span.line, f.span.column) for f in found.values() if not f.depends_on}
    walks_left = [MAX_USER_WALKS]

    def add(findings) -> None:
        for f in findings:
            if (f.code, f.span.line, f.span.column) not in known:
                known.add((f.code, f.span.line, f.span.column))
                merge_finding(found, f)
    try:
        index.record_importers(path, [info.classes[name].node for name in {**classes, **inherited}])
        report_called_elsewhere(index, callees, info, path, version, deadline, add)
        report_freed_elsewhere(index, freeing, path, version, deadline, add)
        for name, changes in classes.items():
            for user_path in index.candidate_files(path, name):
                if walks_left[0] <= 0:
                    return
                moved = partial(moved_here, path=path, user_path=user_path, changes=changes, name=name)
                add(index.used_in(user_path, name, path, version, deadline, walks_left, moved))
        for name, (methods, changes) in inherited.items():
            for user_path in index.candidate_files(path, name):
                if walks_left[0] <= 0:
                    return
                moved = partial(moved_here, path=path, user_path=user_path, changes=changes,
                                name=name, how="is subclassed and its method called here")
                add(index.subclassed_in(user_path, name, methods, path, version, deadline, walks_left, moved))
    except (AnalysisTimeout, RecursionError):
        pass  # what was found so far stands


def stepping_methods(info) -> dict[str, tuple[frozenset[str], frozenset[int]]]:
    """The file's classes with methods (not `__init__`, not `forward`) that step an optimizer the instance holds
    (`self.optimizer_E.step()`, 3FabRec's update_encoding): class name -> (those methods, the lines of the steps).
    A subclass in another file that calls one between a forward and its backward() breaks it; only that file shows
    the forward. (A module's own in-place state changes are stateful_classes'.)"""
    if not any(".step()" in line for line in info.lines):
        return {}
    out = {}
    for name, known in info.classes.items():
        methods, changes = set(), set()
        for fn in known.node.body:
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or fn.name in ("__init__", "forward") or \
                    not any(r.startswith("self.") for r in summary(fn).stepped):  # (kept on the node)
                continue
            lines = {node.lineno for node in ast.walk(fn) if steps_optimizer(node)}
            if lines:
                methods.add(fn.name)
                changes |= lines
        if methods:
            out[name] = (frozenset(methods), frozenset(changes))
    return out


def steps_optimizer(node: ast.AST) -> bool:
    """`self.optimizer_E.step()`, `self.opt.step()`: a step of an optimizer the instance holds."""
    return isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute) and \
        node.func.attr == "step" and self_attribute(node.func.value)


def subclass_units(tree: ast.Module, name: str, methods: frozenset[str]) -> list[tuple]:
    """("function", method, subclass) for the methods of the file's subclasses of `name` (`class T(Base)`,
    `class T(mod.Base)`) that call one of `methods` through `self` and do not define it again."""
    out = []
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or not any(
                (b.id if isinstance(b, ast.Name) else getattr(b, "attr", None)) == name for b in cls.bases):
            continue
        own = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for fn in cls.body:
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                    isinstance(n, ast.Call) and self_attribute(n.func) and n.func.attr in methods - own
                    for n in ast.walk(fn)):
                out.append(("function", fn, cls.name))
    return out


def moved_here(f, path: str, user_path: str, changes: frozenset[int], name: str, how: str = "is used here"):
    """The user's finding `f` on this file's line of the state change it reports, or None when it is not one."""
    if f.depends_on or f.severity not in (Severity.ERROR, Severity.WARNING) or f.code == "GG202" or \
            f.context.get("caller_assumed"):
        return None
    here = next((r for r in f.related if r.path == path and r.span.line in changes and (
        r.message.endswith(DOES_IT_HERE) or f.code == "GG501" and r.message == FREES_HERE)), None)
    if here is None:
        return None
    used = Related(f.span, f"`{name}` {how} ({os.path.basename(user_path)}): backward fails for this use",
                   user_path)
    related = [used] + [replace(r, path=None if r.path == path else r.path or user_path)
                        for r in f.related if r is not here]
    return replace(f, span=here.span, related=related, fixes=[], context={})


# -- functions whose in-place changes break only as another file calls them ------------------------------------


def changing_functions(info, found: dict) -> dict[tuple, frozenset[int]]:
    """(function, class name or None) -> lines: the file's module-level functions and methods of module-level
    classes holding an in-place change whose harm depends on the caller: a finding of the file's own walk that
    still depends on something (information: `log_std.clamp_(-20, 2)` on a `chunk` piece in slac's
    GaussianPolicy.sample, with the caller's grad mode unknown), or an in-place change of a name bound to a
    parameter (parameter_changes: NVAE's `x.div_(5.)` in soft_clamp5, which model.py gives a `chunk` piece)."""
    out: dict = {}
    pending = [f.span.line for f in found.values() if f.depends_on]
    for fn, cls in top_functions(info.tree):
        if fn.name.endswith("_") and not fn.name.endswith("__"):
            continue  # `scale_(t, k)` says it changes its argument, as torch's `mul_`: the call is to blame
        lines = {line for line in pending if fn.lineno <= line <= fn.end_lineno}
        if cls is None:  # a method's parameters (forward's `x += ...`) are everywhere: lockstep 1.12 with them
            lines |= parameter_changes(fn)
        if lines:
            out[(fn, cls)] = frozenset(lines)
            if len(out) >= MAX_CALLEES:
                break
    return out


def top_functions(tree: ast.Module):
    """(function, None) for the module-level functions, (method, class name) for the methods of module-level
    classes."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, None
        elif isinstance(node, ast.ClassDef):
            for m in node.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield m, node.name


def parameter_changes(fn) -> frozenset[int]:
    """Lines of `fn` that change in place a parameter (not `self`/`cls`) or a name bound once to one or to a piece
    of one (`result = x[0]` then `result += x[i]`), the names never bound to anything else: `x.div_(5.)`,
    `x[0] += y`, `x *= s` (read once per function, in one pass that skips names and constants: most functions
    change nothing in place, and their bindings are then never read)."""
    found = fn.__dict__.get("_gg_parameter_changes")
    if found is None:
        binding, changing = [], []
        for node in nodes_under(fn, CALL_FREE):
            cls = node.__class__
            if cls in BINDING_NODES:
                binding.append(node)
            if cls is ast.AugAssign and node.target.__class__ in (ast.Name, ast.Subscript) or \
                    cls is ast.Assign and any(t.__class__ is ast.Subscript for t in node.targets) or \
                    cls is ast.Call and node.func.__class__ is ast.Attribute and is_inplace_name(node.func.attr):
                changing.append(node)  # the shapes changed_lines reads
        found = fn._gg_parameter_changes = changed_lines(fn, binding, changing) if changing else frozenset()
    return found


BINDING_NODES = (ast.Assign, ast.AnnAssign, ast.For, ast.With, ast.NamedExpr)  # (`+=` changes)


def changed_lines(fn, binding: list, changing: list) -> frozenset[int]:
    """parameter_changes, from the nodes of `fn` that bind names and those that may change one in place."""
    args = fn.args
    params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} - {"self", "cls"}
    bound: dict = {}
    for node in binding:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [getattr(node, "target", None)] + [i.optional_vars for i in getattr(node, "items", ())]
        for t in targets:
            for name in ast.walk(t) if t is not None else ():
                if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                    bound.setdefault(name.id, []).append(node)
    names = {p for p in params if p not in bound}
    for name, nodes in bound.items():  # `result = x[0]`: a piece of a parameter, bound once
        if name not in params and len(nodes) == 1 and isinstance(nodes[0], ast.Assign) and \
                len(nodes[0].targets) == 1 and isinstance(nodes[0].targets[0], ast.Name) and \
                piece_of(nodes[0].value, names):
            names.add(name)
    lines = set()
    for node in changing if names else ():
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
            lines.add(node.lineno)
        elif isinstance(node, (ast.Assign, ast.AugAssign)) and any(
                isinstance(t, ast.Subscript) and piece_of(t.value, names)
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
            lines.add(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                is_inplace_name(node.func.attr) and piece_of(node.func.value, names):
            lines.add(node.lineno)
    return frozenset(lines)


def piece_of(node: ast.AST, names: set) -> bool:
    """`x`, `x[0]`, `x[:, 1:]` for a name of `names`."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Name) and node.id in names


def report_called_elsewhere(index, callees: dict, info, path: str, version: int, deadline, add) -> None:
    """For each function of changing_functions, the scopes of other workspace files that call it (or call a
    function of this file that calls it, or build the class whose `__init__` or forward calls it) are walked as
    those files' own analysis walks them; a finding proven there (error or warning, resting on nothing) whose change
    ("does it here") is one of the function's lines is reported on that line, with the caller as a related
    location (moved_here): slac's algo.py proves `log_std.clamp_(-20, 2)` of sac.py's GaussianPolicy.sample."""
    walks_left = [MAX_CALLEE_WALKS]
    for (fn, cls), changes in callees.items():
        for how, name, owner in called_names(info.tree, fn, cls):
            index.record_importers(path, [SimpleNamespace(name=owner or name)])  # (it reads `.name`)
            for user_path in index.candidate_files(path, owner or name):
                if walks_left[0] <= 0:
                    return
                moved = partial(moved_unless_by_default, path=path, user_path=user_path, changes=changes,
                                name=name, how="is called here" if how == "calls" else "is built and called here")
                add(index.called_in(user_path, how, name, path, version, deadline, walks_left, moved))


def moved_unless_by_default(f, **how):
    """moved_here, but not for a finding resting on a class's constructor defaults (`by_default`), which the
    caller's own analysis drops when the code building the class changes them."""
    return None if f.context.get("by_default") else moved_here(f, **how)


def called_names(tree: ast.Module, fn, cls: str | None) -> list[tuple[str, str, str | None]]:
    """How other files reach `fn`: ("calls", name, class or None) for a call of `name` (the function, a method of
    its class through an instance of that class), ("builds", class, class) for the instances of a class built and
    called (its `__init__` or entry method); then the same for the functions and classes of the file that call
    `fn` (one level)."""
    if cls is not None:
        if fn.name == "__init__" or fn.name in ENTRY_METHODS:
            return [("builds", cls, cls)]
        return [("calls", fn.name, cls)]
    out = [("calls", fn.name, None)]
    for node in tree.body:
        if node is fn or len(out) >= 3:
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and calls_name(node, fn.name):
            out.append(("calls", node.name, None))
        elif isinstance(node, ast.ClassDef) and any(
                isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and calls_name(m, fn.name) and
                (m.name == "__init__" or m.name in ENTRY_METHODS) for m in node.body):
            out.append(("builds", node.name, node.name))
    return out


# -- a base class's backward() that frees a graph its subclasses' users backpropagate again -----------------------


def freeing_methods(info) -> dict[tuple, frozenset[int]]:
    """(method, class name) -> the lines of its backward() calls that free their graph (no `retain_graph`), for the
    file's classes that leave methods to their subclasses (stub_method: pytorch_GAN_zoo's BaseGAN.getNetD is a
    docstring and `pass`, and `self.netD = self.getNetD()`). The file alone does not know what the stubs give, so
    it cannot see the graph that backward() frees; a file using a subclass can: its walk proves the GG501 whose
    first backward() is this line, and the fix (`retain_graph=True`) is made here."""
    if not any(".backward(" in line for line in info.lines):
        return {}
    out = {}
    for name, known in info.classes.items():
        methods = [n for n in known.node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        if not any(stub_method(m) for m in methods):
            continue
        for m in methods:
            lines = frozenset(n.lineno for n in ast.walk(m) if frees_graph(n))
            if lines:
                out[(m, name)] = lines
                if len(out) >= MAX_CALLEES:
                    return out
    return out


def stub_method(fn) -> bool:
    """A method left to subclasses: its body only a docstring, `pass`, `...` or `raise NotImplementedError`."""
    if fn.name.startswith("__"):
        return False
    for stmt in fn.body:
        if isinstance(stmt, ast.Pass) or isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and (
                isinstance(stmt.value.value, str) or stmt.value.value is Ellipsis):
            continue
        if isinstance(stmt, ast.Raise) and stmt.exc is not None and "NotImplementedError" in ast.unparse(stmt.exc):
            continue
        return False
    return True


def frees_graph(node: ast.AST) -> bool:
    """`loss.backward()`, `loss.backward(grad)`: a backward() that frees the graph it goes through."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "backward" and \
        len(node.args) <= 1 and not any(k.arg in ("retain_graph", "create_graph") or k.arg is None
                                        for k in node.keywords)


def report_freed_elsewhere(index, freeing: dict, path: str, version: int, deadline, add) -> None:
    """For each method of freeing_methods, the scopes that call it in the workspace files naming its class, or
    naming a subclass of it that such a file defines (pytorch_GAN_zoo's trainer builds a DCGAN, a BaseGAN of
    DCGAN.py), are walked as those files' own analysis walks them; a GG501 proven there whose first backward() is
    one of the method's lines is reported on that line, with the caller as a related location (moved_here)."""
    walks_left = [MAX_CALLEE_WALKS]
    for (fn, cls), lines in freeing.items():
        for user_path in subclass_users(index, path, cls):
            if walks_left[0] <= 0:
                return
            moved = partial(moved_here, path=path, user_path=user_path, changes=lines, name=fn.name,
                            how="is called here")
            add(index.called_in(user_path, "calls", fn.name, path, version, deadline, walks_left, moved))


def subclass_users(index, path: str, cls: str) -> list[str]:
    """The workspace files naming `cls` of `path`, then those naming a subclass of it that one of them defines."""
    index.record_importers(path, [SimpleNamespace(name=cls)])  # (it reads `.name`)
    out = list(index.candidate_files(path, cls))
    for other in list(out):
        parsed = index.project.snapshot(other)
        if parsed is None:
            continue
        for node in parsed.tree.body:
            if isinstance(node, ast.ClassDef) and any(
                    (b.id if isinstance(b, ast.Name) else getattr(b, "attr", None)) == cls for b in node.bases):
                index.record_importers(other, [SimpleNamespace(name=node.name)])
                out += [f for f in index.candidate_files(other, node.name) if f not in out and f != path]
    return out
