"""Evaluating expressions: names, literals, operators, comprehensions, subscripts and attributes."""

from __future__ import annotations

import ast
from dataclasses import replace

from ..facts import NON_TENSOR_ATTRS, RETURN_TYPE_FIELDS, VIEW_ATTRS
from .slices import keeps_contiguous
from .syntax import (
    BIN_OPS, COMPARE, const_key, dotted, is_basic_index, is_string_key, slice_const, tests_inplace_flag,
)
from . import kept_lists
from .builtins import MODELLED_BUILTINS, alike_pieces
from .cli_options import Options, set_elsewhere
from .comprehension_items import note_element, own_item
from .modules import any_registered
from .defaults import chosen_by_default, compared_rate, selectable_choice
from .optimizers import is_parameters, params_concat, some_optimizer
from .shapes import sizes_of_rank
from .values import (
    AnySubmodule, BoolConst, BuiltinVal, ClassVal, ConstStr, DefaultBool, DefaultStr, DictVal, FuncVal, ModuleVal,
    NOT_CONSTANT, NoneVal, Number, NumpyArr, Optimizer, QualVal, Ref, SIZES, Seq, State, Tri, UNKNOWN, Unknown,
    constant_value, fresh_id, from_caller, join_val,
)


GRAD_FIELD = "a `.grad` tensor"  # what reading `p.grad` gives (its describe: checker knows a gradient by it)
# Values that stand for one thing on every path the walk joined (a value that is None on some path joins to
# something unknown): `value is None` is known for them.
NEVER_NONE = (ModuleVal, FuncVal, ClassVal, Seq, DictVal, Number, ConstStr, BoolConst)


def _decided(true_when: bool, false_when: bool):
    return True if true_when else False if false_when else None


# `counter OP k` for a counter within [low, high] (high None: no upper bound): True/False when that decides it
BOUNDED = {
    ast.Eq: lambda lo, hi, k: _decided(lo == hi == k, k < lo or hi is not None and k > hi),
    ast.NotEq: lambda lo, hi, k: _decided(k < lo or hi is not None and k > hi, lo == hi == k),
    ast.Lt: lambda lo, hi, k: _decided(hi is not None and hi < k, lo >= k),
    ast.LtE: lambda lo, hi, k: _decided(hi is not None and hi <= k, lo > k),
    ast.Gt: lambda lo, hi, k: _decided(lo > k, hi is not None and hi <= k),
    ast.GtE: lambda lo, hi, k: _decided(lo >= k, hi is not None and hi < k),
}
_EXPR_METHODS: dict = {}  # node type -> its `expr_X` method (None: walk its children), looked up once per type


class ExpressionEvaluator:
    """The `expr_*` half of the Interpreter: one method per expression type, each giving a value."""

    # ------------------------------------------------------------------ expressions
    def expr(self, node: ast.AST | None, state: State):
        if node is None:
            return NoneVal()
        kind = node.__class__
        try:
            method = _EXPR_METHODS[kind]
        except KeyError:
            method = _EXPR_METHODS[kind] = getattr(type(self), "expr_" + kind.__name__, None)
        if method is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, state)
            return UNKNOWN
        return method(self, node, state)

    def expr_Constant(self, node, state):
        if isinstance(node.value, bool):
            return BoolConst(node.value)
        if isinstance(node.value, (int, float, complex)):
            return Number(node.value)
        if node.value is None:
            return NoneVal()
        if isinstance(node.value, str):
            return ConstStr(node.value)
        return UNKNOWN

    def expr_JoinedStr(self, node, state):
        """`f"D_{mode}"` with `mode` a known string (a loop over a literal list of names): the string it makes, so
        a callee's `if name == "D_enh":` is decided per iteration as it is for `"D_enh"` itself. Any other part
        (a number, a format spec, an unknown value) leaves the whole string unknown."""
        parts, known = [], True
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(part.value)
                continue
            value = self.expr(part.value, state) if isinstance(part, ast.FormattedValue) else UNKNOWN
            if value.__class__ is ConstStr and part.conversion == -1 and part.format_spec is None:
                parts.append(value.value)
            else:
                known = False
        return ConstStr("".join(parts)) if known else UNKNOWN

    def expr_Name(self, node, state):
        if node.id in state.env:
            return state.env[node.id]
        if node.id in self.ctx.functions:
            return FuncVal(self.ctx.functions[node.id])
        registry = self.ctx.registries.get(node.id)
        if registry is not None:  # a module-level table of classes by name: its entries are plain references
            self.ctx.touched.add(registry)
            return self.expr(registry.value, state)
        if node.id in self.ctx.classes:
            return ClassVal(node.id)
        if node.id in MODELLED_BUILTINS:
            return BuiltinVal(node.id)
        return UNKNOWN

    def expr_NamedExpr(self, node, state):
        value = self.expr(node.value, state)
        self.assign(node.target, value, state, node.value)
        return value

    def expr_Tuple(self, node, state):
        return Seq(self.display_items(node, state))

    def expr_List(self, node, state):
        return Seq(self.display_items(node, state), mutable=True)

    def display_items(self, node, state) -> tuple:
        """The items of a tuple or list display; `(q, *kv)` with `kv` a tuple of known length holds its items one by
        one (`q, k, v = map(f, (q, *kv))` then finds what each became). A `*xs` of unknown length stays one
        unknown item."""
        items = []
        for e in node.elts:
            val = self.expr(e, state)
            spliced = self.last_starred[1] if isinstance(e, ast.Starred) and self.last_starred[0] is e else None
            if isinstance(spliced, Seq) and spliced.items and "*" not in spliced.items:
                items.extend(spliced.items)
            else:
                items.append(val)
        return tuple(items)

    expr_Set = expr_List

    def expr_Dict(self, node, state):
        items = []
        complete = True  # every key known: no `**other`, no key computed at run time
        for k, v in zip(node.keys, node.values):
            val = self.expr(v, state)
            key = const_key(k) if k is not None else None
            if k is not None:
                index = self.expr(k, state)
                if key is None and isinstance(index, ConstStr):
                    key = index.value  # `{LOSS: ...}` with `LOSS = "loss"` a constant: the key `state[LOSS]` reads
            if key is not None:
                items.append((key, val))
            complete = complete and key is not None
        return DictVal(tuple(items), None if complete else UNKNOWN)

    def expr_IfExp(self, node, state):
        test = self.expr(node.test, state)
        known = self.truth(test)
        if known is not None:  # `x.expand(...) if shared else x.repeat(...)` with `shared=False` given or default
            return self.expr(node.body if known else node.orelse, state)
        opt_in = tests_inplace_flag(node.test)
        self.inplace_opt_in += opt_in
        if isinstance(test, DefaultBool):
            # `proj(x).chunk(2) if not self.context_only else (context, context)`: each side as a side of an `if`
            # on the constructor's default (stmt_If), so that what each makes is known to be made there
            a, b = self.default_sides_of(node, test, state)
        else:
            a = self.expr(node.body, state)
            b = self.expr(node.orelse, state)
        self.inplace_opt_in -= opt_in
        joined = join_val(a, b)
        if isinstance(test, DefaultBool) and not isinstance(joined, (Ref, ModuleVal, FuncVal)) and \
                all(isinstance(v, (ModuleVal, FuncVal)) for v in (a, b)) and not selectable_choice(test, a, b):
            # `(lambda t: t.tanh()) if squash else ...`, `nn.GELU() if flag else nn.ReLU()`: what the defaults build
            return chosen_by_default(a if test.default else b, test.source)
        if joined is UNKNOWN and a.__class__ is ModuleVal and b.__class__ is ModuleVal:
            return self.choice_of("", a, b, node) or joined  # `Gate() if gated else Shift(d)`: one of them
        return joined

    def default_sides_of(self, node: ast.IfExp, test: DefaultBool, state) -> tuple:
        """The two values of `body if test else orelse`, each walked on its side's branch key."""
        outer = state.branch
        side = (self.start_id, id(node), self.loop_pass)
        self.note_default_sides(side, test, node.test)
        try:
            state.branch = outer + (side + (0,),)
            a = self.expr(node.body, state)
            state.branch = outer + (side + (1,),)
            b = self.expr(node.orelse, state)
        finally:
            state.branch = outer
        ours, others = self.held_objs(a), self.held_objs(b)
        return (self.bound_on_side(a, state, outer + (side + (0,),), others),
                self.bound_on_side(b, state, outer + (side + (1,),), ours))

    def expr_BoolOp(self, node, state, vals=None):
        if vals is None:
            vals = [self.expr(v, state) for v in node.values]
        decisive = isinstance(node.op, ast.Or)  # `a or b` is true as soon as one is; `a and b` false as soon as one is
        if any(isinstance(v, BoolConst) and v.value is decisive for v in vals):
            return BoolConst(decisive)
        if all(isinstance(v, BoolConst) for v in vals):
            return BoolConst(not decisive)
        self.bool_parts = (node, vals)  # each test's own setting, for the side of an `if` on them (note_default_sides)
        if all(isinstance(v, (BoolConst, DefaultBool)) for v in vals):
            defaults = [v.default for v in vals if isinstance(v, DefaultBool)]
            answer = decisive if decisive in defaults else not decisive
            return DefaultBool(default=answer, source=", ".join(
                dict.fromkeys(v.source for v in vals if isinstance(v, DefaultBool))))
        deciding = [v for v in vals if isinstance(v, DefaultBool) and v.default is decisive]
        if deciding and all(isinstance(v, (BoolConst, Unknown)) for v in vals):
            # `skip and stride == 1 and c_in == c_out` with `skip=False` by default: False built with the defaults
            return DefaultBool(default=decisive, source=", ".join(dict.fromkeys(v.source for v in deciding)))
        out = vals[0]
        for v in vals[1:]:
            out = join_val(out, v)
        return out

    def expr_Compare(self, node, state):
        vals = [self.expr(node.left, state)] + [self.expr(c, state) for c in node.comparators]
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Is, ast.IsNot)) and \
                any(isinstance(v, NoneVal) for v in vals) and any(v.__class__ is Ref for v in vals):
            # `if pos is not None:` on a tensor this walk made or was given by a caller it walked: known. The
            # caller's own arguments (and a name that is None on another path) are not.
            ref = vals[0] if vals[0].__class__ is Ref else vals[1]
            if not ref.maybe_none and not any((o := state.obj(oid)).is_argument or o.passed_in for oid in ref.objs):
                return BoolConst(isinstance(node.ops[0], ast.IsNot))
            return UNKNOWN
        if any(isinstance(v, Ref) for v in vals):
            return self.new_tensor(state, node, Tri.NO)
        if all(isinstance(op, ast.Eq) for op in node.ops) and (same := self.same_data_ptr(node, state)) is not None:
            return BoolConst(same)
        if len(node.ops) == 1 and vals[0].__class__ is QualVal and vals[1].__class__ is QualVal and \
                vals[0].qual == vals[1].qual and not vals[0].qual.endswith("nan") and \
                isinstance(node.ops[0], (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
            # `if stage == sb.Stage.TRAIN:` where the caller passed `sb.Stage.TRAIN`: one imported object compared
            # with itself (an enum member, a dtype; not `math.nan`, unequal to itself). Two different names may
            # still be equal: not decided.
            return BoolConst(isinstance(node.ops[0], (ast.Eq, ast.Is)))
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Is, ast.IsNot)):
            # `if self.act is not None:` on a module built on every path (`self.act = nn.ReLU()`, or the caller's
            # `act_cfg=dict(...)` chose it): known, as the constructor's default when that chose it
            other = vals[1] if isinstance(vals[0], NoneVal) else vals[0] if isinstance(vals[1], NoneVal) else None
            if isinstance(other, NEVER_NONE) and not getattr(other, "optional", False):
                answer = isinstance(node.ops[0], ast.IsNot)
                source = getattr(other, "by_default", "")
                return DefaultBool(default=answer, source=source) if source else BoolConst(answer)
        if len(node.ops) == 1 and len(vals) == 2 and isinstance(vals[0], Number) and vals[0].minimum is not None \
                and isinstance(constant_value(vals[1]), int) and type(node.ops[0]) in BOUNDED:
            # `if i == 0:` in `for i in range(n)`: 0 in the first pass, past 0 in the second
            answer = BOUNDED[type(node.ops[0])](vals[0].minimum, vals[0].maximum, constant_value(vals[1]))
            if answer is not None:
                return BoolConst(answer)
        if len(node.ops) == 1 and all(constant_value(v) is not NOT_CONSTANT for v in vals):
            a, b = (constant_value(v) for v in vals)
            try:
                answer = bool(COMPARE[type(node.ops[0])](a, b))
            except (KeyError, TypeError):
                return UNKNOWN
            return compared_rate(vals, answer)
        if len(node.ops) == 1 and any(isinstance(v, (DefaultStr, DefaultBool)) for v in vals):
            # `self.activation == "tanh"` on a constructor's default: which side the defaults take
            known = [v.default if isinstance(v, (DefaultStr, DefaultBool)) else constant_value(v) for v in vals]
            listed = node.comparators[0]
            if isinstance(node.ops[0], (ast.In, ast.NotIn)) and isinstance(listed, (ast.Tuple, ast.List, ast.Set)) \
                    and all(isinstance(e, ast.Constant) for e in listed.elts):  # `act in ("relu", "gelu")`
                known[1] = frozenset(e.value for e in listed.elts)
            if NOT_CONSTANT not in known:
                try:
                    answer = bool(COMPARE[type(node.ops[0])](*known))
                except (KeyError, TypeError):
                    return UNKNOWN
                return DefaultBool(default=answer, source=", ".join(
                    dict.fromkeys(v.source for v in vals if isinstance(v, (DefaultStr, DefaultBool)))))
        return UNKNOWN

    def same_data_ptr(self, node: ast.Compare, state) -> bool | None:
        """`query.data_ptr() == key.data_ptr() == value.data_ptr()` (fairseq's attention picks its packed projection
        by it): true when every name holds the one tensor, false when they hold tensors of storages this walk made
        apart (a caller's arguments may be one tensor), else unknown."""
        refs = []
        for side in [node.left, *node.comparators]:
            if not (isinstance(side, ast.Call) and not side.args and not side.keywords and
                    isinstance(side.func, ast.Attribute) and side.func.attr == "data_ptr" and
                    isinstance(side.func.value, ast.Name)):
                return None
            ref = state.env.get(side.func.value.id)
            if not isinstance(ref, Ref) or ref.maybe_none or len(ref.objs) != 1:
                return None
            refs.append(ref)
        if all(r.objs == refs[0].objs for r in refs):
            return True
        objs = [state.obj(next(iter(r.objs))) for r in refs]
        if len({o.storage for o in objs}) == len(objs) and not any(o.is_argument or o.passed_in for o in objs):
            return False
        return None

    def expr_Lambda(self, node, state):
        return FuncVal(node, self.class_name, closure=state.env)

    def expr_Await(self, node, state):
        return self.expr(node.value, state)

    def expr_Starred(self, node, state):
        self.last_starred = (node, self.expr(node.value, state))
        return UNKNOWN

    def expr_ListComp(self, node, state):
        # Comprehensions run their element once per item; a walk of the element once finds what it does.
        inner = state.copy()
        for gen in node.generators:
            it = self.expr(gen.iter, inner)
            self.assign(gen.target, self.iter_item(it, gen, inner), inner, gen.iter)
            for cond in gen.ifs:
                self.expr(cond, inner)
        first = fresh_id()  # ids only grow: a storage past it is the element's own, made anew for each item
        elt = self.expr(node.elt, inner) if hasattr(node, "elt") else UNKNOWN
        if isinstance(elt, Ref):
            made = [s for s in (inner.obj(o).storage for o in elt.objs) if s > first]
            self.ctx.root.item_storages.update(made)
            note_element(self.ctx.root, made, first, fresh_id())
        self.merge_side_effects(state, inner)
        # tensors, or torch.nn modules (`nn.ModuleList([nn.Linear(d, d) for _ in ...])`)
        if isinstance(elt, Ref) or isinstance(elt, ModuleVal) and elt.kind is not None:
            return Seq((elt, "*"), mutable=True)
        if isinstance(elt, Optimizer):  # `[Adam(q.parameters()) for q in self.critics]`: one per model
            return Seq((elt, "*"), mutable=True)
        if isinstance(elt, ModuleVal) and elt.cls:
            # the file's own blocks: a call reads what the class's forward keeps, walked once per class
            # (modules.block_summary), not again in every loop that runs the stack (~4 % of the CLI's time)
            return Seq((replace(elt, summarized=True), "*"), mutable=True)
        return UNKNOWN

    expr_GeneratorExp = expr_ListComp
    expr_SetComp = expr_ListComp

    def expr_DictComp(self, node, state):
        inner = state.copy()
        for gen in node.generators:
            it = self.expr(gen.iter, inner)
            self.assign(gen.target, self.iter_item(it, gen, inner), inner, gen.iter)
        self.expr(node.key, inner)
        self.expr(node.value, inner)
        self.merge_side_effects(state, inner)
        return UNKNOWN

    def merge_side_effects(self, state: State, inner: State) -> None:
        state.objs.update(inner.objs)
        state.muts.update(inner.muts)
        state.freed.update(inner.freed)

    def expr_UnaryOp(self, node, state):
        operand = self.expr(node.operand, state)
        if isinstance(node.op, ast.USub) and isinstance(operand, Ref):
            return self.apply_op("neg", "operator", {"input": operand}, node, state)
        if isinstance(node.op, ast.Not):
            if isinstance(operand, DefaultBool):
                return DefaultBool(default=not operand.default, source=operand.source)
            return BoolConst(not operand.value) if isinstance(operand, BoolConst) else UNKNOWN
        if isinstance(operand, Number):
            negate = isinstance(node.op, ast.USub) and isinstance(operand.value, (int, float)) and \
                not isinstance(operand.value, bool)
            return Number(-operand.value) if negate else Number()  # `dim=-1` keeps its value
        if isinstance(operand, Ref):
            return self.new_tensor(state, node, self.rg(operand, state), history=self.history(operand, state))
        return UNKNOWN

    def expr_BinOp(self, node, state):
        left = self.expr(node.left, state)
        right = self.expr(node.right, state)
        return self.binop(type(node.op), left, right, node, state)

    def binop(self, op, left, right, node, state):
        if op is ast.Add and left.__class__ is Seq and right.__class__ is Ref:
            # `outs += block(x)` with `outs = ()`: a tuple or list plus what the walk took for a tensor (the output
            # of a module it does not see into) is a concatenation, since Python raises for a tensor: items unknown
            return Seq((UNKNOWN, "*"), left.mutable)
        if not isinstance(left, Ref) and not isinstance(right, Ref):
            if isinstance(left, NumpyArr) or isinstance(right, NumpyArr):
                return UNKNOWN
            if op in (ast.BitOr, ast.BitAnd) and isinstance(left, (BoolConst, DefaultBool)) and \
                    isinstance(right, (BoolConst, DefaultBool)):
                # `self.training |= self.export` (YOLO heads): `|` and `&` of bools are `or` and `and`
                return self.expr_BoolOp(ast.BoolOp(op=ast.Or() if op is ast.BitOr else ast.And(), values=[]),
                                        state, vals=[left, right])
            if op is ast.BitXor and isinstance(left, BoolConst) and isinstance(right, BoolConst):
                return BoolConst(left.value != right.value)  # fairseq's `if after ^ self.normalize_before:`
            if isinstance(left, Number) and isinstance(right, Number):
                return Number()
            if op is ast.Add and left.__class__ is ConstStr and right.__class__ is ConstStr:
                return ConstStr(left.value + right.value)  # `"D_" + mode`, as `f"D_{mode}"` above
            if op is ast.Add and is_parameters(left) and is_parameters(right):
                return params_concat([left, right])  # `list(encoder.parameters()) + list(head.parameters())`
            if op is ast.Add and (is_parameters(right) and left == Seq((), True) or
                                  is_parameters(left) and right == Seq((), True)):
                return params_concat([left if is_parameters(left) else right])  # `params = []; params += list(...)`
            if isinstance(left, Seq) and isinstance(right, Seq) and op is ast.Add:
                return Seq(left.items + right.items, left.mutable)
            if isinstance(left, Seq) and isinstance(right, Number) and op is ast.Mult:
                return left  # [item] * n: the same items, repeated
            return UNKNOWN
        name = BIN_OPS.get(op)
        if name is None:
            return self.opaque_result([left, right], node, state)
        if not isinstance(left, Ref):
            # `2 * x` is `x.__rmul__(2)`; `2 - x` is rsub: the tensor is the op's input either way for saving.
            if name in ("mul", "add"):
                left, right = right, left
            elif name == "pow":
                return self.apply_op("pow", "operator", {"input": left, "exponent": right}, node, state)
            else:
                return self.apply_op(name, "operator", {"input": right, "other": left}, node, state, reflected=True)
        return self.apply_op(name, "operator", {"input": left, "other": right}, node, state)

    def kept_index(self, index, state: State):
        """The tensors of an advanced index, which indexing keeps for backward; not an argument of unknown type
        (`cache[idx[0]]`: an int or a list as often as a tensor)."""
        if isinstance(index, Seq):
            return Seq(tuple(self.kept_index(item, state) if isinstance(item, Ref) else UNKNOWN for item in index.items))
        if isinstance(index, Ref) and not from_caller(index, state):
            return index
        return UNKNOWN

    def expr_Subscript(self, node, state):
        base = self.expr(node.value, state)
        index = self.expr(node.slice, state)
        if isinstance(base, Ref) and is_string_key(node.slice):
            return self.opaque_result([base], node, state)  # `batch["x"]`: an item of a mapping, not a view
        if isinstance(base, Ref):
            basic = is_basic_index(node.slice, index)
            if basic:
                contiguous = keeps_contiguous(node.slice, index) and \
                    all(state.obj(o).gaps == frozenset() and state.obj(o).order is None for o in base.objs)
                return self.make_view(base, node, state, "__getitem__", gaps=frozenset() if contiguous else None)
            return self.apply_op("__getitem__", "operator", {"self": base, "index": self.kept_index(index, state)},
                                 node, state, index_kind="advanced")
        key = const_key(node.slice)
        if isinstance(base, Optimizer):
            return base  # `optimizer[idx]`: the name stood for a collection, each of whose optimizers steps its models
        if isinstance(base, Seq):
            if base.items and base.items[-1] == "*":
                if isinstance(node.slice, ast.Slice):  # `pieces[:n]` of a list of unknown length: again such a list
                    return Seq(base.items, base.mutable)
                item = self.clone_template(base.items[0], state)
                return own_item(self.ctx.root, item, key, state) if isinstance(key, int) else item
            if isinstance(key, int) and -len(base.items) <= key < len(base.items):
                return base.items[key]
            if isinstance(node.slice, ast.Slice):
                return Seq(base.items[slice_const(node.slice)], base.mutable) if slice_const(node.slice) else UNKNOWN
            if alike_pieces(base.items, state):  # `pieces[i]` of `x.chunk(n)`: whichever, alike
                return self.clone_template(base.items[0], state)
            if base.items and all(isinstance(item, Optimizer) for item in base.items):
                return some_optimizer(base.items)  # `opts[i].step()`, `i` unknown: it steps one of them
            if base.items:
                out = base.items[0]
                for item in base.items[1:]:
                    out = join_val(out, item)
                return out
            return UNKNOWN
        if isinstance(base, DictVal):
            if key is None and is_string_key(node.slice):
                key = ast.unparse(node.slice)
            if key is None and isinstance(index, (ConstStr, DefaultStr)):
                # `acts[name]` with `name="tanh"` passed, or a constructor's default name
                key = index.value if isinstance(index, ConstStr) else index.default
            for k, v in base.items:
                if k == key:
                    return v
            if base.some is not None:  # `blocks[k]` after `blocks[sector] = u`: what any key may hold
                some = base.some if key is not None else any_item(base)
                if isinstance(base.base, Ref):  # or the item the mapping held before (another key than the stores')
                    return join_val(some, self.opaque_result([base.base], node, state))
                return some
            if isinstance(base.base, Ref):
                return self.opaque_result([base.base], node, state)  # another item of the mapping
            return any_registered(base) if key is None else UNKNOWN
        base = self.sequential_of(base)  # `self[0]` in a subclass of nn.Sequential
        if isinstance(base, ModuleVal) and base.members:
            keys = self.ctx.module_keys.get(base.id)
            if keys is not None:  # an nn.ModuleDict: its members by name
                return base.members[keys.index(key)] if key in keys else UNKNOWN
            if isinstance(key, int) and -len(base.members) <= key < len(base.members):
                return base.members[key]
            if key is None and not isinstance(node.slice, ast.Slice) and not is_string_key(node.slice):
                # `self.blocks[i](x)` with `i` a loop counter (or another index the walk does not know): some one of
                # its blocks, as iterating it gives (`for block in self.blocks`)
                return self.member_at(base, index)
            return UNKNOWN
        if isinstance(base, NumpyArr):
            return base  # a slice of the array shares its memory
        if isinstance(base, (Unknown, QualVal)):
            registered = self.activation_by_name(node.value, index, {}, node, state)
            if registered is not None:
                return registered
        return UNKNOWN

    def expr_Attribute(self, node, state):
        key = dotted(node)
        if key and key in state.env:
            return state.env[key]
        qual = self.ctx.imports.qualname(node)
        if qual is not None:
            return QualVal(qual)
        base = self.expr(node.value, state)
        attr = node.attr
        kept = kept_lists.read(self, base, node, state)
        if kept is not None:
            return kept
        if isinstance(base, Ref):
            if attr == "data":
                return self.derive(base, state, node, detached=True, same_storage=False, describe="`.data`")
            if attr == "grad":
                return self.new_tensor(state, node, Tri.NO, describe=GRAD_FIELD)
            if attr in VIEW_ATTRS:
                return self.make_view(base, node, state, attr)
            if attr in ("shape", "ndim") and (rank := self.rank(base, state)) is not None:
                return sizes_of_rank(rank) if attr == "shape" else Number(rank)  # sizes all known
            if attr == "shape":
                return SIZES  # a tuple of ints: `h, w = x.shape[-2:]` are numbers, not tensors
            if attr not in NON_TENSOR_ATTRS and not attr.startswith("_") and \
                    all(state.obj(oid).opaque for oid in base.objs):
                # `out.logits`, `dist.mean` of what unseen code returned (a model's output object, a distribution):
                # a field of it, computed from the same inputs, like an item of a mapping (`batch["x"]`)
                return self.opaque_result([base], node, state)
            return UNKNOWN
        if isinstance(base, ModuleVal):
            return self.module_attr(base, attr, node, state)
        if isinstance(base, Seq) and attr in RETURN_TYPE_FIELDS and not base.mutable:
            # `probs.max(dim=-1).values`, `torch.linalg.eigh(a).eigenvalues`: a field of torch's named tuple
            index = RETURN_TYPE_FIELDS[attr]
            return base.items[index] if index < len(base.items) and base.items[index] != "*" else UNKNOWN
        if isinstance(base, AnySubmodule) and attr in ("weight", "bias"):
            # `m.weight` for `m in model.modules()`: a parameter of some submodule, its own object (freezing it,
            # `m.weight.requires_grad = False` under `isinstance(m, nn.BatchNorm2d)`, freezes no other parameter)
            return self.param_ref(base.module, f"<submodule>.{attr}", state, f"the `{attr}` of a submodule")
        if isinstance(base, AnySubmodule):
            return UNKNOWN
        if base.__class__ is Options and (option := base.option(attr)) is not None and \
                not set_elsewhere(self.ctx.context_of(node).tree, attr):
            return option  # `args.freeze_embed`: False unless the user passes the flag
        if isinstance(base, Unknown) and attr in ("weight", "bias") and dotted(node.value):
            # `model.emb.weight` of a model built by code we cannot see: a parameter, by what the name says
            mid = self.foreign_module(node.value)
            return self.param_ref(mid, attr, state, f"parameter `{dotted(node)}`")
        return UNKNOWN


    def truth(self, value):
        if isinstance(value, BoolConst):
            return value.value
        if isinstance(value, NoneVal):
            return False
        if isinstance(value, DictVal) and value.items and not value.optional:  # `if act_cfg:` on `dict(type='ReLU')`
            return True
        return None


def any_item(table: DictVal):
    """`blocks[k]` for a key the walk does not know, some items stored under unknown keys: whichever item it is."""
    out = table.some
    for _, v in table.items:
        out = join_val(out, v)
    return out
