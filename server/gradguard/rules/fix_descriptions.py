"""What the quick fix of each rule does, one sentence a rule: the reference pages (docs.py) print it."""

FIX_DESCRIPTIONS = {
    "GG101": "Wrap the statement in `with torch.no_grad():` when it updates a parameter (or the leaf's `.grad` is "
             "read later); otherwise use the out-of-place form (`x = x + 1`, `x = x.mul(2)`, `inplace=False`), "
             "or clone before an index write.",
    "GG102": "Same as GG101: `torch.no_grad()` for parameter updates, else clone the leaf before writing into it.",
    "GG103": "`torch.add(a, b, out=buf)` becomes `buf = torch.add(a, b)`.",
    "GG201": "The out-of-place form at the mutation (`y = y + 1`, `y = y.add(1)`, `inplace=False` where the module "
             "is built), or `y = y.clone()` before an index write.",
    "GG301": "The out-of-place form at the mutation (`a = a * 2`).",
    "GG302": "The out-of-place form at the mutation.",
    "GG303": "`.clone()` right after `expand(...)`.",
    "GG401": "No automatic fix: move the write after backward(), or clone the tensor before the op that saves it. "
             "(Replacing `.data` by `torch.no_grad()` would only turn the silent error into a loud one.)",
    "GG402": "No automatic fix: copy the array (`.numpy().copy()`) or write after backward().",
    "GG501": "`retain_graph=True` on the first backward().",
    "GG502": "`h = h.detach()` right after the backward(), for each tensor carried into the next iteration "
             "(no automatic fix for a running total: use `loss.item()` or call backward() once).",
    "GG503": "No automatic fix: which tensor should require grad is the author's decision.",
    "GG504": "`y.sum().backward()` (unsafe: it changes what is differentiated, like `gradient=torch.ones_like(y)`).",
}
