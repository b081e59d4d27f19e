"""Every corpus file cut off at random points (seeded): zero crashes, bounded time, no finding in a broken block.

CI: a seeded sample of 150 files x 3 cuts. GRADGUARD_FUZZ=long (`make fuzz`): every file of the corpus x 3 cuts.
Cuts land mid-line, mid-token, inside strings and brackets: what a file looks like while it is being typed
top to bottom, or what an editor sends when it saves half a file.
"""

from __future__ import annotations

import random
import time

from fuzzing import LONG, STATS, analyse_and_check, read

SAMPLE = 150
CUTS = 3


def cuts(path, text: str) -> list[int]:
    rnd = random.Random(f"gradguard-truncate:{path.name}:{len(text)}")
    return sorted(rnd.randrange(0, len(text) + 1) for _ in range(CUTS))


def test_truncated_corpus_files_never_crash(corpus_files):
    files = corpus_files if LONG else random.Random(20261121).sample(corpus_files, min(SAMPLE, len(corpus_files)))
    failures = []
    started = time.monotonic()
    tried = 0
    for path in files:
        text = read(path)
        for cut in cuts(path, text):
            tried += 1
            try:
                analyse_and_check(text[:cut], str(path))
            except Exception as exc:  # collect them all: one run names every crashing input
                failures.append(f"{path} cut at {cut}: {type(exc).__name__}: {exc}")
    STATS["truncated corpus files"] = (f"{tried} analysed ({len(files)} files x {CUTS} cuts) in "
                                       f"{time.monotonic() - started:.0f} s, {len(failures)} failures")
    assert not failures, "\n".join(failures[:20])
