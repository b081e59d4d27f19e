"""Which frames belong to the user's program, and the chain of user frames at a point of execution.

A frame is the user's when its file is neither in torch, nor in gradguard (except the rule examples, which
are user programs), nor in the standard library or site-packages, nor a synthetic `<...>` file.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from types import FrameType, TracebackType
from typing import NamedTuple

MAX_CHAIN = 12  # user frames kept per place: the innermost ones say where, the rest only "called from"


class Place(NamedTuple):  # a tuple: built on every saved tensor, so it must be cheap
    path: str
    line: int
    function: str

    def label(self) -> str:
        return f"{self.path}:{self.line}"


def _library_dirs() -> tuple[str, ...]:
    dirs = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            dirs.add(os.path.realpath(sysconfig.get_paths()[key]))
        except KeyError:
            pass
    for mod in ("torch", "numpy"):
        m = sys.modules.get(mod)
        if m is not None and getattr(m, "__file__", None):
            dirs.add(os.path.dirname(os.path.realpath(m.__file__)))
    gradguard_dir = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    dirs.add(gradguard_dir)
    return tuple(d + os.sep for d in dirs)


class UserFrames:
    """Decides, once per code object, whether its frames are the user's."""

    def __init__(self) -> None:
        self._library = _library_dirs()
        gradguard_dir = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        self._examples = os.path.join(gradguard_dir, "rules", "examples") + os.sep
        self._by_code: dict = {}  # code object -> its real path if it is the user's, else ""
        self._paths: dict[str, str] = {}
        self.entry = None  # the code object of the runner's frame: the program's frames are the ones below it

    def refresh(self) -> None:
        """Call once torch is imported: its folder joins the library folders."""
        self._library = _library_dirs()
        self._by_code.clear()

    def is_user(self, code) -> bool:
        return bool(self._path_of(code))

    def _path_of(self, code) -> str:
        known = self._by_code.get(code)
        if known is None:
            known = self._by_code[code] = self.real(code.co_filename) if self._is_user_file(code.co_filename) else ""
        return known

    def _is_user_file(self, filename: str) -> bool:
        if not filename or filename.startswith("<"):
            return False
        real = self.real(filename)
        if real.startswith(self._examples):
            return True
        return not real.startswith(self._library)

    def real(self, filename: str) -> str:
        real = self._paths.get(filename)
        if real is None:
            real = self._paths[filename] = os.path.realpath(filename)
        return real

    def chain(self, frame: FrameType | None, limit: int = MAX_CHAIN) -> tuple[Place, ...]:
        """The user frames from `frame` outwards, innermost first."""
        out: list[Place] = []
        by_code = self._by_code
        while frame is not None and len(out) < limit:
            code = frame.f_code
            if code is self.entry:
                break
            path = by_code.get(code)
            if path is None:
                path = self._path_of(code)
            if path:
                out.append(Place(path, frame.f_lineno, code.co_name))
            frame = frame.f_back
        return tuple(out)

    def first(self, frame: FrameType | None) -> tuple[Place, ...]:
        """Only the innermost user frame (what a saved tensor needs: its "saved here" line)."""
        return self.chain(frame, 1)

    def here(self, skip: int = 1) -> tuple[Place, ...]:
        return self.chain(sys._getframe(skip + 1))

    def from_traceback(self, tb: TracebackType | None) -> tuple[Place, ...]:
        """The user frames of a traceback, innermost first (where the exception was raised, then its callers)."""
        out = []
        while tb is not None:
            code = tb.tb_frame.f_code
            if self.is_user(code):
                out.append(Place(self._path_of(code), tb.tb_lineno, code.co_name))
            tb = tb.tb_next
        return tuple(reversed(out))[:MAX_CHAIN]
