"""Seeds of replications and named random streams.

Replication ``i`` of a batch with seed ``s`` uses ``SeedSequence(s).spawn(n)[i]``,
which is the same as ``SeedSequence(s, spawn_key=(i,))``: any worker can make
replication ``i`` alone, so chunking, resuming and distributing never change a
draw.  Streams the analysis layer adds itself (the start-time offset of
``spread_week``) are child ``SeedSequence``s of the replication's sequence,
keyed by a CRC-32 of their name; they are made once per replication, so the
cost of a ``SeedSequence`` does not matter here.  The engine's own streams,
made by the hundred per run, are cheaper hashed generators instead
(:mod:`cmdsim.sim.streams`); both depend only on the replication's sequence
and the name.  The two are different algorithms under two names:
:func:`cmdsim.sim.stream` is the public one (the engine's draws, documented
in ``docs/engine.md``); :func:`analysis_stream` is this layer's own.

>>> import numpy as np
>>> a = np.random.SeedSequence(7).spawn(3)[2].generate_state(2)
>>> b = replication_seed(7, 2).generate_state(2)
>>> bool((a == b).all())
True
"""

from __future__ import annotations

import zlib

import numpy as np

WEEK_MINUTES = 7 * 24 * 60.0


def replication_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The SeedSequence of replication ``index`` of a batch seeded ``seed``."""
    if index < 0:
        raise ValueError(f"replication index {index} is negative")
    return np.random.SeedSequence(seed, spawn_key=(index,))


def analysis_stream(parent: np.random.SeedSequence, name: str) -> np.random.Generator:
    """A generator for the analysis layer's named stream below ``parent``
    (stable across versions).  Not the engine's streams: those are
    :func:`cmdsim.sim.stream`, the public one, which a fast path or a test
    reproducing an engine draw must use."""
    key = (*parent.spawn_key, zlib.crc32(name.encode("utf-8")))
    child = np.random.SeedSequence(parent.entropy, spawn_key=key, pool_size=parent.pool_size)
    return np.random.Generator(np.random.PCG64(child))


def week_offset(parent: np.random.SeedSequence) -> float:
    """Minutes to shift a replication's scenario by, uniform over one week.

    Rounded to whole seconds, so calendar arithmetic is exact.
    """
    draw = float(analysis_stream(parent, "analysis.start_offset").uniform(0.0, WEEK_MINUTES))
    return round(draw * 60.0) / 60.0
