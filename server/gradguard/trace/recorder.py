"""The recorder: watches every tensor autograd saves, and every write to one, while the program runs.

- `saved_tensors_hooks`: the pack hook keeps a `SavedRecord` (a detached alias: same storage and version
  counter), its version at save time and the user frames that saved it. Once any hooks are installed torch no
  longer checks versions at unpack, so the unpack hook does: it raises `SavedTensorChanged`, a RuntimeError whose
  first line is torch's own message, followed by the line that changed the tensor.
- A `TorchDispatchMode` sees every op whose schema writes an argument (`alias_info.is_write`) and matches the
  written storage against the live records. The mode runs below autograd, so the version counter moves only
  after the op returns: the write is settled at the next event (op, pack, unpack, exit). Version moved:
  backward() will raise (GG201). Version unchanged: the write went around the counter (`.data`, fused
  optimizers): the gradients will be silently wrong (GG401).
- The graph owns the records (they are what the pack hook returns); the recorder only holds weak references,
  so a freed graph (after backward()) is no longer watched.

Not thread-safe: one program thread at a time (see README, "gradguard trace").
"""

from __future__ import annotations

import bisect
import contextlib
import math
import re
import sys
import warnings
import weakref
from dataclasses import dataclass

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook
from torch.utils._python_dispatch import TorchDispatchMode, _get_current_dispatch_mode, _pop_mode_temporarily

from .events import Observation
from .frames import Place, UserFrames
from .numpy_watch import NumpyWatch


class TorchWording:
    """How the running torch words its "modified by an inplace operation" error, read once from torch itself
    (it changes between versions: 2.13 names the forward op, "Sigmoid", older ones the node, "SigmoidBackward0";
    2.13's hint says check_nan=False; anomaly mode has its own hint)."""

    _read: "TorchWording | None" = None

    def __init__(self, forward_names: bool, hint: str, anomaly_hint: str, cpu_types: dict | None = None) -> None:
        self.forward_names, self.hint, self.anomaly_hint = forward_names, hint, anomaly_hint
        self.cpu_types = cpu_types or {}  # dtype -> how the message names a CPU tensor of it

    @classmethod
    def of_torch(cls) -> "TorchWording":
        """Provokes the error twice (anomaly mode off, on) without trace's hooks: call before installing them."""
        if cls._read is None:
            texts = []
            for anomaly in (False, True):
                with torch.enable_grad(), warnings.catch_warnings(), torch.autograd.set_detect_anomaly(anomaly):
                    warnings.simplefilter("ignore")
                    x = torch.ones(1, requires_grad=True)
                    y = torch.sigmoid(x)
                    y.add_(0)
                    try:
                        y.backward()
                        texts.append("")
                    except RuntimeError as exc:
                        texts.append(str(exc))
            named = re.search(r", which is output 0 of (\w+),", texts[0])
            hints = [t[t.find("Hint:"):] if "Hint:" in t else "" for t in texts]
            cls._read = cls(named is not None and named.group(1) == "Sigmoid", *hints, cls._cpu_types())
        return cls._read

    @staticmethod
    def _cpu_types() -> dict:
        """The tensor type as the message names it, per floating and complex dtype: `x.type()` for most
        ("torch.FloatTensor"), but the C++ name where torch has no Python one to put in ("CPUComplexFloatType")."""
        names = {}
        for dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.complex128):
            with torch.enable_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y = torch.ones(1, dtype=dtype, requires_grad=True).exp()
                y.add_(0)
                try:
                    torch.view_as_real(y).sum().backward() if dtype.is_complex else y.sum().backward()
                except RuntimeError as exc:
                    found = re.search(r"operation: \[(\S+) \[", str(exc))
                    if found:
                        names[dtype] = found.group(1)
        return names

    def type_name(self, tensor) -> str:
        if tensor.device.type == "cpu" and tensor.layout == torch.strided and tensor.dtype in self.cpu_types:
            return self.cpu_types[tensor.dtype]
        return tensor.type()

    def node(self, name: str) -> str:
        """torch's Node::forward_op_name(): "SigmoidBackward0" -> "Sigmoid", "AddBackward1" -> "Add1"."""
        if not self.forward_names:
            return name
        pos = name.rfind("Backward")
        if pos < 0:
            return name
        suffix = name[pos + 8:]
        if suffix and not suffix.isdigit():
            return name
        return name[:pos] if suffix in ("", "0") else name[:pos] + suffix


class SavedTensorChanged(RuntimeError):
    """torch's "modified by an inplace operation" error, raised by trace's unpack hook, with the located lines."""


@dataclass
class Write:
    chain: tuple[Place, ...]
    op: str
    moved: bool  # the saved tensor's version counter moved: torch's check fails at backward()
    module: tuple[Place, str] | None = None  # the torch module that made the write, and where it was created


class ModuleSites:
    """Where each torch.nn module of the program was created: an in-place module (`nn.ReLU(inplace=True)`)
    writes from inside torch, and the static analysis names the line that created it."""

    def __init__(self, frames: UserFrames) -> None:
        self.frames = frames
        self.sites: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._original = None

    def install(self) -> None:
        original = self._original = torch.nn.Module.__init__
        sites = self

        def __init__(module, *args, **kwargs):
            original(module, *args, **kwargs)
            if type(module).__module__.startswith("torch."):
                chain = sites.frames.here()
                if chain:
                    sites.sites[module] = chain[0]

        __init__.__wrapped__ = original
        torch.nn.Module.__init__ = __init__

    def uninstall(self) -> None:
        if self._original is not None:
            torch.nn.Module.__init__ = self._original
            self._original = None

    def writer(self, frame) -> tuple[Place, str] | None:
        """The innermost torch module whose forward is running below the first user frame."""
        while frame is not None and not self.frames.is_user(frame.f_code):
            if frame.f_code.co_name == "forward":
                module = frame.f_locals.get("self")
                place = self.sites.get(module) if isinstance(module, torch.nn.Module) else None
                if place is not None:
                    return place, f"{type(module).__name__} was created here: {module!r}"
            frame = frame.f_back
        return None


class SavedRecord:
    """One tensor saved for backward. The autograd graph holds it; the recorder has weak references only."""

    __slots__ = ("alias", "version", "chain", "op", "node", "output_nr", "producer", "original", "writes",
                 "snapshot", "exposed", "numpy_writes", "found", "__weakref__")

    def __init__(self, alias: torch.Tensor, version: int, chain: tuple[Place, ...]) -> None:
        self.alias = alias
        self.version = version
        self.chain = chain
        self.op: str | None = None
        self.node: str | None = None
        self.output_nr = 0
        self.producer: str | None = None  # grad_fn name of the saved tensor at save time
        # An input of the op that saved it (not an output): the tensor itself, as torch keeps it; torch's message
        # names its grad_fn at backward() time ("output 0 of Add" after an add_, "AsStrided" for a view whose
        # base changed). Never an output: that would be a cycle through its own node.
        self.original: torch.Tensor | None = None
        self.writes: list[Write] = []
        self.snapshot: torch.Tensor | None = None  # values at save time, when NumPy shares the memory
        self.exposed: tuple[Place, ...] = ()  # where NumPy got the memory (.numpy(), from_numpy)
        self.numpy_writes: list[Observation] = []
        self.found: dict[str, Observation] = {}  # code -> the observation of its first write of that kind

    def saved_by(self) -> str:
        op = self.op or "an op"
        return f"saved here by {op} ({self.node})" if self.node else f"saved here by {op}"


def _storage_key(t: torch.Tensor) -> int | None:
    """The address of the tensor's storage (shared by all its views); None for tensors without one."""
    try:
        key = t.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError, TypeError):  # sparse, nested, functorch wrappers
        return None
    return key or None  # 0: meta tensors and empty storages


_next_sequence_nr = torch._C._autograd._get_sequence_nr
_FUNCTION_APPLY = torch.autograd.function.Function.apply.__func__.__code__
_IN_PLACE_NODES: dict = {}  # in-place op -> the name of its node (Recorder._in_place_node)


def _custom_function(cls) -> tuple[str | None, str | None]:
    """(op, node) names of a custom autograd.Function saving tensors: "Square.apply", "SquareBackward"."""
    if not isinstance(cls, type):
        return None, None
    name = cls.__qualname__
    if cls.__module__.startswith("torch."):
        name = f"{cls.__module__}.{name}"
    backward = getattr(cls, "_backward_cls", None)
    return f"{name}.apply", getattr(backward, "__name__", None)


def _function_name(code, module: str | None) -> str:
    """"torch.utils.checkpoint._CheckpointFrame.save_inputs" for the code of a function (or of a comprehension
    inside it)."""
    name = getattr(code, "co_qualname", code.co_name)
    name = re.sub(r"(\.<locals>)?\.<(listcomp|genexpr|dictcomp|setcomp)>$", "", name)
    return f"{module}.{name}" if module else name


def _op_name(func) -> str:
    name = str(func)
    return name[:-8] if name.endswith(".default") else name


_FOREACH = (-1, "")  # first item of the written arguments of an in-place `_foreach_*` op


def _written_args(func) -> tuple:
    """((position, name), ...) of the arguments the op's schema writes, after _FOREACH for a foreach op; kept on
    the op (hashing an OpOverload runs Python code, an attribute does not)."""
    got = tuple((i, a.name) for i, a in enumerate(func._schema.arguments)
                if a.alias_info is not None and a.alias_info.is_write)
    if got and func.name().startswith("aten::_foreach_"):
        got = (_FOREACH,) + got
    try:
        func._gradguard_written = got
    except AttributeError:
        pass
    return got


def _tensors(value):
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            if isinstance(v, torch.Tensor):
                yield v


class _WriteWatch(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # torch wraps __torch_dispatch__ in a dynamo-disable guard (5 us an op); this one only calls the op, and
        # torch.compile runs eagerly under an active dispatch mode anyway.
        return False

    def __init__(self, recorder: "Recorder") -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        # The hot path of trace (every aten op): keep it to attribute reads when nothing is written.
        rec = self.recorder
        if kwargs is None:
            kwargs = {}
        if rec.busy:  # the recorder's own ops (detach, clone, equal)
            return func(*args, **kwargs)
        if rec.unsettled:
            rec.settle()
        try:
            written = func._gradguard_written
        except AttributeError:
            written = _written_args(func)
        if rec.unassigned:
            rec.assign_op(func, sys._getframe(1))
        if written:
            rec.before_write(func, written, args, kwargs)
            out = func(*args, **kwargs)
            if written[0][0] < 0:
                # Under a dispatch mode the in-place foreach kernels do not bump the version counters (measured
                # on torch 2.13): bump them here, or foreach optimizers would turn torch's error into silence.
                for _, tensors in _select(written[1:], args, kwargs):
                    for t in _tensors(tensors):
                        torch.autograd.graph.increment_version(t)
        else:
            out = func(*args, **kwargs)
        caller = sys._getframe(1)  # the Python frame that called the op: the pack hook of an output sees it too
        rec.last = (func, out, id(caller), caller.f_lasti, args, kwargs)
        if rec.last_inputs:
            rec.unsettled = True
        return out


def _select(written, args, kwargs):
    for pos, name in written:
        if pos < 0:
            continue
        if pos < len(args):
            yield name, args[pos]
        elif name in kwargs:
            yield name, kwargs[name]


class Recorder:
    """Collects Observations while active (use as a context manager around the program)."""

    def __init__(self, frames: UserFrames, watch_writes: bool = True, watch_numpy: bool = True) -> None:
        self.frames = frames
        self.watch_writes = watch_writes
        self.wording = TorchWording.of_torch()
        self.observations: list[Observation] = []
        self.by_storage: dict[int, list[weakref.ref]] = {}
        # Packed before the op that saves them reached the dispatch mode: (record, id of the Python frame that
        # was running, its f_lasti, its code, its module name); the op that follows from the same place names them.
        self.unassigned: list[tuple] = []
        # (op, its output, id of the Python frame that called it, that frame's f_lasti): the last op dispatched
        self.last: tuple = (None, None, 0, -1, (), {})
        self.last_inputs: list[SavedRecord] = []  # records of the last op, to name its node once it has one
        self.pending: list[tuple[list[tuple[SavedRecord, int]], tuple[Place, ...], str, tuple | None]] = []
        # The last write, with grad mode on, into a tensor whose elements overlap (an expand() result): torch
        # raises about it only at backward() (GG303).
        self.overlap_write: tuple[Place, ...] = ()
        self.unsettled = False
        self.busy = False
        self.backward_calls: list[tuple[Place, ...]] = []  # where the running backward() / grad() calls were made
        self._step_hooks: tuple = ()
        self._unwatched_steps: list = []  # per running optimizer step: the mode's pop, or None (watched)
        self._packs = 0
        self._sweep_at = 1024
        self.numpy = NumpyWatch(self, frames) if watch_numpy else None
        self.modules = ModuleSites(frames)
        self._hooks = torch.autograd.graph.saved_tensors_hooks(self.pack, self.unpack)
        self._mode = _WriteWatch(self) if watch_writes else None
        self._undo: list[tuple[object, str, object]] = []

    # ------------------------------------------------------------------ life cycle
    def __enter__(self) -> "Recorder":
        self._hooks.__enter__()
        if self._mode is not None:
            self._mode.__enter__()
        if self.numpy is not None:
            self.numpy.install()
        self.modules.install()
        self._wrap_backward()
        if self._mode is not None:
            self._step_hooks = (register_optimizer_step_pre_hook(self._step_starts),
                                register_optimizer_step_post_hook(self._step_ends))
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._step_hooks:
            handle.remove()
        self._step_hooks = ()
        self._watch_again()
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()
        self.modules.uninstall()
        if self.numpy is not None:
            self.numpy.uninstall()
        if self._mode is not None:
            self._mode.__exit__(None, None, None)
        self._hooks.__exit__(None, None, None)
        for record, _, _, code, module in self.unassigned:  # no op followed them
            if not self.frames.is_user(code):
                record.op = _function_name(code, module)
        self.unassigned = []
        self.settle()

    def _wrap_backward(self) -> None:
        """backward() runs without the dispatch mode: its ops write gradients, not saved tensors, and they are
        about half of a training step's ops. (The unpack hook still checks every saved tensor's version.)
        Each call notes where the program called it: that is the backward() that fails, even when the saved
        tensor is unpacked in a custom Function's backward (the program's code too)."""
        mode, calls, frames = self._mode, self.backward_calls, self.frames

        def wrap(original):
            def without_mode(*args, **kwargs):
                calls.append(frames.here())
                try:
                    if mode is None or _get_current_dispatch_mode() is not mode:
                        return original(*args, **kwargs)
                    with _pop_mode_temporarily():
                        return original(*args, **kwargs)
                finally:
                    calls.pop()
            without_mode.__wrapped__ = original
            return without_mode

        for name in ("backward", "grad"):
            original = getattr(torch.autograd, name)
            self._undo.append((torch.autograd, name, original))
            setattr(torch.autograd, name, wrap(original))

    # ------------------------------------------------------------------ optimizer steps
    def _step_starts(self, optimizer, args, kwargs) -> None:
        """An optimizer step while no saved tensor is alive (the usual place: after backward(), before the next
        forward) cannot change one: it runs without the dispatch mode, at plain speed. Its in-place ops are more
        than half of a small model's training step. A step with a closure (it runs a forward) or a differentiable
        optimizer stays watched, and so does every step while a graph is alive (the step between a forward and
        its backward() is the bug to find)."""
        pop = None
        if (len(args) <= 1 and not kwargs and not optimizer.defaults.get("differentiable", False)
                and _get_current_dispatch_mode() is self._mode and not self._live()):
            pop = _pop_mode_temporarily()
            pop.__enter__()
        self._unwatched_steps.append(pop)

    def _step_ends(self, optimizer, args, kwargs) -> None:
        if self._unwatched_steps:
            pop = self._unwatched_steps.pop()
            if pop is not None:
                pop.__exit__(None, None, None)

    def _watch_again(self) -> None:
        """A step that raised left the mode popped (its post hook did not run): push it back."""
        while self._unwatched_steps:
            pop = self._unwatched_steps.pop()
            if pop is not None:
                pop.__exit__(None, None, None)

    def _live(self) -> bool:
        """Is any saved tensor still watched?"""
        if self.unsettled:
            self.settle()
        if self.unassigned:
            return True
        self._sweep()
        return bool(self.by_storage)

    storage_key = staticmethod(_storage_key)

    @contextlib.contextmanager
    def internal(self):
        """Around the recorder's own torch calls: the dispatch mode lets them through untouched."""
        busy, self.busy = self.busy, True
        try:
            yield
        finally:
            self.busy = busy

    @contextlib.contextmanager
    def hooks_suspended(self):
        """Without the saved-tensor hooks (torch.func refuses them): what is saved in here is not watched."""
        torch._C._autograd._pop_saved_tensors_default_hooks()
        try:
            yield
        finally:
            torch._C._autograd._push_saved_tensors_default_hooks(self.pack, self.unpack)

    # ------------------------------------------------------------------ hooks
    def pack(self, t: torch.Tensor):
        if self._unwatched_steps and any(self._unwatched_steps):  # a step raised, the program went on
            self._watch_again()
        key = _storage_key(t)
        if key is None:
            return self._pack_unwatched(t)
        self.busy = True
        try:
            alias = t.detach()
        finally:
            self.busy = False
        caller = sys._getframe(1)
        record = SavedRecord(alias, t._version, self.frames.first(caller))
        grad_fn = t.grad_fn
        record.output_nr = t.output_nr
        if grad_fn is not None:
            record.producer = grad_fn.name()
        # An output of the op saving it has the newest node (an op makes its node before saving its inputs). torch
        # keeps an input itself and names its grad_fn at backward() time; trace does the same (`original`).
        newest = grad_fn is not None and grad_fn._sequence_nr() == _next_sequence_nr() - 1
        last_op, last_out, frame_id, lasti, last_args, last_kwargs = self.last
        if newest and frame_id == id(caller) and lasti == caller.f_lasti and any(o is t for o in _tensors(last_out)):
            record.op = _op_name(last_op)
            if t._is_view() and record.producer.startswith("AsStrided") and _written_args(last_op):
                record.producer = self._in_place_node(last_op, t, last_args, last_kwargs) or record.producer
            record.node = record.producer
        elif caller.f_code is _FUNCTION_APPLY:  # ctx.save_for_backward of a custom autograd.Function
            record.op, record.node = _custom_function(caller.f_locals.get("cls"))
            if not newest:
                record.original = t
        elif self.watch_writes:  # packed before its op reached the dispatch mode: an input; the op names it
            record.original = t
            self.unassigned.append((record, id(caller), caller.f_lasti, caller.f_code,
                                    caller.f_globals.get("__name__")))
        elif not newest:  # hooks-only: no op is seen
            record.original = t
        if self.unsettled:
            self.settle()
        self.by_storage.setdefault(key, []).append(weakref.ref(record))
        self._packs += 1
        if self._packs > self._sweep_at:
            self._sweep()
        if self.numpy is not None:
            self.numpy.on_pack(record, key)
        return record

    def _in_place_node(self, func, t: torch.Tensor, args: tuple, kwargs: dict) -> str | None:
        """The name of the node an in-place op on a view made, which saved the view: torch's message names it
        ("output 0 of Relu" for `relu_` on instance_norm's output, "Elu1" for `selu_`), while the view's grad_fn
        reads AsStridedBackward0. Python cannot reach that node, so the same op runs once (per op and process) on a
        plain tensor of the view's shape, hooks off, the random generator's state kept (rrelu_ draws noise); None
        when it cannot."""
        if func in _IN_PLACE_NODES:
            return _IN_PLACE_NODES[func]
        if t.device.type not in ("cpu", "cuda"):
            return None
        name = None
        rng = torch.random.fork_rng(devices=[t.device.index or 0] if t.is_cuda else [])
        with self.internal(), self.hooks_suspended(), torch.enable_grad(), rng:
            try:
                plain = torch.full_like(t.detach(), 0.5).requires_grad_().mul(1)
                func(plain, *args[1:], **kwargs)
                name = plain.grad_fn.name() if plain.grad_fn is not None else None
            except Exception:  # noqa: BLE001 - any failure leaves torch's view name
                name = None
        _IN_PLACE_NODES[func] = name
        return name

    def _pack_unwatched(self, t: torch.Tensor):
        """A tensor without a storage to watch (sparse, nested): its writes are not seen, but torch's own version
        check at backward() is kept. Returning the tensor itself would skip it (the hooks replace torch's saved
        variable), and backward would run on the changed tensor: `L += L.t()` on a sparse matrix its constructor
        saved gave 'returned an invalid gradient' instead of torch's 'modified by an inplace operation'."""
        try:
            self.busy = True
            alias, version = t.detach(), t._version
        except (RuntimeError, NotImplementedError, TypeError):
            return t
        finally:
            self.busy = False
        record = SavedRecord(alias, version, self.frames.first(sys._getframe(2)))
        record.output_nr = t.output_nr
        if t.grad_fn is not None:
            record.producer = t.grad_fn.name()
        return record

    def _sweep(self) -> None:
        """Forget the records of freed graphs; amortised: runs when the packs since the last sweep outnumber
        the live records."""
        live = 0
        for key in list(self.by_storage):
            alive = [r for r in self.by_storage[key] if r() is not None]
            if alive:
                self.by_storage[key] = alive
                live += len(alive)
            else:
                del self.by_storage[key]
        self._packs = 0
        self._sweep_at = max(1024, 2 * live)

    def unpack(self, record):
        if not isinstance(record, SavedRecord):
            return record
        if self.unsettled:
            self.settle()
        alias = record.alias
        version = alias._version
        if version != record.version:
            chain = self._backward_here()
            message = self._torch_message(record, version)
            moved = [w for w in record.writes if w.moved]
            obs = record.found.get("GG201")
            if obs is None:  # the write was not seen (hooks-only mode)
                obs = record.found["GG201"] = self._changed(record, None, chain)
                self.observations.append(obs)
            self._used(obs, "raised", chain, "backward() fails here")
            where = (f"gradguard trace: changed in place at {moved[0].chain[0].label()} by {moved[0].op}"
                     if moved and moved[0].chain else "gradguard trace: the line that changed it was not seen")
            saved = f"; {record.saved_by()} at {record.chain[0].label()}" if record.chain else ""
            raise SavedTensorChanged(f"{message}\n{where}{saved}")
        obs = record.found.get("GG401")
        if obs is not None:
            self._used(obs, "backward", self._backward_here(), "backward() uses the changed values here")
        if self.numpy is not None and record.snapshot is not None:
            self.numpy.on_unpack(record, self._backward_here())
        return alias

    def _backward_here(self) -> tuple[Place, ...]:
        """The call of the backward() that unpacks a saved tensor now (else where the unpack happens)."""
        return self.backward_calls[-1] if self.backward_calls else self.frames.here()

    def _torch_message(self, record: SavedRecord, version: int) -> str:
        """torch's own message, as the running torch words it (TorchWording)."""
        alias = record.alias
        sizes = ", ".join(str(s) for s in alias.shape)
        node = record.producer
        if record.original is not None:
            with self.internal():
                grad_fn = record.original.grad_fn
            node = grad_fn.name() if grad_fn is not None else None
        of = f", which is output {record.output_nr} of {self.wording.node(node)}," if node else ""
        hint = self.wording.anomaly_hint if torch.is_anomaly_enabled() else self.wording.hint
        return ("one of the variables needed for gradient computation has been modified by an inplace operation: "
                f"[{self.wording.type_name(alias)} [{sizes}]]{of} is at version {version}; expected version {record.version} "
                f"instead." + (f" {hint}" if hint else ""))

    # ------------------------------------------------------------------ dispatch-mode side
    def assign_op(self, func, caller) -> None:
        """The op reaching the dispatch mode saved the records packed from the same Python frame and instruction;
        a record packed elsewhere was saved by Python code in torch (torch.utils.checkpoint saves its inputs),
        named after that function."""
        name = _op_name(func)
        here, lasti = id(caller), caller.f_lasti
        inputs = []
        for record, frame_id, at, code, module in self.unassigned:
            if frame_id == here and at == lasti:
                record.op = name
                inputs.append(record)
            elif not self.frames.is_user(code):
                record.op = _function_name(code, module)
        self.last_inputs = inputs
        self.unassigned = []

    def before_write(self, func, written, args, kwargs) -> None:
        if self.by_storage:
            self.note_writes(func, written, args, kwargs)
        if torch.is_grad_enabled():
            self.note_overlap(written, args, kwargs)

    def note_writes(self, func, written, args, kwargs) -> None:
        # (record, its version before the op, whether the write shares a byte with it): a write elsewhere in the
        # same tensor bumps the version counter all its views share (`edge_index[1] += 3` after `edge_index[0]`
        # was saved), which torch's check at backward() sees as a change of the saved row too.
        hits: list[tuple[SavedRecord, int, bool]] = []
        for _, value in _select(written, args, kwargs):
            for t in _tensors(value):
                key = _storage_key(t)
                refs = self.by_storage.get(key) if key is not None else None
                if not refs:
                    continue
                alive = [r for r in refs if r() is not None]
                if len(alive) != len(refs):
                    if alive:
                        self.by_storage[key] = alive
                    else:
                        del self.by_storage[key]
                for ref in alive:
                    record = ref()
                    if record is not None:
                        hits.append((record, record.alias._version, _overlaps(record.alias, t)))
        if hits:
            module = self.modules.writer(sys._getframe(1))
            self.pending.append((hits, self.frames.here(), _op_name(func), module))
            self.unsettled = True

    def note_overlap(self, written, args, kwargs) -> None:
        for _, value in _select(written, args, kwargs):
            for t in _tensors(value):
                if t.requires_grad and any(st == 0 and sz > 1 for st, sz in zip(t.stride(), t.shape)):
                    self.overlap_write = self.frames.here()

    def settle(self) -> None:
        """Resolve what waited for torch to finish the last op: its writes' version bumps, its node's name."""
        self.unsettled = False
        if self.last_inputs:
            node = next((o.grad_fn for o in _tensors(self.last[1]) if o.grad_fn is not None), None)
            if node is not None:
                for record in self.last_inputs:
                    record.node = node.name()
            self.last_inputs = []
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        for hits, chain, op, module in pending:
            for record, before, overlapping in hits:
                moved = record.alias._version != before
                if not overlapping and not moved:
                    continue  # another tensor on the same memory (an `unsafe_chunk`): neither changed nor checked
                write = Write(chain, op, moved, module)
                record.writes.append(write)
                code = "GG201" if moved else "GG401"
                if code not in record.found:  # pending until a backward() uses the record (--strict shows it)
                    obs = record.found[code] = self._changed(record, write) if moved else self._silent(record, write)
                    self.observations.append(obs)
                if record.snapshot is not None:  # a torch write, not a NumPy one: compare later writes to this
                    with self.internal():
                        record.snapshot = record.alias.clone()

    # ------------------------------------------------------------------ observations
    @staticmethod
    def _related(record: SavedRecord, write: Write | None) -> list[tuple[Place, str]]:
        related = []
        if write is not None and write.module is not None:
            related.append(write.module)
        if record.chain:
            related.append((record.chain[0], record.saved_by()))
        return related

    @staticmethod
    def _used(obs: Observation, status: str, backward: tuple[Place, ...], text: str) -> None:
        """A backward() reached the changed record: the observation is reported, with where that happened."""
        if obs.status != "pending":
            return
        obs.status = status
        if backward:
            obs.related.append((backward[0], text))

    def _changed(self, record: SavedRecord, write: Write | None, backward: tuple[Place, ...] = ()) -> Observation:
        what = self._describe(record)
        if write is None:
            message = (f"{what} was changed in place after it was saved for backward(); the line that changed it "
                       "was not seen (hooks-only mode, or a write inside torch.utils.checkpoint)")
            chain = backward
        else:
            message = f"{write.op} changes {what} in place after it was saved for backward()"
            chain = write.chain
        return Observation("GG201", message, chain, self._related(record, write), "pending", _also(write))

    def _silent(self, record: SavedRecord, write: Write) -> Observation:
        message = (f"{write.op} changes {self._describe(record)}, saved for backward(), without moving its version "
                   "counter (a write through .data or a fused kernel): the gradients are silently wrong")
        return Observation("GG401", message, write.chain, self._related(record, write), "pending", _also(write))

    @staticmethod
    def _describe(record: SavedRecord) -> str:
        shape = ", ".join(str(s) for s in record.alias.shape)
        return f"a tensor of shape [{shape}]"


def _also(write: Write | None) -> tuple[Place, ...]:
    return (write.module[0],) if write is not None and write.module is not None else ()


def _overlaps(saved: torch.Tensor, written: torch.Tensor) -> bool:
    """Do the two tensors (same storage) share any byte? Exact: torch's RNN cells write the gates of one
    `unsafe_chunk` (own version counter) while another chunk of the same buffer is saved, and the byte ranges of
    column chunks interleave without sharing an element. A byte-range test called that a write around the version
    counter (GG401 inside nn.GRU). Errs towards "yes" only for huge interleaved tensors (_MAX_RUNS)."""
    if saved.numel() == 0 or written.numel() == 0:
        return False
    a0, a_len, a_outer = _runs(saved)
    b0, b_len, b_outer = _runs(written)
    a_end = a0 + a_len + sum((n - 1) * s for s, n in a_outer)
    b_end = b0 + b_len + sum((n - 1) * s for s, n in b_outer)
    if a_end <= b0 or b_end <= a0:  # disjoint byte ranges
        return False
    if not a_outer and not b_outer:  # two contiguous ranges
        return True
    # Every run of a tensor starts at its first byte plus a multiple of g: two runs can only meet if their
    # places modulo g do (the column chunks of one buffer never do).
    g = 0
    for s, _ in a_outer + b_outer:
        g = math.gcd(g, s)
    d = (b0 - a0) % g
    if d >= a_len and d + b_len <= g:
        return False
    a_starts, b_starts = _starts(a0, a_outer), _starts(b0, b_outer)
    if a_starts is None or b_starts is None:
        return True
    b_starts.sort()
    for a in a_starts:  # the first run of b that ends after a starts must begin before a's run ends
        i = bisect.bisect_right(b_starts, a - b_len)
        if i < len(b_starts) and b_starts[i] < a + a_len:
            return True
    return False


_MAX_RUNS = 1 << 14  # runs enumerated per tensor by the exact overlap test; beyond, it answers "yes"


def _runs(t: torch.Tensor) -> tuple[int, int, list[tuple[int, int]]]:
    """The tensor's bytes as runs of contiguous bytes: (first byte, run length, the outer (stride, size) pairs in
    bytes); a run starts at the first byte plus any sum of i * stride, 0 <= i < size."""
    es = t.element_size()
    dims = sorted((st * es, n) for st, n in zip(t.stride(), t.shape) if n > 1 and st != 0)
    length, i = es, 0
    while i < len(dims) and dims[i][0] == length:
        length *= dims[i][1]
        i += 1
    return t.storage_offset() * es, length, dims[i:]


def _starts(first: int, outer: list[tuple[int, int]]) -> list[int] | None:
    count = 1
    for _, n in outer:
        count *= n
    if count > _MAX_RUNS:
        return None
    starts = [first]
    for s, n in outer:
        starts = [x + i * s for x in starts for i in range(n)]
    return starts
