"""Run a script or module under the recorder, as `python script.py args` or `python -m module args` would.

torch's behaviour is kept: its errors still raise (and are printed as Python prints them); trace maps the
errors torch raises at the offending line to rule codes (a leaf or a view of a leaf changed in place, ...).
"""

from __future__ import annotations

import os
import re
import runpy
import sys
import traceback
from dataclasses import dataclass, field

import torch

from .events import Observation
from .frames import UserFrames
from .recorder import Recorder, SavedTensorChanged

# torch's messages for the errors it raises at the line at fault, and the rule each one is.
TORCH_ERRORS: tuple[tuple[str, re.Pattern], ...] = tuple((code, re.compile(text)) for code, text in (
    ("GG102", r"a view of a leaf Variable that requires grad is being used in an in-place operation"),
    ("GG101", r"a leaf Variable that requires grad is being used in an in-place operation"),
    ("GG104", r"you can only change requires_grad flags of leaf variables"),
    ("GG103", r"functions with out=\.\.\. arguments don't support automatic differentiation"),
    ("GG201", r"one of the variables needed for gradient computation has been modified by an inplace operation"),
    ("GG301", r"This view is the output of a function that returns multiple views"),
    ("GG302", r"A view was created in (no_grad|inference) mode and is being modified inplace"),
    ("GG303", r"more than one element of the written-to tensor refers to a single memory location"),
    ("GG304", r"Can't detach views in-place"),
    ("GG305", r"Output \d+ of BackwardHookFunction(Backward)? is a view"),
    ("GG501", r"Trying to backward through the graph a second time"),
    ("GG503", r"does not require grad and does not have a grad_fn"),
    ("GG504", r"grad can be implicitly created only for scalar outputs"),
    ("GG505", r"Some elements marked as dirty during the forward method were not returned as output"),
))

COMPILE_NOTE = ("gradguard trace: torch.compile runs eagerly while trace watches writes (any active dispatch mode "
                "makes it fall back); the results are the same, the speed is not. Use --hooks-only to keep "
                "compilation (changed saved tensors are then found at backward(), without the line that changed "
                "them).")
FUNC_TRANSFORMS = ("grad", "grad_and_value", "vjp", "jacrev", "jacfwd", "hessian")


@dataclass
class RunOutcome:
    observations: list[Observation] = field(default_factory=list)
    exit_code: int = 0
    error: BaseException | None = None
    notes: list[str] = field(default_factory=list)


def observe_error(exc: BaseException, frames: UserFrames, recorder: Recorder | None = None) -> Observation | None:
    """The rule an error torch raised stands for, located at the innermost user frame of its traceback."""
    if isinstance(exc, SavedTensorChanged) or not isinstance(exc, RuntimeError):
        return None
    text = str(exc)
    for code, pattern in TORCH_ERRORS:
        if pattern.search(text):
            first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
            message = f"torch raises: {first}"
            if code == "GG201":
                message += (" (the tensor was saved where trace does not see it, e.g. inside "
                            "torch.utils.checkpoint: the line that changed it is unknown)")
            chain = frames.from_traceback(exc.__traceback__)
            if code == "GG303" and recorder is not None and recorder.overlap_write and chain:
                # torch raises at backward(); the write into the expanded tensor was seen earlier.
                return Observation(code, message, recorder.overlap_write, [(chain[0], "backward() fails here")],
                                   "raised")
            return Observation(code, message, chain, [], "raised")
    return None


_TRACE_DIR = os.path.dirname(os.path.realpath(__file__)) + os.sep
# trace's frames that run the program's own code further (the rest of the traceback is the program's or torch's);
# below any other frame of trace there is only trace, and torch running an op for it.
_PASS_THROUGH = {"without_mode", "without_hooks", "compile_eagerly", "transform"}


def print_error(exc: BaseException, frames: UserFrames) -> None:
    """The traceback as `python script.py` prints it: from the program's first frame, not trace's runner, and
    without trace's own frames (its backward() wrapper; its dispatch mode and the torch frames that run an op
    under it; its unpack hook raising torch's error)."""
    tb = exc.__traceback__
    while tb is not None and not frames.is_user(tb.tb_frame.f_code):
        tb = tb.tb_next
    shown = traceback.TracebackException(type(exc), exc, tb or exc.__traceback__)
    kept = []
    for entry in shown.stack:
        if os.path.realpath(entry.filename).startswith(_TRACE_DIR):
            if entry.name in _PASS_THROUGH:
                continue
            break
        kept.append(entry)
    if kept:
        shown.stack = traceback.StackSummary.from_list(kept)
    print("".join(shown.format()), end="", file=sys.stderr)


class _Patches:
    """torch entry points that cannot run under the recorder as is: told about, or run with the hooks off."""

    def __init__(self, recorder: Recorder, outcome: RunOutcome, hooks_only: bool) -> None:
        self.recorder, self.outcome, self.hooks_only = recorder, outcome, hooks_only
        self._undo: list[tuple[object, str, object]] = []

    def __enter__(self):
        if not self.hooks_only:
            self._patch(torch, "compile", self._compile)
        func = getattr(torch, "func", None)
        if func is not None:
            for name in FUNC_TRANSFORMS:
                if hasattr(func, name):
                    self._patch(func, name, self._transform)
        return self

    def __exit__(self, *exc) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)

    def _patch(self, owner, name, make) -> None:
        original = getattr(owner, name)
        self._undo.append((owner, name, original))
        setattr(owner, name, make(original))

    def _compile(self, original):
        def compile_eagerly(*args, **kwargs):
            if COMPILE_NOTE not in self.outcome.notes:
                self.outcome.notes.append(COMPILE_NOTE)
                print(COMPILE_NOTE, file=sys.stderr)
            return original(*args, **kwargs)
        return compile_eagerly

    def _transform(self, original):
        recorder = self.recorder

        def transform(*args, **kwargs):
            inner = original(*args, **kwargs)

            def without_hooks(*a, **k):  # torch.func refuses to run with saved-tensor hooks installed
                with recorder.hooks_suspended():
                    return inner(*a, **k)
            return without_hooks
        return transform


def run(target: str, args: list[str], module: bool = False, hooks_only: bool = False) -> RunOutcome:
    """Run the program; its exception, if any, is printed as Python would and kept in the outcome."""
    frames = UserFrames()
    frames.entry = run.__code__
    outcome = RunOutcome()
    recorder = Recorder(frames, watch_writes=not hooks_only)
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [target, *args]
    if not module:
        sys.path.insert(0, os.path.dirname(os.path.abspath(target)))
    try:
        with _Patches(recorder, outcome, hooks_only), recorder:
            if module:
                runpy.run_module(target, run_name="__main__", alter_sys=True)
            else:
                runpy.run_path(os.path.abspath(target), run_name="__main__")  # __file__ as python sets it
    except SystemExit as exc:
        code = exc.code
        outcome.exit_code = code if isinstance(code, int) else (0 if code is None else 1)
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
    except BaseException as exc:  # noqa: BLE001 - the program's own error, printed as Python prints it
        outcome.error = exc
        outcome.exit_code = 130 if isinstance(exc, KeyboardInterrupt) else 1
        print_error(exc, frames)
        found = observe_error(exc, frames, recorder)
        if found is not None:
            recorder.observations.append(found)
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
    outcome.observations = recorder.observations
    return outcome
