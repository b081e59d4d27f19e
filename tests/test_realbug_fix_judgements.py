"""Two fixes judged wrong or unsafe against the developers' (tools/realbug_fix_verdicts.json), made right or withheld,
each on a program of the bug's shape, run under torch:

- torchattacks' DeepFool (AD03): an attacked image that may require grad written back into a slice of the caller's
  batch, in a loop that sets the flag of a piece of that batch. A clone of the batch keeps the caller's tensor but the
  next pass's flag change still raises; the clone is withheld and the message says why (flow_fixes.flag_set_on_a_piece).
- Morvan's GAN (B06): D built as `nn.Sequential(nn.Linear(...), ...)`, its step between D's retained backward() and
  G's: the saves are named at the Linear where D is built; the recompute now starts from the call `D(fake)` in the
  step's block (step_recompute.calls_of_built_module), and torch runs it.
- flashtorch's denormalize (AF05): `for channel, ... in zip(denormalized[0], ...): channel.mul_(std).add_(mean)`, then
  `denormalized` returned. The out-of-place form rebinds `channel` and returns the input unchanged; it is withheld
  and the message says why (flow_fixes.loop_piece_base).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from torch_runner import run_examples  # noqa: E402

from gradguard.autofix import fix_source  # noqa: E402
from gradguard.engine import analyze  # noqa: E402

ATTACK = '''import torch
import torch.nn as nn


class Attack:
    def __init__(self, model, steps=3):
        self.model, self.steps = model, steps

    def forward(self, images):
        for b in range(images.shape[0]):
            image = images[b:b + 1]
            image.requires_grad = True
            first = self.model(image)[0].argmax()
            for i in range(self.steps):
                image.requires_grad = True
                output = self.model(image)[0]
                if output.argmax() != first:
                    break
                grad = torch.autograd.grad(output[first], image)[0]
                image = torch.clamp(image - 0.5 * grad.sign(), min=0, max=1).detach()
            images[b:b + 1] = image
        return images


torch.manual_seed(0)
attack = Attack(nn.Sequential(nn.Flatten(), nn.Linear(4, 3)))
print(attack.forward(torch.rand(4, 1, 2, 2)).shape)
'''

GAN = '''import torch
import torch.nn as nn

torch.manual_seed(0)
G = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 5))
D = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1), nn.Sigmoid())
opt_D = torch.optim.Adam(D.parameters(), lr=0.01)
opt_G = torch.optim.Adam(G.parameters(), lr=0.01)
for step in range(3):
    real = torch.rand(4, 5)
    fake = G(torch.randn(4, 3))
    prob_real = D(real)
    prob_fake = D(fake)
    D_loss = -torch.mean(torch.log(prob_real) + torch.log(1. - prob_fake))
    G_loss = torch.mean(torch.log(1. - prob_fake))
    opt_D.zero_grad()
    D_loss.backward(retain_graph=True)
    opt_D.step()
    opt_G.zero_grad()
    G_loss.backward()
    opt_G.step()
print([round(v, 4) for v in G[0].bias.tolist()])
'''


def run(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_examples([str(path)], workers=1)[os.path.realpath(path)]


def test_clone_withheld_where_the_loop_flags_a_piece_of_what_it_writes(tmp_path):
    [finding] = analyze(ATTACK, "attack.py").findings
    assert finding.code == "GG202" and "No safe automatic fix: a clone of `images`" in finding.message
    assert "a piece of `images` (line 12)" in finding.message
    assert fix_source(ATTACK, "attack.py", unsafe=True)[1] == []
    line = "            images[b:b + 1] = image\n"
    cloned = ATTACK.replace(line, "            images = images.clone()\n" + line)
    detached = ATTACK.replace(line, "            images[b:b + 1] = image.detach()\n")
    assert run(tmp_path, "bad.py", ATTACK)["raised"]
    still = run(tmp_path, "cloned.py", cloned)  # what the clone would have done: the same error
    assert still["raised"] and "requires_grad flags of leaf variables" in still["exc_message"]
    assert not run(tmp_path, "detached.py", detached)["raised"]  # what the message advises


def test_recompute_from_the_call_of_a_sequential_built_into_a_name(tmp_path):
    assert run(tmp_path, "gan.py", GAN)["raised"]  # the version error: opt_D.step() before G_loss.backward()
    [finding] = [f for f in analyze(GAN, "gan.py").findings if f.code == "GG201"]
    preferred = [fx for fx in finding.fixes if fx.preferred]
    assert preferred and preferred[0].safe and preferred[0].title.startswith("Compute `prob_fake` again after")
    fixed, applied = fix_source(GAN, "gan.py")
    assert applied and "    opt_D.step()\n    prob_fake = D(fake)\n    G_loss = torch.mean(torch.log(1. - prob_fake))\n" \
        in fixed
    assert analyze(fixed, "gan.py").findings == []
    result = run(tmp_path, "fixed.py", fixed)
    assert not result["raised"], result.get("traceback")
    # what the fix means: G's loss through D after its step, written out by hand
    meant = GAN.replace("    opt_G.zero_grad()\n", "    G_loss = torch.mean(torch.log(1. - D(fake)))\n    opt_G.zero_grad()\n")
    assert result["stdout"] == run(tmp_path, "meant.py", meant)["stdout"]


DENORMALIZE = '''import torch


def denormalize(tensor):
    means = [0.485, 0.456, 0.406]
    stds = [0.229, 0.224, 0.225]
    denormalized = tensor.clone()
    for channel, mean, std in zip(denormalized[0], means, stds):
        channel.mul_(std).add_(mean)
    return denormalized


x = torch.rand(1, 3, 4, 4)
x.requires_grad = True
out = denormalize(x)
print(torch.equal(out.detach(), x.detach()))
'''


def test_out_of_place_withheld_for_a_piece_of_the_tensor_the_loop_goes_through(tmp_path):
    [finding] = analyze(DENORMALIZE, "d.py").findings
    assert finding.code == "GG301" and "`channel` is a piece of `denormalized[0]`" in finding.message
    assert fix_source(DENORMALIZE, "d.py", unsafe=True)[1] == []
    assert run(tmp_path, "bad.py", DENORMALIZE)["raised"]
    rebound = DENORMALIZE.replace("        channel.mul_(std).add_(mean)", "        channel = channel.mul(std).add(mean)")
    result = run(tmp_path, "rebound.py", rebound)  # what the out-of-place form would do: runs, changes nothing
    assert not result["raised"] and result["stdout"] == "True\n"
    # the same loop over a tensor nobody reads after it: the out-of-place form is still offered
    alone = DENORMALIZE.replace("    return denormalized\n", "    return tensor\n")
    assert fix_source(alone, "d.py")[1]
