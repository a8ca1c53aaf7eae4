"""Named random streams: one per stochastic source, derived from the run's seed.

A stream's key is ``crc32(name)`` appended to the run's spawn key, the same
rule as :func:`cmdsim.analysis.seeds.stream`, so adding a source never shifts
the draws of another and common random numbers work across variants.

Stream names used by the engine (``<id>`` are model ids):

* ``channel/<incident>/<channel>`` — per observation: one uniform (miss), one delay;
* ``officers/<incident>`` — per observation, per tier hop: one uniform, one delay;
* ``room/<room>/triage``, ``room/<room>/approval``, ``room/<room>/forward``;
* ``callout/<command>`` — each call-out of the HQ in :func:`draw_callout` order;
* ``reassess/<incident>``, ``task/<incident>/<task>``, ``report/<incident>/<report>``.
"""

from __future__ import annotations

import zlib

import numpy as np


def root_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """The run's seed sequence: an int seed or a replication's child sequence."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(int(seed))


def stream(root: np.random.SeedSequence, name: str) -> np.random.Generator:
    """The generator of the named source below ``root``."""
    key = (*root.spawn_key, zlib.crc32(name.encode("utf-8")))
    child = np.random.SeedSequence(root.entropy, spawn_key=key, pool_size=root.pool_size)
    return np.random.Generator(np.random.PCG64(child))


class Streams:
    """Lazily created named streams of one run; a name always gives the same one."""

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        self.root = root_sequence(seed)
        self._made: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        rng = self._made.get(name)
        if rng is None:
            rng = self._made[name] = stream(self.root, name)
        return rng
