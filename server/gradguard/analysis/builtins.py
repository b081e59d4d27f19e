"""The Python builtins that carry tensors through (`map`, `list`, `tuple`, `zip`, `enumerate`) and calls of lambdas.

`q, k, v = map(lambda t: rearrange(t, ...), (q, k, v))` keeps each item what the lambda makes of it (a view of a
`chunk` piece stays one), instead of becoming something unknown.
"""

from __future__ import annotations

import ast

from .values import Env, FuncVal, Number, Seq, State, UNKNOWN

MODELLED_BUILTINS = frozenset({"map", "list", "tuple", "zip", "enumerate"})


class BuiltinCalls:
    """`map`/`list`/`tuple` and lambda calls, for the walk (a mixin of the Interpreter)."""

    def call_builtin(self, name: str, node: ast.Call, state: State):
        args, kwargs = self.eval_args(node, state)
        if name in ("list", "tuple") and len(args) == 1 and not kwargs and isinstance(args[0], Seq):
            return Seq(args[0].items, mutable=name == "list")
        if name == "map" and len(args) == 2 and isinstance(args[0], FuncVal) and isinstance(args[1], Seq):
            fn, items = args[0], args[1].items
            if items and items[-1] == "*":  # a sequence of unknown length: what one item becomes
                return Seq((self.call_function(fn, [items[0]], {}, node, state), "*"))
            return Seq(tuple(self.call_function(fn, [item], {}, node, state) for item in items))
        if name == "zip" and args and not kwargs and not any(isinstance(a, ast.Starred) for a in node.args):
            # `for t, o in zip(target.parameters(), online.parameters())`: each pair holds one item of each
            return Seq((Seq(tuple(self.iter_item(a, node, state) for a in args)), "*"))
        if name == "enumerate" and len(args) == 1 and not kwargs:
            return Seq((Seq((Number(), self.iter_item(args[0], node, state))), "*"))
        return self.unknown_call(args, kwargs, node, state)

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
