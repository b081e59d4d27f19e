"""Reading the AST: dotted names, constant keys and slices, index kinds, grad-mode decorators."""

from __future__ import annotations

import ast
import os

from ..facts import (ENABLE_GRAD_CONTEXTS, NOT_DATA_MUTATIONS, NO_GRAD_CONTEXTS, SET_GRAD_ENABLED,
                     TENSOR_INPLACE_METHODS)
from ..fix_text import Parents
from ..pyparse import nodes_under
from . import names
from .names import dotted  # noqa: F401 - read through syntax by the rest of the analysis
from .context import ModuleContext
from .slices import SliceVal
from .values import UNKNOWN, NoneVal, Number, Ref, Seq, Tri, Unknown
from .training import summary


def optional_parameters(fn) -> set[str]:
    """The parameters that default to None (kept on the node: every `if` of the function asks)."""
    cached = fn.__dict__.get("_gg_optional")
    if cached is None:
        cached = fn._gg_optional = frozenset(_optional_parameters(fn))
    return cached


def _optional_parameters(fn) -> set[str]:
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults = list(zip(positional[len(positional) - len(a.defaults):], a.defaults))
    defaults += [(p, d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
    return {p.arg for p, d in defaults if isinstance(d, ast.Constant) and d.value is None}


# A parameter's annotation that says what it holds, whatever the caller's tensors are: a number, something that is
# not a tensor, or a sequence (of tensors, maybe: `features: list[torch.Tensor]`, so `features[0] = ...` replaces an
# item and changes no tensor)
SCALAR_ANNOTATIONS = {"int": Number(), "float": Number(), "bool": UNKNOWN, "str": UNKNOWN}
SEQUENCE = object()
SEQUENCE_ANNOTATIONS = {"list", "List", "tuple", "Tuple", "Sequence", "MutableSequence"}


def declared_value(annotation, default=None):
    """Number(), UNKNOWN or SEQUENCE for a parameter annotated as a number, a bool or str, or a list or tuple, or
    whose default is a list or tuple (`feat_idx=[0]`); None for anything else (a tensor, maybe)."""
    if isinstance(default, (ast.List, ast.Tuple)):
        return SEQUENCE
    if isinstance(annotation, ast.Name) and annotation.id in SCALAR_ANNOTATIONS:
        return SCALAR_ANNOTATIONS[annotation.id]
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else None
    return SEQUENCE if name in SEQUENCE_ANNOTATIONS else None


COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
           ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
           ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b, ast.In: lambda a, b: a in b,
           ast.NotIn: lambda a, b: a not in b}

BIN_OPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.MatMult: "matmul", ast.Pow: "pow",
           ast.FloorDiv: "floor_divide", ast.Mod: "remainder"}

AUG_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@", ast.Pow: "**",
               ast.FloorDiv: "//", ast.Mod: "%", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
               ast.LShift: "<<", ast.RShift: ">>"}



def const_key(node: ast.AST):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, int):
        return -node.operand.value
    return None



def is_string_key(node: ast.AST) -> bool:
    """`d["x"]`, `d[f"x{i}"]`, `d["x" + mode]`, `d["{}".format(i)]`: the index is a string, so the subscripted value
    is a mapping (a dict of outputs, a batch), never a tensor."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return is_string_key(node.left) or (isinstance(node.op, ast.Add) and is_string_key(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return is_string_key(node.func.value)
    return False


def slice_const(node: ast.Slice):
    parts = []
    for p in (node.lower, node.upper, node.step):
        if p is None:
            parts.append(None)
        else:
            k = const_key(p)
            if not isinstance(k, int):
                return None
            parts.append(k)
    return slice(*parts)



# The last word of a name that holds several positions (`angle_dims`, `keep_indices`, `sel_ids`): a list or a tensor
SEVERAL_POSITIONS = frozenset({"dims", "indices", "indexes", "idxs", "inds", "ids"})


def is_basic_index(node: ast.AST, value=None) -> bool:
    """Ints, slices, None and Ellipsis index a view; tensors, lists and masks (advanced) copy.

    An index we know nothing about (a plain name) counts as basic: it is most often an int; not one whose name says
    it holds several positions (`x[:, angle_dims]`, a list of ints in neural_clbf: a copy). A name the walk knows
    holds `slice(...)` (or a tuple of them) slices whatever it is called; one holding a Python list of positions
    (`keep = [0, 2]`) is an advanced index (measured: `x[[0, 1]]` is a copy, `x[[slice(0, 2)]]` a view)."""
    if isinstance(value, Seq) and isinstance(node, ast.Tuple) and len(value.items) == len(node.elts):
        pairs = list(zip(node.elts, value.items))
    elif isinstance(value, Seq) and not isinstance(node, ast.Tuple):
        return named_sequence_basic(value)
    else:
        pairs = [(node, value)]
    for e, v in pairs:
        if isinstance(v, SliceVal):
            continue
        if isinstance(v, Ref) or isinstance(e, (ast.List, ast.ListComp)) or (isinstance(v, Seq) and e is not node):
            return False
        if isinstance(e, ast.Compare):
            return False
        if (v is None or isinstance(v, Unknown)) and names_several_positions(e):
            return False
    return True


def named_sequence_basic(value: Seq) -> bool:
    """A name holding a tuple or list used as an index (`x[idx]`): a tuple indexes dim by dim, basic unless an item
    is a tensor or a list; a list holding a slice or None torch takes as that tuple (with a deprecation warning); a
    list of anything else (ints) is advanced."""
    items = [item for item in value.items if item != "*"]
    if value.mutable and not any(isinstance(item, (SliceVal, NoneVal)) for item in items):
        return False
    return not any(isinstance(item, (Ref, Seq)) for item in items)


def names_several_positions(node: ast.AST) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name.lower().rsplit("_", 1)[-1] in SEVERAL_POSITIONS



def is_inplace_name(attr: str) -> bool:
    return attr in TENSOR_INPLACE_METHODS and attr not in NOT_DATA_MUTATIONS



def truthy_kw(call: ast.Call, name: str) -> bool:
    return any(kw.arg == name and isinstance(kw.value, ast.Constant) and kw.value.value is True
               for kw in call.keywords)



def op_label(node, name: str) -> str:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return f".{node.func.attr}()"
    return name



def is_statement_call(node: ast.Call, ctx: ModuleContext) -> bool:
    return getattr(node, "_gg_statement", False)


def sets_grad_mode(fn) -> bool:
    """Does the function switch grad mode for its caller: `torch.set_grad_enabled(False)` on a line of its own
    (not a `with`), which stays in force after it returns?"""
    cached = getattr(fn, "_gg_sets_grad_mode", None)
    if cached is None:
        cached = summary(fn).switches_grad and any(isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) and
                     getattr(n.value.func, "attr", getattr(n.value.func, "id", None)) == "set_grad_enabled"
                     for n in ast.walk(fn))
        fn._gg_sets_grad_mode = cached
    return cached


PROGRAM_EXITS = frozenset({"sys.exit", "os._exit"})


def exits_program(call, imports: names.ImportMap, env) -> bool:
    """`exit()`, `quit()`, `sys.exit(1)`, `os._exit(1)`: a call that ends the program, never returning."""
    if not isinstance(call, ast.Call):
        return False
    if isinstance(call.func, ast.Name) and call.func.id in ("exit", "quit"):
        return call.func.id not in env and imports.qualname(call.func) is None
    return imports.qualname(call.func) in PROGRAM_EXITS


def decorator_grad(fn, imports: names.ImportMap) -> Tri | None:
    for deco in getattr(fn, "decorator_list", ()):
        target = deco.func if isinstance(deco, ast.Call) else deco
        qual = imports.qualname(target)
        if qual in NO_GRAD_CONTEXTS:
            if isinstance(deco, ast.Call) and deco.args and isinstance(deco.args[0], ast.Constant) \
                    and deco.args[0].value is False:
                continue
            return Tri.NO
        if qual in ENABLE_GRAD_CONTEXTS:
            return Tri.YES
        if qual in SET_GRAD_ENABLED and isinstance(deco, ast.Call) and deco.args:
            arg = deco.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, bool):
                return Tri.YES if arg.value else Tri.NO
    return None


def tests_inplace_flag(test: ast.AST) -> bool:
    """`if inplace:`, `if self.inplace and ...`, `x.mul_(g) if self.inplace else x * g`: the code offers the in-place
    form as an option its caller chooses."""
    cached = test.__dict__.get("_gg_inplace")
    if cached is None:
        cached = test._gg_inplace = any("inplace" in (n.id if n.__class__ is ast.Name else n.attr).lower()
                                        for n in nodes_under(test) if n.__class__ in (ast.Name, ast.Attribute))
    return cached


def only_slices(node: ast.AST) -> bool:
    sub = node.target if isinstance(node, ast.AugAssign) else node
    if not isinstance(sub, ast.Subscript):
        return False
    elts = sub.slice.elts if isinstance(sub.slice, ast.Tuple) else [sub.slice]
    return all(isinstance(e, ast.Slice) or (isinstance(e, ast.Constant) and e.value is Ellipsis) for e in elts)


def whole_index(node: ast.AST) -> bool:
    """`x[:] = v`, `x[...] = v`, `x[:, ::1] = v`: an index that takes all of every dimension whatever the shape.
    torch then writes into `x` itself, not a view of it: for a leaf it prints the leaf message, not the view one."""
    if not isinstance(node, ast.Subscript):
        return False
    elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]

    def bound(e, value) -> bool:
        return e is None or (isinstance(e, ast.Constant) and type(e.value) is int and e.value == value)

    return all((isinstance(e, ast.Slice) and bound(e.lower, 0) and e.upper is None and bound(e.step, 1))
               or (isinstance(e, ast.Constant) and e.value is Ellipsis) for e in elts)


def is_staticmethod(fn) -> bool:
    """`@staticmethod`: called on an instance (`self.helper(x)`), it gets no `self`."""
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" or isinstance(d, ast.Attribute) and
               d.attr == "staticmethod" for d in getattr(fn, "decorator_list", ()))


def is_property(fn) -> bool:
    """`@property` / `@functools.cached_property`: reading the attribute runs the method."""
    return any((d.attr if isinstance(d, ast.Attribute) else getattr(d, "id", None)) in ("property", "cached_property")
               for d in fn.decorator_list)


def freezes(node: ast.AST) -> bool:
    """Is `node` a call `<...>.requires_grad_(False)`?"""
    if node.__class__ is not ast.Call or node.func.__class__ is not ast.Attribute or \
            node.func.attr != "requires_grad_":
        return False
    flag = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "requires_grad"), None)
    return isinstance(flag, ast.Constant) and flag.value is False


def set_by_other_methods(cls_node: ast.ClassDef, attr: str, fn) -> bool:
    """Does a method of the class other than `__init__` and `fn` assign `self.<attr>` (`self.loss = ...`)?"""
    found = cls_node.__dict__.get("_gg_set_attrs")
    if found is None:
        found = {}
        for method in cls_node.body:
            if method.__class__ in (ast.FunctionDef, ast.AsyncFunctionDef) and method.name != "__init__":
                for node in ast.walk(method):
                    targets = node.targets if node.__class__ is ast.Assign else [node.target] \
                        if node.__class__ in (ast.AugAssign, ast.AnnAssign) else []
                    for t in targets:
                        if t.__class__ is ast.Attribute and t.value.__class__ is ast.Name and t.value.id == "self":
                            found.setdefault(t.attr, set()).add(method)
        cls_node._gg_set_attrs = found
    return bool(found.get(attr, set()) - {fn})


def tests_type_of(body: list, target: ast.AST) -> bool:
    """Does the loop body ask what class the loop's item is (`isinstance(layer, nn.Conv2d)`, `type(layer)`)?"""
    name = target.id if isinstance(target, ast.Name) else None
    return name is not None and any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("isinstance", "type") and n.args
        and isinstance(n.args[0], ast.Name) and n.args[0].id == name for stmt in body for n in ast.walk(stmt))


def backward_reads(node, body: list, at: int) -> set[str]:
    """The names (and dotted names) a `backward()` call reads for its target, with those the assignments before it
    in the same block read for them: `loss = -torch.stack(policy.log_probs).sum(); loss.backward()` reads `loss`,
    `torch`, `policy` and `policy.log_probs`."""
    def names_in(expr) -> set[str]:
        return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)} | \
            {d for n in ast.walk(expr) if isinstance(n, ast.Attribute) and (d := dotted(n))}

    target = node.func.value if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else node
    read = names_in(target)
    for st in reversed(body[:at]):
        if isinstance(st, ast.Assign) and any(isinstance(t, ast.Name) and t.id in read for t in st.targets):
            read |= names_in(st.value)
    return read


def reset_after_backward(tree, node) -> tuple | None:
    """`if (step + 1) % k == 0: running.backward(); running = 0.0` (or `losses = []`, `losses.clear()`,
    `del losses[:]`): on the path where this backward() frees the accumulated graph, the names it read are reset, so
    the next iteration's backward() never reaches that graph; the path that skips the `if` carries a graph nobody
    freed. That path: (id of the `if`, 0 for its body, 1 for its else), or None."""
    for branch in ast.walk(tree) if tree is not None else ():
        if not isinstance(branch, ast.If):
            continue
        for side, body in enumerate((branch.body, branch.orelse)):
            at = next((i for i, st in enumerate(body) if isinstance(st, ast.Expr) and st.value is node), None)
            if at is None:
                continue
            read = backward_reads(node, body, at)
            for st in body[at + 1:]:
                if isinstance(st, ast.Assign) and any(isinstance(t, ast.Name) and t.id in read for t in st.targets):
                    return id(branch), side
                if isinstance(st, ast.Delete) and any(isinstance(t, ast.Subscript) and whole_index(t) and
                                                      root_name(t.value) in read for t in st.targets):
                    return id(branch), side
                call = st.value if isinstance(st, ast.Expr) else None
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "clear" \
                        and root_name(call.func.value) in read:
                    return id(branch), side
    return None


def root_name(node: ast.AST) -> str | None:
    """`policy.log_probs` -> "policy"."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


LEAVING = (ast.Break, ast.Continue, ast.Return, ast.Yield, ast.YieldFrom)


def runs_straight(body: list) -> bool:
    """A loop body without break, continue, return or yield: every pass runs it to the end."""
    return not any(isinstance(n, LEAVING) for stmt in body for n in ast.walk(stmt))


def path_to(tree, node) -> list | None:
    """The nodes from `tree` down to `node` (both included), or None when `node` is not in `tree`. Only the
    top-level statement around `node` is walked (fix_text.Parents)."""
    parents = Parents(tree)
    path = [node]
    while path[-1] is not tree:
        parent = parents.get(path[-1])
        if parent is None:
            return None
        path.append(parent)
    return path[::-1]


def conditional_truncation(tree, node) -> ast.If | None:
    """Truncated backpropagation through time: `if t % k == 0: h = h.detach()` and, in the same loop,
    `if (t + 1) % k == 0: loss.backward()`. Whether each backward() is followed by a detach before the next one
    depends on how the two conditions line up, which the walk does not relate: the conditional detach, or None
    (also when this backward() runs every iteration: then the skipped detach does carry a freed graph)."""
    path = path_to(tree, node) if tree is not None else None
    loops = [i for i, n in enumerate(path or ()) if isinstance(n, (ast.For, ast.AsyncFor, ast.While))]
    if not loops or not any(isinstance(n, ast.If) for n in path[loops[-1] + 1:]):
        return None
    for branch in ast.walk(path[loops[-1]]):
        if isinstance(branch, ast.If) and branch not in path and any(
                isinstance(n, ast.Call) and detaching_call(n) for st in branch.body for n in ast.walk(st)):
            return branch
    return None


def tested_module_kinds(tree, node) -> set[str] | None:
    """The torch.nn classes the `if`s around `node` select (`if isinstance(m, (nn.ReLU, nn.Dropout)):`,
    `if type(m) in [nn.ReLU, nn.SiLU]:`, `if classname.find("ReLU") != -1:`): names, and for a `find`/`in` on the
    class name the text looked for, with a leading "~"; None when no test names a class (every module)."""
    path = path_to(tree, node) if tree is not None else None
    kinds: set[str] = set()
    for outer, inner in zip(path or (), (path or [])[1:]):
        if not isinstance(outer, ast.If) or inner not in outer.body:
            continue
        for n in ast.walk(outer.test):
            if isinstance(n, ast.Attribute) and n.attr[:1].isupper():
                kinds.add(n.attr)  # nn.ReLU
            elif isinstance(n, ast.Name) and n.id[:1].isupper() and n.id not in ("True", "False", "None"):
                kinds.add(n.id)
            elif isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value[:1].isupper():
                kinds.add("~" + n.value)  # classname.find("ReLU") / "ReLU" in classname
    return kinds or None


def kind_selected(kind: str, kinds: set[str] | None) -> bool:
    return kinds is None or kind in kinds or any(k[0] == "~" and k[1:] in kind for k in kinds)


def detaching_call(call: ast.Call) -> bool:
    """`h.detach()`, `h.detach_()`, `repackage_hidden(h)`, `detach_states(h)`."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id if isinstance(call.func, ast.Name) \
        else ""
    return "detach" in name or "repackage" in name


# `torch.jit.is_tracing()`, `torch.onnx.is_in_onnx_export()`, a project's `is_exporting()`: False on the training
# path. Code that runs only while a model is traced or exported never reaches a backward(), so an in-place change
# there (often kept on purpose: tracing records `x[i] = ...` where an out-of-place loop would unroll) is no bug.
EXPORT_CHECKS = frozenset(prefix + name for prefix in ("", "_") for name in (
    "is_tracing", "is_in_onnx_export", "is_onnx_export", "get_tracing_state", "is_exporting", "is_tracing_or_exporting"))


def export_check(func: ast.AST) -> bool:
    cls = func.__class__
    return (func.attr if cls is ast.Attribute else func.id if cls is ast.Name else "") in EXPORT_CHECKS


def backward_per_item(tree, node) -> set[str]:
    """`for r, prob in self.data: loss = -prob.log() * r; loss.backward()` (REINFORCE, one step at a time): the
    backward() inside a loop over a collection (not `range(...)`) goes through the item of this iteration, each
    item made by its own forward pass earlier. The names of the loop's target when what the backward() reads comes
    from them by the assignments of the loop body, else an empty set (the caller checks that the graph it finds
    freed is the item's, not one made before the loop: `feats` of a multi-task step)."""
    func = getattr(node, "func", None)
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return set()
    target, reached = loop_items(tree, node)
    return target if func.value.id in reached else set()


def call_per_item(tree, call, fn) -> set[str]:
    """`for xbar in xbar_list: self.generate_gradients(xbar, c)`, whose body calls backward(): the parameters of
    `fn` that the call, in a loop over a collection, passes the item of the iteration (or a name assigned from it),
    as backward_per_item's names are for a backward() in the loop itself."""
    if not isinstance(call, ast.Call) or not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return set()
    _, reached = loop_items(tree, call)
    if not reached:
        return set()
    params = [p.arg for p in fn.args.posonlyargs + fn.args.args]
    if params and params[0] in ("self", "cls") and isinstance(call.func, ast.Attribute):
        params = params[1:]
    names = {params[i] for i, a in enumerate(call.args[:len(params)])
             if isinstance(a, ast.Name) and a.id in reached}
    names.update(k.arg for k in call.keywords if k.arg and isinstance(k.value, ast.Name) and k.value.id in reached)
    return names


def loop_items(tree, node) -> tuple[set[str], set[str]]:
    """(the target names of the innermost `for` loop around `node` over a collection, not `range(...)`; those names
    and the names its body assigns from them, a few steps deep); empty sets without such a loop."""
    path = path_to(tree, node) if tree is not None else None
    loop = next((n for n in reversed(path or ()) if isinstance(n, (ast.For, ast.AsyncFor))), None)
    if loop is None:
        return set(), set()
    iterable = loop.iter.args[0] if isinstance(loop.iter, ast.Call) and getattr(loop.iter.func, "id", None) in (
        "enumerate", "reversed", "zip") and loop.iter.args else loop.iter
    if isinstance(iterable, ast.Call) and getattr(iterable.func, "id", None) == "range":
        return set(), set()
    target = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    reached = set(target)
    for _ in range(4):  # names assigned from the target (`loss = -torch.log(prob) * R`), a few steps deep
        for stmt in ast.walk(loop):
            if isinstance(stmt, ast.Assign) and any(isinstance(n, ast.Name) and n.id in reached
                                                    for n in ast.walk(stmt.value)):
                reached.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return target, reached


def collected_test(fn, cls_node, tree: ast.Module, path: str | None) -> bool:
    """Is `fn` a test that pytest or unittest calls (`def test_...` in `test_*.py`/`*_test.py`, at the top or in a
    `class Test...`; or a `test...` method of a `...TestCase` subclass)? The runner calls it with torch's default
    grad mode: on."""
    if not fn.name.startswith("test") or fn not in (cls_node.body if cls_node is not None else tree.body):
        return False  # a nested function is the test's helper, called as the test decides
    if cls_node is not None and any(getattr(b, "attr", getattr(b, "id", "")).endswith("TestCase")
                                    for b in cls_node.bases):
        return True  # unittest collects it, whatever the file's name
    base = os.path.basename(path or "")
    if not (base.startswith("test_") and base.endswith(".py") or base.endswith("_test.py")):
        return False
    return cls_node is None or cls_node.name.startswith("Test")


EXPECTING_CONTEXTS = {"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"}  # unittest's, as `self.assert...`


def expects_error(context: ast.AST, imports: names.ImportMap) -> bool:
    """`with pytest.raises(RuntimeError):`, `with self.assertRaisesRegex(RuntimeError, "leaf"):`: a test that
    checks torch raises, so what its block changes in place is meant to fail. Or one that expects another error
    (`pytest.raises(AssertionError)` around a helper that asserts the gradients are still None): the block stops
    at it, before what follows in the block runs, or the test would fail with torch's error."""
    if not isinstance(context, ast.Call) or not context.args:
        return False
    func = context.func
    return imports.qualname(func) == "pytest.raises" or \
        isinstance(func, ast.Attribute) and func.attr in EXPECTING_CONTEXTS


def imported_context(context: ast.AST, imports: names.ImportMap) -> bool:
    """`pfrl.utils.evaluating(self.policy)` in `with torch.no_grad(), pfrl.utils.evaluating(...):`: a context
    manager of a library, named by its import, that does not speak of grad: it leaves grad mode as it is (unlike
    `with ctx():` with `ctx` chosen at run time, which may be torch.enable_grad)."""
    if not isinstance(context, ast.Call):
        return False
    qual = imports.qualname(context.func)
    return qual is not None and "grad" not in qual.rsplit(".", 1)[-1].lower()  # not torch.enable_grad


TEXT_SEPARATORS = frozenset({"os.sep", "os.path.sep", "os.linesep", "os.pathsep", "os.altsep"})


def splits_text(node: ast.Call) -> bool:
    """`name.split()`, `.split(":")`, `.split(os.sep)`, `.rsplit("/", 1)`, `.split(sep=...)`: str.split, which
    torch's `split(split_size, dim)` never is (its first argument is a size or a list of sizes)."""
    if not node.args:
        return not any(k.arg in ("split_size", "split_size_or_sections") for k in node.keywords)
    first = node.args[0]
    return first.__class__ is ast.JoinedStr or first.__class__ is ast.Constant and isinstance(first.value, str) or \
        dotted(first) in TEXT_SEPARATORS or any(k.arg in ("sep", "maxsplit") for k in node.keywords)


def buffer_name(node: ast.AST) -> str | None:
    """The literal name of `receiver.register_buffer("name", ...)` (or `name="name"`), None for anything else."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "register_buffer"):
        return None
    key = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


MAPPING_METHODS = frozenset({"items", "keys", "values"})  # a dict's; a tensor has none of them


def used_as_mapping(scope: ast.AST, name: str) -> bool:
    """Does `scope` (a function, or the module) call `name.items()`, `.keys()` or `.values()`? Then `name` holds a
    mapping, not a tensor. The names are kept on the scope's node."""
    found = scope.__dict__.get("_gg_mappings")
    if found is None:
        found = scope._gg_mappings = frozenset(
            n.func.value.id for n in ast.walk(scope)
            if n.__class__ is ast.Call and n.func.__class__ is ast.Attribute and n.func.attr in MAPPING_METHODS and
            n.func.value.__class__ is ast.Name and not n.args and not n.keywords)
    return name in found


def parametrized_value(fn, name: str):
    """Number() or UNKNOWN for a test argument every `@pytest.mark.parametrize` value of which is a literal: numbers
    (`[0.1, 1.0]`), or strings, bools, None, and lists or tuples of those (`[16, [1, 16, 16]]`); None when a value
    is anything else (`torch.randn(3)`, a name) or no decorator gives the argument. pytest passes those values
    themselves: not tensors."""
    for deco in getattr(fn, "decorator_list", ()):
        if not (deco.__class__ is ast.Call and dotted(deco.func) in PARAMETRIZE and len(deco.args) >= 2 and
                isinstance(deco.args[0], ast.Constant) and isinstance(deco.args[0].value, str)):
            continue
        names = [n.strip() for n in deco.args[0].value.split(",") if n.strip()]
        if name not in names:
            continue
        cases = deco.args[1]
        if not isinstance(cases, (ast.List, ast.Tuple)) or not cases.elts:
            return None
        at = names.index(name)
        picked = []
        for case in cases.elts:
            if len(names) > 1:
                if not isinstance(case, (ast.List, ast.Tuple)) or len(case.elts) != len(names):
                    return None
                case = case.elts[at]
            if not literal(case):
                return None
            picked.append(case)
        numbers = all(isinstance(c, ast.Constant) and isinstance(c.value, (int, float)) and
                      not isinstance(c.value, bool) for c in picked)
        return Number() if numbers else UNKNOWN
    return None


PARAMETRIZE = frozenset({"pytest.mark.parametrize", "mark.parametrize"})


def literal(node: ast.AST) -> bool:
    """A constant, a negated number, or a list or tuple of such (nested)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        return True
    return isinstance(node, (ast.List, ast.Tuple)) and all(literal(e) for e in node.elts)


def tensor_index(node: ast.AST) -> bool:
    """Does the subscript index like a tensor (`x[:, 0]`, `x[..., 1:]`, `x[mask]` with a comparison), not like a list
    (`x[i]`)?"""
    sub = node.target if isinstance(node, ast.AugAssign) else node
    if not isinstance(sub, ast.Subscript):
        return False
    index = sub.slice
    elts = index.elts if isinstance(index, ast.Tuple) else [index]
    return isinstance(index, ast.Tuple) or any(
        isinstance(e, (ast.Slice, ast.Compare)) or (isinstance(e, ast.Constant) and e.value in (None, Ellipsis))
        for e in elts)
