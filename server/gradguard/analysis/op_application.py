"""Op application: the torch op a call names, bound to its parameters, and what its facts say it saves, returns
and changes (the facts come from torch: gradguard/data, tools/gen_facts.py)."""

from __future__ import annotations

import ast

from ..facts import DROPOUT_FUNCTIONS, INDEX_PARAMS, INTEGER_RESULTS, TUPLE_OPS, VALUES_INDICES_OPS
from .. import facts
from . import constant_loss
from .shapes import factory_scalar, factory_shape, result_scalar, result_shape
from .syntax import op_label, truthy_kw
from .grad_views import note_parameter_uses
from .permuted import ORDER_OPS
from .splits import reshape_splits
from .values import (
    BoolConst, ConstStr, DefaultBool, ModuleVal, NoneVal, Number, Ref, Save, Seq, State, Tri, UNKNOWN, Unknown, evolve,
    flat_refs, fresh_id, from_caller, history_union, save_certainty, truthy,
)


MULTI_OUTPUT_VIEWS = {"unbind", "split", "chunk"}
SLICE_TUPLES = {"tensor_split", "hsplit", "vsplit", "dsplit"}  # a tuple of plain slices, each changeable in place
LAYOUT_OPS = {"reshape"}
MAX_LAYOUT_SPLIT = 4  # tensors of different layouts a name may hold that a layout op is applied to one by one  # facts.op variants that depend on whether the input is contiguous


def elementwise_extremum(name: str, args: list, kwargs: dict, state: State) -> str:
    """`torch.min(q1, q2)`, `a.max(b)`: with a tensor second argument, torch.minimum / torch.maximum of the two
    (one tensor, saving both), not a reduction along `dim` (a tensor made here is no dim; an argument may be one)."""
    if name not in ("min", "max"):
        return name
    other = args[1] if len(args) > 1 else kwargs.get("other")
    if isinstance(other, Ref) and not from_caller(other, state):
        return name + "imum"
    return name


def layout(obj) -> object:
    """A tensor's memory layout as permuted.permuted_layout reads it: its dims' order, "contiguous", or None."""
    return obj.order if obj.order is not None else "contiguous" if obj.gaps == frozenset() else None


def chunk_count(name: str, bound: dict) -> int | None:
    """How many pieces `x.chunk(n)` returns for a small constant n (torch may return fewer when the dimension is
    shorter than n, but code that unpacks or splices the pieces counts on n); None: not a chunk, or n not known."""
    n = bound.get("chunks") if name == "chunk" else None
    if isinstance(n, Number) and isinstance(n.value, int) and not isinstance(n.value, bool) and 1 <= n.value <= 8:
        return n.value
    return None


class OpApplication:
    """A torch op called with the walk's values: its fact applied (saves, views, outputs, in-place changes)."""

    def call_op(self, name, form, args, kwargs, node, state):
        if "out" in kwargs and isinstance(kwargs["out"], Ref):
            self.sink.on_out_argument(self, node, args, kwargs, state)
            self.mutate(kwargs["out"], node, "out", f"{name}(out=...)", state, inputs=args)
            return kwargs["out"]
        name = elementwise_extremum(name, args, kwargs, state)
        bound = self.bind_params(name, args, kwargs)
        flag = bound.get("inplace") if bound is not None else None
        if name in DROPOUT_FUNCTIONS and bound is not None and not truthy(flag) and not isinstance(flag, DefaultBool):
            x = bound.get("input")
            if isinstance(bound.get("training"), BoolConst) and not bound["training"].value and isinstance(x, Ref):
                return x  # `F.dropout(x, p, training=False)`: x itself
            passed = self.dropout_output(x, bound.get("p", Number(0.5)), node, state)
            if passed is not None:
                return passed
        if isinstance(flag, DefaultBool) and flag.default:  # `F.dropout(x, p, inplace=self.inplace)`, True by default
            with self.by_default(state, flag.source):
                return self.call_op(name, form, args, dict(kwargs, inplace=BoolConst(True)), node, state)
        fact = facts.op(name, form, self.layout_kinds(name, bound, state)) if bound is not None else None
        if fact is not None and (split := self.split_view(fact, args[:1], form == "torch", node, state)) is not None:
            return split
        if fact is not None:
            return self.apply_fact(fact, bound, node, state, kwargs)
        if name in INTEGER_RESULTS and args and isinstance(args[0], Ref):
            return self.new_tensor(state, node, Tri.NO)  # `torch.argmin(d, 1)`: indices, no graph
        if name.endswith("_") and not name.startswith("_") and args and isinstance(args[0], Ref):
            self.mutate(args[0], node, "function", f"torch.{name}", state, inputs=args[1:], op_name=name[:-1])
            return args[0]
        if form == "functional" and truthy(kwargs.get("inplace")) and args and isinstance(args[0], Ref):
            self.mutate(args[0], node, "inplace-arg", f"{name}(inplace=True)", state, op_name=name)
            return args[0]
        if name in ("unbind", "split", "chunk", "tensor_split") and args and isinstance(args[0], Ref):
            return Seq((self.make_view(args[0], node, state, name, multi=name in MULTI_OUTPUT_VIEWS), "*"))
        if name in ("stack", "cat", "concat", "concatenate", "hstack", "vstack") and args and isinstance(args[0], Seq):
            return self.opaque_result([i for i in args[0].items if isinstance(i, Ref)], node, state)
        return self.opaque_result(list(args) + list(kwargs.values()), node, state)

    def each_layout(self, fact, bound: dict, node, state: State, kwargs: dict) -> Ref | None:
        """`k.transpose(1, 2).reshape(b, h, t, -1)` where `k` may hold a chunk piece (whose reshape may keep a view
        of it) or a tensor of another layout (`context`, on the other side of an `if`): the op applied to each, the
        results together (each made where its tensor was: made_in). None when the tensors share one layout and
        kind, or there is one."""
        first = fact.params[0] if fact.params else None
        ref = bound.get(first)
        if ref.__class__ is not Ref or len(ref.objs) < 2 or ref.every or len(ref.objs) > MAX_LAYOUT_SPLIT:
            return None
        kinds = {(layout(o), o.view_kind == "multi") for o in map(state.obj, ref.objs)}
        if len(kinds) < 2 or {multi for _, multi in kinds} == {False} and {order for order, _ in kinds} == {
                None, "contiguous"}:
            return None
        made_in, objs = self.ctx.root.made_in, set()
        for oid in sorted(ref.objs):
            part = self.apply_fact(fact, dict(bound, **{first: Ref(frozenset([oid]))}), node, state, kwargs)
            if part.__class__ is not Ref:
                return None
            made = made_in.get(oid, ())
            for new in part.objs:
                if len(made) > len(made_in.get(new, ())) and made[:len(state.branch)] == state.branch:
                    made_in[new] = made  # what exists only where `oid` was made
            objs |= part.objs
        return Ref(frozenset(objs), maybe_none=ref.maybe_none)

    def certain_by_default(self, needed, tensor_params: dict, state: State) -> dict | None:
        """save_certainty for a save kept when one of the tensors `needed` requires grad, where one of them does
        when the module is built with its constructor's defaults (DefaultConfiguration.grad_by_default): certain,
        by those defaults (a warning names them). None when none does."""
        for q in needed:
            ref = tensor_params.get(q)
            rg, source = self.grad_by_default(ref, state) if ref is not None else (Tri.NO, "")
            if rg is not Tri.NO:
                certainty = save_certainty(rg, Tri.YES, state)
                if certainty.get("certain"):
                    own = certainty.get("by_default", "")
                    certainty["by_default"] = ", ".join(s for s in (own, source) if s)
                    return certainty
        return None

    def split_view(self, fact, receiver: list, torch_form: bool, node, state: State) -> Ref | None:
        """`x.reshape(*x.shape[:-1], -1, 2)` of an `x` not known to be contiguous: splitting a dim is a view for any
        layout (splits.py), where the facts, measured on contiguous inputs only, say a copy; None otherwise."""
        if fact.name != "reshape" or fact.view or not receiver or not isinstance(receiver[0], Ref):
            return None
        if not reshape_splits(node, torch_form):
            return None
        return self.make_view(receiver[0], node, state, "reshape")

    @property
    def sink(self):
        return self.ctx.sink

    def bind_params(self, name: str, args: list, kwargs: dict) -> dict | None:
        params = facts.params(name)
        if params is None:
            return None
        bound = {}
        for p, a in zip(params, args):
            bound[p] = a
        for k, v in kwargs.items():
            if k in params:
                bound[k] = v
            elif k == "dim" or k == "inplace":
                bound[k] = v
        for extra in ("dim", "inplace"):
            if extra not in bound and len(args) > len(params):
                pass
        if len(args) > len(params):
            bound["dim"] = args[len(params)]
        return bound

    def layout_kinds(self, name: str, bound: dict, state: State) -> dict:
        """arg_kinds, with a known-contiguous input said so for the ops whose result is a view or a copy by the
        input's layout (`reshape`: a view of a contiguous tensor, so changing it changes the tensor)."""
        kinds = self.arg_kinds(bound)
        if name in LAYOUT_OPS and bound:
            first, value = next(iter(bound.items()))
            if isinstance(value, Ref) and all(state.obj(o).gaps == frozenset() for o in value.objs):
                kinds[first] = "contiguous"
        return kinds

    @staticmethod
    def arg_kinds(bound: dict) -> dict:
        kinds = {}
        for k, v in bound.items():
            if isinstance(v, Ref):
                kinds[k] = "tensor"
            elif isinstance(v, Number):
                kinds[k] = "number"
            elif isinstance(v, BoolConst):
                kinds[k] = "true" if v.value else "false"
            elif isinstance(v, NoneVal):
                kinds[k] = "absent"
            elif type(v) is ConstStr:
                kinds[k] = "=" + v.value  # `mode="replicate"`
            elif isinstance(v, Unknown) and v.tensorish:
                kinds[k] = "tensor"
            else:
                kinds[k] = "unknown"
        return kinds

    def apply_op(self, name, form, bound, node, state, reflected=False, index_kind=None, alt_params=None):
        params = facts.params(name)
        if params and not alt_params:
            bound = {p: v for p, v in zip(params, bound.values())}
        kinds = self.arg_kinds(bound)
        if index_kind:
            kinds["index"] = index_kind
        if alt_params:
            kinds.update(alt_params)
        fact = facts.op(name, form, kinds) or facts.op(name, "method", kinds) or facts.op(name, "torch", kinds)
        if fact is None:
            return self.opaque_result(list(bound.values()), node, state)
        # Map our names onto the fact's parameter names positionally when they differ.
        ordered = list(bound.values())
        rebound = {p: v for p, v in zip(fact.params, ordered)}
        return self.apply_fact(fact, rebound, node, state, {})

    def apply_fact(self, fact, bound: dict, node, state: State, kwargs: dict, module: ModuleVal | None = None):
        if fact.name in ORDER_OPS and (parts := self.each_layout(fact, bound, node, state, kwargs)) is not None:
            return parts
        tensor_params = {}
        rg_of = {}
        listed = []  # torch.cat([a, b]): a list of tensors
        saved_items = []  # (parameter, tensor) for the index tensors of a tuple index, which the op keeps
        unknown = False
        params = fact.params
        for p, v in bound.items():
            if p not in params:
                continue
            if v.__class__ is Ref:
                tensor_params[p] = v
                rg_of[p] = Tri.NO if p in INDEX_PARAMS else self.rg(v, state)
            elif p in INDEX_PARAMS:  # `x[rows, cols]`: integer or bool tensors, never requiring grad; kept, maybe
                if p in fact.saves and v.__class__ is Seq:
                    saved_items.extend((p, r) for r in flat_refs([v]) if r.__class__ is Ref)
            else:
                listed.extend(flat_refs([v]))
                # a list the walk saw built empty may have been filled where it did not look (a helper's append)
                unknown = unknown or isinstance(v, Unknown) or isinstance(v, Seq) and (
                    v.mutable and not v.items or any(isinstance(i, Unknown) for i in v.items))  # `cat([f(x), d[k]])`
        grad_on = state.grad
        for r in listed:
            rg_of["*list"] = rg_of.get("*list", Tri.NO) | self.rg(r, state)
        if unknown:
            rg_of["*unknown"] = Tri.MAYBE  # an argument we know nothing about may be a tensor that requires grad
        any_rg = Tri.NO
        for v in rg_of.values():
            any_rg = any_rg | v
        out_rg = Tri.NO if grad_on is Tri.NO else (any_rg if grad_on is Tri.YES else any_rg.join(Tri.NO))
        history = frozenset()
        if out_rg is not Tri.NO:
            for v in list(tensor_params.values()) + listed:
                history = history_union(history, self.history(v, state))
        seq = self.ctx.next_seq()
        saves = set()
        first = fact.params[0] if fact.params else None
        first_ref = bound.get(first) if first else None
        mutated = fact.inplace and isinstance(first_ref, Ref)
        if out_rg is not Tri.NO:
            note_parameter_uses(node, tensor_params, state)  # which of its gradients are views (grad_views.py)
            for p, ref in (list(tensor_params.items()) + saved_items if saved_items else tensor_params.items()):
                if mutated and p == first:
                    continue  # what an in-place op keeps of its target is the new value: saved after the change
                cond = Tri.NO
                for q in fact.saves.get(p, ()):
                    cond = cond | rg_of.get(q, Tri.NO)
                if cond is Tri.NO:
                    continue
                certainty = save_certainty(cond, grad_on, state)
                if cond is Tri.MAYBE and grad_on is Tri.YES:
                    certainty = self.certain_by_default(fact.saves.get(p, ()), tensor_params, state) or certainty
                for oid in ref.objs:
                    obj = state.obj(oid)
                    saves.add(Save(fresh_id(), seq, obj.storage, obj.memory, node, fact.name, p, fact.grad_fn,
                                   loop_pass=self.loop_pass, **certainty))
            if fact.frees_saved:
                saves.add(Save(fresh_id(), seq, None, None, node, fact.name, "buffers", fact.grad_fn,
                               loop_pass=self.loop_pass, **save_certainty(out_rg, Tri.YES, state)))
        if mutated:
            others = [v for p, v in bound.items() if p != first]
            if module is not None:
                kind, label = "module", f"{module.kind}(inplace=True)"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    not self.ctx.imports.qualname(node.func):
                kind, label = "method", op_label(node, fact.name)
            elif isinstance(node, ast.Call) and (truthy_kw(node, "inplace") or
                                                 truthy((kwargs or {}).get("inplace"))):
                kind, label = "inplace-arg", f"{fact.name}(inplace=True)"
            else:
                kind, label = "function", op_label(node, fact.name)
            self.mutate(first_ref, node, kind, label, state, inputs=others, op_name=fact.inplace_twin or fact.name,
                        new_saves=(saves, fact, out_rg, seq), module_node=module.node if module else None)
            return first_ref
        scalar = result_scalar(fact.name, tensor_params, bound, kwargs, lambda v: self.first(v, state).scalar)
        shape = result_shape(fact.name, tensor_params, bound, kwargs, lambda v: self.shape(v, state))
        if fact.name in ORDER_OPS and isinstance(first_ref, Ref) and \
                (made := self.permuted_layout(fact.name, first_ref, bound, kwargs, node, state)) is not None:
            return made
        if fact.name in LAYOUT_OPS and not fact.view and isinstance(first_ref, Ref) and \
                all(state.obj(o).view_kind == "multi" for o in first_ref.objs):
            # a chunk piece reshaped: a view when the new shape only splits its dims (heads out of channels), a
            # copy when it merges dims across the cut; the sizes, unknown here, decide
            return self.make_view(first_ref, node, state, fact.name, maybe_copy=fact.name)
        if fact.view and isinstance(first_ref, Ref):
            view = self.make_view(first_ref, node, state, fact.name, multi=fact.multi_output_view,
                                  gaps=self.split_layout(fact.name, first_ref, bound, kwargs, state))
            if fact.multi_output_view or fact.name in SLICE_TUPLES:
                count = chunk_count(fact.name, bound)
                if count:  # `(q, *x.chunk(2))` then holds three tensors, each the one unpacking it would give
                    return Seq((view,) + tuple(self.clone_template(view, state) for _ in range(count - 1)))
                return Seq((view, "*"))
            return view
        result_saves = set()
        if out_rg is not Tri.NO and fact.saves_result:
            cond = Tri.NO
            for q in fact.saves_result:
                cond = cond | rg_of.get(q, Tri.NO)
            if cond is not Tri.NO:
                result_saves.add(("result", cond))
        constant = None if module or unknown else constant_loss.combine(tensor_params, INDEX_PARAMS, listed, state)
        ref = self.new_tensor(state, node, out_rg, history=history | frozenset(saves), scalar=scalar,
                              describe=f"the output of `{fact.name}`", shape=shape,
                              opaque=fact.name in TUPLE_OPS or fact.outputs > 1 or bool(fact.saves_outputs),
                              constant=constant)
        if fact.name in VALUES_INDICES_OPS and (fact.name in ("topk", "sort", "cummax", "cummin", "kthvalue", "mode")
                                                 or "dim" in bound or "dim" in kwargs):
            indices = self.new_tensor(state, node, Tri.NO, describe=f"the indices from `{fact.name}`")
            if result_saves:
                self.add_result_saves(ref, result_saves, fact, node, seq, grad_on, state)
            return Seq((ref, indices))
        if result_saves:
            self.add_result_saves(ref, result_saves, fact, node, seq, grad_on, state)
        if (fact.saves_outputs or fact.outputs > 1) and fact.name not in VALUES_INDICES_OPS:
            return self.other_outputs(ref, fact, rg_of, out_rg, history | frozenset(saves), node, seq, state)
        return ref

    def other_outputs(self, first: Ref, fact, rg_of: dict, out_rg: Tri, history, node, seq, state: State) -> Seq:
        """The tuple an op returns (`L, Q = torch.linalg.eigh(a)`, `L, info = torch.linalg.cholesky_ex(a)`): each
        output with its own save, the ones torch never makes require grad (an info code, pivots) without grad."""
        state.update(next(iter(first.objs)), opaque=False)
        outputs = [first]
        for i in range(1, max([fact.outputs] + [1 + int(k) for k in fact.saves_outputs])):
            rg = Tri.NO if i in fact.outputs_without_grad else out_rg  # `L, info = torch.linalg.cholesky_ex(a)`
            ref = self.new_tensor(state, node, rg, history=history if rg is not Tri.NO else frozenset(),
                                  describe=f"output {i} of `{fact.name}`")
            cond = Tri.NO
            for q in fact.saves_outputs.get(str(i), ()):
                cond = cond | rg_of.get(q, Tri.NO)
            if out_rg is not Tri.NO and cond is not Tri.NO:  # torch keeps lu_factor's pivots, which need no grad
                self.add_result_saves(ref, {("result", cond)}, fact, node, seq, state.grad, state)
            outputs.append(ref)
        return Seq(tuple(outputs))

    def split_layout(self, name, ref: Ref, bound: dict, kwargs: dict, state: State) -> frozenset | None:
        """The memory layout of a `chunk`/`split` piece: its base's, with a gap where the cut is."""
        if name not in ("chunk", "split"):
            return None
        dim = bound.get("dim", kwargs.get("dim", Number(0)))
        base = {state.obj(o).gaps for o in ref.objs}
        if not isinstance(dim, Number) or not isinstance(dim.value, int) or len(base) != 1:
            return None
        gaps = base.pop()
        return None if gaps is None else gaps | {dim.value}

    def add_result_saves(self, ref, result_saves, fact, node, seq, grad_on, state) -> None:
        (oid,) = ref.objs
        obj = state.obj(oid)
        for _, cond in result_saves:
            save = Save(fresh_id(), seq, obj.storage, obj.memory, node, fact.name, "result", fact.grad_fn,
                        loop_pass=self.loop_pass, **save_certainty(cond, grad_on, state))
            obj = evolve(obj, history=obj.history | {save})
        state.objs[oid] = obj

    def factory(self, name, args, kwargs, node, state):
        rg = kwargs.get("requires_grad")
        if rg is None and getattr(kwargs, "more", None) is not None:
            rg = UNKNOWN  # `torch.zeros(*size, **kwargs)`: requires_grad may be among them
        shape = factory_shape(name, args, kwargs, lambda v: self.shape(v, state))
        scalar = factory_scalar(name, args, kwargs)
        if rg == BoolConst(True):
            return self.new_leaf(state, node, "leaf tensor", scalar=scalar, shape=shape)
        if rg is not None and rg != BoolConst(False):
            return self.new_tensor(state, node, Tri.MAYBE, scalar=scalar, shape=shape)
        return self.new_tensor(state, node, Tri.NO, scalar=scalar, shape=shape, constant=constant_loss.made(node, state))
