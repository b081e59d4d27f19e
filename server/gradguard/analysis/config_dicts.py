"""Configuration dicts copied and edited: `norm_cfg = copy.deepcopy(norm_cfg)` (OpenMMLab protects its mutable
defaults this way), `cfg = dict(cfg)`, `cfg.copy()`, and then `cfg.pop('type')`, `cfg.setdefault('inplace', True)`,
`cfg.update(...)`. The walk holds a dict literal by value (DictVal), so a copy of one is the same value; a copy of
a dict that may hold tensors (a deep copy makes new ones) stays unknown, as before."""

from __future__ import annotations

from .values import (
    UNKNOWN, BoolConst, ConstStr, DictVal, Keywords, NoneVal, Number, QualVal, Seq, Unknown, join_val)

COPIES = frozenset({"copy.deepcopy", "copy.copy"})
MAX_DEPTH = 4


def plain_config(value, depth: int = 0) -> bool:
    """A value made only of constants, names of classes and dicts or tuples of those: no tensor, module or array
    that a deep copy would make anew."""
    if isinstance(value, (ConstStr, Number, BoolConst, NoneVal, QualVal)) or type(value) is Unknown:
        return True
    if depth >= MAX_DEPTH:
        return False
    if isinstance(value, DictVal):
        return (value.base is None or type(value.base) is Unknown) and \
            (value.some is None or plain_config(value.some, depth + 1)) and \
            all(plain_config(v, depth + 1) for _, v in value.items)
    if isinstance(value, Seq):
        return all(item == "*" or plain_config(item, depth + 1) for item in value.items)
    return False


def copied_config(qual: str, args: list, kwargs) -> DictVal | None:
    """`copy.deepcopy(cfg)` / `copy.copy(cfg)` of a configuration dict the walk knows: that dict; else None."""
    if qual in COPIES and len(args) == 1 and not kwargs and isinstance(args[0], DictVal) and plain_config(args[0]):
        return args[0]
    return None


def dict_of(args: list, kwargs: Keywords) -> DictVal | None:
    """`dict(cfg)`, `dict(cfg, inplace=False)`: a shallow copy of a dict the walk knows, with the keywords put in;
    None for other calls of dict."""
    if len(args) != 1 or not isinstance(args[0], DictVal) or getattr(kwargs, "more", None) is not None:
        return None
    return with_items(args[0], tuple(kwargs.items()))


def with_items(cfg: DictVal, added: tuple) -> DictVal:
    keys = {k for k, _ in added}
    return DictVal(tuple((k, v) for k, v in cfg.items if k not in keys) + added, cfg.base, cfg.some)


def dict_method(cfg: DictVal, attr: str, args: list, kwargs: Keywords):
    """(what `cfg.attr(...)` returns, what the dict holds after it: None when unchanged) for a dict the walk knows;
    None when the method is not one modelled here."""
    found = dict(cfg.items)
    if attr == "copy" and not args and not kwargs:
        return cfg, None
    if attr in ("pop", "setdefault") and args and not kwargs and len(args) <= 2 and isinstance(args[0], ConstStr):
        key = args[0].value
        if attr == "setdefault":
            if key in found:
                return found[key], None
            value = args[1] if len(args) == 2 else NoneVal()
            return (value if cfg.base is None and cfg.some is None else UNKNOWN), with_items(cfg, ((key, value),))
        rest = DictVal(tuple((k, v) for k, v in cfg.items if k != key), cfg.base, cfg.some)
        if key in found:
            return found[key], rest
        known = cfg.base is None and cfg.some is None
        return (args[1] if len(args) == 2 and known else UNKNOWN), rest
    if attr == "update" and len(args) <= 1 and getattr(kwargs, "more", None) is None:
        if args and not isinstance(args[0], DictVal):
            return NoneVal(), DictVal((), UNKNOWN)
        other = args[0] if args else DictVal(())
        merged = with_items(cfg, other.items + tuple(kwargs.items()))
        if other.base is not None or other.some is not None:  # keys the walk does not know may replace any item
            some = other.some if other.some is not None else UNKNOWN
            merged = DictVal(tuple((k, join_val(v, some)) for k, v in merged.items), UNKNOWN, some)
        return NoneVal(), merged
    if attr in ("update", "clear", "popitem", "__setitem__", "__delitem__"):
        return UNKNOWN, DictVal((), UNKNOWN)
    return None
