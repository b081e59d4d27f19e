"""Training steps that reach backward() and step() through helpers (mine17b AD02, AD06).

- training.training_roles closes over a class's self-calls: `optimize_parameters -> update_G_and_E ->
  backward_G_alone` (BicycleGAN), `learn -> update_all -> take_step` (SAC): each is a training step, so the
  outermost walk, which sees the forward pass and the steps together, is on the training path.
- helper_blame.stepping_frame: a step inside helpers that were handed the optimizer is the call's that handed it.
- calls.shadowed: an argument named like an imported module (`optimizer`) is the argument.
The rule examples under GG201 show each under torch; these tests pin the pieces.
"""

from __future__ import annotations

import ast

from gradguard.analysis.helper_blame import argument_passed, stepped_name, stepping_frame
from gradguard.analysis.training import training_roles
from gradguard.analysis.values import Frame
from gradguard.config import Config
from gradguard.engine import analyze

AGENT = '''import torch
import torch.nn as nn


class Agent:
    def __init__(self):
        self.critic = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
        self.actor = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters())
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters())

    def learn(self, s, a, target):
        critic_loss = ((self.critic(torch.cat((s, a), 1)) - target) ** 2).mean()
        actor_loss = -self.critic(torch.cat((s, self.actor(s)), 1)).mean()
        self.update_all(critic_loss, actor_loss)

    def update_all(self, critic_loss, actor_loss):
        self.take_step(self.critic_optimizer, critic_loss)
        self.take_step(self.actor_optimizer, actor_loss)

    def take_step(self, optimizer, loss):
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def describe(self):
        return str(self.critic)
'''
CALL_LINE = 18  # self.take_step(self.critic_optimizer, critic_loss)


def methods(source: str) -> dict:
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    return tree, {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def test_every_method_that_reaches_backward_through_self_calls_is_a_training_step() -> None:
    tree, defs = methods(AGENT)
    roles = training_roles(tree, lines=AGENT.splitlines())
    assert {name for name, fn in defs.items() if fn in roles} == {"learn", "update_all", "take_step"}
    assert all(not roles[defs[name]].inputs_require_grad for name in ("learn", "update_all", "take_step"))


def test_the_step_is_reported_at_the_call_that_hands_over_the_optimizer() -> None:
    findings = analyze(AGENT, "agent.py", Config()).findings
    assert [(f.code, f.span.line, f.severity.value, f.depends_on) for f in findings] == \
        [("GG201", CALL_LINE, "warning", None)]
    assert findings[0].related[0].message == "`take_step` steps it here"
    assert findings[0].related[0].span.line == 24


def test_a_helper_that_steps_between_its_own_backward_calls_keeps_the_finding() -> None:
    """`update(d_loss, g_loss, d_opt, g_opt)` backwards through one graph twice with a step between: the helper is
    wrong whatever its caller passes, so the finding stays on its step (bad_retained_graph_backwarded_after_step)."""
    source = AGENT.replace('''    def update_all(self, critic_loss, actor_loss):
        self.take_step(self.critic_optimizer, critic_loss)
        self.take_step(self.actor_optimizer, actor_loss)''', '''    def update_all(self, critic_loss, actor_loss):
        self.update(critic_loss, actor_loss, self.critic_optimizer)

    def update(self, first, second, optimizer):
        first.backward(retain_graph=True)
        optimizer.step()
        second.backward()''')
    lines = [(f.code, f.span.line) for f in analyze(source, "agent.py", Config()).findings]
    assert lines == [("GG201", source.splitlines().index("        optimizer.step()") + 1)]


def test_stepping_frame_follows_the_optimizer_through_the_arguments() -> None:
    tree = ast.parse('''def outer(opt, loss):
    inner(loss, optimizer=opt)
def inner(loss, optimizer):
    optimizer.step()
def own(loss):
    self_opt.step()
outer(o, l)
''')
    outer, inner, own, call = tree.body
    step = inner.body[0].value
    inner_call = outer.body[0].value

    class Event:
        kind = "optimizer"
        node = step
    via = (Frame(call.value, outer, "outer"), Frame(inner_call, inner, "inner"))
    assert stepped_name(step) == "optimizer"
    assert argument_passed(inner, inner_call, "optimizer").id == "opt"
    assert stepping_frame(via, Event) == 0  # `outer` was handed it too: the outermost call that passes it in
    assert stepping_frame(via[1:], Event) == 0
    Event.node = own.body[0].value
    assert stepping_frame((Frame(call.value, own, "own"),), Event) is None  # not an argument of the helper


def test_an_argument_named_like_an_imported_module_is_the_argument() -> None:
    source = AGENT.replace("import torch.nn as nn\n", "import torch.nn as nn\nfrom torch.optim import optimizer\n")
    assert [(f.code, f.span.line) for f in analyze(source, "agent.py", Config()).findings] == \
        [("GG201", CALL_LINE + 1)]
