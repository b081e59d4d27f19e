"""Every function of a file is walked as a scope of its own, wherever it is defined: also in the blocks of
`async with`, `async for`, `match` and `try`/`except*`, which a walk from the enclosing function does not enter
when the function is only returned."""

import subprocess
import sys
import textwrap

import pytest

from gradguard.engine import analyze

STEP = """
def step():
    with torch.enable_grad():
        w = torch.ones(3, requires_grad=True)
        w += 1
return step
"""

BLOCKS = {
    "async_with": "async def make(lock):\n    async with lock:\n{body}",
    "async_for": "async def make(items):\n    async for _ in items:\n{body}",
    "match": "def make(flag):\n    match flag:\n        case 'a':\n{body}",
    "if": "def make(flag):\n    if flag:\n{body}",
}


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_a_function_defined_in_a_block_is_walked(block):
    indent = "            " if block == "match" else "        "
    source = "import torch\n\n\n" + BLOCKS[block].format(body=textwrap.indent(STEP.strip("\n"), indent) + "\n")
    findings = analyze(source, "blocks.py").findings
    line = source.splitlines().index(indent + "        w += 1") + 1
    assert [(f.code, f.span.line) for f in findings] == [("GG101", line)]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11")
def test_a_function_defined_under_except_star_is_walked():
    source = "import torch\n\n\ndef make():\n    try:\n        pass\n    except* ValueError:\n" + \
        textwrap.indent(STEP.strip("\n"), "        ") + "\n"
    assert [f.code for f in analyze(source, "star.py").findings] == ["GG101"]


def test_a_sequential_member_changing_its_input_names_it_input_not_its_first_argument():
    source = textwrap.dedent("""\
        import torch
        import torch.nn as nn

        model = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid(), nn.LeakyReLU(0.2, inplace=True))
        out = model(torch.randn(1, 3))
        out.sum().backward()
        """)
    (finding,) = analyze(source, "members.py").findings
    assert finding.code == "GG201" and finding.span.line == 4
    assert finding.message.startswith("`input` is changed in place (LeakyReLU(inplace=True))")


@pytest.mark.parametrize("signature, pairs", [
    ("netG, netD, optimizerG, optimizerD", {"optimizerG": "netG", "optimizerD": "netD"}),
    ("generator, discriminator, g_optim, d_optim", {"g_optim": "generator", "d_optim": "discriminator"}),
    ("model, optimizer", {"optimizer": "model"}),
    ("encoder, opt", {"opt": "encoder"}),  # a lone optimizer and a lone model, whatever their names
    ("model, teacher, optimizer", {"optimizer": "model"}),
    ("encoder, decoder, opt", {}),  # which one it steps, the names do not say
    ("model, options", {}),  # not an optimizer's name
])
def test_which_model_argument_an_optimizer_argument_steps(signature, pairs):
    import ast

    from gradguard.analysis.training import optimized_arguments
    names = [n.strip() for n in signature.split(",")]
    models = [n for n in names if n not in pairs and not n.startswith("opt")] + list(pairs.values())
    calls = "\n".join(f"    {m}(x)" for m in dict.fromkeys(models))
    steps = "\n".join(f"    {n}.step()" for n in names if "opt" in n)
    fn = ast.parse(f"def step({signature}, x):\n{calls}\n{steps}\n").body[0]
    assert optimized_arguments(fn) == pairs


ENERGY_LIBRARY = '''
import torch


def NAME(coords):
    ab = coords[1] - coords[0]
    ab /= torch.norm(ab)
    return (ab * ab).sum()
'''


@pytest.mark.parametrize("name, expected", [
    ("harmonic_bond_energy", [("GG201", 7, "warning")]),  # differentiated for forces: its input requires grad
    ("compute_energy", [("GG201", 7, "warning")]),
    ("bond_length", []),  # nothing says what the caller passes
])
def test_an_energy_function_alone_is_on_the_training_path(name, expected):
    """A force field's energy terms come without their caller (it is in the tests or another package); torch raises
    when the coordinates require grad (tests/test_examples_torch.py runs GG201/bad_energy_normalises_bond_in_place)."""
    from gradguard.config import Config
    found = analyze(ENERGY_LIBRARY.replace("NAME", name), "energy.py", Config())
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == expected


LOG_PROB_LIBRARY = '''
import torch


def NAME(scores, index):
    picked = scores.gather(1, index)
    scores.scatter_(1, index, picked + 1.0)
    return scores
'''


@pytest.mark.parametrize("name, expected", [
    ("final_log_probs", [("GG201", 7, "warning")]),  # a decoder's log-probabilities: what the loss differentiates
    ("get_batch_logps", [("GG201", 7, "warning")]),  # a preference loss's per-sequence log-probabilities
    ("log_likelihood", [("GG201", 7, "warning")]),
    ("grad_penalty", [("GG201", 7, "warning")]),  # a term of the training loss
    ("final_scores", []),  # nothing says what the caller passes: information only, with --strict
])
def test_a_log_probability_or_penalty_function_alone_is_on_the_training_path(name, expected):
    """Log-probabilities, likelihoods and penalty terms are what training objectives differentiate, called from
    another file (copynet's `_gather_final_log_probs`, trl's `get_batch_logps`, DI-engine's `grad_penalty`): torch
    raises when the scores require grad (tests/test_examples_torch.py runs the GG201 pairs
    bad_log_prob_helper_scatters_into_gathered_scores and bad_penalty_term_margin_subtracted_from_saved_norms)."""
    from gradguard.config import Config
    found = analyze(LOG_PROB_LIBRARY.replace("NAME", name), "scores.py", Config())
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == expected


OUT_IN_FORWARD = '''
import torch
import torch.nn as nn


class Gather(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("send_buf", torch.zeros(2, 4))

    def forward(self, x, idx):
        torch.index_select(ARG, 0, idx, out=self.send_buf)
        return self.send_buf
'''


@pytest.mark.parametrize("arg, expected", [
    ("x", [("GG103", 12, "warning")]),  # the forward's input: a previous layer's output on the training path
    ("x.detach()", []),  # nothing that requires grad
    ("self.send_buf", []),
])
def test_out_argument_of_a_forward_input_alone(arg, expected):
    """`out=` with the forward's input, the class alone (no caller in the file): torch raises on the training path,
    where the input requires grad (tests/test_examples_torch.py runs GG103/bad_out_gather_of_forward_input)."""
    from gradguard.config import Config
    found = analyze(OUT_IN_FORWARD.replace("ARG", arg), "gather.py", Config())
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == expected


SEQUENTIAL_HOLDER = '''
import torch
from torch import nn


class ResidualAdd(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        x += self.fn(x)
        return x


class Block(BASE):
    def __init__(self):
        super().__init__(ResidualAdd(nn.Sequential(nn.LayerNorm(8), nn.Linear(8, 8))))
FORWARD
'''


@pytest.mark.parametrize("base", ["nn.Sequential", "torch.nn.Sequential"])
def test_a_module_held_by_a_sequential_subclass_alone(base):
    """torch's Sequential.forward calls the wrapper, and no walk of the file follows that call: the wrapper's own walk
    says what the training assumption gives (it said nothing, deferring to a holder that never calls it; torch raises
    on tests/test_examples_torch.py's GG202/bad_residual_add_in_sequential_subclass)."""
    from gradguard.config import Config
    found = analyze(SEQUENTIAL_HOLDER.replace("BASE", base).replace("FORWARD", ""), "blocks.py", Config())
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == [("GG202", 12, "warning")]


STATIC_HELPER = '''
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)

    @staticmethod
    def _bump(p):
        BODY
        return p

    def forward(self, x):
        return self._bump(torch.sigmoid(self.fc(x)))


Head(4)(torch.randn(2, 4)).sum().backward()
'''


@pytest.mark.parametrize("body, expected", [
    ("p.add_(1.0)", [("GG201", 13, "error")]),  # torch: sigmoid's saved output modified
    ("p = p + 1.0", []),  # torch runs it clean
])
def test_a_staticmethod_called_on_self_gets_no_self(body, expected):
    """`self._bump(t)` on a @staticmethod binds `t` to its first parameter: not `self`, which made `p` the module
    and the result look like something without grad (a GG503 error at backward()), and hid the change of `t`."""
    from gradguard.config import Config
    source = STATIC_HELPER.replace("BODY", body)
    found = analyze(source, "head.py", Config())
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == expected
    ran = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    assert ("modified by an inplace operation" in ran.stderr) == bool(expected), ran.stderr


FROZEN = {
    # torch runs each of these clean: the parameters changed in place no longer require grad
    "module_frozen": "ema = nn.Linear(3, 1)\nema.requires_grad_(False)\nfor p in ema.parameters():\n    p.mul_(0.99)\n",
    "each_parameter_frozen": "ema = nn.Linear(3, 1)\nfor p in ema.parameters():\n    p.requires_grad_(False)\n"
                             "for p in ema.parameters():\n    p.mul_(0.99)\n",
    "ema_copy_handed_in": "def update_ema(model, ema_model, decay):\n"
                          "    for e, p in zip(ema_model.parameters(), model.parameters()):\n"
                          "        e.mul_(decay).add_(p.detach(), alpha=1 - decay)\n"
                          "\n\ndef train(model, ema_model, x):\n    model(x).sum().backward()\n"
                          "    update_ema(model, ema_model, 0.99)\n",
}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_a_frozen_copy_changed_in_place_is_quiet(name):
    """EMA and target networks: frozen by `requires_grad_(False)`, or handed in by a caller that froze them."""
    from gradguard.config import Config
    source = "import torch\nimport torch.nn as nn\n\n" + FROZEN[name]
    assert analyze(source, "ema.py", Config()).findings == []
    run = source + "\nif 'train' in dir():\n    m = nn.Linear(3, 1)\n    e = nn.Linear(3, 1).requires_grad_(False)\n" \
                   "    train(m, e, torch.randn(2, 3))\n"
    ran = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


def test_a_module_unfrozen_again_is_checked():
    from gradguard.config import Config
    source = "import torch.nn as nn\n\nm = nn.Linear(3, 1)\nm.requires_grad_(False)\nm.requires_grad_()\n" \
             "m.weight.mul_(0.99)\n"
    found = analyze(source, "unfreeze.py", Config())
    assert [(f.code, f.span.line) for f in found.findings] == [("GG101", 6)]
    ran = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    assert "a leaf Variable that requires grad" in ran.stderr


ACCUMULATION = """
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
running = 0.0
for step in range(4):
    running = running + model(torch.randn(2, 3)).pow(2).mean()
    if (step + 1) % 2 == 0:
        running.backward()
RESET"""


@pytest.mark.parametrize("reset, expected", [
    ("        running = 0.0\n", []),  # torch runs it: each update backpropagates two fresh micro-batches
    ("", [("GG502", 10)]),  # torch raises at the second update: the total still holds the first two
])
def test_gradient_accumulation_reset_on_the_path_that_frees(reset, expected):
    from gradguard.config import Config
    source = ACCUMULATION.replace("RESET", reset)
    assert [(f.code, f.span.line) for f in analyze(source, "accumulate.py", Config()).findings] == expected
    ran = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    assert ("backward through the graph a second time" in ran.stderr) == bool(expected), ran.stderr


FLAG_STEP = '''
import torch
import torch.nn as nn

encoder = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))
decoder, critic = nn.Linear(3, 4), nn.Linear(3, 1)
opt_e = torch.optim.Adam(encoder.parameters())


def train_step(x, train):
    with torch.set_grad_enabled(train):
        z = encoder(x)
        PRE
        if TEST:
            critic(z).mean().backward(retain_graph=True)
            opt_e.step()
    ((decoder(z) - x) ** 2).mean().backward()


train_step(torch.randn(2, 4), torch.rand(1).item() < 2.0)  # a setting known only when it runs
'''


@pytest.mark.parametrize("test, pre, expected", [
    ("train", "pass", [("GG201", 16, "error")]),  # grad mode is on where the step runs
    ("x.shape[0] > 1 and train", "pass", [("GG201", 16, "error")]),
    ("not train", "pass", [("GG503", 15, "error")]),  # grad mode off there: the critic's loss has no graph
    ("train", "train = not train", [("GG201", 16, "information")]),  # the flag changes in the block: not split
])
def test_set_grad_enabled_flag_decides_its_tests_in_the_block(test, pre, expected):
    """`with torch.set_grad_enabled(flag):` is walked as the two sides of `if flag:` (grad_flags.py): the block's
    `if flag:` runs with grad mode on (tests/test_examples_torch.py runs GG201/*under_set_grad_enabled_flag*)."""
    from gradguard.config import Config
    found = analyze(FLAG_STEP.replace("TEST", test).replace("PRE", pre), "step.py", Config(strict=True))
    assert [(f.code, f.span.line, f.severity.value) for f in found.findings] == expected
