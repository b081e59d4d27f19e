"""What the recorder saw, as plain data: one Observation per autograd problem, before it becomes a Finding."""

from __future__ import annotations

from dataclasses import dataclass, field

from .frames import Place


@dataclass
class Observation:
    code: str  # a gradguard rule code: GG201, GG401, GG402, GG101, ...
    message: str
    chain: tuple[Place, ...]  # where it happened: the innermost user frame first, then its callers
    related: list[tuple[Place, str]] = field(default_factory=list)
    # "raised": torch raised (or trace raised for torch); "backward": backward() used the changed tensor;
    # "pending": no backward() used it (reported with --strict only).
    status: str = "raised"
    # Other places the static analysis may name for the same problem (where the torch module that made the
    # write was created): matched like the "called from" lines.
    also: tuple[Place, ...] = ()

    @property
    def place(self) -> Place | None:
        return self.chain[0] if self.chain else None
