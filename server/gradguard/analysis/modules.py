"""Modelling nn.Module classes: instances, submodules, parameters, and calls to `forward`."""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from ..facts import ACTIVATION_NAMES, DROPOUT_MODULES, MODULE_NOOPS, MODULE_PASSTHROUGH, RECURRENT_MODULES
from .. import facts
from . import names
from .blueprints import blueprint
from .stacked_blocks import attribute_params, note_alike
from .built_choices import BUILT_CHOICE_KIND
from .builtins import attribute_key
from .context import (
    MAX_CALL_DEPTH, ModuleContext, class_constant, dataclass_fields, find_initializer, find_method, method_order,
    unseen_base,
)
from .model_dicts import model_key
from .module_alike import MODULE_FACT_KEYS
from .saved_modules import known_network
from .shapes import linear_param_shape, scalar_of
from .syntax import dotted, is_property, kind_selected, tested_module_kinds
from .tensors import zero_rate
from .training import optimized_attributes, optimizer_stem
from .values import (
    CONFIGURATION, AnySubmodule, BoolConst, ConstStr, DefaultBool, DefaultStr, DictVal, Env, Frame, FuncVal, ModuleVal,
    NoneVal, Number, Optimizer, ParamsList, ParamsOf, PartialVal, QualVal, Ref, Save, Seq, State, TObj, Tri, UNKNOWN,
    Unknown, default_source, evolve, flat_refs, fresh_id, join_states, reset_ids, restore_ids, save_certainty, save_ids,
    truthy,
)

SUMMARY_ID_BASE = 1 << 56  # ids of the walks that summarise a block (block_summary), apart from all others
MAX_SUMMARIZED_OUTPUTS = 4  # items of a tuple a summarized block's forward returns, each kept apart
FROZEN_COPY = re.compile(r"ema|target|teacher|momentum|shadow|averaged|polyak", re.IGNORECASE)


SUBMODULE_ITERATORS = {"modules", "children", "named_modules", "named_children"}
# instance_attrs key (never an attribute name): the layers a subclass of nn.Sequential gave `super().__init__`
SEQUENTIAL_LAYERS = "<layers>"


def unseen_key(mid: int, attr: str) -> str:
    """The foreign_modules key of attribute `attr` of instance `mid` built by code the walk cannot see (no text
    names it: keys from the text are dotted names)."""
    return f"<{attr} of module {mid}>"


class TupleOutputs(tuple):
    """A block summary's outputs when its forward returns a tuple: what saves each, in order (None: nothing)."""


class ModuleModeller:
    """nn.Module instances: built from the class's `__init__`, their attributes, parameters and calls."""

    # ------------------------------------------------------------------ modules
    def build_module(self, cls: str, args, kwargs, node, state):
        if cls == facts.MMCV_CONV_MODULE_KIND:
            return self.build_conv_module(args, kwargs, node, state)
        if cls == facts.NNI_LAYER_CHOICE_KIND:
            return self.build_layer_choice(args, kwargs, node, state)
        info = facts.module(cls)
        flag = kwargs.get("inplace")
        if info and info.get("inplace_arg") and flag is None:
            pos = info.get("inplace_pos")
            if pos is not None and len(args) > pos:
                flag = args[pos]
        inplace = truthy(flag)
        by_default = ""
        if isinstance(flag, DefaultBool) and flag.default:  # `nn.ReLU(inplace=inplace)`, `__init__(..., inplace=True)`
            inplace, by_default = True, flag.source
        members = ()
        if info and info.get("container") == "sequential":
            # Members we cannot see into (a class of another package) stay as unknown steps between the known
            # ones.
            starred = isinstance(node, ast.Call) and any(isinstance(a, ast.Starred) for a in node.args)
            if starred and len(node.args) == 1:
                # `nn.Sequential(*layers)`: the list the code built (`layers.append(nn.Sigmoid())`), in order
                listed = state.env.get(node.args[0].value.id) if isinstance(node.args[0].value, ast.Name) else \
                    self.last_starred[1] if self.last_starred[0] is node.args[0] else None
                if isinstance(listed, ModuleVal) and listed.cls is None and listed.kind == "ModuleList" and \
                        listed.members:
                    # `block = nn.ModuleList(); block.append(conv); ...; nn.Sequential(*block)`: its blocks in order,
                    # as the ModuleList the constructor's defaults chose when they did (`if preactivation:`)
                    by_default = by_default or listed.by_default
                    listed = Seq(listed.members, mutable=True)
                args = [a for a in listed.items if a != "*"] if isinstance(listed, Seq) else []
                if isinstance(listed, Seq) and listed.items[-1:] == ("*",) and len(args) == 1 and \
                        isinstance(args[0], ModuleVal):
                    # `nn.Sequential(*[Block(d) for _ in range(depth)])`: a stack of one kind of block. Its call is
                    # walked (not summarized: the findings inside are the stack's), then the block's summary runs
                    # once more, so that what one block leaves meets the next at the cost of one cached walk
                    args = [replace(args[0], summarized=False), replace(args[0], summarized=True)]
                starred = False
            elif len(args) == 1 and isinstance(args[0], DictVal) and args[0].base is None:
                args = [v for _, v in args[0].items]  # `nn.Sequential(OrderedDict([("fc", ...), ...]))`
            if not starred and any(isinstance(a, ModuleVal) for a in args):
                members = tuple(a if isinstance(a, ModuleVal) else UNKNOWN for a in args)
        elif info and info.get("container") == "list" and args and isinstance(args[0], Seq):
            members = tuple(a for a in args[0].items if a != "*")
        elif info and info.get("container") == "dict" and args and isinstance(args[0], DictVal) and args[0].items:
            keys = tuple(k for k, _ in args[0].items)  # `nn.ModuleDict({"fc": nn.Linear(...), "act": nn.Tanh()})`
            members = tuple(v for _, v in args[0].items)
        bidirectional: bool | None = False
        if info and info.get("recurrent"):
            flag = kwargs.get("bidirectional", args[6] if len(args) > 6 else BoolConst(False))
            bidirectional = flag.value if isinstance(flag, BoolConst) else None
        rate = (kwargs.get("p", args[0] if args else Number(0.5))) if cls in DROPOUT_MODULES else None
        mod = ModuleVal(fresh_id(), cls, None, inplace, members, node, bidirectional, kwargs.get("reduction"),
                        by_default=by_default, rate=rate)
        self.ctx.modules[mod.id] = mod
        if info and info.get("container") == "dict" and members:
            self.ctx.module_keys[mod.id] = keys
        return mod

    def instantiate(self, cls_name: str, args, kwargs, node, state):
        root = self.ctx.root
        if root.reuse_built is not None:
            built = root.reuse_built.get(id(node))
            if built is not None and built.cls == cls_name:
                return built  # the class's own __init__ walked again: the submodule its `self` already holds
        mod = ModuleVal(fresh_id(), None, cls_name, node=node)
        if root.built_at is not None:
            root.built_at[id(node)] = mod
        self.ctx.instance_class[mod.id] = cls_name
        if self.ctx is not self.ctx.root:
            self.ctx.class_owner[mod.id] = self.ctx  # a class of another file
            self.ctx.class_files[mod.id] = self.ctx.path
        if find_initializer(self.ctx.class_table, cls_name) is not None:
            self.init_instance(mod, args, kwargs, node, state)
        # no __init__ of its own: nn.Sequential's takes the layers (`class Stack(nn.Sequential)`), or a dataclass's
        elif self.call_torch_base(mod, "__init__", args, kwargs, node, state) is None and \
                cls_name in self.ctx.classes:
            fields = dataclass_fields(self.ctx.classes[cls_name])
            if fields is not None:  # `Config(hidden=8)`: the fields given; the others read their defaults
                given = dict(zip(fields, args))
                given.update((k, v) for k, v in kwargs.items() if k in fields)
                self.ctx.instance_attrs[mod.id] = given
                self.ctx.attr_writes.extend(given.values())  # what its fields hold outlives the call that built it
        return mod

    def class_context(self, mod: ModuleVal) -> ModuleContext:
        return self.ctx.class_owner.get(mod.id, self.ctx.root)

    def init_instance(self, mod: ModuleVal, args, kwargs, node, state):
        owner = self.class_context(mod)
        info = owner.classes.get(mod.cls)
        if info is None or mod.id in self.ctx.instance_attrs or mod.id in self.ctx.building:
            return
        if self.ctx.root.build_probe is not None:  # gradguard/builders.py: what another file builds it with
            self.ctx.root.build_probe(info.node, args, kwargs, node)
        self.ctx.building.add(mod.id)
        self.ctx.touched.add(info.node)  # its attributes come from the class body and __init__
        found = find_initializer(owner.class_table, mod.cls)  # its own, or a base class's
        init_owner, init = found if found is not None else (mod.cls, None)
        attrs: dict[str, object] = {}
        # Registered before the walk: a base class's __init__ reached through `super().__init__()` sets its
        # attributes on the instance (assign() writes them here); the class's own are read from its final state.
        self.ctx.instance_attrs[mod.id] = attrs
        walk_ctx = owner.context_of(init) if init is not None else owner  # a base class's of another file: its names
        if walk_ctx is not owner and not self.ctx.budget.follows_foreign(init):
            init = None  # too long, or past the budget for other files' code: what it sets is unknown
        if init is not None and self.depth < MAX_CALL_DEPTH:
            self.ctx.touched.add(init)  # the class's fingerprint leaves out its methods' bodies
            frames = self.frames
            # another file's plain class (a distribution, a box list: built from the caller's tensors; a module's
            # __init__ takes settings, and what another file builds it with is builders.py's): the call led there
            if node is not None and getattr(init, "_gg_file", None) is not None and self.torch_base(mod) is None:
                storages, modules = set(), set()
                for value in list(args) + list(kwargs.values()):
                    self.collect_reachable(value, state, storages, modules)
                frames += (Frame(node, init, mod.cls, frozenset(storages), frozenset(modules)),)
            sub = type(self)(walk_ctx, frames, self.depth + 1, self.loop_pass, self.func_stack + (init,), init_owner)
            sub.built_here = node is not None  # `Block(3)` in the file: its omitted arguments take their defaults
            inner = state.copy(env=Env())
            self.bind_arguments(init, [mod] + list(args), kwargs, inner, sub, self_val=mod)
            try:
                end = sub.run_block(init.body, inner)
                # the state after the last statement (loops and branches make a new one), or after a `return`
                exits = [s for _, s in sub.returns] + ([end] if not end.dead else [])
                inner = join_states(exits) if exits else end
            except RecursionError:
                pass
            first = (init.args.posonlyargs + init.args.args)[:1]
            me = first[0].arg + "." if first else "self."
            for key, val in inner.env.items():
                if key.startswith(me) and key.count(".") == 1:
                    attrs[key[len(me):]] = val
            # parameters and buffers created in __init__ stay alive in the caller's state
            for oid, obj in inner.objs.items():
                state.objs.setdefault(oid, obj)
        self.ctx.instance_attrs[mod.id] = attrs
        self.ctx.building.discard(mod.id)

    def torch_base(self, mod: ModuleVal) -> str | None:
        """The torch.nn class that the class of `mod` derives from through the file's classes ("Sequential")."""
        classes = self.class_context(mod).class_table
        for name in method_order(classes, mod.cls):
            for base in classes[name].bases:
                if base and base not in classes and (kind := names.nn_class(base)):
                    return kind
        return None

    def sequential_of(self, mod):
        """The nn.Sequential whose layers an instance of a subclass of it runs (`class Block(nn.Sequential)`), or
        `mod` itself."""
        if isinstance(mod, ModuleVal) and mod.cls:
            layers = self.ctx.instance_attrs.get(mod.id, {}).get(SEQUENTIAL_LAYERS)
            if isinstance(layers, ModuleVal):
                return layers
        return mod

    def call_torch_base(self, instance: ModuleVal, attr: str, args, kwargs, node, state):
        """`super().__init__(*layers)` / `super().forward(x)` reaching nn.Sequential, or `super().forward(x)` reaching
        a layer with parameters (`class Conv2d(nn.Conv2d)`: what nn.Conv2d's call saves); None for other bases."""
        base = self.torch_base(instance)
        if attr == "forward" and base is not None and base != "Sequential":
            if not plain_layer(base) or overrides_base_internals(self.class_context(instance).class_table, instance.cls):
                return None
            attrs = self.ctx.instance_attrs.get(instance.id, {})
            if any(p in attrs for p in facts.module(base)["param_args"]):
                return None  # `self.weight = nn.Parameter(..., requires_grad=False)`: not the parameters modelled
            layer = ModuleVal(instance.id, base)  # with the instance's own parameters (module_attr)
            return self.call_module(layer, args, kwargs, node, state)
        if base != "Sequential":
            return None
        if attr == "__init__":
            layers = self.build_module("Sequential", args, kwargs, node, state)
            self.ctx.instance_attrs.setdefault(instance.id, {})[SEQUENTIAL_LAYERS] = layers
            return NoneVal()
        layers = self.sequential_of(instance)
        if attr == "forward" and layers is not instance and layers.members:
            return self.call_module(layers, args, kwargs, node, state)
        return None

    def module_attr(self, mod: ModuleVal, attr: str, node, state):
        if attr == "training":
            return BoolConst(True)  # modules train by default; that is the path where backward() runs
        if mod.cls:
            if mod.id not in self.ctx.instance_attrs:
                self.init_instance(mod, [], {}, node, state)
            attrs = self.ctx.instance_attrs.get(mod.id, {})
            val = attrs.get(attr)
            if isinstance(val, Ref):
                if all(o in state.objs for o in val.objs):
                    return val
                # A parameter or buffer made in __init__: the same object in every method of this instance.
                return self.persistent(mod.id, attr, val, state)
            if val is not None:
                return val
            found = find_method(self.class_context(mod).class_table, mod.cls, attr)
            if found is not None:
                # `self.alpha` of `@property def alpha(self): return self.log_alpha.exp()`; mmcv's `self.norm1`:
                # `return getattr(self, self.norm1_name)`
                if is_property(found[1]):
                    return self.call_function(FuncVal(found[1], found[0], mod), [], {}, node, state)
                return FuncVal(found[1], found[0], mod)
            constant = class_constant(self.class_context(mod).class_table, mod.cls, attr)
            if constant is not None:
                return self.expr(constant, state)
            if attr in ("weight", "bias") and plain_layer(self.torch_base(mod) or ""):
                # `class Linear(nn.Linear)`: the parameters its base's forward uses (call_torch_base), so that
                # `self.weight.requires_grad = False` in its __init__ is what that forward sees
                return self.param_ref(mod.id, attr, state, f"parameter `{attr}`")
            return UNKNOWN
        info = facts.module(mod.kind) if mod.kind else None
        if attr in ("weight", "bias") and info and info.get("param_args"):
            return self.param_ref(mod.id, attr, state, f"parameter `{attr}`")
        return UNKNOWN

    def persistent(self, mid: int, attr: str, val: Ref, state: State) -> Ref:
        """A parameter or buffer made in `__init__`, brought into this walk's state."""
        canonical = getattr(self.ctx, "canonical_objs", {})
        for oid in val.objs:
            if oid not in state.objs and oid in canonical:
                state.objs[oid] = canonical[oid]
        return val  # what is still missing reads as a tensor we know nothing about

    def attach_optimizers(self, mod: ModuleVal, cls: ast.ClassDef) -> None:
        """A trainer handed its networks and their optimizers (`__init__(self, G, D, g_optimizer, d_optimizer)`):
        the optimizers' names say which model each steps (training.optimized_attributes)."""
        attrs = self.ctx.instance_attrs.get(mod.id)
        self.alias_foreign_models(attrs, cls)
        # A base class the walk does not follow (`SACLearner.__init__(self, ...)` from another file) may set both an
        # optimizer and its model that the methods step and call (`self.qf_1_optim.step()`, `self.qf_1(x)`)
        inherited = attrs is not None and unseen_base(self.ctx.classes, cls.name)
        if attrs is None or not inherited and not any(optimizer_stem(a) is not None and isinstance(v, (Unknown, Ref))
                                                      for a, v in attrs.items()):
            return  # no optimizer handed in (most classes): their methods' calls are not read
        methods = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for optimizer, model in optimized_attributes(methods).items():
            if not (inherited and optimizer not in attrs and model not in attrs) and \
                    not isinstance(attrs.get(optimizer), (Unknown, Ref)):
                continue  # built in this file, which shows what it steps
            target = attrs.get(model, UNKNOWN)
            if isinstance(target, ModuleVal):
                attrs[optimizer] = Optimizer((target.id,))
            elif isinstance(target, (Unknown, Ref)):
                attrs[optimizer] = Optimizer((self.foreign_module(ast.Attribute(ast.Name("self"), model)),))

    def foreign_module(self, node: ast.AST, env=None) -> int:
        """An id for the module that `node` (`model`, `model.emb`, `self.models["encoder"]`) names, built by code
        we cannot see: its parameters require grad by the training assumption (Tri.ASSUMED), as parameters do by
        default. `env` gives the string a name used as a dict key holds (`self.models[key]`)."""
        key = model_key(node, env) or ast.unparse(node)
        foreign = self.ctx.root.foreign_modules
        if key not in foreign:
            foreign[key] = fresh_id()
        return foreign[key]

    def parameter_grad(self, mid: int) -> Tri:
        """A parameter requires grad; one of a model built by code we cannot see, by the training assumption; not
        one of a module frozen by `requires_grad_(False)`."""
        if mid in self.ctx.root.frozen_modules:
            return Tri.NO
        names = [key for key, m in self.ctx.root.foreign_modules.items() if m == mid]
        if not names:
            return Tri.YES
        # an EMA, target or teacher copy handed in as an argument: the caller that made it froze it, or updates it
        # under no_grad (a `deepcopy` in the file itself keeps its parameters requiring grad)
        handed_in = self.ctx.root.argument_names
        return Tri.MAYBE if any(key in handed_in and FROZEN_COPY.search(key) for key in names) else Tri.ASSUMED

    def switch_inplace(self, mid: int, inplace: bool, node: ast.Attribute) -> None:
        """`for m in self.modules(): if isinstance(m, nn.ReLU): m.inplace = True` (or `model.apply(fn)` doing it):
        the torch modules inside `mid` of the kinds the enclosing tests select now run in place (or not)."""
        kinds = tested_module_kinds(self.ctx.tree, node)
        for m in self.owned_modules(mid):
            mod = self.ctx.modules.get(m)
            info = facts.module(mod.kind) if mod is not None and mod.kind else None
            if info and info.get("inplace_arg") and kind_selected(mod.kind, kinds):
                self.ctx.root.inplace_switched[m] = (inplace, node)

    def unfreeze_owners(self, ref, state: State) -> None:
        """`for p in critic.parameters(): p.requires_grad = True` (or `requires_grad_(True)`), after the same loop with
        False: every parameter of those modules again, the ones the False took out of all_params_ref too."""
        for mid in {state.obj(oid).param_of for oid in ref.objs} - {None}:
            self.freeze(mid, False, state)

    def freeze(self, mod: ModuleVal | int, frozen: bool, state: State) -> None:
        """`model.requires_grad_(False)` (an EMA copy, a target network): its parameters, the ones the walk made
        and the ones it makes later, no longer require grad; `requires_grad_()` undoes it. `mod`: or its id."""
        mid = mod if isinstance(mod, int) else mod.id
        owned = self.owned_modules(mid)
        if frozen:
            self.ctx.root.frozen_modules.update(owned)
        else:
            self.ctx.root.frozen_modules.difference_update(owned)
        oids = [oid for (m, _), oid in self.ctx.param_ids.items() if m in owned]
        oids += [oid for m, oid in self.ctx.params_all.items() if m in owned]
        for oid in oids:
            if oid in state.objs:
                state.update(oid, requires_grad=Tri.NO if frozen else self.parameter_grad(mid), leaf=not frozen)

    def param_ref(self, mid: int, attr: str, state: State, describe: str, module: ModuleVal | None = None) -> Ref:
        key = (mid, attr)
        oid = self.ctx.param_ids.get(key)
        if oid is None:
            oid = fresh_id()
            self.ctx.param_ids[key] = oid
        if oid not in state.objs:
            storage = fresh_id()
            module = module or self.ctx.modules.get(mid)
            shape = linear_param_shape(module, attr) if module is not None else None
            rg = self.parameter_grad(mid)
            state.objs[oid] = TObj(storage, storage, rg, leaf=True, param_of=mid, describe=describe,
                                   scalar=scalar_of(shape, Tri.MAYBE), shape=shape)
        return Ref(frozenset([oid]))

    def all_params_ref(self, mid: int, state: State, materialized_only: bool = False) -> Ref:
        owned = self.owned_modules(mid)
        oids = {oid for (m, _), oid in self.ctx.param_ids.items() if m in owned and oid in state.objs
                and state.objs[oid].leaf}
        if materialized_only:  # the stand-ins for all of a model's (and its parts') parameters the walk has made
            oids.update(oid for m, oid in self.ctx.params_all.items() if m in owned and oid in state.objs)
            oids.update(o for o in attribute_params(self, owned, state) if state.objs[o].leaf)  # `nn.Parameter`s
        else:
            generic = self.ctx.params_all.get(mid)
            if generic is None:
                generic = fresh_id()
                self.ctx.params_all[mid] = generic
            if generic not in state.objs:
                storage = fresh_id()
                rg = self.parameter_grad(mid)
                state.objs[generic] = TObj(storage, storage, rg, leaf=True, param_of=mid,
                                           describe="a parameter of the model")
            oids.add(generic)
        return Ref(frozenset(oids), every=True)

    def owned_modules(self, mid: int) -> set[int]:
        """The module and its submodules (as far as this file shows them)."""
        out, todo = set(), [mid]
        while todo:
            m = todo.pop()
            if m in out:
                continue
            out.add(m)
            known = self.ctx.modules.get(m)
            if known is not None:
                todo.extend(x.id for x in known.members if isinstance(x, ModuleVal))
            for attr, val in self.ctx.instance_attrs.get(m, {}).items():
                if isinstance(val, ModuleVal):
                    todo.append(val.id)
                    todo.extend(x.id for x in val.members if isinstance(x, ModuleVal))
                elif isinstance(val, Unknown) and unseen_key(m, attr) in self.ctx.root.foreign_modules:
                    todo.append(self.ctx.root.foreign_modules[unseen_key(m, attr)])  # unseen_submodule
        return out

    def param_modules(self, params_val, state) -> list[int]:
        if isinstance(params_val, ParamsOf):
            return [params_val.module]
        if isinstance(params_val, ParamsList):
            return [p.module for p in params_val.parts]
        if isinstance(params_val, Seq):
            out = []
            for item in params_val.items:
                out.extend(self.param_modules(item, state))
            return out
        if isinstance(params_val, DictVal):
            out = []
            for _, v in params_val.items:
                out.extend(self.param_modules(v, state))
            return out
        if isinstance(params_val, Ref):
            return [state.obj(o).param_of for o in params_val.objs if state.obj(o).param_of is not None]
        return []

    def loose_tensors(self, params_val, state, depth: int = 0) -> list[Ref]:
        """The leaf tensors given to an optimizer one by one, not as a module's parameters: `Adam([w, b])`,
        `SGD([{"params": [w], "lr": 0.1}])`."""
        if isinstance(params_val, Ref):
            return [params_val] if all(state.obj(o).leaf and state.obj(o).param_of is None for o in params_val.objs) \
                else []
        if depth > 3:
            return []
        items = params_val.items if isinstance(params_val, Seq) else \
            [v for k, v in params_val.items if k == "params"] if isinstance(params_val, DictVal) else []
        return [r for item in items if item != "*" for r in self.loose_tensors(item, state, depth + 1)]

    def module_method(self, mod: ModuleVal, attr: str, node: ast.Call, state: State):
        own = mod.cls is not None and find_method(self.class_context(mod).class_table, mod.cls, attr) is not None
        if attr in SUBMODULE_ITERATORS and not own:
            self.eval_args(node, state)
            item = AnySubmodule(mod.id)
            return Seq((Seq((UNKNOWN, item)) if attr.startswith("named") else item, "*"))
        if attr == "requires_grad_" and not own:
            args, kwargs = self.eval_args(node, state)
            flag = args[0] if args else kwargs.get("requires_grad", BoolConst(True))
            if isinstance(flag, BoolConst):
                self.freeze(mod, not flag.value, state)
            return mod
        if attr == "apply" and not own:
            args, kwargs = self.eval_args(node, state)
            if args and isinstance(args[0], FuncVal):  # `model.apply(init_fn)`: init_fn(m) for every submodule m
                self.call_function(args[0], [AnySubmodule(mod.id)], {}, node, state)
            elif args and isinstance(args[0], Ref):  # `Fn().apply(x)` of an autograd.Function the walk cannot see
                return self.unknown_call(args, kwargs, node, state)
            return mod
        if attr in ("__getattr__", "get_submodule") and not own and len(node.args) == 1 and not node.keywords:
            args, _ = self.eval_args(node, state)  # `self.__getattr__(f"block{i}")`
            found = self.attribute_by_name(mod, node.args[0], args[0], [], node, state)
            return found if found is not None else UNKNOWN
        if attr in ("add_module", "register_module") and mod.cls is None and mod.kind in ("Sequential", "ModuleList") \
                and len(node.args) == 2 and not node.keywords:
            args, _ = self.eval_args(node, state)  # `self.body.add_module(f"block{i}", Block(d))`: the next layer
            self.append_block(mod, node, args[1], state)
            return NoneVal()
        if attr in ("add_module", "register_module") and not own and len(node.args) == 2 and not node.keywords:
            args, _ = self.eval_args(node, state)
            found = self.attribute_by_name(mod, node.args[0], args[0], args[1:], node, state)
            return found if found is not None else NoneVal()
        if attr in ("parameters", "named_parameters"):
            self.eval_args(node, state)
            return ParamsOf(mod.id, named=attr == "named_parameters")
        if attr in MODULE_PASSTHROUGH and not (own and attr == "apply"):  # a class's own `apply`: what it does
            args, kwargs = self.eval_args(node, state)
            if attr in ("eval", "train"):
                flag = args[0] if args else kwargs.get("mode", BoolConst(True))
                self.set_eval(mod, attr == "eval" or flag == BoolConst(False), set())
            return mod
        if attr == "register_buffer" and not own:
            self.register_buffer(mod, node, state)
            return NoneVal()
        if attr == "append" and mod.kind == "ModuleList" and not own:
            args, kwargs = self.eval_args(node, state)
            if len(args) == 1 and not kwargs:
                self.append_block(mod, node, args[0], state)
            return mod
        if attr in MODULE_NOOPS:
            self.eval_args(node, state)
            return NoneVal()
        if attr == "forward":
            args, kwargs = self.eval_args(node, state)
            return self.call_module(mod, args, kwargs, node, state)
        if mod.cls:
            fn = self.module_attr(mod, attr, node, state)
            if torch_callable(fn) or isinstance(fn, PartialVal):
                # `self.act_fn = ACT2FN["tanh"]`, `getattr(torch, "sigmoid")`, `partial(F.softmax, dim=1)` stored in
                # __init__: the torch function (or class) it holds, called; `partial(compute_cis, num_heads=h)` too
                return self.call_value(fn, node, state)
            args, kwargs = self.eval_args(node, state)
            if isinstance(fn, FuncVal):
                return self.call_function(fn, args, kwargs, node, state)
            if isinstance(fn, ModuleVal):
                return self.call_module(fn, args, kwargs, node, state)
            key = dotted(node.func)
            if isinstance(fn, (Unknown, Ref)) and known_network(self, key, fn):
                # `self.qf1(obs)` where `__init__` gave `self.qf1.parameters()` to an optimizer: a model built
                # elsewhere (a trainer's networks come in as arguments)
                return self.call_foreign_model(key, args, kwargs, node, state)
            unseen = self.unseen_submodule(mod, attr, fn, list(args) + list(kwargs.values()))
            if unseen is not None:
                return self.call_foreign_model(key or f"self.{attr}", args, kwargs, node, state, mid=unseen)
            return self.unknown_call(args, kwargs, node, state)
        args, kwargs = self.eval_args(node, state)
        return self.unknown_call(args, kwargs, node, state)

    def unseen_submodule(self, mod: ModuleVal, attr: str, fn, inputs: list) -> int | None:
        """`self.head(x)` in a workspace class's method, where `__init__` set `self.head` from code the walk cannot
        see (`build_head(cfg)`, a registry's builder) and the instance's parameters went to an optimizer: a part of
        that model built elsewhere, which keeps its parameters for backward() as a model of a class the walk cannot
        see at all does (call_foreign_model). Its module id (owned by `mod`: owned_modules), or None."""
        if not isinstance(fn, Unknown) or mod.id not in self.ctx.root.optimized_modules or \
                not isinstance(self.ctx.instance_attrs.get(mod.id, {}).get(attr), Unknown) or \
                not any(isinstance(v, (Ref, Unknown)) for v in inputs):
            return None
        foreign, key = self.ctx.root.foreign_modules, unseen_key(mod.id, attr)
        if key not in foreign:
            foreign[key] = fresh_id()
        return foreign[key]

    def append_block(self, mod: ModuleVal, node: ast.Call, block, state: State) -> None:
        """`self.blocks.append(Block(d))` on an nn.ModuleList, `self.body.add_module(name, Block(d))` on an
        nn.Sequential or ModuleList: the block joins its members, so that iterating the list (calling the
        Sequential) reaches what each block saves. A loop adding at one call site builds its blocks in each pass of
        the walk: a block built alike to the one that site already added stands for it (a stack of one kind of
        block, as `nn.ModuleList([Block(d) for _ in range(n)])` is), one built otherwise leaves the list unknown."""
        base = node.func.value if isinstance(node.func, ast.Attribute) else None
        if base is None or not (isinstance(base, ast.Name) or dotted(base)):
            return
        members = mod.members if mod.members or built_empty(mod.node) else (UNKNOWN,)  # `ModuleList(layers)`
        if isinstance(block, ModuleVal) and block.node is not None:
            same_site = [m for m in members if isinstance(m, ModuleVal) and m.node is block.node]
            if same_site and all(blueprint(self.ctx.instance_attrs, m) == blueprint(self.ctx.instance_attrs, block)
                                  for m in same_site):
                return note_alike(self.ctx.root, same_site, block)
            if same_site:
                block = UNKNOWN
        elif not isinstance(block, ModuleVal):
            block = UNKNOWN
        if block.__class__ is ModuleVal and block.kind == BUILT_CHOICE_KIND:
            # built_choices.lists_of_choices looks at it after loops
            self.ctx.root.choice_lists.add(base.id if isinstance(base, ast.Name) else dotted(base))
        self.assign(base, replace(mod, members=members + (block,)), state, node)

    def register_buffer(self, mod: ModuleVal, node: ast.Call, state: State) -> None:
        """`self.register_buffer("embed", torch.randn(n, d))`: the tensor becomes the attribute `self.embed`, as an
        assignment would make it (an EMA codebook or running statistic later changed in place under no_grad)."""
        args, kwargs = self.eval_args(node, state)
        key_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
        key_val = args[0] if args else kwargs.get("name")
        tensor = args[1] if len(args) > 1 else kwargs.get("tensor")
        if key_node is None or tensor is None:
            return
        key = attribute_key(key_node, key_val)
        if key is None or self.attribute_by_name(mod, key_node, key_val, [tensor], node, state) is None:
            return
        base = node.func.value if isinstance(node.func, ast.Attribute) else None
        owner = names.name_or_dotted(base) if base is not None else None
        if owner and not key.endswith("*"):
            state.env[f"{owner}.{key}"] = tensor  # read back later in the same method, kept by __init__'s end

    def set_eval(self, mod: ModuleVal, evaluating: bool, seen: set[int]) -> None:
        """`.eval()` / `.train()` on `mod` and on every module inside it (members, attributes)."""
        if mod.id in seen:
            return
        seen.add(mod.id)
        if evaluating:
            self.ctx.eval_modules.add(mod.id)
        else:
            self.ctx.eval_modules.discard(mod.id)
        inner = list(mod.members) + list(self.ctx.instance_attrs.get(mod.id, {}).values())
        for sub in inner:
            if isinstance(sub, ModuleVal):
                self.set_eval(sub, evaluating, seen)

    def call_module(self, mod: ModuleVal, args, kwargs, node, state):
        if mod.by_default:  # what it saves and changes is what the constructor's defaults make it do
            with self.by_default(state, mod.by_default):
                return self.call_module(replace(mod, by_default=""), args, kwargs, node, state)
        if mod.cls and mod.summarized:
            return self.call_summarized(mod, args, kwargs, node, state)
        if mod.cls:
            classes = self.class_context(mod).class_table
            # a plain class's instance called (`embedder(words)`) runs its `__call__`
            found = find_method(classes, mod.cls, "forward") or find_method(classes, mod.cls, "__call__")
            if found is not None:
                return self.call_function(FuncVal(found[1], found[0], mod), args, kwargs, node, state)
            base = self.call_torch_base(mod, "forward", args, kwargs, node, state)  # its torch base class's forward
            return base if base is not None else self.unknown_call(args, kwargs, node, state)
        if mod.kind == facts.MMCV_CONV_MODULE_KIND:
            return self.call_conv_module(mod, args, kwargs, node, state)
        if mod.kind in (facts.NNI_LAYER_CHOICE_KIND, BUILT_CHOICE_KIND):  # one of its candidates, each on its side
            return self.call_layer_choice(mod, args, kwargs, node, state)
        if mod.members and mod.kind == "Sequential":
            value = args[0] if args else UNKNOWN
            for member in mod.members:
                if isinstance(member, ModuleVal):
                    # a member has no call line of its own: its construction stands for it when written among the
                    # Sequential's arguments; one built elsewhere (a factory, `body.add_module(name, block(...))` in
                    # a loop) runs where the Sequential is called
                    site = member.node if written_in(member.node, mod.node) else node
                    value = self.call_module(member, [value], {}, site, state)
                else:
                    value = self.unknown_call([value], {}, node, state)
            return value
        info = facts.module(mod.kind) if mod.kind else None
        x = args[0] if args else kwargs.get("input", UNKNOWN)
        if info and info.get("recurrent"):
            return self.call_recurrent(mod, info, args, kwargs, node, state)
        if info is None or (info.get("op") is None and not info.get("identity")):
            if mod.kind in RECURRENT_MODULES:
                # Parametrised and recurrent: the output requires grad and its graph keeps tensors for backward.
                return self.opaque_result(list(args) + list(kwargs.values()), node, state, requires_grad=Tri.YES,
                                          graph_saves=mod.kind)
            # A torch module we have no facts for: it has parameters (probably), so its output requires grad.
            return self.opaque_result(list(args) + list(kwargs.values()), node, state, requires_grad=Tri.MAYBE)
        if info.get("identity") or (mod.kind in DROPOUT_MODULES and mod.id in self.ctx.eval_modules):
            return x
        if mod.rate is not None and not mod.inplace:
            passed = self.dropout_output(x, mod.rate, node, state)
            if passed is not None:
                return passed
        op_name = info["op"]
        switched = self.ctx.root.inplace_switched.get(mod.id)
        if switched is not None and switched[0] != mod.inplace:  # `m.inplace = True` after it was built
            return self.call_module(replace(mod, inplace=switched[0], node=switched[1], by_default=""), args,
                                    kwargs, node, state)
        zero = zero_rate(mod.rate) if mod.inplace and isinstance(x, Ref) else None
        if zero == "":
            return x  # `nn.Dropout(0., inplace=True)` leaves its input as it is
        if zero:  # 0 by the constructor's default: it changes its input in place when built with another rate
            outer = state.path_condition  # (within a module the defaults chose: both conditions hold)
            state.path_condition = outer if outer and not default_source(outer) else ", ".join(
                c for c in (f"{CONFIGURATION}with a rate above {zero}", outer) if c)
            try:
                return self.call_module(replace(mod, rate=None), args, kwargs, node, state)
            finally:
                state.path_condition = outer
        if mod.inplace and isinstance(x, Ref):
            label = f"{mod.kind}(inplace=True)"
            bound = {"input": x}
            fact = facts.op(op_name, "functional", {"input": "tensor", "inplace": "true"})
            if fact is not None and fact.inplace:
                self.apply_fact(fact, {fact.params[0]: x}, node, state, {}, module=mod)
                # apply_fact labels it as a call; mark the module definition as related
                return x
            self.mutate(x, node, "module", label, state, op_name=op_name, module_node=mod.node)
            del bound
            return x
        bound = {}
        params = facts.params(op_name) or ("input",)
        values = list(args)
        for p in params:
            if values:
                bound[p] = values.pop(0)
            elif p in kwargs:
                bound[p] = kwargs[p]
        for p in info.get("param_args", ()):
            if p in params:
                bound[p] = self.param_ref(mod.id, p, state, f"parameter `{p}`", module=mod)
        kinds = self.arg_kinds(bound)
        fact = facts.op(op_name, "functional", kinds) or facts.op(op_name, "torch", kinds)
        if fact is None:
            return self.opaque_result(list(args), node, state, requires_grad=Tri.MAYBE)
        built_with = {"reduction": mod.reduction} if mod.reduction is not None else {}
        return self.apply_fact(fact, bound, node, state, built_with)

    def call_summarized(self, mod: ModuleVal, args, kwargs, node, state):
        """A block of the file built in a comprehension (`nn.ModuleList([Block(d) for _ in range(n)])`), called:
        its output requires grad (the block has parameters, by the training assumption) and keeps what the class's
        forward keeps for backward, its output or its first argument; a first argument the forward changes in place
        is changed (block_summary)."""
        summary = self.block_summary(mod)
        inputs = list(args) + list(kwargs.values())
        if summary is None:
            return self.unknown_call(list(args), kwargs, node, state)
        result, first_arg, changes_first = summary
        if changes_first is not None and args and isinstance(args[0], Ref):
            # `def forward(self, x): x.add_(self.bias)`: the caller's tensor is changed, as the walk of it would show
            change_node, kind, op = changes_first
            self.mutate(args[0], change_node, kind, op, state)
        if isinstance(result, TupleOutputs):  # a forward that returns a tuple: each output with its own save
            return Seq(tuple(self.summarized_output(inputs, r, first_arg, args, node, state, mod) for r in result))
        return self.summarized_output(inputs, result, first_arg, args, node, state, mod)

    def summarized_output(self, inputs, result, first_arg, args, node, state: State, mod: ModuleVal):
        out = self.opaque_result(inputs, node, state, requires_grad=Tri.ASSUMED, graph_saves=f"{mod.cls}.forward")
        if state.grad is Tri.NO or not isinstance(out, Ref):
            return out
        (oid,) = out.objs
        obj = state.obj(oid)
        seq = self.ctx.next_seq()
        certainty = save_certainty(Tri.ASSUMED, state.grad, state)
        saves = set()
        if result is not None:
            op, grad_fn, where = result
            saves.add(Save(fresh_id(), seq, obj.storage, obj.memory, where, op, "result", grad_fn,
                           loop_pass=self.loop_pass, **certainty))
        if first_arg is not None and args and isinstance(args[0], Ref):
            op, grad_fn, where = first_arg
            saves |= {Save(fresh_id(), seq, state.obj(o).storage, state.obj(o).memory, where, op, "input", grad_fn,
                           loop_pass=self.loop_pass, **certainty) for o in args[0].objs}
        state.update(oid, history=obj.history | saves, opaque=False)
        return out

    def block_summary(self, mod: ModuleVal):
        """(what saves the output, what saves the first argument), each (op, grad_fn, node) or None, and the first
        in-place change of the first argument (node, kind, op) or None, from one walk
        of the block's forward with an argument that requires grad; None when it does not return one tensor. The
        walk is apart from the scope's own (its ids, its reporter), on a copy of the instances built so far, once
        per block and scope."""
        if self.class_context(mod) is not self.ctx.root:
            return None
        cache = self.ctx.root.block_summaries
        if mod.id in cache:
            return cache[mod.id]
        cache[mod.id] = None  # a block whose forward runs the stack it belongs to
        saved = save_ids()
        reset_ids(SUMMARY_ID_BASE)
        ctx = ModuleContext(self.ctx.info, type(self.ctx.sink)([], "<block>"), None)
        ctx.sink.ctx = ctx
        ctx.install_instances(self.ctx.root.instance_tables())
        try:
            found = find_method(ctx.class_table, mod.cls, "forward")
            if found is None:
                return None
            state = State()
            storage = fresh_id()
            state.objs[storage] = TObj(storage, storage, Tri.YES, describe="input", gaps=frozenset())
            block = replace(mod, summarized=False)
            out = type(self)(ctx, class_name=mod.cls).call_function(
                FuncVal(found[1], found[0], block), [Ref(frozenset([storage]))], {}, found[1], state)
            outputs = [out] if isinstance(out, Ref) else list(out.items) if isinstance(out, Seq) and \
                1 < len(out.items) <= MAX_SUMMARIZED_OUTPUTS and all(isinstance(i, Ref) for i in out.items) else None
            if outputs is None:
                return None

            def where(found: list):
                save = min(found, key=lambda s: (s.seq, s.id))
                return save.op, save.grad_fn, save.node

            results = []
            on_input = []
            for ref in outputs:
                objs = [state.obj(o) for o in ref.objs]
                on_result = [[s for s in o.history if s.storage == o.storage and s.role == "result"] for o in objs]
                results.append(where(on_result[0]) if all(on_result) else None)
                on_input += [s for o in objs for s in o.history if s.storage == storage and s.role != "result"]
            changed = [m for m in state.muts.get(("s", storage), ()) if not m.silent and m.path_condition is None]
            first_change = min(changed, key=lambda m: m.seq) if changed else None
            # one output: its save; a tuple (`return x, gate`): the saves of each, in order
            cache[mod.id] = (results[0] if isinstance(out, Ref) else TupleOutputs(results),
                             where(on_input) if on_input else None,
                             (first_change.node, first_change.kind, first_change.op) if first_change else None)
        except RecursionError:
            pass
        finally:
            restore_ids(saved)
            ctx.close()
        return cache[mod.id]

    def call_recurrent(self, mod: ModuleVal, info: dict, args, kwargs, node, state: State):
        """An RNN/LSTM/GRU (cell): its outputs, shaped as torch returns them, with what its backward keeps (measured:
        data/nn_modules.json). Its parameters require grad, so the outputs do wherever grad mode is on."""
        configs = [info] if mod.bidirectional is False else [info["bidirectional"]] if mod.bidirectional else \
            [info, info["bidirectional"]]  # not known: saved only if saved either way
        saves_input = all(c["saves_input"] for c in configs)
        saves_outputs = [all(c["saves_outputs"][i] for c in configs) for i in range(len(info["saves_outputs"]))]
        inputs = flat_refs(list(args) + list(kwargs.values()))
        if state.grad is Tri.NO:
            rg, history = Tri.NO, frozenset()
        else:
            rg = state.grad
            history = frozenset().union(*(self.history(r, state) for r in inputs))
        how = save_certainty(Tri.YES, state.grad, state)  # its parameters require grad
        seq = self.ctx.next_seq()
        if rg is not Tri.NO:
            history |= {Save(fresh_id(), seq, None, None, node, mod.kind, "buffers", None, loop_pass=self.loop_pass, **how)}
            x = args[0] if args else kwargs.get("input")
            if saves_input and isinstance(x, Ref):
                history |= {Save(fresh_id(), seq, state.obj(o).storage, state.obj(o).memory, node, mod.kind, "input",
                                 None, loop_pass=self.loop_pass, **how) for o in x.objs}
        outputs = []
        for i, saved in enumerate(saves_outputs):
            ref = self.new_tensor(state, node, rg, history=history, describe=f"an output of `{mod.kind}`")
            if saved and rg is not Tri.NO:
                (oid,) = ref.objs
                obj = state.obj(oid)
                state.objs[oid] = evolve(obj, history=obj.history | {
                    Save(fresh_id(), seq, obj.storage, obj.memory, node, mod.kind, "result", None,
                         loop_pass=self.loop_pass, **how)})
            outputs.append(ref)

        return shaped_outputs(info["outputs"], outputs)

    def activation_by_name(self, registry: ast.AST, key, kwargs: dict, node, state: State):
        """`ACT2FN["relu"]`, `get_activation("gelu")`, `create_act_layer("silu", inplace=True)`: a registry of
        activations (its name says so) asked for one by a name torch.nn has a class for. None: not such a lookup."""
        name = (registry.attr if isinstance(registry, ast.Attribute) else registry.id
                if isinstance(registry, ast.Name) else "").lower()
        is_registry = "activation" in name or name.startswith("create_act") or \
            (isinstance(node, ast.Subscript) and "act" in name)
        text = key.value if isinstance(key, ConstStr) else key.default if isinstance(key, DefaultStr) else None
        cls = ACTIVATION_NAMES.get(text) if text is not None and is_registry else None
        if cls is None:
            return None
        return self.build_module(cls, [], {k: v for k, v in kwargs.items() if k == "inplace"}, node, state)


def plain_layer(kind: str) -> bool:
    """A torch.nn layer with parameters whose call is one op of the facts (nn.Conv2d, nn.Linear, nn.LayerNorm), so
    that a subclass calling its forward does what that op does; not one with an `inplace` flag or a recurrent one,
    whose behaviour hangs on constructor arguments the subclass passes."""
    info = facts.module(kind)
    return bool(info and info.get("op") and info.get("param_args") and not info.get("inplace_arg") and
                not info.get("recurrent") and not info.get("container"))


# The methods a torch layer's forward calls on `self` (nn.Conv2d's `_conv_forward`): a subclass that defines one
# changes what the base forward computes, and what it saves
BASE_FORWARD_HOOKS = frozenset({"_conv_forward", "_output_padding"})


def overrides_base_internals(classes: dict, cls: str) -> bool:
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in BASE_FORWARD_HOOKS
               for name in method_order(classes, cls) for n in classes[name].node.body)


def any_registered(table: DictVal):
    """`ACT2FN[config.hidden_act]`: an item of a table of torch functions or torch.nn classes by a key the walk does
    not know. When every item saves the same tensors for backward (`{"relu": F.relu, "tanh": torch.tanh}` all keep
    their output), whichever the key picks stands for all of them, as `nn.Tanh() if flag else nn.Sigmoid()` does
    (values.join_val); otherwise it stays unknown."""
    items = [v for _, v in table.items]
    if table.base is not None or len(items) < 2 or not all(isinstance(v, QualVal) for v in items):
        return UNKNOWN
    kinds = {backward_kind(v.qual) for v in items}
    return items[0] if len(kinds) == 1 and None not in kinds else UNKNOWN


def backward_kind(qual: str):
    """What a torch function, or the module a torch.nn class builds, keeps for backward of one tensor input, with
    whether it is a class (its call builds a module) or a function; None: not one such op."""
    cls = names.nn_class(qual)
    if cls is not None:
        entry = facts.module(cls)
        if not entry or entry.get("op") is None or set(entry) - MODULE_FACT_KEYS:
            return None  # parameters, several ops: not a plain activation
        op, form = entry["op"], None
    else:
        fn = names.torch_function(qual)
        if fn is None:
            return None
        op, form = fn
    fact = facts.op(op, form or "torch", {"input": "tensor"}) or facts.op(op, "functional", {"input": "tensor"})
    if fact is None or fact.view or fact.inplace or fact.params[:1] != ("input",):
        return None
    return cls is not None, fact.saves_result, tuple(sorted(fact.saves.items())), fact.frees_saved


def shaped_outputs(spec, outputs: list):
    """A recurrent module's outputs in the nesting its facts give (`[0, [1, 2]]`: output, (h_n, c_n))."""
    return Seq(tuple(shaped_outputs(s, outputs) for s in spec)) if isinstance(spec, list) else outputs[spec]


def torch_callable(value) -> bool:
    """A torch function or torch.nn class held by a value (`torch.tanh`, `nn.Tanh`, `partial(F.softmax, dim=1)`):
    calling it applies what torch's facts say."""
    if isinstance(value, PartialVal):
        value = value.func
    return isinstance(value, QualVal) and (
        names.torch_function(value.qual) is not None or names.nn_class(value.qual) is not None)


def built_empty(node) -> bool:
    """`nn.ModuleList()`, `ModuleList([])`, `ModuleList(init_cfg=...)`: a list that starts with no blocks."""
    if not isinstance(node, ast.Call) or any(k.arg != "init_cfg" for k in node.keywords) or len(node.args) > 1:
        return False
    return not node.args or isinstance(node.args[0], (ast.List, ast.Tuple)) and not node.args[0].elts


def written_in(inner, outer) -> bool:
    """Is the expression `inner` written inside the call `outer` (a layer among nn.Sequential's arguments)?"""
    if inner is None or outer is None or getattr(inner, "_gg_file", None) is not getattr(outer, "_gg_file", None) \
            or not hasattr(inner, "lineno") or not hasattr(outer, "lineno"):
        return False
    return (outer.lineno, outer.col_offset) <= (inner.lineno, inner.col_offset) and \
        (inner.end_lineno, inner.end_col_offset) <= (outer.end_lineno, outer.end_col_offset)
