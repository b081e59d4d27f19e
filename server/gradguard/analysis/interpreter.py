"""The flow walk: an abstract interpreter over Python's `ast`, one scope at a time, top to bottom.

It tracks which names hold tensors, whether they require grad, which storages ops saved for backward,
and the grad mode; it reports in-place changes and backward() calls to the rules (`sink`), which
decide what is a finding. Branches are walked separately and joined; loop bodies are walked twice, so
what one iteration leaves behind meets the next. Calls to functions and module classes of the same
file are followed (bounded in depth and size) so helpers that change their arguments are seen.
"""

from __future__ import annotations

from .autograd_calls import AutogradCalls
from .built_choices import BuiltChoices
from .builtins import BuiltinCalls
from .calls import CallEvaluator
from .einops import EinopsCalls
from .mmcv_bricks import MmcvBricks
from .nni_choices import NniChoices
from .op_application import OpApplication
from .context import ModuleContext
from .defaults import DefaultConfiguration
from .expressions import ExpressionEvaluator
from .modules import ModuleModeller
from .optimizers import OptimizerCalls
from .permuted import PermutedLayouts
from .statements import PRUNE_AT, StatementWalker
from .tensors import TensorTracker
from .values import State, fresh_id


class Interpreter(StatementWalker, ExpressionEvaluator, CallEvaluator, OpApplication, ModuleModeller, TensorTracker,
                  BuiltinCalls, EinopsCalls, AutogradCalls, OptimizerCalls, DefaultConfiguration, MmcvBricks,
                  NniChoices, BuiltChoices, PermutedLayouts):
    """One walk of one scope. The concerns live in the mixins (statements, expressions, calls, nn.Module
    modelling, tensor state); this class holds the walk's own state, which they all read through `self`."""

    def __init__(self, ctx: ModuleContext, frames: tuple = (), depth: int = 0, loop_pass: int = 0,
                 func_stack: tuple = (), class_name: str | None = None):
        self.ctx = ctx
        self.frames = frames
        self.depth = depth
        self.loop_pass = loop_pass
        self.func_stack = func_stack
        self.class_name = class_name
        self.returns: list[tuple[object, State]] = []
        self.loop_exits: list[list[State]] = []
        self.counted_loops: list[tuple] = []  # ((counter, last value + 1), frees of the last iteration) of `for`s
        self.in_function = False
        self.inplace_opt_in = 0  # > 0 inside `if inplace:` / `... if self.inplace else ...`
        self.grad_flags: tuple = ()  # (flag, value) of the `set_grad_enabled(flag)` blocks around (grad_flags.py)
        self.built_here = False  # walking an `__init__` for a call the file shows (not the class on its own)
        self.module_env: dict | None = None  # the module's names, for the file's functions a script calls
        self.prune_at = PRUNE_AT  # a module-level walk drops unreachable tensors past this many (statements.py)
        self.start_id = fresh_id()  # objects with larger ids were made inside this walk
        self.dotted_writes: set = set()  # `critic.saved_values` and the like assigned here (calls.global_attributes)
        self.bool_parts: tuple = (None, None)  # (node, values) of the last `a and b` / `a or b` read
        self.last_starred: tuple = (None, None)  # (node, value) of the last `*xs` read: nn.Sequential(*[...])

