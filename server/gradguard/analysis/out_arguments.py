"""GG103: an op called with `out=` while an argument requires grad, with grad mode on.

torch raises at the call ('functions with out=... arguments don't support automatic differentiation, but one of
the arguments requires grad'). Reported for an argument that requires grad (an error; a warning when grad mode is
the caller's), and on the training path for the entry's own input (a forward's `x`, a previous layer's output:
fairchem's `index_select(x_local, 0, idx, out=send_buf)`). Not for what is only assumed of tensors made from that
input (counts and indices: `cumsum(bincount(batch), out=ptr)`), of a loop's batch, or at a call in another file,
nor for an argument that only may require grad: a helper's `out=` buffers are mostly optimizer states and
image-processing scratch, which never do.
"""

from __future__ import annotations

from ..findings import Severity
from .values import Tri, flat_refs


def report(sink, walker, node, args, kwargs, state) -> None:
    if state.grad is not Tri.YES:
        return
    other_file = getattr(node, "_gg_file", None) is not None

    def counted(ref) -> Tri:
        rg = walker.rg(ref, state)
        own_input = not other_file and all(state.obj(o).is_argument for o in ref.objs)
        return Tri.NO if rg is Tri.ASSUMED and not own_input else rg

    refs = flat_refs(list(args) + list(kwargs.values()))
    rg, grad_ref = max(((counted(r), r) for r in refs), key=lambda p: p[0]._value_, default=(Tri.NO, None))
    if rg not in (Tri.YES, Tri.ASSUMED):
        return
    fname = sink.text(node.func)
    which = "an argument that requires grad" if rg is Tri.YES else \
        "an argument that requires grad on the training path (assumed: true of a previous layer's output)"
    sink.add("GG103", node, Severity.ERROR if rg is Tri.YES and not state.grad_assumed else Severity.WARNING,
             f"`{fname}(..., out=...)` with {which}: torch raises here ('functions with out=... arguments "
             "don't support automatic differentiation').",
             via=walker.frames, obj=walker.first(grad_ref, state), fix={"kind": "out", "node": node},
             depends_on="the caller's grad mode" if state.grad_assumed else None)
