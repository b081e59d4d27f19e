"""Eval-only callers: a module class whose every workspace call runs outside the training path.

A module's `forward` is walked on its own as the training path: its tensor inputs taken as requiring grad (a
previous layer's output) and grad mode as on. What rests on that assumption is a warning. EfficientDet's
`ClipBoxes` clamps the boxes it is given in place (`boxes[:, :, 0] = torch.clamp(boxes[:, :, 0], min=0)`, after
the clamp saved them); taken alone, a backward() through its result raises. But the model that builds it calls it
only on the eval side of `if self.training:` (the training side returns the loss), and its evaluation scripts run
that under `torch.no_grad()`: no backward() ever goes through it, and torch raises nothing.

The same file's `if self.training: ... else: ...` is already decided by the walk (`self.training` is True on the
training path). This module reads the other side of the question, the callers: for the warnings of a class that
rest on the training assumption, it reads every workspace file that may name the class (callers.CallerIndex:
their import lines name its module) and the class's own file. The evidence is whole or none:

- every mention of the class there is a constructor call bound to a name (`self.clip = ClipBoxes()` in a method,
  `clip = ClipBoxes()` in a function or the module's statements), `super(ClipBoxes, self)`, or `isinstance(x,
  ClipBoxes)`; a subclass, a class passed on (`nn.Sequential(ClipBoxes())`, a registry), anything else: no evidence;
- every use of such a name (every `self.clip` of that file, every `clip` of that scope) is a call, or nn.Module's
  bookkeeping (`clip.parameters()`, `clip.eval()`), or a read further into an attribute (`clip.m.data`); not a
  method of its class (`clip.sample(x)` runs the module's code) nor a move (`clip.to(d)` returns it); each call
  runs outside the training path: on the eval side of an `if` on `self.training` (module_state.eval_only_side,
  eval_only_rest: after `if self.training: ...; return`), under `with torch.no_grad()` or
  `torch.inference_mode()`, or in a function decorated with either;
- there is at least one such call.

Then each of those warnings (not the errors: those hold whoever calls) depends on something no workspace caller
shows, that the class runs on the training path: it becomes information (strict mode), and names the eval-only
call it read. Not seen: a caller outside the workspace (a library's users), `getattr(self, "clip")`.
"""

from __future__ import annotations

import ast
import os
import re

from .analysis.context import AnalysisTimeout
from .analysis.module_state import eval_only_side
from .data_callers import data_call
from .findings import Severity

NO_GRAD_CONTEXTS = {"no_grad", "inference_mode"}
# Code for export and deployment, by the name of its file or folder (`export_onnx.py`, `easydeploy/`, `tensorrt/`)
# or of its class (`ONNX_TRT`, `DetBenchPredict`, `ExportWrapper`): traced or run to write a graph or predictions,
# never trained through. Not `Inference`, which names variational inference networks as often as not.
EXPORT_PATH = re.compile(r"export|onnx|deploy|tensorrt|(^|[^a-z])trt([^a-z]|$)", re.IGNORECASE)
EXPORT_CLASS = re.compile(r"(Predict|Export|Onnx|ONNX|TRT|TensorRT|Deploy)(?=[A-Z_0-9]|$)")
MAX_FILES = 20  # files read per class
MOVES = {"to", "cuda", "cpu", "float", "double", "half"}  # module methods that return the module itself
# nn.Module's own bookkeeping: methods that neither run the module's code nor return the module.
BOOKKEEPING = {"parameters", "named_parameters", "buffers", "named_buffers", "modules", "named_modules", "children",
               "named_children", "state_dict", "load_state_dict", "train", "eval", "zero_grad", "requires_grad_"}


def read_only(attribute: ast.Attribute, parents: dict) -> bool:
    """Is `module.attr` a read that neither runs the module's code nor hands it on: a bookkeeping call
    (`model.parameters()`, `model.eval()`), or an attribute read further into (`model.m.data`, `model.m[0]`,
    `model.b is not None`)? Not `model.sample(x)` (a method of its class runs), `f = model.sample`, `model.to(d)`."""
    grand = parents.get(attribute)
    called = isinstance(grand, ast.Call) and grand.func is attribute
    if called:
        return attribute.attr in BOOKKEEPING
    return isinstance(grand, (ast.Attribute, ast.Subscript, ast.Compare))


def demote_eval_only(index, found: dict, info, lines: list[str], path: str, deadline) -> None:
    """Turn the training-assumption warnings of `found` (checker.analyse_tree's, before finalize) in the file's
    module-level classes whose every workspace call runs outside the training path into information (see the
    module's docstring). `index`: callers.CallerIndex."""
    if not path.endswith(".py"):
        return
    by_class: dict[str, list] = {}
    real = index.project.real(path)
    folders = os.path.relpath(real, index.project.root).replace(os.sep, "/")
    for f in found.values():
        if rests_on_training(f):
            cls = enclosing_class(info.tree, f.span.line)
            if EXPORT_PATH.search(folders) or cls is not None and EXPORT_CLASS.search(cls.name):
                what = f"`{cls.name}`" if cls is not None and EXPORT_CLASS.search(cls.name) else f"`{folders}`"
                f.depends_on = f"whether {what} runs on the training path: its name says it is for export or " \
                               "prediction, which no backward() goes through"
            elif cls is not None:
                by_class.setdefault(cls.name, []).append(f)
    if not by_class:
        return
    try:
        index.record_importers(real, [info.classes[name].node for name in by_class if name in info.classes])
        for name, findings in by_class.items():
            call = eval_only_calls(index, name, real, info.tree)
            if call is None:
                continue
            where, line = call
            shown = f"{os.path.basename(where)}:{line}" if where != real else f"line {line}"
            for f in findings:
                f.depends_on = f"whether `{name}` runs on the training path: its calls in the workspace run only " \
                               f"in eval mode or without grad, or pass tensors that require no grad ({shown})"
    except (AnalysisTimeout, RecursionError):
        pass  # what was decided so far stands


def rests_on_training(f) -> bool:
    """A warning that holds on the training path by assumption (the inputs of a forward require grad, grad mode
    is on), not one the code shows for sure."""
    if f.depends_on or f.severity is not Severity.WARNING:
        return False
    context = f.context if isinstance(f.context, dict) else {}
    save = context.get("save")
    return bool(getattr(save, "assumed", False) or context.get("caller_assumed")) or " training path" in f.message


def enclosing_class(tree: ast.Module, line: int):
    """The module-level class whose lines hold `line`, or None."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.lineno <= line <= node.end_lineno:
            return node
    return None


def eval_only_calls(index, name: str, path: str, tree: ast.Module) -> tuple[str, int] | None:
    """(file, line) of the first call of an instance of `name` in the workspace when every call runs outside the
    training path (the module's docstring), else None."""
    files = [(path, tree)]
    for other in index.candidate_files(path, name)[:MAX_FILES]:
        parsed = index.project.snapshot(other)
        if parsed is None:
            return None  # a file that may build it and that cannot be read: nothing known
        files.append((other, parsed.tree))
    first = None
    for where, module in files:
        calls = calls_outside_training(module, name)
        if calls is None:
            return None
        if calls and first is None:
            first = (where, calls[0])
    return first


def calls_outside_training(tree: ast.Module, name: str) -> list[int] | None:
    """The lines of the calls of the instances of `name` that `tree` builds, when each runs outside the training
    path and nothing else mentions `name`; None otherwise."""
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    attributes, locals_ = set(), []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(a.name.rsplit(".", 1)[-1] == name and a.asname
                                                                  for a in node.names):
            return None  # `from utils import ClipBoxes as CB`: its calls go by another name
        if not (isinstance(node, ast.Name) and node.id == name or isinstance(node, ast.Attribute) and
                node.attr == name):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Call) and node in parent.args and called(parent) in ("super", "isinstance"):
            continue  # `super(ClipBoxes, self)`, `isinstance(m, ClipBoxes)`
        bound = bound_name(parent, node, parents)
        if bound is None:
            return None
        kind, target, scope = bound
        if kind == "self":
            attributes.add(target)
        else:
            locals_.append((target, scope))
    eval_nodes = outside_training(tree)
    lines = []
    for attr in sorted(attributes):
        uses = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == attr and
                isinstance(n.value, ast.Name) and n.value.id == "self" and isinstance(n.ctx, ast.Load)]
        found = eval_calls(uses, parents, eval_nodes)
        if found is None:
            return None
        lines += found
    for target, scope in locals_:
        uses = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == target and
                isinstance(n.ctx, ast.Load)]
        found = eval_calls(uses, parents, eval_nodes)
        if found is None:
            return None
        lines += found
    return sorted(lines)


def called(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def bound_name(parent, node, parents) -> tuple | None:
    """("self", attribute, class) for `self.attr = Name(...)`, ("local", name, scope) for `name = Name(...)` in a
    function or the module's statements, None for any other mention of the class."""
    if not (isinstance(parent, ast.Call) and parent.func is node):
        return None
    while isinstance(parents.get(parent), ast.Attribute) and parents[parent].attr in MOVES and \
            isinstance(parents.get(parents[parent]), ast.Call) and parents[parents[parent]].func is parents[parent]:
        parent = parents[parents[parent]]  # `DropChunk(...).to(device)`: the same module, moved
    statement = parents.get(parent)
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is not parent:
        return None
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    if len(targets) != 1:
        return None
    target = targets[0]
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        return "self", target.attr, None
    if isinstance(target, ast.Name):
        scope = parents.get(statement)
        while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            scope = parents.get(scope)
        return ("local", target.id, scope) if scope is not None else None
    return None


def eval_calls(uses: list, parents: dict, eval_nodes: set) -> list[int] | None:
    """The lines of `uses` when each is called (`use(...)`) outside the training path, else None."""
    lines = []
    for use in uses:
        parent = parents.get(use)
        if isinstance(parent, ast.Attribute) and parent.value is use and read_only(parent, parents):
            continue  # `model.parameters()`, `model.m.data`: the module read, not run nor handed on
        if not (isinstance(parent, ast.Call) and parent.func is use) or \
                id(parent) not in eval_nodes and not data_call(parent, parents):
            return None
        lines.append(parent.lineno)
    return lines


def outside_training(tree: ast.Module) -> set[int]:
    """The ids of the nodes of `tree` that run outside the training path: the eval side of an `if` on
    `self.training`, what follows `if self.training: ...; return` in its block, the body of a `with
    torch.no_grad():` (or inference_mode), a function decorated with either."""
    out: set[int] = set()
    visit_block(tree.body, out)
    return out


def visit_block(stmts: list, out: set[int]) -> None:
    for i, s in enumerate(stmts):
        if isinstance(s, ast.If):
            side = eval_only_side(s.test)
            if side is True:
                mark(s.orelse, out)
                if not s.orelse and s.body and isinstance(s.body[-1], (ast.Return, ast.Raise)):
                    mark(stmts[i + 1:], out)
            elif side is False:
                mark(s.body, out)
        elif isinstance(s, (ast.With, ast.AsyncWith)) and any(no_grad_context(item.context_expr) for item in s.items):
            mark(s.body, out)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                no_grad_context(d) for d in s.decorator_list):
            mark(s.body, out)
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(s, field, None)
            if isinstance(block, list):
                visit_block(block, out)


def mark(stmts: list, out: set[int]) -> None:
    for s in stmts:
        out.update(id(n) for n in ast.walk(s))


def no_grad_context(node: ast.AST) -> bool:
    """`torch.no_grad()`, `no_grad()`, `torch.inference_mode()` (or the decorator without the call)."""
    func = node.func if isinstance(node, ast.Call) else node
    name = getattr(func, "attr", None) or getattr(func, "id", None)
    return name in NO_GRAD_CONTEXTS
