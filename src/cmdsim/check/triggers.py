"""Triggers that can never fire, threshold bands that overlap, leave holes
or run backwards, and plans no trigger can start (CMD003, CMD010–CMD017).

A trigger's level is read as the engine runs it: it includes every lower
level's actions (:meth:`Plan.included`).  Setting a level when nothing at
or below it is written sets nothing in motion (CMD003); setting one the
plan does not write while a lower one is written gives that lower level's
response, which may be meant, so it is only told (CMD017).

Bands are read per plan and attribute from the triggers that one attribute
alone can set off: every condition of an ``any_of`` without ``all_of``, or a
trigger whose conditions all test the same attribute.  Triggers mixing
attributes under ``all_of`` are checked for contradictions but not banded.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Generator, Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.intervals import Interval, domain, hole_between, merge, of_condition
from cmdsim.check.matrix import governing_rows
from cmdsim.check.words import Join, Phrase, say
from cmdsim.model import Condition, District, Level, Plan, PlanKind, Trigger
from cmdsim.model.governing import plan_choice


def _conjunction(conditions: tuple[Condition, ...]) -> dict[str, Interval]:
    out: dict[str, Interval] = {}
    for condition in conditions:
        interval = of_condition(condition)
        previous = out.get(condition.attribute)
        out[condition.attribute] = interval if previous is None else previous.intersect(interval)
    return out


def _signal_impossible(plan: Plan, forecastable: dict[str, bool]) -> bool:
    """True when no hazard of the plan ever brings a warning signal."""
    if not plan.hazards:
        return False
    return not any(forecastable.get(h, True) for h in plan.hazards)


def check_triggers(district: District) -> Iterator[Finding]:
    forecastable = {h.id: h.forecastable for h in district.hazards}
    acting: dict[int, set[Level]] | None = None
    for pi, plan in enumerate(district.plans):
        base = f"plans[{pi}]"
        no_signal = _signal_impossible(plan, forecastable)
        bands: dict[str, dict[Level, list[tuple[Interval, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        reported_levels: set[Level] = set()
        fired: set[Level] = set()
        for ti, trigger in enumerate(plan.triggers):
            tpath = f"{base}.triggers[{ti}]"
            fires = yield from _trigger_findings(trigger, tpath, no_signal)
            if not fires:
                continue
            fired.add(trigger.level)
            if trigger.level not in plan.levels and trigger.level not in reported_levels:
                reported_levels.add(trigger.level)
                yield from _unwritten(plan, trigger.level, f"{tpath}.level")
            for attribute, interval in _bands_of(trigger):
                bands[attribute][trigger.level].append((interval, ti))
        for attribute, by_level in bands.items():
            yield from _band_findings(plan, base, attribute, by_level)
        if plan.kind is PlanKind.GENERAL:
            if acting is None:
                acting = _general_acting(district)
            used = acting.get(pi, set())
        else:
            used = set(plan.levels)
        yield from _unreached(plan, base, fired, used)


def _unwritten(plan: Plan, level: Level, path: str) -> Iterator[Finding]:
    """For a trigger's level the plan does not write: CMD003 where nothing
    at or below it is written (it sets nothing in motion), else CMD017: it
    gets the response of the written levels below."""
    if not plan.responds(level):
        gets = say("gets.lead" if plan.lead else "gets.nobody")
        yield finding("CMD003", say("CMD003", plan=plan.id, level=level.value, gets=gets), path)
        return
    below = max(at for at in plan.levels if at < level)
    said = say("CMD017", plan=plan.id, level=level.value, below=below.value)
    yield finding("CMD017", said, path)


def _general_acting(district: District) -> dict[int, set[Level]]:
    """The levels at which each general plan leads some cell of the matrix:
    where it governs (:func:`governing_rows`, the engine's choice) with a
    lead and a response.

    At the other levels its response is not what an incident gets, whatever
    its triggers say (the general HQ takes over by its ``takeover`` rule).
    """
    index = {id(p): i for i, p in enumerate(district.plans)}
    out: dict[int, set[Level]] = {}
    for row in governing_rows(district, plan_choice(district)).values():
        for level in Level:
            plan = row.at(level)
            if (
                plan is not None
                and plan.kind is PlanKind.GENERAL
                and plan.lead is not None
                and plan.responds(level)
            ):
                out.setdefault(index[id(plan)], set()).add(level)
    return out


def _unreached(plan: Plan, base: str, fired: set[Level], used: set[Level]) -> Iterator[Finding]:
    """CMD016 for a plan none of whose ``used`` levels (those an incident of
    its hazards gets its response from) is ever decided.

    A plan is started by a trigger that can fire or by its warning link;
    only a report naming a level (a scripted drill's) starts it otherwise,
    which the plan itself does not promise.  A plan some of whose levels
    no trigger sets is left alone: those may be a leader's to decide.
    """
    if not used or fired or plan.warnings is not None:
        return
    why = say("why.no_trigger") if not plan.triggers else say("why.none_fire", n=len(plan.triggers))
    shown = Join([level.value for level in sorted(used)])
    said = say("CMD016", plan=plan.id, shown=shown, why=why)
    yield finding("CMD016", said, f"{base}.triggers")


def _trigger_findings(
    trigger: Trigger, path: str, no_signal: bool
) -> Generator[Finding, None, bool]:
    """Findings about one trigger; returns whether it can fire at all."""
    level = trigger.level.value
    conjunction = _conjunction(trigger.all_of)
    for ci, condition in enumerate(trigger.all_of):
        if condition.attribute == "signal" and no_signal:
            said = say("CMD012", condition=str(condition))
            yield finding("CMD012", said, f"{path}.all_of[{ci}]")
            return False
    for ci, condition in enumerate(trigger.all_of):
        if of_condition(condition).empty:
            said = say("CMD010.impossible", level=level, condition=str(condition))
            yield finding("CMD010", said, f"{path}.all_of[{ci}]")
            return False
    for attribute, interval in conjunction.items():
        if interval.empty:
            texts = Join([f"'{c}'" for c in trigger.all_of if c.attribute == attribute], " and ")
            index = next(i for i, c in enumerate(trigger.all_of) if c.attribute == attribute)
            said = say("CMD010.contradict", level=level, texts=texts)
            yield finding("CMD010", said, f"{path}.all_of[{index}]")
            return False
    if not trigger.any_of:
        return True
    alive = 0
    dead: list[tuple[int, Condition, Phrase]] = []
    for ci, condition in enumerate(trigger.any_of):
        if condition.attribute == "signal" and no_signal:
            said = say("CMD012", condition=str(condition))
            yield finding("CMD012", said, f"{path}.any_of[{ci}]")
            continue
        interval = of_condition(condition)
        if interval.empty:
            dead.append((ci, condition, say("dead.impossible")))
            continue
        bound = conjunction.get(condition.attribute)
        if bound is not None and not interval.meets(bound):
            dead.append((ci, condition, say("dead.contradicts")))
            continue
        alive += 1
    if alive == 0:
        if dead:
            ci, condition, reason = dead[0]
            said = say("CMD010", level=level, condition=str(condition), reason=reason)
            yield finding("CMD010", said, f"{path}.any_of[{ci}]")
        return False
    for ci, condition, reason in dead:
        said = say("CMD011", condition=str(condition), reason=reason)
        yield finding("CMD011", said, f"{path}.any_of[{ci}]")
    return True


def _bands_of(trigger: Trigger) -> Iterator[tuple[str, Interval]]:
    """The intervals of single attributes that alone set off the trigger."""
    attributes = {c.attribute for c in (*trigger.any_of, *trigger.all_of)}
    if not trigger.all_of:
        for condition in trigger.any_of:
            interval = of_condition(condition)
            if not interval.empty:
                yield condition.attribute, interval
        return
    if len(attributes) != 1:
        return
    (attribute,) = attributes
    bound = _conjunction(trigger.all_of)[attribute]
    if not trigger.any_of:
        yield attribute, bound
        return
    for condition in trigger.any_of:
        interval = of_condition(condition).intersect(bound)
        if not interval.empty:
            yield attribute, interval


def _band_findings(
    plan: Plan,
    base: str,
    attribute: str,
    by_level: dict[Level, list[tuple[Interval, int]]],
) -> Iterator[Finding]:
    # The lowest value each level is reached with, and the trigger saying so.
    starts: dict[Level, tuple[Interval, int]] = {}
    for level, items in by_level.items():
        starts[level] = min(items, key=lambda item: (item[0].lo, item[0].lo_open))
    levels = sorted(by_level)  # least severe first
    backwards: set[tuple[Level, Level]] = set()
    top = domain(attribute).hi  # a band reaching this is open-ended, not a band
    for i, lower in enumerate(levels):
        for higher in levels[i + 1 :]:
            low_start, _ = starts[lower]
            high_start, high_trigger = starts[higher]
            if (high_start.lo, high_start.lo_open) < (low_start.lo, low_start.lo_open):
                backwards.add((lower, higher))
                said = say(
                    "CMD015",
                    plan=plan.id,
                    higher=higher.value,
                    high=high_start.words(attribute),
                    lower=lower.value,
                    low=low_start.words(attribute),
                )
                yield finding("CMD015", said, f"{base}.triggers[{high_trigger}]")
    for i, lower in enumerate(levels):
        for higher in levels[i + 1 :]:
            if (lower, higher) in backwards:
                continue
            for low_interval, low_trigger in by_level[lower]:
                if low_interval.hi >= top:
                    continue
                clash = next(
                    (h for h, _ in by_level[higher] if low_interval.meets(h)),
                    None,
                )
                if clash is None:
                    continue
                both = low_interval.intersect(clash)
                said = say(
                    "CMD013",
                    plan=plan.id,
                    both=both.words(attribute),
                    lower=lower.value,
                    low=low_interval.words(attribute),
                    higher=higher.value,
                    high=clash.words(attribute),
                )
                yield finding("CMD013", said, f"{base}.triggers[{low_trigger}]")
                break
    every = [(interval, ti) for items in by_level.values() for interval, ti in items]
    merged = merge(attribute, [interval for interval, _ in every])
    full = domain(attribute)
    for low, high in itertools.pairwise(merged):
        hole = hole_between(attribute, low, high)
        if hole is None or not hole.meets(full):
            continue
        _, after = min(
            ((interval, ti) for interval, ti in every if interval.lo == high.lo),
            key=lambda item: item[1],
        )
        said = say("CMD014", plan=plan.id, hole=hole.words(attribute))
        yield finding("CMD014", said, f"{base}.triggers[{after}]")
