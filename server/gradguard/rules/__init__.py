"""The rules: one entry per code, with the documentation the reference pages are generated from.

Every rule carries runnable examples in ``rules/examples/<CODE>/`` (``bad_*.py`` and ``good_*.py``).
Line markers in the examples say what must happen on that line:

    x += 1  # expect GG101; torch raises: a leaf Variable that requires grad

``expect CODE[, CODE]`` is a finding gradguard must report on that line; ``torch raises: TEXT`` is an
exception torch must raise from that line, its message containing TEXT. A file with no ``torch raises``
marker must run to the end without an exception. The test suite checks both, under torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings import Severity

EXAMPLES_DIR = Path(__file__).parent / "examples"
DOCS_URL = "https://github.com/gradguard/gradguard/blob/main/docs/rules/{code}.md"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line, shown in `gradguard rules`
    why: str  # why is this bad
    torch_prints: str  # what torch prints, or that it prints nothing
    use_instead: str
    default_enabled: bool = True

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code)

    def examples(self) -> list[Path]:
        folder = EXAMPLES_DIR / self.code
        return sorted(folder.glob("*.py")) if folder.is_dir() else []


LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."
SAVED_PREFIX = "one of the variables needed for gradient computation has been modified by an inplace operation: "
# torch 2.13's hint, word for word (it added `check_nan=False`)
SAVED_HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
    "torch.autograd.set_detect_anomaly(True, check_nan=False)."
)
SAVED_MESSAGE = SAVED_PREFIX + "[torch.FloatTensor [3]], which is output 0 of Sigmoid, is at version 1; expected version 0 instead."

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in [
        Rule(
            "GG101",
            "inplace-on-leaf",
            Severity.ERROR,
            "In-place change of a leaf tensor that requires grad, with grad mode on",
            "A leaf tensor that requires grad (created with `requires_grad=True`, an `nn.Parameter`, a module's "
            "weight) is where autograd accumulates `.grad`. Changing it in place while grad mode is on would "
            "make its gradient meaningless, so torch refuses at that very line.",
            "RuntimeError: " + LEAF_MESSAGE,
            "Compute a new tensor (`x = x + 1`), or, for a parameter update, do it under `with torch.no_grad():`.",
        ),
        Rule(
            "GG102",
            "inplace-on-leaf-view",
            Severity.ERROR,
            "In-place change of a view of a leaf tensor that requires grad",
            "Slicing or viewing a leaf gives a tensor that shares its memory. Writing into that view writes into "
            "the leaf, and torch refuses at that line just as for the leaf itself.",
            "RuntimeError: a view of a leaf Variable that requires grad is being used in an in-place operation.",
            "Clone the leaf first (`x_new = x.clone(); x_new[0] = 1`) and use the clone from then on.",
        ),
        Rule(
            "GG103",
            "out-argument-with-grad",
            Severity.ERROR,
            "`out=` used while an argument requires grad",
            "Functions called with `out=` write their result into an existing tensor, which autograd cannot "
            "record. With grad mode on and any argument requiring grad, torch raises at the call.",
            "RuntimeError: add(): functions with out=... arguments don't support automatic differentiation, "
            "but one of the arguments requires grad.",
            "Assign the result instead: `y = torch.add(a, b)`.",
        ),
        Rule(
            "GG104",
            "requires-grad-of-non-leaf",
            Severity.ERROR,
            "`requires_grad` set on a tensor an op made from a tensor that requires grad",
            "Only a leaf can start or stop requiring grad. A tensor computed from one that requires grad has a "
            "grad_fn, and torch refuses to change its flag (`x.requires_grad = ...`, `x.requires_grad_(False)`) at "
            "that line, with grad mode on or off. The usual way in: an adversarial-attack loop that sets "
            "`x_adv.requires_grad = True` at the top and updates `x_adv = x_adv + alpha * grad.sign()` at the "
            "bottom without `.detach()`, which raises on the second iteration.",
            "RuntimeError: you can only change requires_grad flags of leaf variables.",
            "Start from a leaf: `x_adv = x_adv.detach()` (or update it as `x_adv = (x_adv + step).detach()`), then "
            "`x_adv.requires_grad_()`.",
        ),
        Rule(
            "GG201",
            "saved-tensor-modified",
            Severity.ERROR,
            "A tensor saved for backward is changed in place before backward()",
            "Many ops keep their input or their output to compute the gradient later (`sigmoid` keeps its "
            "output, `mul` keeps the other factor, `linear` keeps its input). Changing that tensor in place "
            "afterwards (directly, through an alias, a view, `.detach()`, or a helper) bumps its version "
            "counter, and the backward() that needs it fails, far from the line that caused it. Grad mode at "
            "the mutation does not matter: an in-place change under `torch.no_grad()` breaks it too. When the "
            "op's inputs come from a function's arguments, the file alone does not show that they require grad "
            "(information, with --strict); a caller in another file of the workspace that passes one (a "
            "Parameter, `requires_grad=True`, a layer's output) with grad mode on decides it, and is named.",
            "RuntimeError: " + SAVED_MESSAGE + " " + SAVED_HINT,
            "Use the out-of-place form at the mutation (`y = y + 1`), or `.clone()` the tensor before changing it.",
        ),
        Rule(
            "GG202",
            "caller-tensor-modified",
            Severity.WARNING,
            "A module's forward (or a loss) changes in place the tensor its caller passed in",
            "On the training path the tensor a `forward` receives is the previous layer's output, and it requires "
            "grad. The caller may still need it: the op that made it may have saved it (ReLU, sigmoid, tanh, "
            "softmax and an LSTM keep their output; a Linear or a conv that also took it keeps its input), or it "
            "is a leaf the user wants the gradient of. Changing it in place then breaks the caller's backward(), "
            "or raises at once for a leaf, and in any case changes a value the caller still holds (`x + f(x)` "
            "sees the changed `x`). Whether torch raises depends on the caller, which the file does not show, so "
            "this is a warning; a caller in the same file (another module that builds and calls this one) is "
            "walked with what it really passes, and decides instead. In-place forms the caller opts into "
            "(`inplace=True`, `if inplace:`) are left alone.",
            "RuntimeError: " + SAVED_PREFIX + "[torch.FloatTensor [1, 3]], which is output 0 of SigmoidBackward0, "
            "is at version 1; expected version 0 instead. " + SAVED_HINT + " (or, for a leaf: RuntimeError: "
            + LEAF_MESSAGE + ")",
            "Compute a new tensor (`x = x + self.pos`); the caller's tensor stays as it was.",
        ),
        Rule(
            "GG301",
            "multi-output-view-modified",
            Severity.ERROR,
            "In-place change of an output of unbind/split/chunk",
            "`unbind`, `split` and `chunk` return several views of one tensor. Autograd cannot rebase a view "
            "that is one of several outputs, so changing one in place raises when the base requires grad.",
            "RuntimeError: Output 0 of Unbind is a view and is being modified inplace. This view is the "
            "output of a function that returns multiple views. Such functions do not allow the output views to "
            "be modified inplace. You should replace the inplace operation by an out-of-place one.",
            "Use the out-of-place form (`a = a * 2`), or clone the piece first.",
        ),
        Rule(
            "GG302",
            "no-grad-view-modified",
            Severity.ERROR,
            "In-place change, with grad mode on, of a view created under no_grad",
            "A view taken under `torch.no_grad()` carries no autograd link to its base. Changing it in place "
            "later with grad mode on would silently cut the base out of the graph, so torch raises.",
            "RuntimeError: A view was created in no_grad mode and is being modified inplace with grad mode "
            "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. (In inference "
            "mode: 'A view was created in inference mode and is being modified inplace in normal mode.')",
            "Make the change under `torch.no_grad()` too, or take the view with grad mode on.",
        ),
        Rule(
            "GG303",
            "expanded-tensor-modified",
            Severity.ERROR,
            "In-place write to an expand() result",
            "`expand` makes many elements share one memory location. An in-place op on it would write the same "
            "location several times; torch refuses, whatever the grad mode.",
            "RuntimeError: unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation.",
            "Clone after expanding (`x.expand(4, 3).clone()`), or use the out-of-place form.",
        ),
        Rule(
            "GG304",
            "view-detached-in-place",
            Severity.ERROR,
            "`detach_()` of a view",
            "`detach_()` turns a tensor into a leaf in place. A view (`out.unsqueeze(0)`, `out[:, -1]`, a "
            "`transpose`, a `chunk` piece) shares its base's memory and is tied to its base's history, so torch "
            "refuses to detach it in place, with grad mode on or off and whether or not anything requires grad "
            "(only inside `torch.inference_mode()` does it pass). Truncated-BPTT code that detaches its carried "
            "state with `h.detach_()` meets this when the state is a slice or reshape of an output, and a "
            "meta-learning step that detaches each gradient of `torch.autograd.grad(loss, model.parameters())` meets "
            "it at an nn.Linear's weight, whose gradient torch returns as a transposed view.",
            "RuntimeError: Can't detach views in-place. Use detach() instead. If you are using "
            "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are "
            "views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, "
            "please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.",
            "Rebind the name to a detached copy of the view: `h = h.detach()`.",
        ),
        Rule(
            "GG305",
            "hooked-module-output-modified",
            Severity.WARNING,
            "A full backward hook on a layer of a model the code is handed, which may change that layer's output "
            "in place",
            "`register_full_backward_hook` (and `register_full_backward_pre_hook`) makes the module hand back its "
            "outputs, and give its forward its inputs, as views made by a custom autograd Function "
            "(BackwardHookFunction). Torch forbids changing such a view in place: when the model follows the hooked "
            "layer with `nn.ReLU(inplace=True)`, `F.relu(x, inplace=True)`, `x += y` or a slice assignment (or the "
            "hooked module changes an input that requires grad), the forward pass raises. Code that hooks the "
            "layers of a model it is handed (a Grad-CAM target layer, every Linear and conv for a KFAC-style "
            "optimizer or a Fisher matrix, every module for a monitor) cannot see that model: torchvision's VGG, "
            "AlexNet, DenseNet and ResNet all change some layer's output in place. Reported where the hooked module "
            "is what the function is handed or one inside it (a `target_layer` argument, an item of a list argument, "
            "`model.named_modules()`, `model.get_submodule(name)`, or the same from an attribute the class does not "
            "build, such as `self.model` set from a constructor argument), and for a global "
            "`register_module_full_backward_hook`; a model handed whole whose submodules the function also visits "
            "(a hook on the whole model: torchvision's models then run clean), a module the code builds, `self` and "
            "`self.modules()` are left alone. Whether torch raises depends on the model, so "
            "this is a warning. The non-full `register_backward_hook` wraps nothing and does not raise.",
            "RuntimeError: Output 0 of BackwardHookFunction is a view and is being modified inplace. This view "
            "was created inside a custom Function (or because an input was returned as-is) and the autograd logic "
            "to handle view+inplace would override the custom backward associated with the custom Function, "
            "leading to incorrect gradients. This behavior is forbidden. You can fix this by cloning the output of "
            "the custom Function.",
            "A forward hook that registers a tensor hook on the output: `module.register_forward_hook(lambda m, "
            "i, out: out.register_hook(save_grad))` receives the same gradient (grad_output[0]) and leaves the "
            "output an ordinary tensor the model may change in place.",
        ),
        Rule(
            "GG401",
            "data-write-to-saved",
            Severity.WARNING,
            "Write through `.data` to a tensor saved for a pending backward",
            "`.data` gives the same memory without autograd's version counter. Writing through it changes a "
            "tensor that an op saved for backward, and backward() then computes the gradient from the changed "
            "values: wrong gradients, no error.",
            "Nothing: the gradients are silently wrong.",
            "Change the tensor after backward(), or clone it before the op that saves it.",
        ),
        Rule(
            "GG402",
            "numpy-write-to-saved",
            Severity.WARNING,
            "Write through a shared NumPy array to a tensor saved for a pending backward",
            "`.numpy()` and `torch.from_numpy` share memory between the array and the tensor. Writing to the "
            "array changes the tensor behind autograd's back: if an op saved it, backward() uses the new values.",
            "Nothing: the gradients are silently wrong.",
            "Copy the array (`t.detach().numpy().copy()`), or make the change after backward().",
        ),
        Rule(
            "GG403",
            "inplace-result-aliases-input",
            Severity.WARNING,
            "An in-place op's result bound to a new name, and the old name read afterwards",
            "An in-place op returns the tensor it changed: after `h = self.relu(x)` with `nn.ReLU(inplace=True)` "
            "(or `F.relu(x, inplace=True)`, `h = x.clamp_(0)`), `h` and `x` are one tensor. Code that reads `x` "
            "afterwards, a shortcut or a residual `self.conv(h) + x`, gets the changed values where the old ones were "
            "meant, and the model computes another function. Autograd does not object: nothing saved the old values, "
            "and the op that reads `x` runs after the change. Reported when the analysis sees the call change its "
            "argument in place and return it, and a later statement of the same block reads the old name's values "
            "(not only its `.shape`, `.dtype` or `.device`) before the name is bound again.",
            "Nothing: the values are silently different.",
            "Make the op out of place (`nn.ReLU(inplace=False)`, `F.relu(x)`, `x.clamp(0)`) when the old values are "
            "meant; when the changed ones are, bind them to the old name (`x = self.relu(x)`).",
        ),
        Rule(
            "GG501",
            "backward-twice",
            Severity.ERROR,
            "backward() through a graph that an earlier backward() already freed",
            "backward() frees the tensors the graph saved, unless `retain_graph=True`. A second backward() "
            "through the same ops needs them and fails.",
            "RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors "
            "after they have already been freed). Saved intermediate values of the graph are freed when you call "
            ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph "
            "a second time or if you need to access saved tensors after calling backward.",
            "Pass `retain_graph=True` to the first backward(), or compute the value again.",
        ),
        Rule(
            "GG502",
            "graph-carried-across-iterations",
            Severity.ERROR,
            "A tensor carried across loop iterations keeps the previous iteration's graph",
            "A hidden state or a running total (`total_loss += loss`) that is not detached carries the graph "
            "of the previous iteration into the next. The next backward() goes through the old, freed graph.",
            "RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors "
            "after they have already been freed). ...",
            "Carry `.detach()` of the state (`h = h.detach()`), or accumulate `loss.item()`.",
        ),
        Rule(
            "GG503",
            "backward-without-grad",
            Severity.ERROR,
            "backward() on a tensor that does not require grad",
            "The tensor was built only from tensors that do not require grad, or under `torch.no_grad()`, or "
            "from `.detach()`: it has no `grad_fn`, so there is nothing to differentiate.",
            "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn",
            "Compute the loss with grad mode on from tensors that require grad (don't detach it).",
        ),
        Rule(
            "GG504",
            "backward-non-scalar",
            Severity.ERROR,
            "backward() on a tensor with more than one element, without `gradient=`",
            "backward() with no argument differentiates a scalar. For a tensor with several elements torch "
            "does not know which combination you want.",
            "RuntimeError: grad can be implicitly created only for scalar outputs",
            "Reduce first (`y.sum().backward()`) or pass `gradient=torch.ones_like(y)`.",
        ),
        Rule(
            "GG505",
            "dirty-input-not-returned",
            Severity.ERROR,
            "A custom autograd.Function's forward marks a tensor dirty but does not return it",
            "`ctx.mark_dirty(t)` tells autograd that forward changed the input `t` in place, and torch's contract is "
            "that every tensor marked dirty is also an output of the Function (so its version and history can be "
            "rebased on the output). A forward that marks several tensors (`ctx.mark_dirty(x, running_mean, "
            "running_var)` in an in-place batch norm) and returns only `x` breaks it: `Function.apply` raises as "
            "forward returns, with grad mode on or off, whatever requires grad. Code written for torch < 1.5 did this "
            "(the check came in 1.5).",
            "RuntimeError: Some elements marked as dirty during the forward method were not returned as output. The "
            "inputs that are modified inplace must all be outputs of the Function.",
            "Return every tensor marked dirty (`return x, running_mean, running_var`, with "
            "`ctx.mark_non_differentiable(running_mean, running_var)` for those without a gradient, and the caller "
            "unpacking `x, _, _ = Fn.apply(...)`), or mark only what forward returns.",
        ),
    ]
}


def get(code: str) -> Rule:
    return RULES[code]
