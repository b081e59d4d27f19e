"""Abstract values: what the analysis knows about a tensor, a module, a list... at one program point.

A name is bound to a `Ref`, a may-point-to set of abstract objects. Tensor objects (`TObj`) live in the
flow `State`, so an in-place change seen through one alias is seen through all of them. Autograd's
version counter belongs to a *storage*: views and `.detach()` share their base's, `.data` does not.

Every value is immutable: a changed tensor is a new TObj made by `evolve`. The classes are not `frozen`
dataclasses only because a frozen one's `__init__` sets each field through `object.__setattr__`, which made the
creation of a TObj 6x slower (tests/test_values_immutable.py walks real code with field assignments refused).
"""

from __future__ import annotations

import ast
import enum
import itertools
from dataclasses import dataclass, field

from .. import facts
from .module_alike import alike_for_backward, joined_members, same_call

_ids = itertools.count(1)


def evolve(value, **changes):
    """`dataclasses.replace` for these values, without its per-field checks and `__init__` (the walk makes
    millions of changed copies)."""
    new = object.__new__(value.__class__)
    fields = new.__dict__
    fields.update(value.__dict__)
    fields.update(changes)
    return new


def fresh_id() -> int:
    return next(_ids)


def reset_ids(start: int = 1) -> None:
    global _ids
    _ids = itertools.count(start)


def save_ids():
    """The id counter, to continue from after a walk in another id range."""
    global _ids
    current = next(_ids)
    _ids = itertools.count(current)
    return current


def restore_ids(current) -> None:
    reset_ids(current)


class Tri(enum.Enum):
    NO = 0
    MAYBE = 1
    # Requires grad on the training path: flows from a training entry's tensor inputs (the training loop in
    # another file makes them require grad). Findings resting on it are warnings, never errors.
    ASSUMED = 2
    YES = 3

    # `_value_`, not `value`: an Enum's `value` is a property, and these run millions of times.
    def __or__(self, other: "Tri") -> "Tri":  # "any of these requires grad"
        return self if self._value_ >= other._value_ else other

    def join(self, other: "Tri") -> "Tri":  # the value on either of two paths
        if self is other:
            return self
        if self._value_ >= 2 and other._value_ >= 2:  # both ASSUMED or YES
            return Tri.ASSUMED  # requires grad on both paths, on one of them by the assumption
        return Tri.MAYBE


@dataclass(unsafe_hash=True)
class Save:
    """A tensor kept by an op for backward: changing `storage` in place after `seq` breaks backward."""

    id: int
    seq: int  # program point of the op
    storage: int | None  # None: an internal buffer (a wrapped scalar, indices...), only matters for freeing
    memory: int | None
    node: ast.AST  # the op that saved it
    op: str
    role: str  # "input", "other", "result", ...
    grad_fn: str | None
    certain: bool  # False when it depends on whether an input requires grad
    loop_pass: int = 0
    assumed: bool = False  # certain only by the training assumption (inputs require grad, grad mode on)
    branch: tuple = ()  # the branches of `if` statements it was made in (State.branch)
    by_default: str = ""  # made by a module or function that a constructor's default chose (ModuleVal.by_default)


@dataclass(eq=False)
class TObj:
    """One tensor. Compared by identity: a changed tensor is a new TObj (cheap joins of flow states)."""

    storage: int  # autograd version-counter identity
    memory: int  # memory identity (shared with `.data`, `.numpy()`)
    requires_grad: Tri
    leaf: bool = False  # a leaf that requires grad (requires_grad is YES or MAYBE)
    leaf_view: bool = False  # a view of such a leaf
    view_kind: str | None = None  # "multi" (unbind/split/chunk), "nograd" (made under no_grad), "expand"
    view_op: str | None = None
    history: frozenset = frozenset()  # Saves reachable from this tensor's grad_fn
    origin: ast.AST | None = None
    scalar: Tri = Tri.MAYBE  # numel == 1 ?
    detached: bool = False  # made by .detach() / .data: no grad_fn, whatever the source
    param_of: int | None = None  # module instance id, for parameters
    describe: str = "tensor"  # how to name it in messages: "leaf tensor `x`", "parameter `fc.weight`"
    is_argument: bool = False  # a function parameter: the caller decides what it is
    tensor_declared: bool = False  # a parameter annotated as a tensor (`x: torch.Tensor`), not maybe a list
    shape: tuple | None = None  # known sizes (ints, or None for an unknown size); None: rank unknown
    opaque: bool = False  # computed by code we cannot see into: may be a tuple of tensors
    # Axes k whose memory is not contiguous with axis k-1 (a `chunk`/`split` cut there; negative k counts from the
    # end): frozenset() for a contiguous tensor, None when the layout is not known. Decides whether einops copies.
    gaps: frozenset | None = None
    # The places in memory of the dims of a permuted view of a contiguous tensor (`x.permute(0, 2, 3, 1)`:
    # (0, 2, 3, 1)), which decide whether a later merge of dims copies (permuted.py); None: not such a view.
    order: tuple | None = None
    passed_in: bool = False  # an item of an argument (`h, c = state`): the caller's tensor
    # The op that may have copied instead ("reshape" of a chunk piece: a view when it only splits dims; "float",
    # "contiguous": the tensor itself when its dtype or layout is already the one asked for); "" when it did not.
    maybe_copy: str = ""
    # Built only from constants (a factory without requires_grad) on some path: constant_loss.Constant, or None.
    constant: object = None
    rg_default: str = ""  # requires grad (a leaf) with these defaults, not otherwise (defaults.grad_kept_by_default)


# ---- non-tensor values -------------------------------------------------------------------------

@dataclass(unsafe_hash=True)
class Unknown:
    tensorish: bool = False  # used like a tensor (a model's output...), requires_grad unknown


UNKNOWN = Unknown()


@dataclass(unsafe_hash=True)
class DefaultStr(Unknown):
    """A constructor's str default that the file does not show anyone set (`activation="tanh"`): unknown to
    branches and comparisons (a caller may pass another), but a lookup by it (`ACTIVATIONS[activation]`) finds
    what the module is when built with its defaults."""

    default: str = ""
    source: str = ""  # `activation="tanh"`: the parameter and its default, for messages


@dataclass(unsafe_hash=True)
class DefaultBool(Unknown):
    """A test on a constructor's default that the file does not show anyone set (`activation == "tanh"`, `squash`):
    unknown to the walk, which takes both sides, but the side the module built with its defaults takes is known."""

    default: bool = False
    source: str = ""  # the defaults the answer comes from, for messages


@dataclass(unsafe_hash=True)
class Number:
    value: object = None
    # bounds of a value not known exactly: a loop's counter is 0 in the walk's first pass (0, 0) and past 0 in the
    # second (1, None); the value itself stays unknown, so indexing with it is not indexing with a constant
    minimum: int | None = None
    maximum: int | None = None
    # a constructor's default read as written (`drop=0.0`), named for messages: the code that builds the module may
    # pass another value; not part of the value (equal numbers compare equal whatever their source)
    source: str = field(default="", compare=False)


@dataclass(unsafe_hash=True)
class BoolConst:
    value: bool


@dataclass(unsafe_hash=True)
class NoneVal:
    pass


@dataclass(unsafe_hash=True)
class GradCtx:
    """`torch.no_grad()`, `torch.enable_grad()`, `set_grad_enabled(b)`, `inference_mode()`."""

    enabled: Tri
    inference: bool = False


@dataclass(unsafe_hash=True)
class ModuleVal:
    """An nn.Module instance: a torch one (`kind` = class name) or a class of this file (`cls`)."""

    id: int
    kind: str | None  # "Linear", "ReLU", "Sequential" ...
    cls: str | None = None  # a class defined in the analysed file
    inplace: bool = False
    members: tuple = ()  # Sequential / ModuleList members (Vals)
    node: ast.AST | None = None  # where it was built
    bidirectional: bool | None = False  # a recurrent module's `bidirectional=` (None: not known)
    reduction: object = None  # a loss module's `reduction=` as built (`"none"`), passed on to its call
    summarized: bool = False  # a block of the file built in a comprehension: called through its class summary
    # what it does comes from a constructor's default: its `inplace=inplace` (`inplace=True` by default), or the choice
    # of the module itself (`nn.GELU() if flag else nn.ReLU()`, `flag=False`): that default, for messages
    by_default: str = ""
    rate: object = None  # a dropout's `p` as built (Number; None: not a dropout, or not known)
    # None on another path (`self.norm = Norm(d) if norm else None`): whether it is there is not known, but what
    # calling it does is (calling None raises)
    optional: bool = False
    chosen_as: str = ""  # one of the modules the code's branches bound to this name (built_choices.py)


@dataclass(unsafe_hash=True)
class ParamsOf:
    """`model.parameters()`: iterating it yields the model's parameters; `model.named_parameters()` (`named`): pairs
    of a name and one of them."""

    module: int
    named: bool = False


@dataclass(unsafe_hash=True)
class ParamsList:
    """`list(model.parameters())`, `list(a.parameters()) + list(b.parameters())`, `itertools.chain(...)`: the
    parameters of the models in `parts` (ParamsOf), known for what an optimizer given them steps; its items are
    not followed (iterating it yields something unknown)."""

    parts: tuple


@dataclass(unsafe_hash=True)
class PartialVal:
    """`functools.partial(nn.ReLU, inplace=True)`, `partial(Block, dim=64)`: a class or function of the file, or a
    torch.nn class, with some arguments given (`act_layer=partial(nn.Softmax, dim=-1)`)."""

    func: object  # QualVal of a torch.nn class, ClassVal, FuncVal
    args: tuple
    kwargs: tuple  # ((name, Val), ...)


@dataclass(unsafe_hash=True)
class AnySubmodule:
    """One of the modules inside `module` (an item of `model.modules()`, what `model.apply(fn)` passes to `fn`):
    its `weight` and `bias` are parameters of the model."""

    module: int


@dataclass(unsafe_hash=True)
class Optimizer:
    modules: tuple  # module instance ids whose parameters it updates
    node: ast.AST | None = None
    tensors: tuple = ()  # Refs of the tensors given to it one by one (`Adam([w, b])`, `[{"params": [w]}]`)
    fused: bool = False  # `fused=True`: its step writes the parameters without bumping their version counter


@dataclass(unsafe_hash=True)
class Seq:
    """A list or tuple whose items we track (also the result of unbind/split/chunk)."""

    items: tuple
    mutable: bool = False


SIZES = Seq((Number(), "*"))  # a tensor's `.shape` / `.size()`: a tuple of ints of unknown length


@dataclass(unsafe_hash=True)
class DictVal:
    items: tuple  # ((key constant, Val), ...)
    # What the keys not in `items` come from: a value of unknown type that the code uses as a mapping
    # (`outputs["logits"] = x` on an argument), None for a dict literal.
    base: object = None
    # What was stored under keys the walk does not know (`blocks[sector] = u` in a loop), joined; None: nothing.
    some: object = None
    # None on some path (`act_cfg = None; if bn: act_cfg = dict(type='ReLU')`, a dict of literals: literal_config)
    optional: bool = False


class Keywords(dict):
    """A call's keyword arguments by name. `more`: what a `**mapping` whose keys the walk does not know stands for
    (None when every keyword is known): a torch factory's `requires_grad` may be in it, and a callee's **kwargs
    parameter holds it. (A callee's named parameters keep their defaults: taking them as unknown whenever a call
    passes `**kwargs` un-prunes the flag branches of every layer, 20 % more walking on x-transformers.)"""

    more = None


@dataclass(unsafe_hash=True)
class FuncVal:
    node: ast.AST  # FunctionDef / Lambda
    cls: str | None = None  # defined in this class (a method)
    bound: object = None  # the `self` value for a bound method
    closure: object = field(default=None, compare=False, hash=False)  # a lambda's defining names (env dict)
    by_default: str = ""  # chosen by a constructor's default (`(lambda t: t.tanh()) if squash else ...`): that one


@dataclass(unsafe_hash=True)
class BuiltinVal:
    """A Python builtin the walk models (`map`, `list`, `tuple`), not shadowed by the file."""

    name: str


@dataclass(unsafe_hash=True)
class ClassVal:
    name: str


@dataclass(unsafe_hash=True)
class CtxVal:
    """The `ctx` of a custom autograd.Function's forward: what `ctx.save_for_backward(...)` kept."""

    saved: list = field(default_factory=list, compare=False, hash=False)  # Refs


@dataclass(unsafe_hash=True)
class SuperVal:
    """`super()` inside a method of class `owner`, for the instance `instance` (a ModuleVal)."""

    owner: str
    instance: object


@dataclass(unsafe_hash=True)
class NumpyArr:
    """A NumPy array sharing memory with a tensor (`t.numpy()`, or the source of `torch.from_numpy`)."""

    memory: int
    tensor_obj: int | None = None


@dataclass(unsafe_hash=True)
class Ref:
    """A name's value when it is (maybe) a tensor: the tensors it may point to."""

    objs: frozenset
    every: bool = False  # each of these tensors (a model's parameters), not one of them (after a branch)
    maybe_none: bool = False  # None (or anything else) on another path: `mask = None` then `if m: mask = t`


# ---- events ------------------------------------------------------------------------------------

@dataclass(unsafe_hash=True)
class Frame:
    """A call that led to an event inside a helper: the helper's line is related information."""

    call: ast.AST
    inner: ast.AST
    func_name: str
    arg_storages: frozenset = frozenset()  # storages passed in as arguments (not `self`)
    arg_modules: frozenset = frozenset()  # modules whose parameters were passed in


@dataclass(unsafe_hash=True)
class Mutation:
    id: int
    seq: int
    node: ast.AST  # what to underline (in the analysed scope)
    kind: str  # "augassign", "setitem", "method", "function", "out", "inplace-arg", "module", "data", "numpy"
    op: str  # "+=", "add_", "relu(inplace=True)"...
    storage: int | None
    memory: int | None
    obj: TObj
    grad_enabled: Tri
    via: tuple = ()  # Frames, outermost first
    module_node: ast.AST | None = None  # where an inplace=True module was built
    silent: bool = False  # .data / numpy: no version bump
    loop_pass: int = 0
    # Set when the change happens only on some paths we cannot tell apart here: through a name that may hold
    # several tensors (after a branch), or in a branch taken only when the caller passes an optional argument.
    path_condition: str | None = None
    alternatives: frozenset = frozenset()  # storages of every tensor the changed name may hold (when several)
    branch: tuple = ()  # State.branch where it happened
    opted_in: bool = False  # under `if inplace:` (the caller asked for the in-place form)
    # The branches the changed tensor was made in, when the name holds it by the choice of the last `if` of them
    # (TensorTracker.chosen_side); () otherwise
    made_in: tuple = ()
    held_by_default: frozenset = frozenset()  # storages the name may hold built with the path condition's defaults
    tensor_made_in: tuple = ()  # State.branch where the changed tensor was made (inside an `if`), else ()
    # Storages of every tensor the same change wrote (an optimizer's step of all of a model's parameters, `Ref.every`)
    together: frozenset = frozenset()


BRANCH_CONDITION = "which branch ran before (the name may hold different tensors)"
# A path condition: the change happens when the module is built with its defaults (`inplace=True`), which the
# code that builds it may change.
DEFAULT_CONFIGURATION = "with the constructor's default "
# A path condition: the tensor is made when the module is built with a setting other than the constructor's default
# (`self_attention=True`); the branch exists for the code that builds it so.
CONFIGURATION = "when the module is built "
# Path conditions: made, changed or saved inside one candidate of an nni LayerChoice (nni_choices.py) or of the
# modules the code's branches build (built_choices.py), a warning that names it: "when the LayerChoice picks `X`"
CHOICE, BUILT_CHOICE = "when the LayerChoice ", "when `"


def names_setting(condition: str | None) -> bool:
    """Does the path condition name what the model is built or run with (a constructor setting, a LayerChoice's
    candidate), which a finding states rather than depends on?"""
    return bool(condition) and condition.startswith((CONFIGURATION, CHOICE, BUILT_CHOICE))


def default_source(condition: str | None) -> str:
    """The defaults a DEFAULT_CONFIGURATION path condition names (`inplace=True`), or "" for another condition."""
    return condition[len(DEFAULT_CONFIGURATION):] if condition and condition.startswith(DEFAULT_CONFIGURATION) else ""


def exclusive(a: tuple, b: tuple) -> bool:
    """Were two events made on different sides of the same walk of one `if` (so never both in one run)?"""
    sides = {key[:-1]: key[-1] for key in a}
    return any(sides.get(key[:-1], key[-1]) != key[-1] for key in b)


def other_side(key: tuple) -> tuple:
    """The key of the other side of the same walk of one `if` (a branch key ends with the side taken, 0 or 1)."""
    return key[:-1] + (1 - key[-1],)


NOT_SET = object()  # in a Recording's log: the key was not there before


class Recording(dict):
    """A dict that logs the keys written since a point of the walk (`recent`: key -> the value it had before its
    first write there, NOT_SET if none; in first-write order; None: not followed). Joining the two sides of an
    `if` then looks at those keys only, instead of every name and tensor of the scope (which made long scripts
    quadratic), and an `if` without `else` can run its body on the state itself and undo it. Reads are plain
    dict reads."""

    # Not recording until told to. A class attribute rather than a slot set in __init__: a copy of a state is then
    # made by dict's own __init__, without a Python call (copies are the commonest thing a walk does).
    recent = None

    def __setitem__(self, key, value):
        log = self.recent
        if log is not None and key not in log:
            log[key] = dict.get(self, key, NOT_SET)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        log = self.recent
        if log is not None and key not in log:
            log[key] = dict.get(self, key, NOT_SET)
        dict.__delitem__(self, key)

    def pop(self, key, *default):
        log = self.recent
        if log is not None and key not in log:
            log[key] = dict.get(self, key, NOT_SET)
        return dict.pop(self, key, *default)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def update(self, *args, **kwargs):
        other = dict(*args, **kwargs)
        log = self.recent
        if log is not None:
            for key in other:
                if key not in log:
                    log[key] = dict.get(self, key, NOT_SET)
        dict.update(self, other)

    def popitem(self):
        key, value = dict.popitem(self)
        log = self.recent
        if log is not None and key not in log:
            log[key] = value
        return key, value

    def clear(self):
        self.recent = None
        dict.clear(self)

    def undo(self) -> None:
        """Put back what the log says was there before, and stop logging."""
        log, self.recent = self.recent, None
        for key, old in log.items():
            if old is NOT_SET:
                dict.pop(self, key, None)
            else:
                dict.__setitem__(self, key, old)


def older_first(older: dict, newer: dict) -> dict:
    """Two logs of one path, `older` from an earlier point: the keys in the order they were first written, each
    with the value it had at the earlier point."""
    out = dict(older)
    for key, old in newer.items():
        if key not in out:
            out[key] = old
    return out


class Env(Recording):
    """name -> Val, for one path of a scope."""

    __slots__ = ()


class ObjTable(Recording):
    """obj id -> TObj. A tensor made in another walk (a module attribute built in `__init__`, say) that this walk
    never saw reads as a tensor we know nothing about, rather than failing."""

    __slots__ = ()

    def __missing__(self, oid):
        return TObj(storage=-oid, memory=-oid, requires_grad=Tri.MAYBE, describe="tensor")


@dataclass
class State:
    env: dict = field(default_factory=lambda: Env())  # name -> Val
    objs: dict = field(default_factory=lambda: ObjTable())  # obj id -> TObj
    muts: dict = field(default_factory=dict)  # storage or memory -> tuple[Mutation]
    freed: dict = field(default_factory=dict)  # save id -> the backward node that freed it
    grad: Tri = Tri.YES
    grad_assumed: bool = False  # grad mode is the caller's: a function body
    training: bool = False  # on the training path: the caller's grad mode is taken as on (a warning, not an error)
    dead: bool = False  # after return/raise/break/continue
    inference: bool = False  # inside torch.inference_mode()
    path_condition: str | None = None  # this path runs only if the caller passes something optional
    optional: dict = field(default_factory=dict)  # names set only on such paths -> the condition
    # The `if` sides this path is in: ((walk id, node id, loop pass, side), ...), so that a save made in one
    # branch and a change made in the other are never taken as one run.
    branch: tuple = ()
    fork_token: object = None  # set by fork(): the paths of one statement, joined by their recorded writes
    parent_recent: object = None  # (names, tensors) the forked state had written since its own fork

    def copy(self, env: dict | None = None) -> "State":
        """The same point of the program, to go on from separately. `env`: the copy's names instead (a call's
        frame: copying the caller's names only to drop them costs a dict per call). A copy goes on recording
        what it writes, from the same point as the original (see Recording)."""
        # A forked path records only what it wrote since the fork; its copy (a `return` kept for the caller) is
        # no longer one of the fork's paths, so it carries what was written before the fork too.
        parent_env, parent_objs = self.parent_recent if self.fork_token is not None else ({}, {})
        objs = ObjTable(self.objs)
        if self.objs.__class__ is ObjTable and self.objs.recent is not None and parent_objs is not None:
            objs.recent = older_first(parent_objs, self.objs.recent)
        if env is None:
            env = Env(self.env)
            if self.env.__class__ is Env and self.env.recent is not None and parent_env is not None:
                env.recent = older_first(parent_env, self.env.recent)
        return State(env, objs, dict(self.muts), dict(self.freed), self.grad, self.grad_assumed, self.training,
                     self.dead, self.inference, self.path_condition, dict(self.optional), self.branch)

    def fork(self, n: int) -> list:
        """`n` copies for the paths of one statement (the sides of an `if`): each notes what it writes, so that
        join_states can look at those names and tensors only."""
        token = object()
        parent = (self.env.recent if isinstance(self.env, Recording) else None,
                  self.objs.recent if isinstance(self.objs, Recording) else None)
        out = []
        for _ in range(n):
            child = self.copy()
            child.env.recent, child.objs.recent = {}, {}
            child.fork_token, child.parent_recent = token, parent
            out.append(child)
        return out

    def obj(self, oid: int) -> TObj:
        return self.objs[oid]

    def update(self, oid: int, **changes) -> None:
        if oid in self.objs:
            self.objs[oid] = evolve(self.objs[oid], **changes)

    def add_mutation(self, key: int, event: Mutation) -> None:
        self.muts[key] = self.muts.get(key, ()) + (event,)


def save_certainty(cond: Tri, grad_on: Tri, state: State) -> dict:
    """Save(certain=..., assumed=..., branch=...) for a tensor kept when `cond` (its inputs require grad) and grad
    mode is on: certain when the file shows both, assumed when it holds by the training assumption."""
    if grad_on is not Tri.YES or cond.value < Tri.ASSUMED.value:
        return {"certain": False, "branch": state.branch}
    if state.grad_assumed and not state.training:
        return {"certain": False, "branch": state.branch}
    return {"certain": True, "assumed": cond is Tri.ASSUMED or state.grad_assumed, "branch": state.branch,
            "by_default": default_source(state.path_condition)}


EMPTY_HISTORY: frozenset = frozenset()


def history_union(a: frozenset, b: frozenset) -> frozenset:
    """`a | b` for two histories of saves, without the copy when one already holds the other: a tensor's history
    is everything upstream of it, so the inputs of an op mostly share theirs (`x` and `f(x)`), and copying the
    larger set at every op made a forward's walk quadratic in its length. Equal to `a | b` (a frozenset's order
    never matters: the saves hash by their nodes)."""
    if not b or b is a:
        return a
    if not a:
        return b
    if len(b) <= len(a):
        return a if b <= a else a | b
    return b if a <= b else a | b


def join_tobj(a: TObj, b: TObj) -> TObj:
    if a is b:
        return a
    return evolve(
        a,
        requires_grad=a.requires_grad.join(b.requires_grad),
        leaf=a.leaf and b.leaf,
        leaf_view=a.leaf_view and b.leaf_view,
        view_kind=a.view_kind if a.view_kind == b.view_kind else None,
        history=history_union(a.history, b.history),
        scalar=a.scalar.join(b.scalar),
        detached=a.detached and b.detached,
        gaps=a.gaps if a.gaps == b.gaps else None,
        order=a.order if a.order == b.order else None,
        constant=a.constant if a.constant == b.constant else None,
        rg_default=a.rg_default if a.rg_default == b.rg_default else "",
    )


def from_caller(ref: Ref, state: "State") -> bool:
    """Is every tensor `ref` may hold one of the scope's arguments (of a type the walk does not know)?"""
    return all(state.obj(o).is_argument for o in ref.objs)


def join_val(a, b):
    if a == b:
        return a
    if isinstance(a, Ref) and isinstance(b, Ref):
        return Ref(a.objs | b.objs, maybe_none=a.maybe_none or b.maybe_none)
    if isinstance(a, Seq) and isinstance(b, Seq) and (not a.items and b.items[-1:] == ("*",) or
                                                      not b.items and a.items[-1:] == ("*",)):
        return Seq((a if a.items else b).items, a.mutable or b.mutable)  # none, or some of unknown count
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items):
        return Seq(tuple(join_val(x, y) for x, y in zip(a.items, b.items)), a.mutable or b.mutable)
    if isinstance(a, Seq) and isinstance(b, Seq) and a.mutable and b.mutable and "*" not in a.items + b.items:
        # a list appended to on one path only: the common items joined, then the longer list's extra ones
        short, long = (a, b) if len(a.items) < len(b.items) else (b, a)
        common = tuple(join_val(x, y) for x, y in zip(short.items, long.items))
        return Seq(common + long.items[len(short.items):], True)
    if isinstance(a, DictVal) and isinstance(b, DictVal) and a.base == b.base:
        # a mapping given items on some paths: each key holds what either path stored (or the other path's base)
        mine, theirs = dict(a.items), dict(b.items)
        items = []
        for key in list(mine) + [k for k in theirs if k not in mine]:
            if key in mine and key in theirs:
                items.append((key, join_val(mine[key], theirs[key])))
            else:
                items.append((key, mine.get(key, theirs.get(key))))
        some = a.some if b.some is None else b.some if a.some is None else join_val(a.some, b.some)
        return DictVal(tuple(items), a.base, some)
    if isinstance(a, DictVal) and a.base is not None and a.base == b or \
            isinstance(b, DictVal) and b.base is not None and b.base == a:
        return a if isinstance(a, DictVal) else b  # the items stored on one path, the same mapping on the other
    if isinstance(a, Ref) or isinstance(b, Ref):
        ref = a if isinstance(a, Ref) else b
        return Ref(ref.objs, maybe_none=True)  # a tensor on one path, something else on the other: maybe a tensor
    if isinstance(a, Unknown) and isinstance(b, Unknown):
        return Unknown(a.tensorish or b.tensorish)
    if isinstance(a, QualVal) and isinstance(b, QualVal) and facts.alike_factories(a.qual, b.qual):
        return a  # `torch.randn_like if normal else torch.rand_like`: a new tensor without a graph either way
    if isinstance(a, ModuleVal) and isinstance(b, ModuleVal) and alike_for_backward(a, b):
        return a  # `nn.Tanh() if flag else nn.Sigmoid()`: whichever is built, its output is saved
    if isinstance(a, ModuleVal) and isinstance(b, NoneVal) or isinstance(b, ModuleVal) and isinstance(a, NoneVal):
        return evolve(a if isinstance(a, ModuleVal) else b, optional=True)
    if isinstance(a, DictVal) and isinstance(b, NoneVal) or isinstance(b, DictVal) and isinstance(a, NoneVal):
        cfg = a if isinstance(a, DictVal) else b
        if literal_config(cfg):  # `act_cfg = None; if bn: act_cfg = dict(type='ReLU')`: that dict, or None
            return evolve(cfg, optional=True)
    if isinstance(a, ModuleVal) and isinstance(b, ModuleVal) and a.node is not None and b.node is not None and \
            (a.kind, a.cls, a.members, a.inplace) == (b.kind, b.cls, b.members, b.inplace) and \
            (a.node is b.node or same_call(a.node, b.node)):
        # two instances one constructor call built (a loop's passes: `for _ in range(n): qs.append(Q())`), or two
        # calls alike (`[Q(d), Q(d)]`): the first stands for either, so that `qs[i]` of an index the walk does not
        # know is still a module of them
        return a
    if isinstance(a, ModuleVal) and isinstance(b, ModuleVal) and a.id == b.id:
        if a.members != b.members:  # one nn.ModuleList given other blocks on each path: which is unknown
            return evolve(a, members=joined_members(a, b, UNKNOWN), optional=a.optional or b.optional)
        return a if a.optional else b  # the same module, None on some other path
    return UNKNOWN


def literal_config(cfg, depth: int = 0) -> bool:
    """A dict of constants, names of classes and such dicts (`dict(type='BN')`): a configuration, no tensor."""
    if cfg.base is not None or cfg.some is not None or depth > 2:
        return False
    return all(isinstance(v, (ConstStr, Number, BoolConst, NoneVal, QualVal)) or
               isinstance(v, DictVal) and literal_config(v, depth + 1) for _, v in cfg.items)


_ABSENT = object()


def join_rest(out: State, muts: dict, freed: dict, grad: Tri, optional: dict) -> None:
    """Join into `out` another path's mutation events, freed saves, grad mode and optional names (the small parts
    of a State; its names and tensors are joined by the caller)."""
    for key, events in muts.items():
        mine_events = out.muts.get(key, ())
        if mine_events is events:
            continue
        seen = {e.id for e in mine_events}
        out.muts[key] = mine_events + tuple(e for e in events if e.id not in seen)
    for sid, node in freed.items():
        out.freed.setdefault(sid, node)
    out.grad = out.grad.join(grad)
    for name, condition in optional.items():
        out.optional.setdefault(name, condition)


def join_states(states: list[State], consume: bool = False) -> State:
    """One state for the paths that meet here. `consume`: the states are the forked paths of one statement and
    nothing else holds them (stmt_If), so the first one becomes the result instead of a copy of it."""
    live = [s for s in states if not s.dead]
    if not live:
        out = states[0].copy()
        out.dead = True
        return out
    token = live[0].fork_token
    if token is not None and all(s.fork_token is token and s.env.recent is not None and s.objs.recent is not None
                                 for s in live):
        if consume:
            out = live[0]
            parent = out.parent_recent
            out.fork_token = out.parent_recent = None
            return join_forked(live, out, parent)
        return join_forked(live, live[0].copy(), live[0].parent_recent)
    out = live[0].copy()
    lost: list = []
    # The paths forked from one state and share every value neither changed (the same object): only the values
    # that are not the same object are joined. (Comparing items as sets hashed every tensor of the module on
    # every `if`, which made long top-level scripts quadratic.)
    for other in live[1:]:
        env = out.env
        for name, val in other.env.items():
            cur = env.get(name, _ABSENT)
            if cur is val:
                continue
            env[name] = val if cur is _ABSENT else join_val(cur, val)
            if drops_unknown(cur, val):
                lost.append(env[name])
        mine = out.objs
        for oid, obj in other.objs.items():
            cur = dict.get(mine, oid)  # not mine[oid]: ObjTable makes up a tensor for an id it does not hold
            if cur is obj:
                continue
            mine[oid] = obj if cur is None else join_tobj(cur, obj)
        join_rest(out, other.muts, other.freed, other.grad, other.optional)
    unknown_elsewhere(out, lost)
    return out


def drops_unknown(a, b) -> bool:
    """Does join_val keep only the tensor of the two (a tensor on one path, an unknown value on the other)?"""
    return a.__class__ is Unknown and b.__class__ is Ref or b.__class__ is Unknown and a.__class__ is Ref


def unknown_elsewhere(out: State, refs: list) -> None:
    """A name that holds a tensor on one path and what the walk does not know on another keeps only the tensor
    (join_val): a constant among them (TObj.constant) is not one on every path, what it is on the others unknown."""
    for ref in refs:
        for oid in ref.objs:
            const = out.objs[oid].constant
            if const is not None and const.elsewhere is Tri.NO:
                out.update(oid, constant=evolve(const, elsewhere=Tri.MAYBE))


def join_forked(live: list, out: State, parent_recent: tuple) -> State:
    """join_states for the paths of one fork (State.fork): what none of them wrote is the same object in all, so
    only the recorded names and tensors are looked at. The result is what the full join gives, in the same order
    (a path's new names are added in the order it wrote them, as iterating its dict would)."""
    written_env: dict = dict(live[0].env.recent)  # copied first: `out` may be live[0] itself
    written_objs: dict = dict(live[0].objs.recent)
    lost: list = []
    for other in live[1:]:
        env = out.env
        other_env, other_objs = other.env.recent, other.objs.recent
        written_env.update(other_env)
        for name in list(other_env) + [n for n in written_env if n not in other_env]:
            val = dict.get(other.env, name, _ABSENT)
            if val is _ABSENT:
                continue
            cur = env.get(name, _ABSENT)
            if cur is val:
                continue
            env[name] = val if cur is _ABSENT else join_val(cur, val)
            if drops_unknown(cur, val):
                lost.append(env[name])
        mine = out.objs
        written_objs.update(other_objs)
        for oid in list(other_objs) + [o for o in written_objs if o not in other_objs]:
            obj = dict.get(other.objs, oid)
            if obj is None:
                continue
            cur = dict.get(mine, oid)
            if cur is obj:
                continue
            mine[oid] = obj if cur is None else join_tobj(cur, obj)
        join_rest(out, other.muts, other.freed, other.grad, other.optional)
    unknown_elsewhere(out, lost)
    parent_env, parent_objs = parent_recent
    out.env.recent = None if parent_env is None else older_first(parent_env, written_env)
    out.objs.recent = None if parent_objs is None else older_first(parent_objs, written_objs)
    return out


class QualVal:
    """A reference to a torch (or other imported) object by its dotted name."""

    __slots__ = ("qual",)

    def __init__(self, qual: str):
        self.qual = qual

    def __eq__(self, other):
        return isinstance(other, QualVal) and other.qual == self.qual

    def __hash__(self):
        return hash(self.qual)


NOT_CONSTANT = object()


def constant_value(value):
    """The Python value of a literal we know exactly, or NOT_CONSTANT."""
    if isinstance(value, Number) and value.value is not None:
        return value.value
    if isinstance(value, BoolConst):
        return value.value
    if isinstance(value, NoneVal):
        return None
    if isinstance(value, ConstStr):
        return value.value
    return NOT_CONSTANT



def reachable_oids(value, out: set, depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(value, Ref):
        out.update(value.objs)
    elif isinstance(value, Seq):
        for item in value.items:
            reachable_oids(item, out, depth + 1)
    elif isinstance(value, DictVal):
        for _, item in value.items:
            reachable_oids(item, out, depth + 1)
        if value.some is not None:
            reachable_oids(value.some, out, depth + 1)
    elif isinstance(value, ModuleVal):
        for item in value.members:
            reachable_oids(item, out, depth + 1)



def flat_refs(values, depth: int = 0) -> list:
    """The tensors among `values`, looking into tuples, lists and dicts."""
    out = []
    for v in values:
        if isinstance(v, Ref):
            out.append(v)
        elif isinstance(v, Seq) and depth < 3:
            out.extend(flat_refs([i for i in v.items if i != "*"], depth + 1))
        elif isinstance(v, DictVal) and depth < 3:
            out.extend(flat_refs([i for _, i in v.items] + ([v.some] if v.some is not None else []), depth + 1))
    return out



def truthy(value) -> bool:
    return isinstance(value, BoolConst) and value.value



class ConstStr:
    """A string literal (e.g. `reduction="none"`); behaves as an unknown value everywhere else."""

    __slots__ = ("value",)
    tensorish = False

    def __init__(self, value: str):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, ConstStr) and other.value == self.value

    def __hash__(self):
        return hash(("str", self.value))
