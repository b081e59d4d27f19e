"""What the quick fix of each rule does, one sentence a rule: the reference pages (docs.py) print it."""

FIX_DESCRIPTIONS = {
    "GG101": "Wrap the statement in `with torch.no_grad():` when it updates a parameter (or the leaf's `.grad` is "
             "read later; one block around adjacent updates or their loop); otherwise use the out-of-place form "
             "(`x = x + 1`, `x = x.mul(2)`, `inplace=False` where the module is built, also in another workspace "
             "file), or clone before an index write.",
    "GG102": "Same as GG101: `torch.no_grad()` for parameter updates, else clone the leaf before writing into it.",
    "GG103": "`torch.add(a, b, out=buf)` becomes `buf = torch.add(a, b)` (`c = buf = torch.add(a, b)` when the "
             "result was assigned).",
    "GG104": "`x.requires_grad = True` becomes `x = x.detach().requires_grad_()` (a leaf with the same values; "
             "at the top of an attack loop, each step starts from one), `x.requires_grad_(False)` becomes "
             "`x = x.detach()`. Safe: torch refuses the original.",
    "GG201": "The out-of-place form at the mutation (`y = y + 1`, `y = y.add(1)`, `torch.zeros_like(y)`, "
             "`y = y.clone().fill_diagonal_(0)` for a method without a twin, `return x.mul(g)` for `return x.mul_(g)` "
             "and `b[:, 2:] = b[:, 2:].sqrt()` (the twin where the statement uses the result), "
             "`torch.where(y > 0, 0.0, y)` for a mask "
             "of `y`, `inplace=False` where the module is built, also in another workspace file), or "
             "`y = y.clone()` before an index write (a copy of the slice for the call, `q[:, 1:] = rotate(q[:, 1:]"
             ".clone())`, when the op that saves it runs in the called function, also one of another workspace "
             "file); `.clone()` where the tensor is saved when another name still "
             "reads it, or under `no_grad`; on a leaf (an update between forward and backward), the change moved "
             "after the backward(); an optimizer step before a pending backward() that goes through what it "
             "steps: that backward()'s whole update (zero_grad, backward, step) moved before the updates that "
             "step first, where each update zeroes its own gradients (every step keeps its own loss's gradients; "
             "applied by --fix only when nothing else sits between the updates and the function reads no `.grad` "
             "elsewhere); where it cannot move first, the statements from the call of the stepped module to the "
             "pending loss computed again after the steps (`q_pred = torch.min(qf_1(sa), qf_2(sa))` after the Q "
             "steps, for the actor's loss), when the copies read what the originals read and rebind nothing read "
             "later; moving the step after the pending backward() is only an unsafe choice whose title says it then "
             "also steps with that backward()'s gradients, and not offered when the same loss was back-propagated "
             "before the step. Where no rewrite is safe, the message says why, and the `.clone()` form is "
             "offered only as a not-preferred choice, where it makes the program run.",
    "GG202": "The out-of-place form at the mutation (`x = x + self.offset`, `x = x.mul(g)`): the function works on "
             "a new tensor and the caller's stays as it was.",
    "GG301": "The out-of-place form at the mutation (`a = a * 2`).",
    "GG302": "The out-of-place form at the mutation.",
    "GG303": "`.clone()` right after `expand(...)`.",
    "GG304": "`h.detach_()` becomes `h = h.detach()` (a detached copy bound to the name; `.detach()` where the result "
             "is used, as in `y = h[:, -1].detach_()`). Safe: torch refuses the original.",
    "GG305": "No automatic fix (the hook's code changes, not one line): register a forward hook that calls "
             "`output.register_hook(...)` on the module's output, which receives what `grad_output[0]` held.",
    "GG401": "Where the forward pass reads the new values, change the real tensor out of place "
             "(`p.data.clamp_(0, 1)` -> `p = p.clamp(0, 1)`); otherwise move the write after the backward() that "
             "still needs the old values, on the real tensor under `with torch.no_grad():`.",
    "GG402": "Move the NumPy write after the backward() that still needs the old values.",
    "GG403": "`x = x.clone()` before the in-place op, so that the old name keeps the old values (the shortcut or "
             "residual reads what was meant); `inplace=False` where the call sets it.",
    "GG501": "`retain_graph=True` on the first backward(); when an optimizer step between the two backward() "
             "calls runs after the second loss was computed (the step changes what that backward() needs), the "
             "second loss computed again after the step, from the module call on, where that is safe; otherwise "
             "none, and the message says so.",
    "GG502": "`h = h.detach()` right after the backward(), for each tensor carried into the next iteration "
             "(no automatic fix for a running total: use `loss.item()` or call backward() once).",
    "GG503": "Undo what cut the graph on the way to the loss: unwrap `with torch.no_grad():`, "
             "`set_grad_enabled(True)`, drop `.data`/`.detach()`/a `torch.tensor(loss.item())` re-wrap/a "
             "`@torch.no_grad()` decorator; or `requires_grad=True` on a tensor whose `.grad` is read later.",
    "GG504": "`y.sum().backward()` (`.mean()` for a loss, `reduction=\"mean\"` for an unreduced loss), like "
             "`gradient=torch.ones_like(y)`; torch refuses the original, so no working result changes.",
    "GG505": "No automatic fix: returning the other tensors changes what every caller of `apply` unpacks; return "
             "each tensor marked dirty (the statistics marked non-differentiable) and unpack them at the callers.",
}
