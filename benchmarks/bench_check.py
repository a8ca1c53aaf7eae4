"""How the plan checker's cost grows with the size of the district.

Checks the bundled district (``scenarios/district``; the example district of
``examples/planning-office`` when it is absent) and the same district
replicated 4× and 16× by renaming every id, and prints the time ratios.
The target: linear algorithms keep 16× the plans within 20× the time
(asserted); every other figure is printed.

Run::

    .venv/bin/pytest benchmarks/bench_check.py --benchmark-enable -s
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import attrs
import pytest

from cmdsim.check import check
from cmdsim.model import (
    Body,
    Command,
    District,
    Hazard,
    LevelResponse,
    Plan,
    Post,
    Resource,
    Scenario,
    Task,
    Town,
    TownPlanSet,
    Unit,
)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios" / "district"
SMOKE = os.environ.get("CMDSIM_BENCH_SMOKE", "") == "1"
"""A smoke run (``benchmarks/conftest.py``): one round, targets not judged."""
ROUNDS = 1 if SMOKE else 30


def bundled() -> District:
    from cmdsim.io import load_with_locations

    value: Any = load_with_locations(BUNDLED).value
    return value.district if isinstance(value, Scenario) else value


def _copy(district: District, n: int) -> dict[str, Any]:
    """Every part of the district with ids suffixed ``_c<n>``."""

    def r(ident: str) -> str:
        return f"{ident}_c{n}"

    def rs(idents: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(r(i) for i in idents)

    required = set(district.town_required)

    def unit_or_room(ident: str) -> str:
        return ident if ident == district.duty_room.id else r(ident)

    def task(t: Task) -> Task:
        return attrs.evolve(t, unit=r(t.unit), resources={r(k): c for k, c in t.resources.items()})

    def response(lr: LevelResponse) -> LevelResponse:
        return LevelResponse(
            activate=rs(lr.activate),
            notify=rs(lr.notify),
            tasks=tuple(task(t) for t in lr.tasks),
        )

    def plan(p: Plan) -> Plan:
        # A plan naming no hazard stays so: a town's governs nothing, as the
        # engine decides no incident by it, and the district's general plan
        # covers only hazards no plan names (none in the bundled district,
        # nor in any copy).  Naming every hazard of its copy would make each
        # town's general plan the first town plan for all of them.
        hazards = p.hazards
        return attrs.evolve(
            p,
            id=r(p.id),
            town=None if p.town is None else r(p.town),
            hazards=rs(hazards),
            lead=None if p.lead is None else r(p.lead),
            levels={level: response(lr) for level, lr in p.levels.items()},
            reports=tuple(attrs.evolve(d, by=unit_or_room(d.by)) for d in p.reports),
            escalation=attrs.evolve(p.escalation, hand_over=rs(p.escalation.hand_over)),
            merge=tuple(attrs.evolve(m, id=r(m.id), hazards=rs(m.hazards)) for m in p.merge),
            takeover=None
            if p.takeover is None
            else attrs.evolve(p.takeover, convene=rs(p.takeover.convene)),
        )

    def body(b: Body) -> Body:
        return attrs.evolve(
            b,
            id=r(b.id),
            parent=None if b.parent is None else r(b.parent),
            office=r(b.office),
            members=rs(b.members),
            hazards=rs(b.hazards),
            commands=rs(b.commands),
            notify=tuple(attrs.evolve(x, hazards=rs(x.hazards)) for x in b.notify),
            convene=tuple(attrs.evolve(x, hazards=rs(x.hazards)) for x in b.convene),
        )

    def post(p: Post) -> Post:
        return attrs.evolve(p, unit=None if p.unit is None else r(p.unit))

    def command(c: Command) -> Command:
        return attrs.evolve(
            c,
            id=r(c.id),
            general=c.general and n == 0,
            lead_unit=r(c.lead_unit),
            member_units=rs(c.member_units),
            posts=tuple(post(p) for p in c.posts),
            town=None if c.town is None else r(c.town),
        )

    def town(t: Town) -> Town:
        room = t.duty_room
        if room is not None and room.id != district.duty_room.id:
            room = attrs.evolve(room, id=r(room.id))
        return attrs.evolve(
            t,
            id=r(t.id),
            duty_room=room,
            plan_set=TownPlanSet(
                general=t.plan_set.general,
                # Every copy keeps the copy-0 requirements (see replicate).
                special=(
                    *rs(t.plan_set.special),
                    *(f"{h}_c0" for h in t.plan_set.special if h in required and n),
                ),
                other=t.plan_set.other,
            ),
        )

    return {
        "hazards": [Hazard(r(h.id), h.name, h.forecastable) for h in district.hazards],
        "units": [
            Unit(
                r(u.id),
                u.name,
                u.staff,
                tuple(Resource(r(x.id), x.name, x.capacity) for x in u.resources),
            )
            for u in district.units
        ],
        "commands": [command(c) for c in district.commands],
        "towns": [town(t) for t in district.towns],
        "channels": [attrs.evolve(c, id=r(c.id), hazards=rs(c.hazards)) for c in district.channels],
        "plans": [plan(p) for p in district.plans],
        "town_required": list(rs(district.town_required)) if n == 0 else [],
        "bodies": [body(b) for b in district.bodies],
        "duties": [attrs.evolve(d, hazard=r(d.hazard)) for d in district.duties],
        "responsibilities": [
            attrs.evolve(x, owner=r(x.owner), hazard=r(x.hazard)) for x in district.responsibilities
        ],
    }


def replicate(district: District, k: int) -> District:
    """The district k times over, each copy's ids renamed apart.

    The towns' requirement (``town_required``) stays that of the original:
    requiring every copy's hazards of every town would make the input itself
    grow with k², not the checker.
    """
    parts: dict[str, list[Any]] = {}
    for n in range(k):
        for key, items in _copy(district, n).items():
            parts.setdefault(key, []).extend(items)
    # One community response for all copies: its actions' hazards are copy 0's.
    community = district.community
    actions = tuple(
        attrs.evolve(a, hazards=tuple(f"{h}_c0" for h in a.hazards)) for a in community.actions
    )
    handbook = tuple(f"{h}_c0" for h in community.handbook_hazards)
    community = attrs.evolve(community, actions=actions, handbook_hazards=handbook)
    return attrs.evolve(district, id=f"{district.id}_x{k}", community=community, **parts)


def best_times(districts: dict[int, District], rounds: int = ROUNDS) -> dict[int, float]:
    """Best time of each district over ``rounds`` interleaved rounds.

    Interleaving spreads a busy machine's noise over all sizes alike; the
    collector is off as in ``timeit`` (a cyclic-GC pass scans the whole heap,
    which here holds every replica).
    """
    best = {k: float("inf") for k in districts}
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for k, district in districts.items():
                t0 = time.perf_counter()
                check(district)
                best[k] = min(best[k], time.perf_counter() - t0)
    finally:
        if enabled:
            gc.enable()
    return best


@pytest.fixture(scope="module")
def districts() -> dict[int, District]:
    base = bundled()
    return {k: replicate(base, k) for k in (1, 4, 16)}


def test_replicas_find_the_same(districts: dict[int, District]) -> None:
    """What the replicas give the checker to find, for the record (the
    structure itself is tested in tests/sim/test_bench_smoke.py)."""
    one = check(districts[1])
    sixteen = check(districts[16])
    print(
        f"\ncheck: {len(one.findings)} findings and {len(one.matrix)} matrix cells once, "
        f"{len(sixteen.findings)} and {len(sixteen.matrix)} for 16 copies"
    )


@pytest.mark.parametrize("k", [1, 4, 16])
def test_bench_check(benchmark: Any, districts: dict[int, District], k: int) -> None:
    benchmark(check, districts[k])


def test_growth_is_linear(districts: dict[int, District], target: Any) -> None:
    best = best_times(districts)
    ratios = {k: best[k] / best[1] for k in (4, 16)}
    plans = {k: len(districts[k].plans) for k in districts}
    print(
        f"\ncheck: {plans[1]} plans {best[1] * 1e3:.2f} ms; "
        f"4x ({plans[4]} plans) {best[4] * 1e3:.2f} ms = {ratios[4]:.1f}x; "
        f"16x ({plans[16]} plans) {best[16] * 1e3:.2f} ms = {ratios[16]:.1f}x"
    )
    target(ratios[16] <= 20.0, f"16x the plans in {ratios[16]:.1f}x the time (target <= 20x)")
