"""What a module is built as, without its identity: two blocks one loop built alike compare equal, so that one stands
for the others in the nn.ModuleList the loop fills (modules.ModuleModeller.append_block)."""

from __future__ import annotations

from .values import BoolConst, ConstStr, DefaultBool, DefaultStr, ModuleVal, NoneVal, Number, Ref, Seq, Unknown


def blueprint(instance_attrs: dict, value, depth: int = 0, with_site: bool = True):
    """Its kind, class, flags, construction site (unless `with_site` is false: built alike wherever built) and, for a
    class of the file, its attributes' blueprints (`instance_attrs`: the attributes of each instance by module id)."""
    if isinstance(value, ModuleVal):
        attrs = instance_attrs.get(value.id, {}) if value.cls and depth < 3 else {}
        return ("module", value.kind, value.cls, value.inplace, value.by_default, value.node if with_site else None,
                tuple(blueprint(instance_attrs, m, depth + 1) for m in first_of_each_site(value.members)),
                tuple(sorted((k, blueprint(instance_attrs, v, depth + 1)) for k, v in attrs.items())))
    if isinstance(value, Ref):
        return "tensor"
    if isinstance(value, (Number, BoolConst, ConstStr, NoneVal, DefaultBool, DefaultStr, Unknown)):
        return value
    if isinstance(value, Seq):
        return ("seq", tuple(blueprint(instance_attrs, v, depth + 1) for v in first_of_each_site(value.items)))
    return type(value).__name__


def first_of_each_site(items) -> list:
    """A block's layers with the repeats of a construction site dropped: `for _ in range(n): layers.extend([nn.Linear(d,
    d), nn.ReLU()])` gives as many copies as the walk made passes of the loop, and that count depends on the loop the
    block itself is built in (a later pass of an enclosing loop walks an inner loop once), not on the code."""
    seen, out = set(), []
    for item in items:
        site = item.node if isinstance(item, ModuleVal) and item.node is not None else None
        if site is not None and site in seen:
            continue
        if site is not None:
            seen.add(site)
        out.append(item)
    return out
