"""A module built with its defaults: what a constructor's bool and str defaults (`activation="tanh"`,
`inplace=True`, a `@dataclass` config's fields) select when the file shows nobody building it. The walk still takes
every branch (a caller may pass something else); these values say which side the defaults take (values.DefaultBool,
values.DefaultStr), so that what torch does with the defaults can be reported, as a warning that names them."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

from .context import class_constant, dataclass_fields, find_method, lookup_order, may_define_methods
from .values import (
    Tri, BoolConst, DefaultBool, Unknown, DefaultStr, FuncVal, ModuleVal, NoneVal, Number, PartialVal, Seq, State, evolve, fresh_id, join_val,
    other_side,
)


class DefaultConfiguration:
    """The Interpreter's handling of constructor defaults (a mixin: reads the walk's state through `self`)."""

    def default_return(self, returns: list, entry: tuple):
        """`def get_activation(name): if name == "relu": return nn.ReLU() ...` called with a constructor's default
        name: the module (or function) that the defaults return, like a lookup `ACT2FN[name]` by it. The first
        `return` whose branches are all the defaults' sides ends the function in the default configuration."""
        sides = self.ctx.root.default_sides
        for value, state in returns:
            own = state.branch[len(entry):]
            if own and all(key in sides for key in own):
                return chosen_by_default(value, ", ".join(dict.fromkeys(sides[key] for key in own)))
        return None

    def grad_by_default(self, ref, state: State) -> tuple:
        """`if self.rope_mixed: cis = f(self.freqs)` / `else: cis = self.fixed_cis` (rope_mixed=True by default):
        a name that may hold a tensor that requires grad and others, where each of the others was made only on a side of an `if` the constructor's defaults do not take. Built with its defaults, the name
        holds one that requires grad: (its Tri, the defaults), or (Tri.NO, "") when that is not so. (What the
        others may be does not matter: built with the defaults, the name never holds them.)"""
        root = self.ctx.root
        sides = root.default_sides
        if not sides or len(ref.objs) < 2:
            return Tri.NO, ""
        on, sources = Tri.NO, []
        for oid in ref.objs:
            rg = state.obj(oid).requires_grad
            off = [sides[other_side(key)] for key in root.made_in.get(oid, ()) if other_side(key) in sides]
            if off:  # built with the defaults, the name never holds it
                sources.extend(off)
            elif rg.value >= Tri.ASSUMED.value and not off:
                on = on if on is Tri.YES else rg
            else:
                return Tri.NO, ""
        return (on, ", ".join(dict.fromkeys(sources))) if on is not Tri.NO and sources else (Tri.NO, "")

    def default_config(self, fn, annotation: ast.AST | None, name: str) -> ModuleVal | None:
        """`def __init__(self, cfg: AttnConfig)` for a class walked on its own: a `@dataclass` of the file with its
        defaults, each bool and str of them a default the code that builds the module may change (DefaultBool,
        DefaultStr); the others (sizes, rates) read as written."""
        if annotation is None or getattr(fn, "name", None) != "__init__" or self.built_here:
            return None
        cls = annotation.id if isinstance(annotation, ast.Name) else annotation.value \
            if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) else None
        info = self.ctx.classes.get(cls) if cls else None
        fields = dataclass_fields(info) if info is not None else None
        if fields is None:
            return None
        config = ModuleVal(fresh_id(), None, cls)
        self.ctx.instance_class[config.id] = cls
        attrs = {}
        for field in fields:
            constant = class_constant(self.ctx.classes, cls, field)
            if constant is not None and isinstance(constant.value, (bool, str)):
                attrs[field] = default_flag(constant.value, f"`{name}.{field}={constant.value!r}`")
        self.ctx.instance_attrs[config.id] = attrs
        return config

    def default_value(self, fn, default: ast.AST, state: State, name: str = ""):
        """A default argument's value. A constructor's bool and str defaults are configuration flags that the
        code building the module sets (`residual=False`, `mode="additive"`): unknown, so no branch is pruned, unless
        the file shows the call that builds it (`Block(3)` leaves `inplace=False` as it is)."""
        if getattr(fn, "name", None) == "__init__" and isinstance(default, ast.Constant) and \
                isinstance(default.value, (bool, str)) and not self.built_here:  # (a lambda has no name)
            return default_flag(default.value, f"`{name}={default.value!r}`")
        value = self.expr(default, state)
        if getattr(fn, "name", None) == "__init__" and isinstance(value, Number) and value.value is not None and \
                not self.built_here:  # a rate or a size, read as written, but named: a builder may pass another
            return evolve(value, source=f"`{name}={value.value!r}`")
        return value


def grad_sides(walker, test, body: State, orelse: State) -> list:
    """The tensors whose requires_grad the two sides of an `if` on a default leave differently: (id, the body's
    tensor, the other side's), for grad_kept_by_default after the join. A parameter the walk first met on one
    side (`self.emb.weight.requires_grad = False`) is on the other side as the module holds it (untouched)."""
    if not isinstance(test, DefaultBool) or body.dead or orelse.dead or body.objs.recent is None or \
            orelse.objs.recent is None:
        return []
    out = []
    for oid in dict.fromkeys(list(body.objs.recent) + list(orelse.objs.recent)):
        mine, theirs = dict.get(body.objs, oid), dict.get(orelse.objs, oid)
        mine, theirs = mine or untouched(walker, theirs), theirs or untouched(walker, mine)
        if mine is not None and theirs is not None and mine.requires_grad is not theirs.requires_grad:
            out.append((oid, mine, theirs))
    return out


def untouched(walker, param):
    """A parameter as its module holds it on a path that did not meet it (modules.param_ref makes it when first
    read), or None for another tensor."""
    if param is None or param.param_of is None:
        return None
    return evolve(param, requires_grad=walker.parameter_grad(param.param_of), leaf=True, rg_default="")


def grad_kept_by_default(test, joined, body, orelse):
    """`if freeze: self.emb.weight.requires_grad = False`, `freeze` False by default (a constructor's, or the command
    line's: cli_options): after the join the parameter may or may not require grad, but with the defaults it is a
    leaf that does: noted (TObj.rg_default), so that changing it in place is reported as what the defaults do."""
    if not isinstance(test, DefaultBool) or joined.requires_grad is not Tri.MAYBE:
        return joined
    chosen, other = (body, orelse) if test.default else (orelse, body)
    if chosen.leaf and other.requires_grad is Tri.NO and (
            chosen.requires_grad is Tri.YES or chosen.requires_grad is Tri.MAYBE and chosen.rg_default):
        return evolve(joined, leaf=True, rg_default=", ".join(
            dict.fromkeys(s for s in (chosen.rg_default, test.source) if s)))
    return joined


def default_test(test, classes: dict | None = None):
    """An `if` test as the constructor's defaults decide it: `if dropout:` on a rate read as written (`dropout=0`)
    takes the side its value takes, as `if dropout > 0:` does, while the walk still takes both sides (a builder may
    pass another rate). A module as its truth (module_truth), with the file's classes. Other tests as they are."""
    if isinstance(test, Number) and test.source and isinstance(test.value, (int, float)):
        return DefaultBool(default=bool(test.value), source=test.source)
    if isinstance(test, DefaultNumber):
        return DefaultBool(default=bool(test.default), source=test.source)
    if classes is not None and isinstance(test, ModuleVal):
        truth = module_truth(test, classes)
        return BoolConst(True) if truth is True else truth if truth is not None else test
    return test


def compared_rate(vals: list, answer: bool):
    """A comparison of constants (`self.p > 0.`), known to be `answer`: when one side is a constructor's rate read
    as written (`p=0.`, `drop_path=0`: a float, or an int 0 that switches a feature off), the side the defaults
    take, while the walk takes both as it does for `if self.p:` (a builder may pass another rate, as a drop-path
    schedule sets every block's). Sizes (`stride=1`) stay what they are written as."""
    sources = [v.source for v in vals if isinstance(v, Number) and v.source and is_rate(v.value)]
    if sources:
        return DefaultBool(default=answer, source=", ".join(dict.fromkeys(sources)))
    return BoolConst(answer)


def is_rate(value) -> bool:
    return isinstance(value, float) or value == 0 and isinstance(value, int) and not isinstance(value, bool)


def joined_by_default(test, body, orelse):
    """What a name holds after an `if` on a constructor's default (`if preactivation:`) that builds its modules
    otherwise on each side: the layers of the side the defaults take, chosen by them, where the join would lose
    which layers run in which order (two other modules, one nn.ModuleList given other blocks on each side).
    Otherwise the join of the two values."""
    joined = join_val(body, orelse)
    if isinstance(test, DefaultBool) and module_list(body) and module_list(orelse) and body != orelse:
        # `layers = [conv, relu]; if use_batchnorm: layers.insert(1, norm)`: the layers of the defaults' side
        chosen = body if test.default else orelse
        return Seq(tuple(by_default_member(m, test.source) for m in chosen.items), True)
    if isinstance(test, DefaultBool) and isinstance(body if test.default else orelse, ModuleVal) and \
            isinstance(orelse if test.default else body, NoneVal):
        # `if name == "batch": norm = nn.BatchNorm2d(c) elif name == "none": norm = None`: what the join keeps
        # (a layer that may be absent) loses that the defaults build it
        chosen = body if test.default else orelse
        return replace(chosen, by_default=", ".join(dict.fromkeys(s for s in (chosen.by_default, test.source) if s)))
    if isinstance(test, DefaultBool) and body.__class__ is PartialVal and orelse.__class__ is PartialVal and \
            body != orelse:
        # `if rope_mixed: self.compute_cis = partial(mixed_cis, ...)` / `else: ... = partial(axial_cis, ...)`: the
        # function the defaults bind, chosen by them, where the join would lose both
        chosen = body if test.default else orelse
        if chosen.func.__class__ is FuncVal:
            func = chosen.func
            return replace(chosen, func=replace(func, by_default=", ".join(
                dict.fromkeys(s for s in (func.by_default, test.source) if s))))
        return joined
    if not isinstance(test, DefaultBool) or not all(isinstance(v, (ModuleVal, FuncVal)) for v in (body, orelse)):
        return joined
    if selectable_choice(test, body, orelse):
        return joined  # both are built: one of them, by the flag (built_choices), not the defaults' side only
    lost = not isinstance(joined, (ModuleVal, FuncVal)) or \
        isinstance(body, ModuleVal) and isinstance(orelse, ModuleVal) and body.members != orelse.members
    if not lost:
        return joined
    chosen = body if test.default else orelse
    source = ", ".join(dict.fromkeys(s for s in (chosen.by_default, test.source) if s))
    if isinstance(chosen, ModuleVal) and chosen.members:  # the blocks it runs, each what the defaults chose
        chosen = replace(chosen, members=tuple(by_default_member(m, test.source) for m in chosen.members))
    return replace(chosen, by_default=source)


def selectable_choice(test, body, orelse) -> bool:
    """`if causal: attn = CausalAttention(...) else: attn = Attention(...)` on a bool constructor argument nobody in
    the file sets: two modules of different classes, either of which the user selects by the flag. Both stay
    possible (a choice among them, built_choices.py), so what the other side's module does is not pruned by the
    default: a finding that rests on it holds for whoever builds the module with `causal=True`."""
    return flipped_flag(test.source) is not None and ", " not in test.source and \
        body.__class__ is ModuleVal and orelse.__class__ is ModuleVal and \
        (body.cls or body.kind) != (orelse.cls or orelse.kind) and not body.members and not orelse.members and \
        not (body.by_default or orelse.by_default or body.optional or orelse.optional)


def module_list(value) -> bool:
    """A Python list of torch modules the walk knows one by one (`[nn.Conv2d(...), nn.ReLU()]`)."""
    return isinstance(value, Seq) and value.mutable and bool(value.items) and \
        all(isinstance(item, ModuleVal) for item in value.items)


def by_default_member(member, source: str):
    if not isinstance(member, ModuleVal):
        return member
    return replace(member, by_default=", ".join(dict.fromkeys(s for s in (member.by_default, source) if s)))


def default_flag(value: bool | str, source: str):
    """A constructor's default that a caller may change: unknown to the walk, but known as what the defaults are."""
    return DefaultBool(default=value, source=source) if isinstance(value, bool) else \
        DefaultStr(default=value, source=source)


def chosen_by_default(value, source: str):
    """`value` (a module or function) as the one a constructor's default picks; None for another kind of value."""
    if isinstance(value, (ModuleVal, FuncVal)):
        return replace(value, by_default=value.by_default or source)
    return None


def defaults_kept_by_builders(tree: ast.Module, classes: dict, cls: str, sources: str) -> bool:
    """Does every call of `cls` in the file leave the constructor parameters that `sources` names (`` `mode='a'` ``)
    at their defaults? Then a finding under those defaults stands where the file builds the class
    (`nn.ModuleList([Block(dim) for _ in range(depth)])` leaves `mode` alone). False when one call may pass one
    (by keyword, by position, or through `*args`/`**kwargs`), or a source is not a plain parameter."""
    names = [part.strip().strip("`").split("=", 1)[0] for part in sources.split(", ")]
    keys = {}  # `config['size']=8` (config_default): the parameter `config`, and the keys read from it
    for i, name in enumerate(names):
        if (match := CONFIG_SOURCE.fullmatch(name)) is not None:
            names[i] = match.group(1)
            keys.setdefault(names[i], set()).add(match.group(2) or match.group(3))
    found = find_method(classes, cls, "__init__")
    if found is None or not all(name.isidentifier() for name in names):
        return False
    args = found[1].args
    for name in keys:  # a finding names the defaults it rests on, not always all: any key the class defaults counts
        keys[name] |= defaulted_keys(found[1], name)
    positional = [a.arg for a in args.posonlyargs + args.args][1:]  # not `self`
    if any(name not in positional and name not in {a.arg for a in args.kwonlyargs} for name in names):
        return False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not (isinstance(node.func, ast.Name) and node.func.id == cls or
                                                  isinstance(node.func, ast.Attribute) and node.func.attr == cls):
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return False
        passed = dict(zip(positional, node.args)) | {k.arg: k.value for k in node.keywords}
        if any(name in passed and not leaves_keys(passed[name], keys.get(name)) for name in names):
            return False
    return True


CONFIG_SOURCE = re.compile(r"(\w+)(?:\['(\w+)'\]|\.(\w+))")


def defaulted_keys(init: ast.FunctionDef, param: str) -> set:
    """The keys `__init__` reads from its parameter `param` with a literal default (`param.get("size", 8)`,
    `getattr(param, "size", 8)`)."""
    out = set()
    for node in ast.walk(init):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and len(node.args) == 2:
            base, key, default = node.func.value, *node.args
        elif isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) == 3:
            base, key, default = node.args
        else:
            continue
        if isinstance(base, ast.Name) and base.id == param and isinstance(key, ast.Constant) and \
                isinstance(default, ast.Constant):
            out.add(key.value)
    return out


def leaves_keys(value: ast.AST, keys: set | None) -> bool:
    """Is `value`, passed for a configuration parameter, a literal mapping without any of `keys` (`{}`,
    `dict(lr=0.1)`), so that `config.get(key, default)` gives the default? False for anything else."""
    if not keys:
        return False
    if isinstance(value, ast.Dict):
        return None not in value.keys and all(isinstance(k, ast.Constant) and k.value not in keys for k in value.keys)
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" and \
        not value.args and all(k.arg is not None and k.arg not in keys for k in value.keywords)


def flag_settings_clash(root, *branches: tuple) -> bool:
    """Do these branches (State.branch) take sides of `if`s that need one bool constructor flag both ways
    (`if self.use_res:` on one, the other side of `if self.use_res:` further on, on another)? A flag the module is
    built with does not change between them: never in one run. Only tests of one bool flag count (`a and b` sides
    do not say what each one is)."""
    seen: dict = {}
    for branch in branches:
        for key in branch:
            setting = root.default_sides.get(key) if other_side(key) in root.other_sides else \
                root.other_sides.get(key)
            if not setting or ", " in setting or not setting.endswith(("=True`", "=False`")):
                continue
            name, value = setting.split("=", 1)
            if seen.setdefault(name, value) != value:
                return True
    needed: dict = {}  # the same for the tests of an `and` (side_settings)
    for setting in (s for branch in branches for key in branch for s in root.side_settings.get(key, ())):
        name, value = setting.split("=", 1)
        if needed.setdefault(name, value) != value:
            return True
    return False


def side_settings(test: DefaultBool, node, parts) -> dict:
    """Side of an `if` on constructor flags (0 body, 1 else) -> the settings it needs, each a "`name=value`": both
    sides of one flag's test; the body of `not self.a and self.b` needs each test true (`a=False`, `b=True`), the
    else of `a or b` each false; the other side of those says only that one of them is not."""
    if not isinstance(parts, (list, tuple)):
        if ", " in test.source or flipped_flag(test.source) is None:
            return {}
        return {0 if test.default else 1: frozenset([test.source]), 1 if test.default else 0:
                frozenset([flipped_flag(test.source)])}
    want = isinstance(node.op, ast.And)  # what each test is on the side that needs them all
    needed = set()
    for part in parts:
        if isinstance(part, DefaultBool):
            setting = part.source if part.default is want else flipped_flag(part.source)
            if setting is None or ", " in part.source:
                return {}
            needed.add(setting)
    return {0 if want else 1: frozenset(needed)} if needed else {}


def settings_clash(root, settings: str, branches) -> bool:
    """Does a path condition that names settings (`when the module is built with `a=True``) need a flag one way
    that a side these branches take needs the other way? Never in one run."""
    named = dict(re.findall(r"`(\w+)=(\w+)`", settings))
    for branch in branches:
        for key in branch:
            for setting in root.side_settings.get(key, ()):
                name, value = setting.strip("`").split("=", 1)
                if named.get(name, value) != value:
                    return True
    return False


def flipped_flag(source: str) -> str | None:
    """The constructor setting opposite to a bool default (`self_attention=False` -> `self_attention=True`)."""
    for default, other in (("=False`", "=True`"), ("=True`", "=False`")):
        if source.endswith(default):
            return source[:-len(default)] + other
    return None


# torch containers whose `len()` is their truth: an empty nn.Sequential is false
SIZED_MODULES = {"Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"}


def module_truth(value, classes: dict):
    """`if self.embed:` on a module: True for one that is always there (an nn.Module defines no `__bool__`, so it
    is true unless it has a `__len__`: torch's containers, or a class whose lookup may reach one); a DefaultBool
    for one the constructor's defaults build and another setting leaves None (joined_by_default); None when not
    known (None on another path, a container, a class with an unknown base)."""
    if not isinstance(value, ModuleVal) or value.optional:
        return None
    if value.kind is not None:
        sized = value.kind in SIZED_MODULES
    elif value.cls is not None:
        sized = any(name not in classes and (name.rsplit(".", 1)[-1] in SIZED_MODULES or may_define_methods(name))
                    or name in classes and ({"__len__", "__bool__"} & set(classes[name].methods))
                    for name in lookup_order(classes, value.cls))
    else:
        return None
    if sized:
        return None
    return DefaultBool(default=True, source=value.by_default) if value.by_default else True


def config_default(walker, node: ast.Call, base: ast.AST | None = None, key=None, default=None):
    """`size = config.get("embedding_size", 64)` (or `getattr(config, "embedding_size", 64)`: `base`, `key` and
    `default` given) in the `__init__` of a class walked on its own, `config` one of its parameters: the value a
    builder passes is not known, but the literal default is what the module is built with when the configuration
    leaves it out, as a constructor's default is (default_value): a DefaultBool or DefaultStr for a bool or str, a
    DefaultNumber for a number. None otherwise."""
    fn = walker.func_stack[-1] if walker.func_stack else None
    if getattr(fn, "name", None) != "__init__" or walker.built_here or node.keywords:
        return None
    if base is None:
        if len(node.args) != 2:
            return None
        base, (key, default) = node.func.value, node.args
    params = {a.arg for a in fn.args.args[1:] + fn.args.kwonlyargs}
    if not isinstance(base, ast.Name) or base.id not in params or not isinstance(key, ast.Constant) or \
            not isinstance(key.value, str) or not key.value.isidentifier() or not isinstance(default, ast.Constant):
        return None
    read = f"{base.id}[{key.value!r}]" if isinstance(node.func, ast.Attribute) else f"{base.id}.{key.value}"
    source = f"`{read}={default.value!r}`"
    if isinstance(default.value, (bool, str)):
        return default_flag(default.value, source)
    if isinstance(default.value, (int, float)):
        return DefaultNumber(default=default.value, source=source)
    return None


@dataclass(eq=False)
class DefaultNumber(Unknown):
    """A number a configuration gives by default (`config.get("input_window", 1)`): unknown to arithmetic, sizes
    and loops (the configuration files a project ships set most of them), but an `if` on it takes the side its
    default takes, as a constructor's rate does (default_test)."""

    default: object = 0
    source: str = ""

    # To everything but an `if` the value is unknown: it joins, compares and keys caches as UNKNOWN does (two
    # layers built in a loop, one with the default size and one with `size - 2`, are built alike).
    def __eq__(self, other):
        return other.__class__ in (Unknown, DefaultNumber) and not other.tensorish and not self.tensorish

    def __hash__(self):
        return hash(Unknown())
