"""An agent's update steps its optimizers through a helper of a base class in another workspace file.

Deep-RL-Algorithms' SAC (mine17b AD02): `learn` computes the critic and actor losses, then
`update_all_parameters` hands each optimizer to Base_Agent's `take_optimisation_step(optimizer, network, loss)`,
which runs backward() and `optimizer.step()`. The critic's step changes the weights that the actor loss (through the
critic) saved. `learn` and `update_all_parameters` call backward() only through the base class's helper, yet they
are training steps (inherited_entries.steps_through_bases): the finding is a warning without the driver, reported
at the call that hands the critic's optimizer to the helper (helper_blame.stepping_frame). The twin that computes
the actor loss after the critic's step is clean. Each program runs under torch.
"""

from __future__ import annotations

from pathlib import Path

from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "agent_steps_in_base_helper"
PROGRAM = WORKSPACE / "sac.py"
FIXED = ('''        critic_loss = self.calculate_critic_loss(state, action, target)
        actor_loss = self.calculate_actor_loss(state)
        self.update_all_parameters(critic_loss, actor_loss)''', '''        critic_loss = self.calculate_critic_loss(state, action, target)
        self.update_critic(critic_loss)
        self.update_actor(self.calculate_actor_loss(state))''')
FIXED_UPDATES = ('''    def update_all_parameters(self, critic_loss, actor_loss):
        self.take_optimisation_step(self.critic_optimizer, self.critic, critic_loss, 5.0)  # expect GG201
        self.take_optimisation_step(self.actor_optimizer, self.actor, actor_loss, 5.0)  # torch raises: modified by an inplace operation''', '''    def update_critic(self, critic_loss):
        self.take_optimisation_step(self.critic_optimizer, self.critic, critic_loss, 5.0)

    def update_actor(self, actor_loss):
        self.take_optimisation_step(self.actor_optimizer, self.actor, actor_loss, 5.0)''')


def check(source: str, strict: bool = False):
    result = analyze(source, str(PROGRAM), Config(strict=strict),
                     project=Project(str(WORKSPACE), jedi_budget=10.0))
    assert result.error is None
    return result.findings


def test_the_critic_step_in_the_base_helper_is_reported_at_the_call_that_hands_it_the_optimizer() -> None:
    source = PROGRAM.read_text()
    want, raises = expected(source)
    findings = check(source)
    assert {(f.span.line, f.code) for f in findings} == want
    (finding,) = findings
    assert any((r.path or "").endswith("base_agent.py") and r.message.endswith("steps it here")
               for r in finding.related), finding.related
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(PROGRAM)}])["p"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


def test_without_the_driver_the_update_methods_are_still_training_steps() -> None:
    source = PROGRAM.read_text()
    model = source[:source.index('if __name__ == "__main__":')]
    findings = check(model)
    assert {(f.span.line, f.code) for f in findings} == expected(source)[0]
    (finding,) = findings
    assert finding.depends_on is None and finding.severity.value == "warning"


def test_the_actor_loss_made_after_the_critic_step_is_clean() -> None:
    source = PROGRAM.read_text()
    fixed = source.replace(*FIXED).replace(*FIXED_UPDATES)
    assert fixed != source and "expect" not in fixed
    assert check(fixed, strict=True) == []
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(PROGRAM), "code": fixed}])["p"]
    assert not got["raised"], got
