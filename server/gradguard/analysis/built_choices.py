"""A name that the code's own branches bind to modules of different classes (`if kind == "T": block =
TrendBlock(d) elif kind == "S": block = SeasonalBlock(d)`): after the `if`, it holds one of them, which one the
caller decides. It stays known as a "one of" module (BUILT_CHOICE_KIND) whose members are the candidates; calling
it walks each candidate on a side of its own, as nni's LayerChoice does (nni_choices.py). A finding that rests on
one candidate is a warning that names it ("when `block` is a `TrendBlock`"); one that every candidate's save
supports (each block starts with a BatchNorm that keeps its input) holds whichever was built: the plain finding.
(join_val, used everywhere, keeps two modules of different classes unknown: the choice is made here only, where
an `if` joins the names its sides bound, with an id that stays the same for the same candidates.)"""

from __future__ import annotations

import ast
from dataclasses import replace

from .. import facts
from .blueprints import blueprint
from .values import BUILT_CHOICE, UNKNOWN, ModuleVal, fresh_id, join_val

BUILT_CHOICE_KIND = "one of"  # the kind of a ModuleVal standing for a choice the code made (not a torch.nn class)
BUILT_SIDE = "built"  # the second item of a candidate's branch key, with the choice's module id
MAX_CANDIDATES = 8


class BuiltChoices:
    """Choices among modules the code builds on the sides of an `if`, for the walk (a mixin of the Interpreter)."""

    def chosen_modules(self, node: ast.AST, body, orelse, skip=()) -> dict:
        """The names the two sides of the `if` at `node` bound to modules that join_val cannot join (of different
        classes): name -> the choice among them. Only the names the sides wrote (their logs) are looked at."""
        if body.dead or orelse.dead:
            return {}
        mine, theirs = body.env.recent, orelse.env.recent
        if mine is None or theirs is None:
            return {}
        out = {}
        for name in dict.fromkeys(list(mine) + list(theirs)):
            a, b = body.env.get(name), orelse.env.get(name)
            if a.__class__ is ModuleVal and b.__class__ is ModuleVal and a is not b and name not in skip:
                choice = self.choice_of(name, a, b, node)
                if choice is not None:
                    out[name] = choice
        return out

    def choice_of(self, name: str, a: ModuleVal, b: ModuleVal, node: ast.AST) -> ModuleVal | None:
        """The module `name` holds after an `if` that bound it to `a` on one side and `b` on the other, when
        join_val would leave it unknown: one of the candidates (a choice on either side is flattened). None when
        join_val knows it (alike modules, one module) or the candidates are not plain modules."""
        if join_val(a, b) is not UNKNOWN:
            return None
        return self.choice_among((a, b), name, node)

    def choice_among(self, modules, name: str, node: ast.AST) -> ModuleVal | None:
        """One of `modules` (the candidates of a choice among them taken one by one; one built at the same place
        as another and alike to it, as a loop's passes build it, stands for both). None when there are too many,
        or one is not a plain module (a list of blocks, a module absent on some path: unknown, as before)."""
        candidates: list[ModuleVal] = []
        for side in modules:
            for member in side.members if side.__class__ is ModuleVal and side.kind == BUILT_CHOICE_KIND else (side,):
                if member.__class__ is not ModuleVal or member.cls is None and (
                        not (entry := facts.module(member.kind)) or entry.get("container")) or \
                        member.optional or member.by_default:
                    return None  # a container of blocks; `nn.Buffer` is a tensor; a module the facts do not know
                if not any(member.id == c.id or self.alike(member, c) for c in candidates):
                    candidates.append(member)
        if len(candidates) > MAX_CANDIDATES:
            return None
        root = self.ctx.root
        key = tuple(c.id for c in candidates)
        mid = root.choice_ids.get(key)
        if mid is None:
            mid = root.choice_ids[key] = fresh_id()
        choice = ModuleVal(mid, BUILT_CHOICE_KIND, members=tuple(candidates), node=node, chosen_as=name)
        self.ctx.modules[mid] = choice
        return choice

    def alike(self, a: ModuleVal, b: ModuleVal) -> bool:
        """Built alike (modules.append_block's test, wherever each was built: `if lsh: attn = LSHAttention(c)` on
        two sides of an `if`/`elif` chain): calling either saves the same, so one stands for the other."""
        if a.cls != b.cls or a.kind != b.kind:
            return False
        attrs = self.ctx.instance_attrs
        return blueprint(attrs, a, with_site=False) == blueprint(attrs, b, with_site=False)

    def lists_of_choices(self, exits: list, out) -> None:
        """After a loop that fills an nn.ModuleList with a block the code chooses (`for kind in stack_types: if
        kind == "T": block = TrendBlock(d) ...; self.blocks.append(block)`), the walk's passes leave lists of
        different lengths (the first pass may know the first kind), which the join leaves unknown: each block is
        one of the blocks any pass appended, a list of such choices (its length, its order unknown)."""
        if not self.ctx.root.choice_lists:
            return  # no list given a choice in this walk: nothing to look for
        live = [s for s in exits if not s.dead]
        if len(live) < 2:
            return
        for name in self.ctx.root.choice_lists:
            val = out.env.get(name)
            if val.__class__ is not ModuleVal or val.kind != "ModuleList" or val.cls is not None or \
                    val.members != (UNKNOWN,):
                continue
            lists = [s.env.get(name) for s in live]
            if not all(v.__class__ is ModuleVal and v.id == val.id and v.members for v in lists):
                continue
            blocks = [m for v in lists for m in v.members]
            if not any(m.__class__ is ModuleVal and m.kind == BUILT_CHOICE_KIND for m in blocks):
                continue
            chosen = next(m.chosen_as for m in blocks if m.__class__ is ModuleVal and m.kind == BUILT_CHOICE_KIND)
            choice = self.choice_among(blocks, chosen, val.node)
            if choice is not None:
                out.env[name] = replace(val, members=(choice,))

    def candidate_label(self, mod: ModuleVal, index: int) -> str:
        """"when `block` is a `TrendBlock`": the path condition of what one candidate does; a class built at two
        places of the choice is told apart by the line."""
        member = mod.members[index]
        title = member.cls or member.kind
        name = mod.chosen_as
        if sum(1 for m in mod.members if (m.cls or m.kind) == title) > 1 and member.node is not None:
            title += f"` built on line {member.node.lineno}"
            return f"{BUILT_CHOICE}{name}` is the `{title}" if name else f"{BUILT_CHOICE}{title} is chosen"
        if not name:  # `Gate() if gated else Shift(d)` not bound to a name
            return f"{BUILT_CHOICE}{title}` is the module chosen on line {mod.node.lineno}"
        return f"{BUILT_CHOICE}{name}` is a `{title}`"



def saved_by_every_candidate(sides: dict, save, event, history) -> bool:
    """Was the tensor a save inside one candidate of a built choice kept by every candidate of that choice (in the
    same pass of the walk), before the change (outside it) was made? Then the finding holds whichever candidate the
    code built. A step of all of a model's parameters (`event.together`) changes each candidate's own: a save of any
    of them by the other candidates does."""
    changed = event.together or (event.storage,)
    for key in save.branch:
        if key not in sides or key[1][0] != BUILT_SIDE or key in event.branch:
            continue
        group = key[:3]
        count = sum(1 for k in sides if k[:3] == group)
        for index in range(count):
            side = group + (index,)
            if side == key:
                continue
            if not any(other.storage in changed and other.seq < event.seq and side in other.branch and
                       other.loop_pass == save.loop_pass and
                       (other.certain or not save.certain) and (save.assumed or not other.assumed)
                       for other in history):
                return False
        return True
    return False


def rests_on_other_sides(sides: dict, save, event, condition: str) -> bool:
    """A finding named by one candidate of a built choice (`condition`): was the save made on a side the change is
    not on, other than that candidate's (another choice's candidate, an `if` of unknown test)? The two need not
    meet in one run (`if kind == "a": self.m1 = Sigmoid() ... if kind == "a": self.m2 = Shift() else: self.m2 =
    nn.ReLU(inplace=True)`: the ReLU never follows the sigmoid), as when the name may hold different tensors."""
    return any(key not in event.branch and sides.get(key) != condition for key in save.branch)
