"""NumPy writes to saved tensors: torch never sees them, so they are found by comparing values.

`Tensor.numpy()`, `torch.from_numpy` and `torch.as_tensor`/`torch.asarray` are wrapped to note which storages
NumPy shares and where it got them. A saved tensor in such a storage gets a snapshot of its values; while one
is alive, a line tracer on the user's frames compares it after every line, so the line whose NumPy write
changed it is named (GG402). If a change still reaches backward() unseen (a write from another thread), the
unpack hook names the line where NumPy got the memory.
"""

from __future__ import annotations

import sys
import weakref

import torch

from .events import Observation
from .frames import Place, UserFrames


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    return bool(torch.equal(a, b)) or bool(torch.allclose(a, b, rtol=0.0, atol=0.0, equal_nan=True))


class NumpyWatch:
    def __init__(self, recorder, frames: UserFrames) -> None:
        self.recorder = recorder
        self.frames = frames
        self.exposed: dict[int, tuple[Place, ...]] = {}  # storage key -> where NumPy got that memory
        self.watched: list[weakref.ref] = []
        self._originals: list[tuple[object, str, object]] = []
        self._tracing = False
        self._prior = None
        self._previous: tuple[Place, ...] = ()  # the user place of the last line event

    # ------------------------------------------------------------------ wrapping the sharing functions
    def install(self) -> None:
        watch = self

        def wrap(owner, name, tensor_of):
            original = getattr(owner, name)

            def shared(*args, **kwargs):
                result = original(*args, **kwargs)
                try:
                    tensor = tensor_of(args, result)
                    if isinstance(tensor, torch.Tensor):
                        watch.on_expose(tensor)
                except Exception:  # noqa: BLE001 - watching must never change what the program does
                    pass
                return result

            shared.__wrapped__ = original
            self._originals.append((owner, name, original))
            setattr(owner, name, shared)

        wrap(torch.Tensor, "numpy", lambda args, result: args[0])
        wrap(torch, "from_numpy", lambda args, result: result)
        wrap(torch, "as_tensor", lambda args, result: result if _is_ndarray(args[0] if args else None) else None)
        wrap(torch, "asarray", lambda args, result: result if _is_ndarray(args[0] if args else None) else None)

    def uninstall(self) -> None:
        self._stop()
        for owner, name, original in reversed(self._originals):
            setattr(owner, name, original)
        self._originals.clear()

    # ------------------------------------------------------------------ events from the recorder
    def on_expose(self, tensor: torch.Tensor) -> None:
        key = self.recorder.storage_key(tensor)
        if key is None:
            return
        chain = self.frames.here(2)
        self.exposed[key] = chain
        for ref in self.recorder.by_storage.get(key, ()):
            record = ref()
            if record is not None:
                self._watch(record, chain)

    def on_pack(self, record, key: int) -> None:
        chain = self.exposed.get(key)
        if chain is not None:
            self._watch(record, chain)

    def on_unpack(self, record, backward: tuple[Place, ...]) -> None:
        self._check(backward_of=record, backward=backward)

    # ------------------------------------------------------------------ watching
    def _watch(self, record, chain: tuple[Place, ...]) -> None:
        if record.snapshot is None:
            with self.recorder.internal():
                record.snapshot = record.alias.clone()
            record.exposed = chain
            self.watched.append(weakref.ref(record))
        self._start()

    def _check(self, backward_of=None, backward: tuple[Place, ...] = ()) -> None:
        """Compare every watched record with its snapshot; a change is a NumPy write at the previous line."""
        recorder = self.recorder
        if recorder.unsettled:
            recorder.settle()
        alive = []
        for ref in self.watched:
            record = ref()
            if record is None:
                continue
            alive.append(ref)
            with recorder.internal():
                changed = not _same(record.alias, record.snapshot)
                if changed:
                    record.snapshot = record.alias.clone()
            if changed:
                seen_at = self._previous if self._tracing and self._previous else ()
                record_obs = self._observe(record, seen_at)
                recorder.observations.append(record_obs)
                record.numpy_writes.append(record_obs)
        self.watched = alive
        if backward_of is not None:
            for obs in backward_of.numpy_writes:
                if obs.status == "pending":
                    obs.status = "backward"
                    if backward:
                        obs.related.append((backward[0], "backward() uses the changed values here"))
        if not alive:
            self._stop()

    def _observe(self, record, seen_at: tuple[Place, ...]) -> Observation:
        related = [(record.chain[0], record.saved_by())] if record.chain else []
        if seen_at:
            message = ("a NumPy write changes a tensor saved for backward(); torch cannot see it and the gradients "
                       "are silently wrong")
            if record.exposed:
                related.append((record.exposed[0], "NumPy shares the tensor's memory from here"))
            return Observation("GG402", message, seen_at, related, "pending")
        message = ("a tensor saved for backward() was changed through the NumPy array that shares its memory "
                   "(found at backward() by comparing values; the writing line was not seen)")
        return Observation("GG402", message, record.exposed, related, "pending")

    # ------------------------------------------------------------------ the line tracer
    def _start(self) -> None:
        if self._tracing:
            return
        self._tracing = True
        self._previous = ()
        self._prior = sys.gettrace()  # a debugger's or coverage's tracer: put back when the watch ends
        sys.settrace(self._global)
        frame = sys._getframe(1)
        while frame is not None:
            if self.frames.is_user(frame.f_code):
                frame.f_trace = self._local
                frame.f_trace_lines = True
            frame = frame.f_back
        # The innermost user frame is where the watched memory was just shared or saved.
        chain = self.frames.here(1)
        self._previous = chain

    def _stop(self) -> None:
        if not self._tracing:
            return
        self._tracing = False
        sys.settrace(self._prior)
        self._prior = None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_trace is not None and self.frames.is_user(frame.f_code):
                frame.f_trace = None
            frame = frame.f_back

    def _global(self, frame, event, arg):
        if event == "call" and self.frames.is_user(frame.f_code):
            return self._local
        return None

    def _local(self, frame, event, arg):
        if not self._tracing:
            return None
        if event in ("line", "return"):
            self._check()
            if event == "line":
                self._previous = self.frames.chain(frame)
            elif frame.f_back is not None:
                self._previous = self.frames.chain(frame.f_back)
        return self._local


def _is_ndarray(value) -> bool:
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.ndarray)
