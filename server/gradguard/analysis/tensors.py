"""Tensor state and views: new tensors, their history of saves, views of a storage, and changes in place."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

from .context import MAX_REF_TARGETS
from .shapes import RECOUNTING_IN_PLACE, RESHAPING_IN_PLACE, known_rank, scalar_of
from .values import (
    BRANCH_CONDITION, CONFIGURATION, DEFAULT_CONFIGURATION, EMPTY_HISTORY, BoolConst, Mutation, NoneVal, Number,
    NumpyArr, Ref, Save, Seq, State, TObj, Tri, Unknown, evolve, flat_refs, fresh_id, history_union, join_tobj,
    other_side, save_certainty, truthy,
)


# return the tensor itself when nothing changes (`.cpu()` of a tensor on the CPU, `.float()` of a float32 one)
SELF_WHEN_ALREADY = {"float", "to", "type_as", "contiguous", "cpu"}


# TObj.maybe_copy of a dropout whose rate is a constructor's default of 0: "<this prefix><the default>"
DROPOUT_AT_DEFAULT_ZERO = "dropout at "
# TObj.maybe_copy of a `reshape` of a permuted tensor (permuted.py): "<this prefix><the sizes it was given>"
PERMUTED_RESHAPE = "reshape of a permuted tensor to "


def zero_rate(rate) -> str | None:
    """Is a dropout's `p` zero, so that it returns its input itself? "" when it is, the constructor default it
    comes from (`` `drop=0.0` ``) when it is only by default; None when it is not, or not known."""
    if isinstance(rate, Number) and rate.value == 0 and not isinstance(rate.value, bool):
        return rate.source
    return None


def maybe_copy_note(op: str) -> str:
    """The condition under which a maybe-copy (TObj.maybe_copy) shares the tensor's memory."""
    if op.startswith(DROPOUT_AT_DEFAULT_ZERO):
        return f"if the dropout returned its input, as it does with p=0 ({op[len(DROPOUT_AT_DEFAULT_ZERO):]}, " \
            "the constructor's default)"
    if op.startswith(PERMUTED_RESHAPE):
        return f"if `reshape({op[len(PERMUTED_RESHAPE):]})` returned a view, as it does when those sizes are the " \
            "permuted dims they name, merging only dims that are next to each other in memory"
    if op == "reshape":
        return "if `reshape` returned a view, as it does when it only splits dimensions"
    if op in ("rearrange", "repeat"):
        return f"if `{op}` returned a view, as it does for a batch of one (merging the batch axis is then free)"
    if op == "cpu":
        return "if `.cpu()` returned the tensor itself, as it does for a tensor already on the CPU"
    return f"if `.{op}()` returned the tensor itself, as it does when the dtype and device are already the ones " \
        "asked for"


class TensorTracker:
    """Tensor objects of the walk: creation, derivation, views, and the events reported to the rules."""

    @contextmanager
    def by_default(self, state, source: str):
        """The changes made inside happen when the module is built with its defaults (`inplace=True`)."""
        outer = state.path_condition
        state.path_condition = outer or DEFAULT_CONFIGURATION + source
        try:
            yield
        finally:
            state.path_condition = outer

    # ------------------------------------------------------------------ tensors
    def new_tensor(self, state, node, rg: Tri, history=frozenset(), scalar=Tri.MAYBE, memory=None,
                   describe="tensor", shape=None, opaque=False, constant=None) -> Ref:
        oid = fresh_id()
        storage = fresh_id()
        state.objs[oid] = TObj(storage, memory if memory is not None else storage, rg, history=history,
                               origin=node, scalar=scalar_of(shape, scalar), describe=describe, shape=shape,
                               opaque=opaque, gaps=None if opaque else frozenset(), constant=constant)
        if state.branch:
            self.ctx.root.made_in[oid] = state.branch
        return Ref(frozenset([oid]))

    def new_leaf(self, state, node, describe, scalar=Tri.MAYBE, shape=None) -> Ref:
        oid = fresh_id()
        storage = fresh_id()
        state.objs[oid] = TObj(storage, storage, Tri.YES, leaf=True, origin=node, scalar=scalar_of(shape, scalar),
                               describe=describe, shape=shape)
        return Ref(frozenset([oid]))

    def shape(self, value, state):
        if isinstance(value, Number):
            return ()
        if not isinstance(value, Ref):
            return None
        shapes = {state.obj(o).shape for o in value.objs}
        return shapes.pop() if len(shapes) == 1 else None

    def rank(self, value, state) -> int | None:
        """`x.dim()`: the number of dims of every tensor `value` may hold, when the walk knows all their sizes."""
        return known_rank(self.shape(value, state)) if isinstance(value, Ref) and not value.maybe_none else None

    def derive(self, ref: Ref, state, node, detached: bool, same_storage: bool, describe="tensor", inputs=()):
        ref = self.summarize(ref, state)
        oids = []
        for oid in ref.objs:
            obj = state.obj(oid)
            new = fresh_id()
            if detached:
                storage = obj.storage if same_storage else fresh_id()
                state.objs[new] = TObj(storage, obj.memory, Tri.NO, origin=node, detached=True, scalar=obj.scalar,
                                       describe=describe)
            else:
                rg = obj.requires_grad if state.grad is not Tri.NO else Tri.NO
                history = obj.history
                for extra in inputs:
                    if isinstance(extra, Ref):
                        history = history_union(history, self.history(extra, state))
                        rg = rg | (self.rg(extra, state) if state.grad is not Tri.NO else Tri.NO)
                if state.grad is Tri.NO:
                    history = frozenset()
                storage = fresh_id()
                state.objs[new] = TObj(storage, storage, rg, origin=node, history=history, scalar=Tri.MAYBE,
                                       describe=describe, constant=None if inputs else obj.constant)
            oids.append(new)
        return Ref(frozenset(oids), every=ref.every)

    def summarize(self, ref: Ref, state: State) -> Ref:
        """Many possible tensors (a value joined over loop passes and branches) as one that has the facts of all."""
        if len(ref.objs) <= MAX_REF_TARGETS or ref.every:
            return ref  # "each of a model's parameters" keeps every one
        objs = [state.obj(o) for o in ref.objs]
        joined = objs[0]
        for other in objs[1:]:
            joined = join_tobj(joined, other)
        oid = fresh_id()
        state.objs[oid] = joined
        return Ref(frozenset([oid]))

    def self_or_copy(self, ref: Ref, op: str, node, state) -> Ref:
        """`x.float()`, `x.to(...)`, `x.type_as(y)`, `x.contiguous()`: torch returns `x` itself when its dtype,
        device and layout are already the ones asked for, and a copy otherwise. `.contiguous()` is `x` when `x` is
        known to be contiguous (a chunk piece cut along the first axis) and otherwise a copy (transposed, expanded
        or sliced views nearly always are copied). A dtype/device conversion is mostly `x` itself in float32
        training: the result shares `x`'s version counter as a view would, marked as maybe a copy, so that
        changing it in place is at most a warning. A leaf stays a copy (GG101/GG102 on a maybe-copy would be
        errors)."""
        if op == "contiguous" and all((o := state.obj(oid)).gaps is not None and o.gaps <= {0} and
                                      o.view_kind != "expand" for oid in ref.objs):
            return ref  # a cut before the first axis leaves a piece contiguous
        objs = [state.obj(o) for o in ref.objs]
        if op != "contiguous" and objs and all(o.leaf and o.requires_grad is not Tri.NO for o in objs) and \
                state.grad is not Tri.NO:
            # `torch.tensor(0.0, requires_grad=True).to(device)`: the leaf itself when nothing changes (on the CPU),
            # so changing it in place raises there; a warning that says when (GG101 reads `maybe_copy`)
            return Ref(frozenset(self.maybe_same_leaf(oid, op, node, state) for oid in ref.objs), every=ref.every)
        if op in ("contiguous", "cpu") or any(o.leaf or o.leaf_view for o in objs):
            # `.cpu()` of a leaf is the leaf on the CPU (above); of anything else, taken as the copy a GPU run makes:
            # `out.detach().cpu().numpy()` is how results leave the graph, and the walk cannot tell the device
            return self.derive(ref, state, node, detached=False, same_storage=False, describe="the converted tensor")
        out = self.make_view(ref, node, state, op, maybe_copy=op)
        for oid in out.objs:
            state.update(oid, describe=state.obj(oid).describe.replace("a view of ", "", 1))
        return out

    def maybe_same_leaf(self, oid: int, op: str, node, state) -> int:
        """The leaf `oid` converted by `op`: the same leaf (its storage, its gradient) marked as maybe a copy."""
        new = fresh_id()
        state.objs[new] = evolve(state.obj(oid), maybe_copy=op, origin=node)
        return new

    def make_view(self, ref: Ref, node, state, op: str, multi: bool = False, gaps: frozenset | None = None,
                  maybe_copy: str = "") -> Ref:
        """A view of each tensor `ref` may hold; `gaps` is the view's memory layout (TObj.gaps), None: unknown."""
        ref = self.summarize(ref, state)
        oids = []
        for oid in ref.objs:
            obj = state.obj(oid)
            new = fresh_id()
            kind = obj.view_kind
            if multi and state.grad is not Tri.NO and obj.requires_grad is not Tri.NO:
                kind = "multi"
            elif state.grad is Tri.NO and obj.requires_grad is not Tri.NO and not obj.detached:
                kind = "inference" if state.inference else "nograd"
            elif op in ("expand", "expand_as"):
                kind = "expand"
            state.objs[new] = evolve(
                obj, leaf=False, leaf_view=obj.leaf or obj.leaf_view, view_kind=kind, origin=node,
                view_op=obj.view_op if kind == "multi" and not multi else op,  # a view of a chunk piece names chunk
                scalar=Tri.MAYBE, shape=None, describe=f"a view of {obj.describe}",
                history=obj.history if state.grad is not Tri.NO else frozenset(),
                requires_grad=obj.requires_grad if state.grad is not Tri.NO else Tri.NO, gaps=gaps, order=None,
                maybe_copy=maybe_copy or obj.maybe_copy,
            )
            made = self.ctx.root.made_in.get(oid)
            if made and len(made) > len(state.branch) and made[:len(state.branch)] == state.branch:
                # a view of a tensor made inside an `if`, taken past it: it exists only where that side ran
                self.ctx.root.made_in[new] = made
            elif state.branch:
                self.ctx.root.made_in[new] = state.branch
            oids.append(new)
        return Ref(frozenset(oids), every=ref.every)

    @staticmethod
    def held_objs(value) -> frozenset:
        """The ids of the tensors a name's value holds (a tensor, or a list or tuple of them)."""
        return frozenset().union(*(r.objs for r in flat_refs([value]) if r.__class__ is Ref))

    def bound_on_side(self, value, state, branch: tuple, shared: frozenset = frozenset()):
        """`kv = proj(x).chunk(2) if not self.context_only else (context, context)`: the value a side of an `if` on a
        constructor's default gives the name. A tensor made before the `if` (`context`) is the name's only on that
        side: it is held under another id, made there (made_in), as a view that changes nothing would be, so that
        what the defaults' side holds is told from what the other side holds (held_by_default, grad_by_default).
        `shared`: the tensors the other side's value holds too (a list item neither side touched), left as they are."""
        if value.__class__ is Seq:
            items = tuple(self.bound_on_side(i, state, branch, shared) for i in value.items)
            return value if items == value.items else replace(value, items=items)
        if value.__class__ is not Ref:
            return value
        made_in = self.ctx.root.made_in
        objs = []
        for oid in value.objs:
            made = made_in.get(oid, ())
            if len(made) >= len(branch) and made[:len(branch)] == branch or oid not in state.objs or oid in shared:
                objs.append(oid)
                continue
            new = fresh_id()
            state.objs[new] = state.obj(oid)
            made_in[new] = branch
            objs.append(new)
        return replace(value, objs=frozenset(objs))

    def dropout_output(self, x, rate, node, state):
        """What a dropout of rate `rate` returns when that is `x` itself (p=0), or may be (p=0 by a constructor's
        default: a warning names it); None when it makes a new tensor (or `rate` is not known)."""
        source = zero_rate(rate)
        if source is None or not isinstance(x, Ref):
            return None
        if not source:
            return x
        return self.make_view(x, node, state, "dropout", maybe_copy=DROPOUT_AT_DEFAULT_ZERO + source)

    def first(self, ref: Ref, state) -> TObj:
        return state.obj(next(iter(ref.objs)))

    def rg(self, ref, state) -> Tri:
        if not isinstance(ref, Ref):
            return Tri.NO
        out = None
        for oid in ref.objs:
            r = state.obj(oid).requires_grad
            out = r if out is None else out.join(r) if out is not r else out
        return out or Tri.NO

    def history(self, ref, state) -> frozenset:
        if not isinstance(ref, Ref):
            return frozenset()
        out = EMPTY_HISTORY
        for oid in ref.objs:
            out = history_union(out, state.obj(oid).history)
        return out

    # ------------------------------------------------------------------ events
    def mutate(self, ref: Ref, node, kind: str, op: str, state: State, inputs=(), op_name=None, index_basic=True,
               grad_override: Tri | None = None, module_node=None, new_saves=None, stmt_node=None) -> None:
        grad = grad_override if grad_override is not None else state.grad
        seq = self.ctx.next_seq()
        alternatives = frozenset(state.obj(o).storage for o in ref.objs) if len(ref.objs) > 1 and not ref.every \
            else frozenset()
        together = frozenset(state.obj(o).storage for o in ref.objs) if ref.every and len(ref.objs) > 1 else frozenset()
        for oid in ref.objs if alternatives else ():
            self.ctx.root.storage_made_in[state.obj(oid).storage] = self.ctx.root.made_in.get(oid, ())
        for oid in ref.objs:
            obj = state.obj(oid)
            condition = state.path_condition or self.choice_condition(oid, state.branch) or \
                (self.alternative_condition(oid, ref, state.branch) if alternatives else None)
            held = self.held_by_default(oid, ref) if condition == BRANCH_CONDITION else frozenset()
            if held:  # built with its defaults, the name holds one of `held`: the checker asks if each was saved
                condition = self.default_condition(held, ref)
            event = Mutation(fresh_id(), seq, node, kind, op, obj.storage, obj.memory, obj, grad, self.frames,
                             module_node, loop_pass=self.loop_pass, path_condition=condition,
                             alternatives=alternatives, branch=state.branch, opted_in=self.inplace_opt_in > 0,
                             made_in=self.chosen_side(oid, ref, state.branch) if alternatives else (),
                             held_by_default=frozenset(state.obj(o).storage for o in held),
                             tensor_made_in=self.ctx.root.made_in.get(oid, ()), together=together)
            self.sink.on_mutation(self, event, state, index_basic=index_basic, inputs=inputs)
            state.add_mutation(("s", obj.storage), event)
            state.add_mutation(("m", obj.memory), event)
        # The changed tensor now carries the graph of what was written into it (CopySlices / the op).
        extra_history = frozenset()
        extra_rg = Tri.NO
        if grad is not Tri.NO:
            for value in flat_refs(list(inputs)):
                if isinstance(value, Ref):
                    extra_history = history_union(extra_history, self.history(value, state))
                    extra_rg = extra_rg | self.rg(value, state)
            if any(value.__class__ is Unknown for value in inputs):
                # `totals.index_add_(0, idx, model(batch))` with a value the walk knows nothing about: may be a tensor
                # that requires grad, and then so does the changed one
                extra_rg = extra_rg | Tri.MAYBE
        storages = {state.obj(o).storage for o in ref.objs}
        for oid, obj in list(state.objs.items()):
            if obj.storage in storages:
                changes = {}
                if extra_history:
                    changes["history"] = history_union(obj.history, extra_history)
                if extra_rg is not Tri.NO and not obj.leaf:
                    changes["requires_grad"] = obj.requires_grad | extra_rg
                if obj.constant is not None and inputs:
                    changes["constant"] = None  # what was written into it may be no constant
                if changes:
                    state.update(oid, **changes)
        if op_name in RESHAPING_IN_PLACE:  # `x.unsqueeze_(0)`: the sizes the walk knew are not its sizes now
            self.forget_sizes(ref, state, recount=op_name in RECOUNTING_IN_PLACE)
        if new_saves is not None:
            saves, fact, out_rg, sseq = new_saves
            for oid in ref.objs:
                obj = state.obj(oid)
                added = set(saves)
                keeps_target = fact.saves_result or fact.saves.get(fact.params[0])
                if keeps_target and out_rg is not Tri.NO:
                    added.add(Save(fresh_id(), self.ctx.next_seq(), obj.storage, obj.memory, node, fact.name,
                                   "result", fact.grad_fn, loop_pass=self.loop_pass,
                                   **save_certainty(out_rg, grad, state)))
                if grad is not Tri.NO:
                    state.update(oid, history=obj.history | frozenset(added))

    def forget_sizes(self, ref: Ref, state, recount: bool = True) -> None:
        """The tensors `ref` holds were given other sizes (`x.unsqueeze_(0)`, `x.data = t`): what the walk knew of
        their shape (and, with `recount`, of their being one element) is gone."""
        for oid in ref.objs:
            state.update(oid, shape=None, **({"scalar": Tri.MAYBE} if recount else {}))

    def alternative_condition(self, oid: int, ref: Ref, branch: tuple = ()) -> str | None:
        """When the name may hold several tensors: under which condition it holds this one. A tensor made where
        the caller passed an optional argument needs that; the one tensor of the default path needs nothing."""
        own = self.optional_condition(oid)
        if own is not None:
            return own
        if all(self.optional_condition(o) is not None for o in ref.objs if o != oid):
            return None
        return self.configuration_condition(oid, branch) or BRANCH_CONDITION

    def held_by_default(self, oid: int, ref: Ref) -> frozenset:
        """`if self.use_res: feats.append(d + m)` / `else: feats.append(d)` (use_res=False by default), then
        `feats[i] += ...`: the name (or list) may hold `oid`, and tensors made only on sides of `if`s that the
        constructor's defaults do not take. Built with its defaults, it holds one of the others: their ids (`oid`
        among them), or nothing when `oid` was itself made off the defaults' way or no other tensor was."""
        off_default = {o for o in ref.objs if self.defaults_left(o)}
        if not off_default or oid in off_default:
            return frozenset()
        return frozenset(ref.objs) - off_default

    def default_condition(self, held: frozenset, ref: Ref) -> str:
        """The defaults that keep the tensors made off their way out of the name (DEFAULT_CONFIGURATION)."""
        sources = [source for o in ref.objs if o not in held for source in self.defaults_left(o)]
        return DEFAULT_CONFIGURATION + ", ".join(dict.fromkeys(sources))

    def defaults_left(self, oid: int) -> list[str]:
        """The constructor defaults whose side of an `if` the tensor `oid` was not made on (empty: made on the way
        the defaults take)."""
        sides = self.ctx.root.default_sides
        return [sides[other_side(key)] for key in self.ctx.root.made_in.get(oid, ()) if other_side(key) in sides]

    def chosen_side(self, oid: int, ref: Ref, now: tuple) -> tuple:
        """`if self.resize: identity = self.conv(x)` / `else: identity = x`, then `identity.relu_()`: the branches
        the tensor `oid` was made in, when the name holds it by the choice of that one `if` (each other tensor it
        may hold was made before that `if` or on its other side) and the change runs past the `if`, on no side of
        another one. Then the change reaches it whenever the side that made it runs. () otherwise."""
        made_in = self.ctx.root.made_in
        made = made_in.get(oid, ())
        if not made or not set(now) <= set(made[:-1]):
            return ()
        last = made[-1]
        allowed = set(made[:-1]) | {last[:3] + (1 - last[3],)}
        if all(set(made_in.get(o, ())) <= allowed for o in ref.objs if o != oid):
            return made
        return ()

    def configuration_condition(self, oid: int, now: tuple) -> str | None:
        """`if self.self_attention: q, k, v = proj(x).chunk(3)` in a module walked with its constructor's defaults
        (`self_attention=False`): a tensor made on the side a bool flag's default does not take exists when the
        module is built with the flag flipped, which is what the branch is written for. The setting that makes it,
        or None; None too when the path `now` tests the same flag and takes its default side (`if not
        self.self_attention: q *= s`: never the same tensor)."""
        root = self.ctx.root
        made_in = root.made_in.get(oid)
        if not made_in:
            return None
        settings = [root.other_sides[key] for key in made_in if key in root.other_sides]
        if not settings:
            return None
        flags = {root.default_sides[other_side(key)] for key in made_in if key in root.other_sides}
        if any(root.default_sides.get(key) in flags for key in now):
            return None
        return CONFIGURATION + "with " + " and ".join(dict.fromkeys(settings))

    def optional_condition(self, oid: int) -> str | None:
        for first, last, condition in self.ctx.root.optional_ids:
            if first < oid < last:
                return condition
        return None

    def silent_write(self, ref: Ref, node, kind: str, op: str, state: State) -> None:
        """A write to these tensors' memory that autograd's version counter does not see (a fused optimizer)."""
        seq = self.ctx.next_seq()
        for oid in ref.objs:
            obj = state.obj(oid)
            event = Mutation(fresh_id(), seq, node, kind, op, None, obj.memory, obj, Tri.NO, self.frames, silent=True,
                             loop_pass=self.loop_pass, branch=state.branch)
            state.add_mutation(("m", obj.memory), event)

    def silent_numpy_write(self, arr: NumpyArr, node, state: State) -> None:
        seq = self.ctx.next_seq()
        obj = TObj(-1, arr.memory, Tri.NO, describe="a NumPy array")
        event = Mutation(fresh_id(), seq, node, "numpy", "numpy write", None, arr.memory, obj, state.grad,
                         self.frames, silent=True, loop_pass=self.loop_pass)
        state.add_mutation(("m", arr.memory), event)

    def backward(self, target, node, state: State, kwargs: dict, positional_gradient=False, is_grad=False) -> None:
        refs = []
        if isinstance(target, Ref):
            refs = [target]
        elif isinstance(target, Seq):
            refs = [i for i in target.items if isinstance(i, Ref)]
        if not refs:
            return
        retain = kwargs.get("retain_graph")
        retain_graph = truthy(retain) or truthy(kwargs.get("create_graph"))
        retain_unknown = retain is not None and not isinstance(retain, (BoolConst, NoneVal))
        has_gradient = positional_gradient or ("gradient" in kwargs and not isinstance(kwargs["gradient"], NoneVal)) \
            or ("grad_tensors" in kwargs)
        # autograd.grad(loss, inputs) runs only the part of the graph between them: what made `inputs` is neither
        # used nor freed (`x_in` of `autograd.grad(loss, x_in)` stays differentiable back to `x`)
        inputs = kwargs.get("inputs")
        upstream = frozenset().union(*(self.history(i, state) for i in (
            inputs.items if isinstance(inputs, Seq) else (inputs,)) if isinstance(i, Ref))) if is_grad else frozenset()
        for ref in refs:
            self.sink.on_backward(self, ref, node, state, has_gradient=has_gradient, upstream=upstream)
        if retain_graph or retain_unknown:
            return
        for ref in refs:
            for save in self.history(ref, state) - upstream:
                state.freed.setdefault(save.id, (node, self.loop_pass))
