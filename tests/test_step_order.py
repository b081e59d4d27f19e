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


# -- fixes withheld where torch shows them wrong (realbugs AA06, R14, Q02: tools/realbug_fix_verdicts.json) ----------
def test_retain_graph_is_not_offered_when_a_step_changes_the_network_before_the_second_backward():
    # DDPG: q and q_pi come from one forward pass of the actor-critic; retain_graph=True on q_loss.backward() would
    # keep the graph, but q_opt.step() changes the critic's weights that pi_loss.backward() needs (torch: the
    # version error instead of the freed-graph one)
    source = textwrap.dedent("""\
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        pi, q_net = nn.Linear(3, 2), nn.Linear(5, 1)
        shared = nn.Linear(3, 3)
        q_opt = torch.optim.SGD(q_net.parameters(), lr=0.1)
        pi_opt = torch.optim.SGD(pi.parameters(), lr=0.1)
        obs, act, backup = torch.randn(4, 3), torch.randn(4, 2), torch.randn(4, 1)
        h = shared(obs)
        q = q_net(torch.cat([h, act], 1))
        q_pi = q_net(torch.cat([h, pi(h)], 1))
        pi_loss = -q_pi.mean()
        q_loss = F.mse_loss(q, backup)
        q_opt.zero_grad()
        q_loss.backward()
        q_opt.step()
        pi_opt.zero_grad()
        pi_loss.backward()
        pi_opt.step()
        """)
    found = [f for f in analyze(source, "ddpg.py").findings if f.code == "GG501"]
    assert found
    for f in found:
        assert not any("retain_graph" in e.new_text for fx in f.fixes for e in fx.edits)
    # the second loss computed again after the step, from the shared layer on (step_recompute.py): torch runs it
    [fix] = [fx for fx in found[0].fixes if fx.title.startswith("Compute")]
    assert fix.safe and fix.preferred
    fixed = apply_edits(source, list(fix.edits))
    assert "q_opt.step()\nh = shared(obs)\nq_pi = q_net(torch.cat([h, pi(h)], 1))\npi_loss = -q_pi.mean()\n" in fixed
    assert not [g for g in analyze(fixed, "ddpg.py").findings if g.code in ("GG201", "GG501")]
    exec(compile(fixed, "ddpg.py", "exec"), {})
    # where the forward pass draws a random sample, it is not run again: no fix, and the message says why
    noisy = source.replace("h = shared(obs)", "h = shared(obs + torch.randn(4, 3))")
    noisy_found = [f for f in analyze(noisy, "ddpg.py").findings if f.code == "GG501"]
    assert noisy_found
    for f in noisy_found:
        assert "`q_opt.step()` changes in place" in f.message and not [fx for fx in f.fixes if fx.edits and
                                                                        "noqa" not in fx.title]


def test_retain_graph_stays_when_the_second_loss_is_computed_after_the_step():
    source = textwrap.dedent("""\
        import torch
        import torch.nn as nn

        G, D = nn.Linear(2, 2), nn.Linear(2, 1)
        g_opt = torch.optim.SGD(G.parameters(), lr=0.1)
        d_opt = torch.optim.SGD(D.parameters(), lr=0.1)
        fake = G(torch.randn(4, 2))
        d_loss = D(fake).mean()
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_loss = -D(fake).mean()
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        """)
    found = [f for f in analyze(source, "gan.py").findings if f.code == "GG501"]
    assert found and all(any("retain_graph=True" in e.new_text for fx in f.fixes for e in fx.edits) for f in found)


def test_no_fix_keeps_or_drops_the_change_of_a_piece_of_split_a_list_holds():
    # CopyNet: the helper scatters into its argument in place after gather saved it, and the list made before the
    # loop reads the changed tensor. The argument is a piece of split(), which torch lets no in-place op change
    # (whatever copy the saving op gets: torch, /tmp/fix24/q02.py), and the out-of-place form would leave the list
    # with the tensor before the change
    source = textwrap.dedent("""\
        import torch
        import torch.nn as nn


        class CopyNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(4, 5)

            def forward(self, x, idx):
                log_probs = self.proj(x).log_softmax(-1)
                gen, extra = log_probs.split([3, 2], -1)
                return self._combine(gen, extra, idx)

            def _combine(self, gen, extra, idx):
                pieces = [gen]
                for i in range(2):
                    picked = gen.gather(1, idx)
                    gen.scatter_(-1, idx, picked + extra[:, i:i + 1])
                    pieces.append(extra[:, i:i + 1])
                return torch.cat(pieces, -1)
        """)
    found = [f for f in analyze(source, "copynet.py").findings if f.code in ("GG201", "GG301")]
    assert {f.code for f in found} == {"GG201", "GG301"}
    for f in found:
        assert [fx.title for fx in f.fixes if fx.edits and "noqa" not in fx.title] == [], f.code
        assert "No safe automatic fix" in f.message


def test_an_edit_elsewhere_walks_again_only_what_it_reached_in_the_reordered_text(monkeypatch):
    """The server builds fixes on every analysis, and every keystroke makes a new reordered text: its proof is an
    incremental analysis kept for the same updates, which walks again only the scopes an edit reached (the edited
    function and those whose walk read it), not the whole file."""
    from gradguard.analysis import checker

    helpers = "".join(f"\n\ndef helper{i}(x):\n    y = torch.sigmoid(x)\n    return y * {i}\n" for i in range(6))
    train = textwrap.dedent("""\


        def train():
            fake = G(z)
            g_loss = -D(fake).mean()
            d_loss = D(fake.detach()).mean() - D(real).mean()
            d_opt.zero_grad()
            d_loss.backward()
            d_opt.step()
            g_opt.zero_grad()
            g_loss.backward()
            g_opt.step()
        """)
    source = HEAD + helpers + train
    walked: list = []
    run_unit = checker.run_unit

    def counting(info, unit, lines, path, deadline):
        if path == "<reordered>":
            walked.append(unit[1].name if unit[1] is not None else "<module>")
        return run_unit(info, unit, lines, path, deadline)

    monkeypatch.setattr(checker, "run_unit", counting)
    assert len(reorderings(source)) == 1
    assert {"train", "helper0", "helper5"} <= set(walked)  # the first proof walks the whole reordered file
    walked.clear()
    edited = source.replace("return y * 3\n", "return y * 30\n")  # a keystroke in another function
    assert edited != source and len(reorderings(edited)) == 1
    assert sorted(walked) == ["helper3", "train"]  # the edited scope, and train, whose walk read helper3
