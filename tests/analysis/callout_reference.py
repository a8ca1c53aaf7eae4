"""A discrete-event call-out, written plainly with SimPy, for checking the
fast path: each person a process, each post and quorum term a counter.

It takes the draws from :func:`cmdsim.analysis.fastpath.draw_callout`, so both
see the same numbers, and returns the time at which the HQ's quorum is met
(``inf`` if never) — the engine's call-out with unlimited capacity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import simpy

from cmdsim.analysis.fastpath import PostDraws
from cmdsim.model import Command


def simulate_callout(
    command: Command, draws: Mapping[str, PostDraws], row: int, notified: float = 0.0
) -> float:
    env = simpy.Environment(initial_time=notified)
    arrived = {post.id: 0 for post in command.posts}
    filled: dict[str, bool] = {post.id: False for post in command.posts}
    done: dict[str, float] = {}
    needed = {post.id: post.needed for post in command.posts}
    terms = command.quorum

    def quorum_holds() -> bool:
        if not terms:
            return all(filled.values())
        return all(sum(filled[p] for p in term.posts) >= term.k for term in terms)

    def person(post: str, delay: float):  # type: ignore[no-untyped-def]
        yield env.timeout(delay)
        arrived[post] += 1
        if arrived[post] == needed[post]:
            filled[post] = True
            if "hq" not in done and quorum_holds():
                done["hq"] = env.now

    for post in command.posts:
        d = draws[post.id]
        for delay, reached in zip(d.arrivals[:, row], d.reached[:, row], strict=True):
            if reached:
                env.process(person(post.id, float(delay)))
    if not command.posts:
        return notified
    env.run()
    return done.get("hq", math.inf)
