"""NNI's `LayerChoice` (neural architecture search), modelled from what facts.py records of it (NNI_LAYER_*): built
from a list or a dict of candidate modules, it runs ONE of them on its input, the one the search strategy picks.
Its call walks every candidate on the same input, each on a side of its own (State.branch: a save made by one
candidate and a change made by another never meet), and returns the join of their outputs, as `nn.Tanh() if flag
else nn.Sigmoid()` does. What holds of a tensor one candidate made, or of a change or a save made inside one, holds
when the strategy picks that candidate: a warning that names it (`when the LayerChoice picks `ConvBranch``), never
an error (a differentiable strategy mixes the candidates' outputs instead). Candidates the walk cannot read leave
`LayerChoice(...)` what it was before: an unknown call."""

from __future__ import annotations

from .. import facts
from .built_choices import BUILT_CHOICE_KIND, BUILT_SIDE
from .values import CHOICE, BoolConst, DictVal, ModuleVal, NoneVal, Seq, flat_refs, fresh_id, join_val

CHOICE_SIDE = "LayerChoice"  # the second item of a candidate's branch key, with the choice's module id


class NniChoices:
    """`LayerChoice(...)` and its calls, for the walk (a mixin of the Interpreter)."""

    def build_layer_choice(self, args, kwargs, node, state):
        """A ModuleVal of kind NNI_LAYER_CHOICE_KIND whose members are the candidates, in order (a dict's names kept
        as an nn.ModuleDict's are), or an unknown call's result when they are not all modules the walk knows, or
        the call returns a mask too."""
        names = [n for n in facts.NNI_LAYER_CHOICE_CANDIDATES if n in kwargs]
        given = args[0] if args and not names else kwargs[names[0]] if len(names) == 1 and not args else None
        mask = kwargs.get("return_mask", args[2] if len(args) > 2 else BoolConst(False))
        if getattr(kwargs, "more", None) is not None or not (mask == BoolConst(False) or isinstance(mask, NoneVal)):
            return self.unknown_call(args, kwargs, node, state)
        keys = None
        if isinstance(given, Seq) and "*" not in given.items:
            candidates = given.items
        elif isinstance(given, DictVal) and given.base is None:
            keys = tuple(k for k, _ in given.items)
            candidates = tuple(v for _, v in given.items)
        else:
            return self.unknown_call(args, kwargs, node, state)
        if not candidates or not all(isinstance(c, ModuleVal) for c in candidates):
            return self.unknown_call(args, kwargs, node, state)
        mod = ModuleVal(fresh_id(), facts.NNI_LAYER_CHOICE_KIND, members=tuple(candidates), node=node)
        self.ctx.modules[mod.id] = mod
        if keys is not None:  # `choice["conv3x3"]` is that candidate, as in an nn.ModuleDict
            self.ctx.module_keys[mod.id] = keys
        return mod

    def call_layer_choice(self, mod: ModuleVal, args, kwargs, node, state):
        """`choice(x)`: each candidate called on `x` on its own side of the choice (State.branch), one after the
        other on the same state, as both sides of a conditional expression are; the join of their outputs."""
        keys = self.ctx.module_keys.get(mod.id)
        built = mod.kind == BUILT_CHOICE_KIND  # one of the modules the code's branches build (built_choices.py)
        outer = state.branch
        value = None
        try:
            for index, member in enumerate(mod.members):
                side = (self.start_id, (BUILT_SIDE if built else CHOICE_SIDE, mod.id), 0, index)
                label = keys[index] if keys is not None else member.cls or member.kind
                self.ctx.root.choice_sides[side] = self.candidate_label(mod, index) if built else \
                    f"{CHOICE}picks `{label}`"
                state.branch = outer + (side,)
                out = self.call_module(member, list(args), kwargs, node, state)
                self.ctx.root.choice_outputs[side] = frozenset(
                    state.obj(o).storage for ref in flat_refs([out]) for o in ref.objs)
                value = out if value is None else join_val(value, out)
        finally:
            state.branch = outer
        return value

    def choice_condition(self, oid: int, branch: tuple) -> str | None:
        """The candidate of a LayerChoice that a change made on the path `branch` to the tensor `oid` rests on: the
        one the path runs in, or the one that made the tensor. None when neither is inside a candidate."""
        sides = self.ctx.root.choice_sides
        if not sides:
            return None
        for key in branch + self.ctx.root.made_in.get(oid, ()):
            if key in sides:
                return sides[key]
        return None


def held_by_another_candidate(outputs: dict, save_branch: tuple, event) -> bool:
    """Does the change reach the tensor a save inside one candidate kept only through the choice's output as
    another candidate returns it (`LayerChoice([nn.Identity(), conv_relu])(x) += y` changes `x`, which the conv
    saved, only when the identity runs, and then the conv did not)? Never the same run."""
    if not event.alternatives:
        return False
    for key in save_branch:
        own = outputs.get(key)
        if own is None or key in event.branch or event.storage in own:
            continue
        every = frozenset().union(*(v for k, v in outputs.items() if k[:3] == key[:3]))
        if event.alternatives <= every:
            return True
    return False


def saved_in_choice(sides: dict, save_branch: tuple, event_branch: tuple) -> str | None:
    """The candidate of a LayerChoice that made a save a change after the choice meets (its output saved its input,
    say): the finding holds when the strategy picks it. None when the save was not made inside a candidate, or the
    change runs inside the same one."""
    for key in save_branch:
        if key in sides and key not in event_branch:
            return sides[key]
    return None
