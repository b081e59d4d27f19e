"""The Python builtins that carry tensors through (`map`, `list`, `tuple`, `zip`, `enumerate`), those that are torch
ops on a tensor (`abs`, `pow`, `max`/`min` of one tensor), and calls of lambdas.

`q, k, v = map(lambda t: rearrange(t, ...), (q, k, v))` keeps each item what the lambda makes of it (a view of a
`chunk` piece stays one), instead of becoming something unknown.
"""

from __future__ import annotations

import ast

from .config_dicts import dict_of
from .defaults import config_default
from .optimizers import is_parameters, params_concat
from .slices import SliceVal
from .values import (
    BoolConst, BuiltinVal, ConstStr, DefaultStr, DictVal, Env, FuncVal, ModuleVal, NoneVal, Number, PartialVal,
    QualVal, Ref, Seq, State, UNKNOWN, Unknown,
)

MODELLED_BUILTINS = frozenset({"map", "list", "tuple", "zip", "enumerate", "setattr", "getattr", "dict", "isinstance",
                               "int", "float", "len", "range", "filter", "abs", "pow", "max", "min", "slice"})
PYTHON_SCALARS = frozenset({"int", "float", "len"})  # give a Python number, which carries no graph
TENSOR_CLASSES = frozenset({"torch.Tensor", "torch.nn.Parameter", "torch.nn.parameter.Parameter"})
CONTAINERS = frozenset({"list", "tuple", "dict", "set", "str", "int", "float", "bool"})  # no tensor is one


def attribute_key(node: ast.AST, value) -> str | None:
    """The attribute name `setattr`/`getattr`/`add_module` is given: a constant, or for an f-string made in a loop
    (`f"block{i}"`) its constant head and `*`, one key for every attribute the loop makes."""
    if isinstance(value, ConstStr):
        return value.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant) and \
            isinstance(node.values[0].value, str) and node.values[0].value:
        return node.values[0].value + "*"
    return None


def keeps_trainable(node: ast.AST) -> bool:
    """`lambda p: p.requires_grad`, the predicate of `filter(..., model.parameters())` that keeps the trainable."""
    return isinstance(node, ast.Lambda) and len(node.args.args) == 1 and isinstance(node.body, ast.Attribute) and \
        node.body.attr == "requires_grad" and isinstance(node.body.value, ast.Name) and \
        node.body.value.id == node.args.args[0].arg


def known_length(value) -> bool:
    """A tuple or list whose items the walk knows one by one (not `(item, "*")`, a sequence of unknown length)."""
    return isinstance(value, Seq) and bool(value.items) and "*" not in value.items


def alike_pieces(items: list, state: State) -> bool:
    """Several tensors the walk cannot tell apart (each item of `x.chunk(n)` holds the same TObj until one is
    changed): one stands for all of them, as the item of a sequence of unknown length does."""
    if len(items) < 2 or not all(isinstance(i, Ref) and len(i.objs) == 1 for i in items):
        return False
    return len({id(state.obj(next(iter(i.objs)))) for i in items}) == 1


def starred_unpack(targets: list, value) -> list | None:
    """`a, *rest = x.chunk(4)`, `first, *middle, last = (p, q, r, s)`: one value per target, the starred target's a
    list of the items it takes. None: no starred target, or not a tuple or list of known length."""
    starred = [i for i, t in enumerate(targets) if isinstance(t, ast.Starred)]
    if len(starred) != 1 or not known_length(value) or len(value.items) < len(targets) - 1:
        return None
    i, after = starred[0], len(targets) - 1 - starred[0]
    items = value.items
    return list(items[:i]) + [Seq(items[i:len(items) - after], mutable=True)] + list(items[len(items) - after:])


def container_classes(classes) -> bool:
    """`list`, or a tuple of `list`/`tuple`/`dict`/`str`...: Python classes no tensor is an instance of."""
    classes = classes.items if isinstance(classes, Seq) and "*" not in classes.items else (classes,)
    return bool(classes) and all(isinstance(c, BuiltinVal) and c.name in CONTAINERS for c in classes)


def names_tensor_class(classes) -> bool:
    """`torch.Tensor`, or a tuple of classes with it: every tensor is an instance (not so of `nn.Parameter`)."""
    classes = classes.items if isinstance(classes, Seq) and "*" not in classes.items else (classes,)
    return any(isinstance(c, QualVal) and c.qual == "torch.Tensor" for c in classes)


def not_a_tensor_side(walker, test: ast.AST, state: State) -> tuple[str, int] | None:
    """`if isinstance(t, torch.Tensor):` that the walk does not decide (`t` may be a tensor or something else): on the
    side where the test fails (1, the `else`; 0 under `not`) `t` is no tensor, so what follows the `if` on that side
    is not the tensor's rows (`t = (t,)` in the body, then `for x in t`). (`t`'s name, that side), or None. Only a
    plain name: an attribute (`self.mask`) is module state, which more than the name holds."""
    side = 1
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, side = test.operand, 0
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" and
            "isinstance" not in state.env and len(test.args) == 2 and not test.keywords):
        return None
    held, classes = test.args
    classes = classes.elts if isinstance(classes, ast.Tuple) else [classes]
    if not isinstance(held, ast.Name) or not isinstance(state.env.get(held.id), Ref) or \
            not any(walker.ctx.imports.qualname(c) == "torch.Tensor" for c in classes):
        return None
    return held.id, side


def sized_tuple(value) -> bool:
    """A tuple of ints whose length the walk knows (a tensor's `.shape` when it knows the rank, `(2, 3)`): `len` of
    it is that length. Not a list (the walk may miss an append) nor a tuple of tensors (`x.chunk(2)` gives fewer
    pieces than asked of a dim of size 1)."""
    return isinstance(value, Seq) and not value.mutable and bool(value.items) and \
        all(isinstance(i, Number) for i in value.items)


def not_a_tensor_test(args: list, kwargs) -> bool:
    """`isinstance(x, torch.Tensor)` (or `nn.Parameter`, or a tuple of those) of a tuple or list the walk holds as
    one: False in Python, whatever the items."""
    if len(args) != 2 or kwargs or not isinstance(args[0], Seq):
        return False
    classes = args[1].items if isinstance(args[1], Seq) and "*" not in args[1].items else (args[1],)
    return bool(classes) and all(isinstance(c, QualVal) and c.qual in TENSOR_CLASSES for c in classes)


class BuiltinCalls:
    """`map`/`list`/`tuple` and lambda calls, for the walk (a mixin of the Interpreter)."""

    def call_builtin(self, name: str, node: ast.Call, state: State):
        args, kwargs = self.eval_args(node, state)
        if name == "len" and len(args) == 1 and not kwargs and sized_tuple(args[0]):
            return Number(len(args[0].items))  # `len(x.shape)` of a tensor of known rank
        if name in PYTHON_SCALARS:
            return Number()  # `gs = max(int(model.stride.max()), 32)`
        if name == "slice":
            return SliceVal()  # `x[slice(*bounds)]` slices as `x[a:b]` does
        done = self.tensor_builtin(name, args, kwargs, node, state)
        if done is not None:
            return done
        if name == "range":
            # Python ints, whatever the bounds: `range(start_epoch, epochs)` with `start_epoch = ckpt["epoch"]`
            # (a tensor, as far as the walk knows) counts with ints, which carry no graph
            return Seq((Number(), "*"))
        if name == "dict" and not args and getattr(kwargs, "more", None) is None:
            return DictVal(tuple(kwargs.items()))  # `dict(device=device, dtype=dtype)`, passed on as `**dd`
        if name == "dict" and dict_of(args, kwargs) is not None:
            return dict_of(args, kwargs)  # `cfg = dict(cfg)`: a copy
        if name in ("list", "tuple") and not node.args and not node.keywords:
            return Seq((), mutable=name == "list")  # `self.ml_losses = list()`: as `[]`, which appends then fill
        if name in ("list", "tuple") and len(args) == 1 and not kwargs and isinstance(args[0], Seq):
            return Seq(args[0].items, mutable=name == "list")
        if name in ("list", "tuple") and len(args) == 1 and not kwargs and is_parameters(args[0]):
            return params_concat(args)  # `list(model.parameters())`: what an optimizer given it steps
        if name in ("list", "tuple") and len(args) == 1 and not kwargs and isinstance(args[0], Ref):
            # `x = list(x)` of a tensor or an argument of unknown type: a new Python list of its items (a tensor's
            # rows, as iterating it gives), so `x[i] = conv(x[i])` replaces an item and changes no tensor
            return Seq((self.iter_item(args[0], node, state), "*"), mutable=name == "list")
        if name == "filter" and len(args) == 2 and not kwargs and is_parameters(args[1]) and \
                keeps_trainable(node.args[0]):
            # `filter(lambda p: p.requires_grad, model.parameters())`: the ones a step changes (torch skips those
            # without a .grad, which a frozen parameter never gets), so what an optimizer given all of them steps
            return args[1]
        if name == "map" and len(args) == 2 and isinstance(args[0], (FuncVal, PartialVal)) and \
                isinstance(args[1], Seq):
            # `map(partial(merge_heads, h), (q, k, v))` too: the partial's arguments first, then the item
            call = self.call_function if isinstance(args[0], FuncVal) else self.call_partial
            fn, items = args[0], args[1].items
            if items and items[-1] == "*":  # a sequence of unknown length: what one item becomes
                return Seq((call(fn, [items[0]], {}, node, state), "*"))
            return Seq(tuple(call(fn, [item], {}, node, state) for item in items))
        if name == "zip" and args and not kwargs and not any(isinstance(a, ast.Starred) for a in node.args):
            if all(known_length(a) for a in args):  # `zip((opt_g, opt_d), (loss_g, loss_d))`: the pairs themselves
                return Seq(tuple(Seq(items) for items in zip(*(a.items for a in args))))
            # `for t, o in zip(target.parameters(), online.parameters())`: each pair holds one item of each
            return Seq((Seq(tuple(self.iter_item(a, node, state) for a in args)), "*"))
        if name in ("setattr", "getattr") and len(node.args) >= 2 and not kwargs and \
                not any(isinstance(a, ast.Starred) for a in node.args):
            found = self.attribute_by_name(args[0], node.args[1], args[1], args[2:], node, state)                 if name == "setattr" or len(args) == 2 else None
            if found is not None:
                return found
            found = self.torch_attribute(node, args, state) if name == "getattr" and len(args) == 2 else None
            if found is None and name == "getattr" and len(args) == 3 and args[0].__class__ is Unknown:
                found = config_default(self, node, *node.args)  # `getattr(config, "size", 64)` in an `__init__`
            if found is not None:
                return found
        if name == "isinstance":
            # `if isinstance(input_tensors, torch.Tensor): input_tensors = (input_tensors,)` given a tuple: not taken
            # (otherwise the walk joins the tuple with a tuple of it, and what its items were is lost)
            if not_a_tensor_test(args, kwargs):
                return BoolConst(False)
            if len(args) == 2 and not kwargs and isinstance(args[0], Ref) and not args[0].maybe_none and \
                    container_classes(args[1]) and self.known_single_tensor(args[0], state):
                # `if isinstance(out, list): for t in out: t.squeeze_(0)` given a tensor a torch op made: not taken
                # (its rows are not what the helper changes); `if not isinstance(pg[0], dict): pg = [{"params": pg}]`
                # taken. Not for a name that is something else on another path (a Ref that may be None stands for
                # that)
                return BoolConst(False)
            if len(args) == 2 and not kwargs and isinstance(args[0], Ref) and not args[0].maybe_none and \
                    names_tensor_class(args[1]) and self.known_single_tensor(args[0], state):
                # `if isinstance(t, torch.Tensor): t = (t,)` given a tensor a torch op made: taken, so that after it
                # `t` is the tuple only (iterating it gives the tensor, not the tensor's rows)
                return BoolConst(True)
            return self.call_elsewhere(None, args, kwargs, node, state)
        if name == "enumerate" and (len(args) == 1 and set(kwargs) <= {"start"} or len(args) == 2 and not kwargs) \
                and getattr(kwargs, "more", None) is None and not any(isinstance(a, ast.Starred) for a in node.args):
            # `enumerate(loader, start=epoch * len(loader))`: the count is an int; the items are the iterable's
            if known_length(args[0]) and len(args) == 1 and not kwargs:
                return Seq(tuple(Seq((Number(i), item)) for i, item in enumerate(args[0].items)))
            if known_length(args[0]):
                return Seq(tuple(Seq((Number(), item)) for item in args[0].items))
            return Seq((Seq((Number(), self.iter_item(args[0], node, state))), "*"))
        return self.unknown_call(args, kwargs, node, state)

    def tensor_builtin(self, name: str, args: list, kwargs, node: ast.Call, state: State):
        """The builtins that Python dispatches to a tensor's own ops (measured under torch 2.13): `abs(t)` is
        `t.__abs__()`, torch.abs, which saves `t` (AbsBackward0: `phase /= abs(phase)` then breaks backward());
        `pow(t, e)` is `t ** e` and `pow(2, t)` `2 ** t`; `max(t)`/`min(t)` iterate `t` and give one of its rows,
        an output of unbind. None: not one of those calls (`max(a, b)` compares, `round(t)` and `divmod(t, n)`
        raise TypeError; `sum(ts)` adds and saves nothing, which an unknown call's result already keeps)."""
        if any(isinstance(a, ast.Starred) for a in node.args) or getattr(kwargs, "more", None) is not None:
            return None
        if name == "abs" and len(args) == 1 and not kwargs and isinstance(args[0], Ref):
            return self.torch_call(("abs", "torch"), args, kwargs, node, state)
        if name == "pow" and len(args) == 2 and not kwargs and any(isinstance(a, Ref) for a in args):
            return self.binop(ast.Pow, args[0], args[1], node, state)
        if name in ("max", "min") and len(args) == 1 and set(kwargs) <= {"key", "default"} and \
                isinstance(args[0], Ref) and self.known_single_tensor(args[0], state):
            return self.iter_item(args[0], node, state)
        return None

    def torch_attribute(self, node: ast.Call, args: list, state: State):
        """`getattr(torch, "sigmoid")`, `getattr(nn, act_name)` with a constructor's default name: the torch object
        (`torch.sigmoid`, `torch.nn.Tanh`) as if written out. None: not a torch module, or a name not known."""
        first = node.args[0]
        owner = args[0].qual if isinstance(args[0], QualVal) else self.ctx.imports.qualname(first) \
            if isinstance(first, ast.Name) and first.id not in state.env else None
        key = args[1].value if isinstance(args[1], ConstStr) else \
            args[1].default if isinstance(args[1], DefaultStr) else None
        if owner is None or not (owner == "torch" or owner.startswith("torch.")) or key is None or \
                not key.isidentifier():
            return None
        return QualVal(f"{owner}.{key}")

    def attribute_by_name(self, target, key_node: ast.AST, key_value, stored: list, node: ast.Call, state: State):
        """`setattr(self, f"block{i}", Block(d))` in a constructor (`stored`: [the value]), `getattr(self,
        f"block{i}")` in forward (`stored` empty), `self.add_module(name, m)`: a module's attributes by name.
        None: not an attribute of one of the file's modules."""
        key = attribute_key(key_node, key_value)
        attrs = self.ctx.instance_attrs.get(target.id) if isinstance(target, ModuleVal) and target.cls else None
        if attrs is None or key is None:
            return None
        if stored:
            attrs[key] = stored[0]  # a loop's attributes: the last one made stands for all of them
            return NoneVal()
        if key in attrs:
            return attrs[key]
        return None if key.endswith("*") else self.module_attr(target, key, node, state)

    def call_lambda(self, fn: FuncVal, args, kwargs, node, state: State):
        """A lambda's body, with its parameters bound and the names of the scope that defined it."""
        target = fn.node
        if fn.closure is None or target in self.func_stack:
            return self.unknown_call(args, kwargs, node, state)
        inner = state.copy(env=Env(fn.closure))
        walker = type(self)(self.ctx, self.frames, self.depth, self.loop_pass, self.func_stack + (target,),
                            fn.cls)
        self.bind_arguments(target, list(args), kwargs, inner, walker)
        value = walker.expr(target.body, inner)
        self.merge_side_effects(state, inner)
        return value if value is not None else UNKNOWN
