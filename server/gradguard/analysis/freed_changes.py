"""A graph a backward() freed, and a change in place of what it saved (GG501's fix).

`retain_graph=True` on the first backward() keeps the saved tensors for the second one; if one of them is changed in
place after the op saved it (an optimizer's step between the two backward() calls, or the step of a loop's pass
before the next pass's backward() through a tensor built before the loop: `scale = model.weight.abs().max()`), the
second backward() then raises the version error instead ('modified by an inplace operation'). Torch 2.13 on
rules/examples/GG501/bad_scale_kept_as_tensor_from_weights.py with the flag added: the version error on the loop's
second pass.
"""

from __future__ import annotations

from .values import exclusive


def changed_after_freed(state, history):
    """The first change in place (a Mutation) of a tensor that a freed save of `history` kept, made after the save on
    a path that can run with it; else None."""
    for save in sorted(history, key=lambda s: (s.seq, s.id)):
        if save.storage is None or save.id not in state.freed:
            continue
        for event in state.muts.get(("s", save.storage), ()):
            if event.seq > save.seq and not event.silent and not exclusive(save.branch, event.branch):
                return event
    return None
