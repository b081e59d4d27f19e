"""OpenMMLab's `mmcv.cnn.ConvModule`, modelled from what facts.py records of it (MMCV_*): a conv, a norm when
`norm_cfg` is given and an activation unless `act_cfg=None`, run in order the way nn.Sequential runs its layers, so
that `x = self.lateral(x); x += y` meets the ReLU that saved its output. A configuration the walk cannot read (a cfg
held in a name it does not know, an activation mmcv builds from its own classes, the activation not last) leaves
`ConvModule(...)` what it was before: an unknown call."""

from __future__ import annotations

from .. import facts
from .values import UNKNOWN, BoolConst, ConstStr, DictVal, ModuleVal, NoneVal, Number, Seq, evolve, fresh_id

ABSENT = object()


def cfg_class(cfg, table: dict) -> str | None:
    """The torch.nn class mmcv builds for a cfg (`dict(type='BN', requires_grad=True)`) by its constant `type`;
    None: not a dict the walk knows, or a type not in `table`."""
    if isinstance(cfg, DictVal) and cfg.base is None:
        kind = dict(cfg.items).get("type")
        if isinstance(kind, ConstStr):
            return table.get(kind.value)
    return None


def layer_order(order) -> tuple | None:
    """`order=('conv', 'norm', 'act')` as names; None unless it is such a constant with the activation last (with
    another, the activation's output is not what the call returns)."""
    if order is ABSENT:
        return facts.MMCV_CONV_MODULE_ORDER
    if not isinstance(order, Seq) or not all(isinstance(i, ConstStr) for i in order.items):
        return None
    names = tuple(i.value for i in order.items)
    ok = sorted(names) == sorted(facts.MMCV_CONV_MODULE_ORDER) and names[-1] == "act"
    return names if ok else None


class MmcvBricks:
    """`ConvModule(...)` and its calls, for the walk (a mixin of the Interpreter)."""

    def build_conv_module(self, args, kwargs, node, state):
        """A ModuleVal of kind MMCV_CONV_MODULE_KIND whose members are its layers in the order its forward runs
        them, or an unknown call's result when its configuration is not known."""
        params = facts.MMCV_CONV_MODULE_PARAMS
        given = dict(zip(params, args))
        if len(args) > len(params) or getattr(kwargs, "more", None) is not None or any(k in given for k in kwargs):
            return self.unknown_call(args, kwargs, node, state)
        given.update(kwargs)
        order = layer_order(given.get("order", ABSENT))
        layers = {}
        conv_cfg = given.get("conv_cfg", NoneVal())
        conv = "Conv2d" if isinstance(conv_cfg, NoneVal) else cfg_class(conv_cfg, facts.MMCV_CONVS)
        norm_cfg = given.get("norm_cfg", NoneVal())
        norm = None if isinstance(norm_cfg, NoneVal) else cfg_class(norm_cfg, facts.MMCV_NORMS) or UNKNOWN
        act_cfg = given.get("act_cfg", ABSENT)
        act = "ReLU" if act_cfg is ABSENT else None if isinstance(act_cfg, NoneVal) else \
            cfg_class(act_cfg, facts.MMCV_ACTIVATIONS) or UNKNOWN
        if order is None or conv is None or act is UNKNOWN:
            return self.unknown_call(args, kwargs, node, state)
        layers["conv"] = self.build_module(conv, [], {}, node, state)
        if norm is not None:  # a norm mmcv builds from a class without torch facts (SyncBN): an unknown step
            layers["norm"] = norm if norm is UNKNOWN else self.build_module(norm, [], {}, node, state)
            if norm is not UNKNOWN and norm_cfg.optional:  # `norm_cfg = None; if bn: norm_cfg = dict(type='BN')`
                layers["norm"] = evolve(layers["norm"], optional=True)
        if act is not None:
            flag = {}
            if act not in facts.MMCV_ACTIVATIONS_WITHOUT_INPLACE:  # `act_cfg_.setdefault('inplace', inplace)`
                own = dict(act_cfg.items) if isinstance(act_cfg, DictVal) else {}
                flag["inplace"] = own.get("inplace", given.get("inplace", BoolConst(True)))
            layers["act"] = self.build_module(act, [], flag, node, state)
            if isinstance(act_cfg, DictVal) and act_cfg.optional:  # None on some path: the activation when there is
                layers["act"] = evolve(layers["act"], optional=True)  # one, as `act = None; if a: act = nn.ReLU()`
        mod = ModuleVal(fresh_id(), facts.MMCV_CONV_MODULE_KIND, members=tuple(
            layers[name] for name in order if name in layers), node=node)
        self.ctx.modules[mod.id] = mod
        return mod

    def build_activation_layer(self, args, kwargs, node, state):
        """`build_activation_layer(act_cfg)` with a cfg the walk knows (`dict(type='ReLU')`): the torch.nn class its
        `type` names, built with its other keys; None when the cfg is not known."""
        cfg = args[0] if len(args) == 1 and not kwargs else kwargs.get("cfg") if not args and len(kwargs) == 1 \
            else None
        kind = cfg_class(cfg, facts.MMCV_ACTIVATIONS)
        if kind is None or cfg.some is not None or not all(isinstance(k, str) for k, _ in cfg.items):
            return None
        given = {k: v for k, v in cfg.items if k != "type"}
        return self.build_module(kind, [], given, node, state)

    def build_norm_layer(self, args, kwargs, node, state):
        """`self.norm1_name, norm1 = build_norm_layer(norm_cfg, planes, postfix=1)` with a cfg the walk knows:
        ('bn1', the nn.BatchNorm2d); None when the cfg, the postfix or the arguments are not known."""
        names = ("cfg", "num_features", "postfix")
        given = dict(zip(names, args))
        if len(args) > len(names) or getattr(kwargs, "more", None) is not None or \
                any(k in given or k not in names for k in kwargs):
            return None
        given.update(kwargs)
        cfg = given.get("cfg")
        kind = cfg_class(cfg, facts.MMCV_NORMS)
        postfix = given.get("postfix", ConstStr(""))
        postfix = str(postfix.value) if isinstance(postfix, Number) and type(postfix.value) is int else \
            postfix.value if isinstance(postfix, ConstStr) else None
        if kind not in facts.MMCV_NORM_ABBREVIATIONS or postfix is None or cfg.some is not None or \
                "num_features" not in given or dict(cfg.items).get("requires_grad", BoolConst(True)) != BoolConst(True):
            return None
        options = {k: v for k, v in cfg.items if k not in ("type", "requires_grad")}
        layer = self.build_module(kind, [given["num_features"]], options, node, state)
        return Seq((ConstStr(facts.MMCV_NORM_ABBREVIATIONS[kind] + postfix), layer))

    def call_conv_module(self, mod: ModuleVal, args, kwargs, node, state):
        """`conv_module(x)`: its layers, in order; `conv_module(x, activate=False)` and the like stay unknown."""
        if len(args) != 1 or any(v != BoolConst(True) for v in kwargs.values()):
            return self.unknown_call(args, kwargs, node, state)
        value = args[0]
        for member in mod.members:
            if isinstance(member, ModuleVal):
                value = self.call_module(member, [value], {}, member.node, state)
            else:
                value = self.unknown_call([value], {}, node, state)
        return value
