"""Callers that pass data: a module call whose every argument is a tensor that does not require grad.

eval_callers.py demotes the training-assumption warnings of a class whose every workspace call runs outside the
training path. The same holds when a call, wherever it runs, hands the module only data: speechbrain's unit test
`signal = torch.rand(4, 256, 8); output = ch_swap(signal)` gives `ChannelSwap` a tensor that requires no grad, so
its in-place channel swap changes no tensor autograd saved. What counts, read in the scope of the call (every
assignment there to a name it reads must count too):

- a constant; a tensor factory (`torch.rand(...)`, `torch.ones(...)`, `torch.tensor(...)`, `torch.zeros_like(x)`)
  without `requires_grad=` set to anything but False;
- `.detach()`, `.data`, `.numpy()`-free reshaping and moving of data (`x.unsqueeze(0)`, `x.to(device)`), indexing,
  arithmetic and torch functions (`torch.sin(...)`, `torch.cat([...])`) of data.

A parameter of the scope, a global, an attribute, a call of anything else (a model, a helper), `.requires_grad_()`:
not data, and the class keeps its warnings. So does a call in a scope that runs backward() (or autograd.grad, an
optimizer step) itself or returns a value: there a layer's parameters can make the output require grad, and the
scope may have handed the same data to an op that saved it (a training step on random data is still training).
"""

from __future__ import annotations

import ast

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
    if scope is None or trains_or_hands_on(scope):
        return False
    assigned = assignments(scope)
    return all(is_data(a, assigned, set(), 0) for a in given)


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


def is_data(node, assigned: dict, seen: set, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, ast.Constant):
        return True
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
