"""The reordering fix of an optimizer step before a pending backward() (gradguard/step_order.py): the pending
backward()'s whole update runs before the updates that step first, only where each step keeps its gradients.

The rule examples prove the fix under torch (bad_two_critic_updates_before_actor_update.py prints what its twin
prints after `--fix`, tests/test_fixes.py); these tests pin the conditions: where one does not hold, the reordering
is not applied by --fix, or not offered at all.
"""

from __future__ import annotations

import textwrap

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
g_loss = -D(fake).mean()
"""


def reorderings(source: str):
    findings = [f for f in analyze(source, "train.py").findings if f.code == "GG201"]
    assert findings, "the step before the pending backward() is reported"
    return [fx for f in findings for fx in f.fixes if fx.title.startswith("Run the update of")]


def test_each_update_zeroing_its_own_gradients_is_reordered_safely():
    source = HEAD + textwrap.dedent("""\
        d_loss = D(fake.detach()).mean() - D(real).mean()
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        """)
    [fix] = reorderings(source)
    assert fix.safe and fix.preferred
    fixed = apply_edits(source, list(fix.edits))
    tail = [ln for ln in fixed.splitlines() if "opt." in ln or ".backward()" in ln]
    assert tail == ["g_opt.zero_grad()", "g_loss.backward()", "g_opt.step()",
                    "d_opt.zero_grad()", "d_loss.backward()", "d_opt.step()"]
    assert not [f for f in analyze(fixed, "train.py").findings if f.code == "GG201"]


def test_a_call_between_the_updates_makes_it_a_choice_not_applied():
    source = HEAD + textwrap.dedent("""\
        d_loss = D(fake.detach()).mean() - D(real).mean()
        d_opt.zero_grad()
        d_loss.backward()
        torch.nn.utils.clip_grad_norm_(D.parameters(), 1.0)
        d_opt.step()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        """)
    [fix] = reorderings(source)
    assert not fix.safe and "clip_grad_norm_" in fix.title


def test_a_gradient_read_elsewhere_makes_it_a_choice_not_applied():
    source = HEAD + textwrap.dedent("""\
        d_loss = D(fake.detach()).mean() - D(real).mean()
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        print(D.weight.grad)
        """)
    [fix] = reorderings(source)
    assert not fix.safe and "D.weight.grad" in fix.title


def test_a_step_without_its_own_zero_grad_is_not_reordered():
    # d_opt's gradients are zeroed after its step: the step reads what the backward() calls before it left,
    # which the moved backward() would add to
    source = HEAD + textwrap.dedent("""\
        d_loss = D(fake.detach()).mean() - D(real).mean()
        d_loss.backward()
        d_opt.step()
        d_opt.zero_grad()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        """)
    assert reorderings(source) == []


def test_not_offered_where_the_earlier_backward_then_needs_what_the_moved_step_changes():
    # d_loss goes through G too (fake is not detached): after the swap, g_loss.backward() (no retain_graph) frees
    # the part of the graph d_loss.backward() still goes through, which the analysis of the reordered text reports
    source = HEAD + textwrap.dedent("""\
        d_loss = D(fake).mean() - D(real).mean()
        d_opt.zero_grad()
        d_loss.backward(retain_graph=True)
        d_opt.step()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        """)
    assert reorderings(source) == []
