"""When a save counts whatever path the run takes: the op saved every tensor a changed name may hold, or the tensor
was saved on the side of the `if` that made it (checker.Reporter's path conditions)."""

from __future__ import annotations


def saved_every_alternative(save, event, history) -> bool:
    """Did the op that made `save` save each tensor the changed name may hold (before the change)?"""
    return bool(event.alternatives) and saved_each(save, event, event.alternatives, history)


def saved_each(save, event, storages: frozenset, history) -> bool:
    """Did the op that made `save` save each of `storages` (before the change)?"""
    return storages <= {s.storage for s in history if s.node is save.node and s.seq < event.seq}


def saved_where_made(save, event) -> bool:
    """Was the changed tensor made on one side of an `if` (a name joined after it may hold it or another), and saved
    on that side or before the `if`? Then a run that puts it in the name has saved it: the change breaks backward
    whenever that side runs, as a change written on the side itself would. A save on another side (`identity = x`
    on one, `self.conv(x)` saving x on the other) stays a path condition."""
    return bool(event.made_in) and set(save.branch) <= set(event.made_in)
