"""Closed forms the engine is validated against (see ``tests/sim``)."""

from __future__ import annotations

import math


def erlang_c(servers: int, arrival_rate: float, service_mean: float) -> float:
    """Probability that an arrival waits in an M/M/c queue."""
    load = arrival_rate * service_mean
    if load >= servers:
        return 1.0
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    bottom = sum(load**i / math.factorial(i) for i in range(servers)) + top
    return top / bottom


def erlang_c_wait(servers: int, arrival_rate: float, service_mean: float) -> float:
    """Mean wait in queue (same time unit as ``service_mean``) of an M/M/c queue."""
    load = arrival_rate * service_mean
    if load >= servers:
        return math.inf
    return erlang_c(servers, arrival_rate, service_mean) * service_mean / (servers - load)


def exponential_kth_mean(k: int, n: int, rate: float) -> float:
    """Mean of the ``k``-th smallest of ``n`` exponential(``rate``) draws."""
    return sum(1.0 / (rate * (n - i)) for i in range(k))
