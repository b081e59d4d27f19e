"""Imports through namespace packages (PEP 420: folders without __init__.py), read from the files as Python reads them.

Deep-RL-Algorithms (mine17b AD02) keeps its agents in `agents/` and `agents/actor_critic_agents/`, plain folders at the
repository's root: SAC.py does `from agents.Base_Agent import Base_Agent`. The base class, whose helper
`take_optimisation_step` runs backward() and `optimizer.step()`, was found only through regular packages, so the
critic's step that breaks the actor's backward went unseen. The workspace agent_in_namespace_packages is
agent_steps_in_base_helper laid out that way; the program runs under torch. Where a module is found is judged by
Python itself: importlib's answer for the same sys.path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from crossfile_support import expected, run_under_torch

from gradguard.config import Config
from gradguard.engine import analyze
from gradguard.project import Project

WORKSPACE = Path(__file__).resolve().parent / "fixtures" / "agent_in_namespace_packages"
PROGRAM = WORKSPACE / "agents" / "actor_critic" / "sac.py"
FIXED = ('''        actor_loss = self.calculate_actor_loss(state)
        self.update_all_parameters(critic_loss, actor_loss)''', '''        self.update_all_parameters(critic_loss, None)
        self.update_actor(self.calculate_actor_loss(state))''')
FIXED_UPDATES = ('''        self.take_optimisation_step(self.actor_optimizer, self.actor, actor_loss, 5.0)  # torch raises: modified by an inplace operation''',
                 '''
    def update_actor(self, actor_loss):
        self.take_optimisation_step(self.actor_optimizer, self.actor, actor_loss, 5.0)''')


def check(source: str, strict: bool = False):
    result = analyze(source, str(PROGRAM), Config(strict=strict), project=Project(str(WORKSPACE), jedi_budget=0.0))
    assert result.error is None
    return result.findings


# `from agents import base_agent`: a submodule of the namespace package, named by the `from` import
AS_SUBMODULE = [("from agents.base_agent import BaseAgent", "from agents import base_agent"),
                ("class SAC(BaseAgent)", "class SAC(base_agent.BaseAgent)"),
                ("BaseAgent.__init__(self)", "base_agent.BaseAgent.__init__(self)")]


@pytest.mark.parametrize("submodule", [False, True], ids=["from-module-import-class", "from-package-import-module"])
def test_a_base_class_in_a_namespace_package_is_followed_without_jedi(submodule: bool) -> None:
    assert not (WORKSPACE / "agents" / "__init__.py").exists()
    source = PROGRAM.read_text()
    for old, new in AS_SUBMODULE if submodule else ():
        assert old in source
        source = source.replace(old, new)
    want, raises = expected(source)
    findings = check(source)
    assert {(f.span.line, f.code) for f in findings} == want
    (finding,) = findings
    assert any((r.path or "").endswith(os.path.join("agents", "base_agent.py")) and r.message.endswith("steps it here")
               for r in finding.related), finding.related
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(PROGRAM), "code": source}])["p"]
    (line, text), = raises.items()
    assert got["raised"] and got["line"] == line and text in got["message"], got


def test_the_actor_loss_made_after_the_critic_step_is_clean() -> None:
    source = PROGRAM.read_text()
    fixed = source.replace(*FIXED).replace(*FIXED_UPDATES).replace("  # expect GG201", "")
    assert fixed.count("def update_actor") == 1 and "expect" not in fixed and "torch raises" not in fixed
    assert check(fixed, strict=True) == []
    got = run_under_torch([{"id": "p", "workspace": str(WORKSPACE), "file": str(PROGRAM), "code": fixed}])["p"]
    assert not got["raised"], got


LAYOUT = {  # path -> text; "src" is searched after the root
    "gg_ns/deep/mod.py": "def f(): pass\n",  # gg_ns and gg_ns/deep: namespace packages at the root
    "gg_ns/plain.py": "def g(): pass\n",
    "src/gg_ns/other.py": "def h(): pass\n",  # a second portion of the namespace package gg_ns
    "gg_mixed/a.py": "def f(): pass\n",  # a namespace portion at the root...
    "src/gg_mixed/__init__.py": "",  # ...and a regular package of the same name later on the path: it wins
    "src/gg_mixed/b.py": "def f(): pass\n",
    "gg_reg/__init__.py": "",
    "gg_reg/sub/leaf.py": "def f(): pass\n",  # a namespace package inside a regular one
    "json/decoder.py": "def f(): pass\n",  # a folder named as an installed package: Python imports the installed one
}
MODULES = ["gg_ns.deep.mod", "gg_ns.plain", "gg_ns.other", "gg_ns", "gg_ns.missing", "gg_mixed.a", "gg_mixed.b",
           "gg_mixed", "gg_reg.sub.leaf", "gg_reg.sub", "nothing.here", "json.decoder"]
FIND_SPEC = """import importlib.util, json, sys
sys.path[:0] = sys.argv[1:3]
out = {}
for name in sys.argv[3:]:
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        spec = None
    out[name] = spec.origin if spec is not None and spec.has_location else None
print(json.dumps(out))"""


def test_modules_are_found_where_python_finds_them(tmp_path) -> None:
    for rel, text in LAYOUT.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    importer = tmp_path / "train.py"
    importer.write_text("")
    done = subprocess.run([sys.executable, "-I", "-c", FIND_SPEC, str(tmp_path), str(tmp_path / "src"), *MODULES],
                          capture_output=True, text=True, cwd=tmp_path, check=True)
    python = json.loads(done.stdout)
    project = Project(str(tmp_path), jedi_budget=0.0)
    ours = {name: project._module_file(name, str(importer), 0) for name in MODULES}
    inside = str(os.path.realpath(tmp_path)) + os.sep  # an installed module is not one of the workspace's files
    real = {name: os.path.realpath(origin) if origin and os.path.realpath(origin).startswith(inside) else None
            for name, origin in python.items()}
    assert ours == real
    # the layout tests what it should
    assert real["gg_ns.other"] and real["gg_mixed.b"] and real["gg_reg.sub.leaf"] and real["gg_mixed.a"] is None
    assert python["json.decoder"] and not python["json.decoder"].startswith(inside)
