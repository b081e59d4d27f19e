"""The recompute fix of an optimizer step before a pending backward() (gradguard/step_recompute.py): the statements
from the module call that saved the stepped parameters to the pending loss run again after the steps.

The rule examples prove it under torch (bad_q_min_made_before_critic_steps_read_by_actor_loss.py,
bad_split_critic_outputs_actor_loss_before_critic_steps.py and bad_amp_scaler_step_before_generator_backward.py
print what their twins print after `--fix`, tests/test_fixes.py); these tests pin the conditions, and the move of a
step after the pending backward(), which is only an unsafe choice or not offered at all.
"""

from __future__ import annotations

import textwrap

from gradguard.autofix import fix_source
from gradguard.engine import analyze
from gradguard.fixes import apply_edits

HEAD = """\
import torch
import torch.nn as nn

torch.manual_seed(0)
G, D = nn.Linear(2, 2), nn.Linear(2, 1)
g_opt = torch.optim.SGD(G.parameters(), lr=0.1)
d_opt = torch.optim.SGD(D.parameters(), lr=0.1)
z, real = torch.randn(4, 2), torch.randn(4, 2)
fake = G(z)
"""

GAN = """\
d_fake = D(fake)
g_loss = -d_fake.mean()
d_loss = d_fake.mean() - D(real).mean()
d_opt.zero_grad()
d_loss.backward(retain_graph=True)
d_opt.step()
g_opt.zero_grad()
g_loss.backward()
g_opt.step()
"""


def step_fixes(source: str):
    [finding] = [f for f in analyze(source, "train.py").findings if f.code == "GG201"]
    return [fx for fx in finding.fixes if not fx.title.startswith("Suppress")]


def recomputes(source: str):
    return [fx for fx in step_fixes(source) if fx.title.startswith("Compute")]


def test_the_pending_loss_is_computed_again_after_the_step():
    source = HEAD + GAN
    [fix] = recomputes(source)
    assert fix.safe and fix.preferred and "`d_fake`" in fix.title and "`d_opt.step()`" in fix.title
    fixed = apply_edits(source, list(fix.edits))
    lines = fixed.splitlines()
    at = lines.index("d_opt.step()")
    assert lines[at + 1:at + 3] == ["d_fake = D(fake)", "g_loss = -d_fake.mean()"]
    assert not [f for f in analyze(fixed, "train.py").findings if f.code == "GG201"]
    # the move after the pending backward() stays a choice, not preferred, whose title says what it changes
    [move] = [fx for fx in step_fixes(source) if fx.title.startswith("Move this after")]
    assert not move.safe and not move.preferred and "also steps with the gradients" in move.title


def test_a_name_the_copy_would_rebind_that_is_read_later_is_no_recompute():
    source = HEAD + "d_fake, d_other = D(fake), D(real)\n" + GAN.replace("d_fake = D(fake)\n", "").replace(
        "D(real).mean()", "d_other.mean()") + "print(d_other)\n"
    assert recomputes(source) == []


def test_a_name_the_copy_reads_rebound_before_the_step_is_no_recompute():
    source = HEAD + GAN.replace("d_opt.zero_grad()\n", "d_opt.zero_grad()\nfake = G(z) * 2\n")
    assert recomputes(source) == []


def test_a_random_sample_is_not_drawn_again():
    source = HEAD + GAN.replace("d_fake = D(fake)", "d_fake = D(fake + torch.randn(4, 2))")
    assert recomputes(source) == []


def test_where_the_module_is_built_is_no_place_to_compute_again():
    """The save is a layer of a module built in the block (its Linear's weight): building it again would give new
    parameters, not the stepped ones."""
    source = textwrap.dedent("""\
        import torch
        import torch.nn as nn

        D = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
        G = nn.Linear(2, 2)
        d_opt = torch.optim.SGD(D.parameters(), lr=0.1)
        g_opt = torch.optim.SGD(G.parameters(), lr=0.1)
        fake = G(torch.randn(4, 2))
        g_loss = -D(fake).mean()
        d_loss = D(fake.detach()).mean()
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss.backward()
        """)
    for fix in step_fixes(source):
        assert not any("nn.Sequential" in e.new_text for e in fix.edits)


def test_the_same_loss_differentiated_before_the_step_gets_no_move():
    """`total.backward(retain_graph=True); opt_c.step(); total.backward()`: moving the step after the second
    backward() would step with the loss's gradients twice; the move is not offered (rl_algorithms' PPO, R12)."""
    source = HEAD + textwrap.dedent("""\
        total = -D(fake).mean() + G(z).pow(2).mean()
        d_opt.zero_grad()
        total.backward(retain_graph=True)
        d_opt.step()
        g_opt.zero_grad()
        total.backward()
        g_opt.step()
        """)
    assert not [fx for fx in step_fixes(source) if fx.title.startswith("Move this after")]


def test_two_steps_are_fixed_in_two_rounds_by_check_fix():
    """Two critics stepped before the actor's backward(): the second step's recompute comes first (the first one's
    would leave the second step's finding); --fix then computes the first critic again in its second round."""
    source = HEAD + textwrap.dedent("""\
        C2 = nn.Linear(2, 1)
        c2_opt = torch.optim.SGD(C2.parameters(), lr=0.1)
        q1 = D(fake)
        q2 = C2(fake)
        g_loss = -torch.min(q1, q2).mean()
        d_opt.zero_grad()
        q1.pow(2).mean().backward(retain_graph=True)
        d_opt.step()
        c2_opt.zero_grad()
        q2.pow(2).mean().backward(retain_graph=True)
        c2_opt.step()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        print(G.weight.grad)
        """)
    fixed, applied = fix_source(source, "train.py")
    assert len(applied) == 2 and all(t.split(": ", 1)[1].startswith("Compute") for t in applied)
    tail = fixed.splitlines()[fixed.splitlines().index("c2_opt.step()") + 1:]
    assert tail[:3] == ["q1 = D(fake)", "q2 = C2(fake)", "g_loss = -torch.min(q1, q2).mean()"]
    assert not [f for f in analyze(fixed, "train.py").findings if f.code == "GG201"]
    scope = {}
    exec(compile(fixed, "train.py", "exec"), scope)  # torch runs it


def test_a_backward_under_an_if_gets_what_the_if_reads_computed_again():
    """`if step % 2 == 0:` around the actor's update (a delayed policy update, rl_algorithms' SAC R09): the statements
    the `if` reads from the call on run again after the steps, before it."""
    source = HEAD + textwrap.dedent("""\
        step = 0
        d_fake = D(fake)
        d_loss = d_fake.mean() - D(real).mean()
        d_opt.zero_grad()
        d_loss.backward(retain_graph=True)
        d_opt.step()
        if step % 2 == 0:
            g_loss = -d_fake.mean()
            g_opt.zero_grad()
            g_loss.backward()
            g_opt.step()
        """)
    [fix] = recomputes(source)
    fixed, applied = fix_source(source, "train.py")
    lines = fixed.splitlines()
    assert lines[lines.index("d_opt.step()") + 1:][:2] == ["d_fake = D(fake)", "if step % 2 == 0:"]
    assert not [f for f in analyze(fixed, "train.py").findings if f.code == "GG201"]
    exec(compile(fixed, "train.py", "exec"), {})
