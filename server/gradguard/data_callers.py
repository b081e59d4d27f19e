"""Callers that pass data: a module call whose every argument is a tensor that does not require grad.

eval_callers.py demotes the training-assumption warnings of a class whose every workspace call runs outside the
training path. The same holds when a call, wherever it runs, hands the module only data: speechbrain's unit test
`signal = torch.rand(4, 256, 8); output = ch_swap(signal)` gives `ChannelSwap` a tensor that requires no grad, so
its in-place channel swap changes no tensor autograd saved. What counts, read in the scope of the call (every
assignment there to a name it reads must count too):

- a constant; a tensor factory (`torch.rand(...)`, `torch.ones(...)`, `torch.tensor(...)`, `torch.zeros_like(x)`)
  without `requires_grad=` set to anything but False;
- an item of a loop over a data loader or a dataset (`for j, batch in enumerate(dataset)`), by the loop's name, or
  over `range(...)`; a comparison of data (`species == n`);
- `.detach()`, `.data`, `.numpy()`-free reshaping and moving of data (`x.unsqueeze(0)`, `x.to(device)`), indexing,
  arithmetic and torch functions (`torch.sin(...)`, `torch.cat([...])`) of data.

A parameter of the scope, a global, an attribute, a call of anything else (a model, a helper), `.requires_grad_()`:
not data, and the class keeps its warnings. A scope that runs backward() (or autograd.grad, an optimizer step)
itself or returns a value may have handed the same data to an op that saved it (a Linear keeps its input for its
weight's gradient, data or not) before the call: there the call counts only when it is the first thing done with
each tensor it is given. torchani's `approx_saes` builds `species_counts = torch.zeros(...)`, fills its columns with
counts, and hands it to `_LinearModel`, whose `x *= self.m` then changes a tensor no op saved: the caller reads it
before only to write data into it, or for its shape. Any other earlier read of the name (`h = lin(x)`, `x.sum()`):
the class keeps its warnings.
"""

from __future__ import annotations

import ast
import re

FACTORIES = {"rand", "randn", "randint", "randperm", "ones", "zeros", "full", "empty", "arange", "linspace",
             "logspace", "eye", "tensor", "as_tensor", "from_numpy", "rand_like", "randn_like", "ones_like",
             "zeros_like", "full_like", "empty_like", "randint_like", "FloatTensor", "LongTensor", "Tensor"}
KEEPS_DATA = {"unsqueeze", "squeeze", "view", "reshape", "to", "float", "double", "half", "long", "int", "bool",
              "cpu", "cuda", "contiguous", "clone", "expand", "repeat", "permute", "transpose", "flatten", "abs",
              "sin", "cos", "exp", "log", "sqrt", "pow", "sum", "mean", "t", "type", "type_as", "flip", "roll"}
MAX_DEPTH = 8


def data_call(call: ast.Call, parents: dict) -> bool:
    """Does `call` pass only data (the module's docstring)? At least one argument, each of them data."""
    given = [a.value if isinstance(a, ast.Starred) else a for a in call.args] + [k.value for k in call.keywords]
    if not given:
        return False
    scope = parents.get(call)
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        scope = parents.get(scope)
    if scope is None:
        return False
    assigned = assignments(scope)
    if not all(is_data(a, assigned, set(), 0) for a in given):
        return False
    return not trains_or_hands_on(scope) or all(first_use(a, call, scope, assigned) for a in given)


METADATA = {"shape", "size", "device", "dtype", "ndim", "dim", "numel"}


def first_use(node, call: ast.Call, scope, assigned: dict) -> bool:
    """Is the call the first thing done with the tensor `node` names (module's docstring)? A fresh expression
    (`torch.zeros(...)` in the call) is; a name is when every read of it before the call (in the scope's source
    order) writes data into it (`x[:, n] = (s == n).sum(-1).float()`) or reads its metadata (`x.shape`)."""
    if not isinstance(node, ast.Name):
        return not any(isinstance(n, ast.Name) for n in ast.walk(node))
    at = (call.lineno, call.col_offset)
    parents = {}
    for parent in ast.walk(scope):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    for use in ast.walk(scope):
        if not (isinstance(use, ast.Name) and use.id == node.id and isinstance(use.ctx, ast.Load)) or \
                (use.lineno, use.col_offset) >= at:
            continue
        parent = parents.get(use)
        if isinstance(parent, ast.Attribute) and parent.attr in METADATA:
            continue
        if isinstance(parent, ast.Subscript) and parent.value is use and isinstance(parent.ctx, ast.Store):
            statement = parents.get(parent)
            if isinstance(statement, ast.Assign) and is_data(statement.value, assigned, set(), 0):
                continue
        return False
    return True


def trains_or_hands_on(scope) -> bool:
    """Does `scope` run a backward() (or autograd.grad) itself, or return or yield a value a caller may train on?
    Then data in, a layer's parameters may still make the module's output require grad, and a tensor the scope
    passed to another op first may be saved: only a scope that does neither shows the module outside training."""
    stack = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "backward", "grad", "run_backward", "step"):
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def assignments(scope) -> dict[str, list]:
    """name -> the values assigned to it in `scope` (its own statements, not nested functions or classes); a name
    bound any other way (a loop target, a tuple unpacking, `with ... as`, a parameter) maps to [None]."""
    out: dict[str, list] = {}
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        a = scope.args
        for p in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x is not None]:
            out.setdefault(p.arg, []).append(None)
    stack = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out.setdefault(node.targets[0].id, []).append(node.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                and isinstance(node.targets[0].value, ast.Name):
            out.setdefault(node.targets[0].value.id, []).append(node.value)  # `x[:, n] = v`: what it writes counts
        elif isinstance(node, (ast.For, ast.AsyncFor)) and loader_items(node.iter):
            for n in ast.walk(node.target):
                if isinstance(n, ast.Name):
                    out.setdefault(n.id, []).append(LOADER_ITEM)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.With,
                               ast.AsyncWith, ast.NamedExpr, ast.comprehension, ast.ExceptHandler)):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if hasattr(node, "target") else [i.optional_vars for i in node.items] \
                if isinstance(node, (ast.With, ast.AsyncWith)) else []
            for t in targets:
                for n in ast.walk(t) if t is not None else ():
                    if isinstance(n, ast.Name):
                        out.setdefault(n.id, []).append(None)
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                out[node.target.id][-1] = node.value
        stack.extend(ast.iter_child_nodes(node))
    return out


# What a loop over a data loader or a dataset binds (`for j, batch in enumerate(dataset)`): the data it yields.
LOADER_ITEM = ast.Constant(value=None)
DATA_SOURCE = re.compile(r"(loader|dataset)$", re.IGNORECASE)
ITERATION_WRAPPERS = {"enumerate", "tqdm", "iter"}


def loader_items(node) -> bool:
    """Does the loop run over a data loader or a dataset, by its name (`loader`, `train_loader`, `dataset`), maybe
    wrapped in `enumerate(...)` or `tqdm(...)`, or over `range(...)`?"""
    while isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in \
            ITERATION_WRAPPERS and node.args:
        node = node.args[0]
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "range":
        return True  # `for n in range(k)`: plain integers
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return bool(DATA_SOURCE.search(name))


def is_data(node, assigned: dict, seen: set, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Compare):
        return all(is_data(n, assigned, seen, depth + 1) for n in [node.left] + node.comparators)
    if isinstance(node, ast.Name):
        values = assigned.get(node.id)
        if not values or node.id in seen:
            return False
        seen = seen | {node.id}
        return all(v is not None and is_data(v, assigned, seen, depth + 1) for v in values)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(is_data(e, assigned, seen, depth + 1) for e in node.elts)
    if isinstance(node, ast.BinOp):
        return is_data(node.left, assigned, seen, depth + 1) and is_data(node.right, assigned, seen, depth + 1)
    if isinstance(node, ast.UnaryOp):
        return is_data(node.operand, assigned, seen, depth + 1)
    if isinstance(node, ast.Subscript):
        return is_data(node.value, assigned, seen, depth + 1)
    if isinstance(node, ast.Attribute):
        return node.attr == "data"
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    func, attr = node.func, node.func.attr
    if attr == "detach":
        return True
    if is_torch(func.value):  # torch.rand(...), torch.sin(x), torch.cat([a, b])
        if attr in FACTORIES:
            flag = next((k.value for k in node.keywords if k.arg == "requires_grad"), None)
            return flag is None or isinstance(flag, ast.Constant) and flag.value is False
        if not hasattr_torch_function(attr):
            return False
        return all(is_data(a, assigned, seen, depth + 1) for a in node.args) and \
            all(k.arg not in ("out",) for k in node.keywords)
    if attr in KEEPS_DATA:
        return is_data(func.value, assigned, seen, depth + 1)
    return False


def is_torch(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "torch"


def hasattr_torch_function(attr: str) -> bool:
    """A function of torch's namespace that computes on its tensor arguments (no module, no autograd call)."""
    return attr[:1].islower() and attr not in ("no_grad", "enable_grad", "autograd", "nn", "load", "jit", "compile")
