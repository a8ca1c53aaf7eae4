"""Per-scenario caches: what is derived from a scenario, made once per object.

The engine's compiled scenario and the fast path's notification graph are
both built on first use and dropped when the scenario itself is.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from cmdsim.model.scenario import Scenario

T = TypeVar("T")


class ScenarioCache(Generic[T]):
    """What ``build`` makes of a scenario, made on first use and kept while
    the scenario lives.

    Keyed by identity, not by value: a scenario is a large frozen value,
    slow to hash, and the same object is handed to every replication.
    """

    def __init__(self, build: Callable[[Scenario], T]) -> None:
        self.build = build
        self._made: dict[int, tuple[weakref.ref[Scenario], T]] = {}

    def __call__(self, scenario: Scenario) -> T:
        key = id(scenario)
        hit = self._made.get(key)
        if hit is not None and hit[0]() is scenario:
            return hit[1]
        made = self.build(scenario)
        entries = self._made

        def forget(_: object, key: int = key) -> None:
            entry = entries.get(key)
            if entry is not None and entry[0]() is None:
                del entries[key]

        entries[key] = (weakref.ref(scenario, forget), made)
        return made

    def clear(self) -> None:
        self._made.clear()
