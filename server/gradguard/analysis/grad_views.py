"""The gradients `torch.autograd.grad(loss, model.parameters())` returns, one per parameter, and which are views.

torch 2.13 (measured with create_graph on and off): the gradient of an nn.Linear's weight that only one `linear`
of the graph used is a view (TBackward0: the transpose of the matrix product of the output's gradient and the
input), and its bias's gradient too (ViewBackward0 of the sum over the batch), for 1-D, 2-D and 3-D inputs, with or
without a bias. A parameter the graph used twice (the layer applied twice, in a loop's passes, tied to an embedding,
or also in a penalty such as `w.pow(2).sum()`) gets the sum of its parts, no view; a convolution's, a norm's, an
embedding's and a recurrent layer's gradients are no views. `g.detach_()` of a view raises "Can't detach views
in-place" (detached_views.py), which MLNT's meta-learning step does to every gradient of a ResNet whose `fc` is an
nn.Linear.

What the walk knows of "used once": each op that took a parameter marks its node (`_gg_param_uses`: the parameter's
storage, the op, the argument) and the loss's history holds one Save per application (a `linear` always keeps the
input of a weight that requires grad, and its buffers), so the applications of the parameter in the loss's graph are
the distinct program points (Save.seq) of the history's saves at those nodes. A use that keeps nothing for backward
(`w.sum()` added to the loss) is not seen.
"""

from __future__ import annotations

from .values import Ref, Seq, TObj, Tri, fresh_id

GRADIENT_VIEW = "autograd.grad"  # TObj.view_op of a gradient torch returns as a view (detached_views.certain_view)
VIEW_GRADIENTS = {("linear", "weight"), ("linear", "bias")}


def note_parameter_uses(node, tensor_params: dict, state) -> None:
    """The op at `node` took these tensors: mark the parameters among them (a leaf of a module) on the node."""
    for p, ref in tensor_params.items():
        for oid in ref.objs:
            obj = state.obj(oid)
            if obj.param_of is not None and obj.leaf:
                uses = node.__dict__.get("_gg_param_uses")
                if uses is None:
                    uses = node._gg_param_uses = set()
                uses.add((obj.storage, p))


def applications(history) -> dict:
    """Storage of a parameter -> {(program point, argument)}: the applications in `history`'s graph of the ops that
    took it, the argument it was of each."""
    out: dict = {}
    for save in history:
        uses = save.node.__dict__.get("_gg_param_uses") if save.node is not None else None
        if uses:
            for storage, p in uses:
                out.setdefault(storage, set()).add((save.seq, save.op, p))
    return out


def is_view_gradient(storage: int, used: dict) -> bool:
    seen = used.get(storage, ())
    return len({seq for seq, _, _ in seen}) == 1 and all((op, p) in VIEW_GRADIENTS for _, op, p in seen)


def parameter_gradients(walker, target, params: Ref, node, state, create_graph: bool) -> Seq | None:
    """`torch.autograd.grad(target, model.parameters(), ...)`: a tuple of unknown length whose item stands for each
    gradient (Ref.every), a view for a parameter only one `linear` of `target`'s graph used. None when `target` is
    not one known tensor."""
    if not isinstance(target, Ref) or not params.objs:
        return None
    history = walker.history(target, state)
    used = applications(history)
    rg = walker.rg(target, state) if create_graph and state.grad is not Tri.NO else Tri.NO
    kept = history if rg is not Tri.NO else frozenset()
    oids = []
    for oid in sorted(params.objs):
        param = state.obj(oid)
        new = fresh_id()
        storage = fresh_id()
        view = is_view_gradient(param.storage, used)
        state.objs[new] = TObj(storage, storage, rg, origin=node, history=kept, scalar=Tri.MAYBE,
                               view_op=GRADIENT_VIEW if view else None,
                               describe=f"the gradient of {param.describe}")
        oids.append(new)
    return Seq((Ref(frozenset(oids), every=True), "*"))
