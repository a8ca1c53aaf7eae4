"""Plans, report limits and hand-overs that can never take effect (CMD006–CMD009).

Which plan governs an incident is the engine's choice, made by
:class:`cmdsim.model.governing.PlanChoice` for the engine (``sim/compiled.py``)
and read here from the district alone:

- the district room decides by ``Compiled.plan_for``: the first
  district-tier plan that names the hazard, else the first plan naming it
  whose town is the incident's or none;
- a town with a duty room decides first by ``Compiled.town_plan_for``: the
  first town-tier plan of that town naming the hazard;
- an incident outgrowing that town plan goes to ``Compiled.hand_over_to``:
  the first plan of its ``escalation.hand_over`` naming the hazard, else the
  first named, else the district plan for the hazard.

Where no plan names the hazard, both the district room and a hand-over
take the district's general plan if it names no hazard
(:func:`cmdsim.model.scenario.covering_plan`: the "1" covers what no
special plan covers).  So such a general plan governs the hazards no plan
names and nothing else; any other plan naming no hazard governs nothing
unless a hand-over names it.  ``tests/check/test_governs.py`` holds this
choice to the engine's on the bundled and hand-made districts.

- **CMD006** (warning): a plan that governs no incident yet has reports or
  level duties (tasks, HQs to activate or notify, officers to call in):
  none of them ever runs, and a planner editing them changes nothing.  The
  district's general plan with a takeover rule is not one: a takeover puts
  it in force on the incidents taken over (:mod:`cmdsim.sim.general`).
- **CMD007** (info): such a plan with only triggers or empty levels.
- **CMD026** (info): the district's general plan with a takeover rule that
  governs no incident (every hazard has its own plan): its duties run under
  a takeover, but its triggers and escalation decide nothing.
- **CMD008** (warning): a report's ``limits`` entry that never applies:
  an earlier entry applies wherever it would (the first that applies is
  taken), or its ``min_level`` is above every level the plan is put at
  (:meth:`~cmdsim.model.governing.PlanChoice.reach`, as for CMD025/CMD044).
- **CMD009** (warning): ``escalation.hand_over`` or ``hand_back`` on a plan
  that is not a town plan: the engine hands an incident over only from the
  plan a town's room decides by (``Compiled.hand_over_to`` is asked of town
  plans alone), so a district plan's hand-over never happens.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.reach import levels_text
from cmdsim.check.words import Join, Phrase, say
from cmdsim.model import District, Level, Plan, PlanTier
from cmdsim.model.governing import PlanChoice, plan_choice
from cmdsim.model.plans import ReportLimit
from cmdsim.model.scenario import general_plan


def district_plan_for(district: District, hazard: str, town: str | None) -> Plan | None:
    """The plan the district room decides an incident by (``Compiled.plan_for``)."""
    return plan_choice(district).district_plan_for(hazard, town)


def town_plan_for(district: District, hazard: str, town: str | None) -> Plan | None:
    """The plan a town's room decides an incident by first (``Compiled.town_plan_for``)."""
    return plan_choice(district).town_plan_for(hazard, town)


def successor(district: District, plan: Plan, hazard: str) -> Plan | None:
    """The plan taking over an incident that outgrows ``plan`` (``Compiled.hand_over_to``)."""
    return plan_choice(district).successor(plan, hazard)


def governed(district: District, index: PlanChoice | None = None) -> dict[str, dict[str, set[str]]]:
    """Plan id -> hazard -> the towns (``""`` for none, standing also for
    every town no plan of the hazard belongs to: :meth:`PlanChoice.towns_of`)
    whose incidents of that hazard the plan can govern: every plan the
    engine may decide by."""
    ix = index if index is not None else plan_choice(district)
    out: dict[str, dict[str, set[str]]] = {}

    def add(plan: Plan | None, hazard: str, town: str | None) -> None:
        if plan is not None:
            out.setdefault(plan.id, {}).setdefault(hazard, set()).add(town or "")

    for hazard in (h.id for h in district.hazards):
        for town in ix.towns_of(hazard):
            add(ix.district_plan_for(hazard, town), hazard, town)
            local = ix.town_plan_for(hazard, town)
            if local is not None:
                add(local, hazard, town)
                add(ix.successor(local, hazard), hazard, town)
    return out


def _duties(plan: Plan) -> list[Phrase]:
    """What of the plan would run for an incident it governs, in words."""
    out = []
    if plan.reports:
        n = len(plan.reports)
        ids = Join([r.id for r in plan.reports])
        out.append(say("duties.reports", n=n, s="s" if n > 1 else "", ids=ids))
    for level in sorted(plan.levels, reverse=True):
        response = plan.levels[level]
        parts = [
            say(key, n=len(items))
            for items, key in (
                (response.tasks, "duties.tasks"),
                (response.activate, "duties.activate"),
                (response.notify, "duties.notify"),
                (response.reinforce, "duties.reinforce"),
            )
            if items
        ]
        if parts:
            out.append(say("duties.level", level=level.value, parts=Join(parts)))
    return out


def _who_instead(district: District, plan: Plan, ix: PlanChoice) -> Phrase | Join:
    """Why the plan governs nothing: who governs its hazards instead."""
    if not plan.hazards:
        return say("who.covers_only" if plan is ix.covering else "who.no_hazard")
    parts = []
    for hazard in plan.hazards:
        if plan.tier is PlanTier.TOWN and plan.town is not None:
            if plan.town not in ix.rooms:
                parts.append(say("who.no_room", hazard=hazard, town=plan.town))
                continue
            local = ix.town_plan_for(hazard, plan.town)
            if local is not None and local.id != plan.id:
                parts.append(say("who.town_first", hazard=hazard, plan=local.id))
                continue
        other = ix.district_plan_for(hazard, plan.town)
        if other is not None and other.id != plan.id:
            parts.append(say("who.other", hazard=hazard, plan=other.id))
        else:
            parts.append(say("who.unreached", hazard=hazard))
    return Join(parts, "; ")


class _Rules:
    """The plan that decides each hazard's incidents with no town (in the
    district's order of hazards), and for each town the hazards it decides
    otherwise (:meth:`PlanChoice.towns_of`): a town's rules are the district's
    but for those, so asking for every town stays linear in the plans."""

    def __init__(self, district: District, ix: PlanChoice) -> None:
        self.ix = ix
        self.hazards = [h.id for h in district.hazards]
        self.default = {h: ix.district_plan_for(h, None) for h in self.hazards}
        self.own: dict[str, list[str]] = {}
        for hazard in self.hazards:
            for town in ix.towns_of(hazard):
                if town is not None:
                    self.own.setdefault(town, []).append(hazard)

    def rule(self, hazard: str, town: str | None) -> Plan | None:
        if town is None or hazard not in self.own.get(town, ()):
            return self.default[hazard]
        local = self.ix.town_plan_for(hazard, town)
        return local if local is not None else self.ix.district_plan_for(hazard, town)

    def split(self, town: str | None) -> tuple[list[Phrase], int, list[str]]:
        """The first three ``hazard by 'plan'``, how many hazards have a
        plan, and those without one, in the district's order of hazards."""
        own = self.own.get(town, []) if town is not None else []
        ruled = sum(1 for h in self.hazards if self.default[h] is not None)
        ruled += sum((self.rule(h, town) is not None) - (self.default[h] is not None) for h in own)
        bare = [h for h in self.hazards if self.default[h] is None and h not in own]
        bare += [h for h in own if self.rule(h, town) is None]
        order = {h: i for i, h in enumerate(self.hazards)}
        first: list[Phrase] = []
        for hazard in self.hazards:
            if len(first) == 3:
                break
            found = self.rule(hazard, town)
            if found is not None:
                first.append(say("covered.by", hazard=hazard, plan=found.id))
        return first, ruled, sorted(bare, key=order.__getitem__)


def _covered_by(plan: Plan, rules: _Rules) -> Join:
    """Which plans decide the incidents of the plan's tier (its town's, or
    the district's), shortly: the first three hazards and how many more."""
    town = plan.town if plan.tier is PlanTier.TOWN else None
    first, ruled, bare = rules.split(town)
    where = say("covered.town", town=town) if town is not None else say("covered.district")
    shown: Phrase | Join = Join(first)
    if ruled > 3:
        shown = say("covered.more", shown=shown, n=ruled - 3)
    parts = [say("covered.ruled", where=where, shown=shown)] if ruled else []
    if bare:
        has = "has" if len(bare) == 1 else "have"
        parts.append(say("covered.bare", bare=Join(bare), has=has))
    return Join(parts, "; ")


def _shadows(earlier: ReportLimit, later: ReportLimit) -> bool:
    """Whether ``earlier`` applies wherever ``later`` would."""
    level_ok = earlier.min_level is None or (
        later.min_level is not None and earlier.min_level <= later.min_level
    )
    return level_ok and (earlier.zone is None or earlier.zone == later.zone)


def _limits(plan: Plan, base: str, reached: frozenset[Level]) -> Iterator[Finding]:
    for ri, report in enumerate(plan.reports):
        for li, limit in enumerate(report.limits):
            path = f"{base}.reports[{ri}].limits[{li}]"
            first = next((i for i, e in enumerate(report.limits[:li]) if _shadows(e, limit)), None)
            if first is not None:
                said = say(
                    "CMD008",
                    report=report.id,
                    within=limit.within,
                    first=first,
                    earlier=report.limits[first].within,
                )
                yield finding("CMD008", said, path)
            elif limit.min_level is not None and reached and limit.min_level > max(reached):
                said = say(
                    "CMD008.unreached",
                    report=report.id,
                    within=limit.within,
                    level=limit.min_level.value,
                    plan=plan.id,
                    reach=levels_text(reached),
                )
                yield finding("CMD008", said, path)


def _hand_over(plan: Plan, base: str) -> Iterator[Finding]:
    if plan.tier is PlanTier.TOWN:
        return
    escalation = plan.escalation
    named = [
        text
        for text, value in (
            (f"hand_over ({', '.join(escalation.hand_over)})", escalation.hand_over),
            ("hand_back", escalation.hand_back),
        )
        if value
    ]
    if named:
        field = "hand_over" if escalation.hand_over else "hand_back"
        said = say(
            "CMD009",
            plan=plan.id,
            tier=say(f"tier.{plan.tier.value}"),
            named=Join(named, " and "),
            take="take" if len(named) > 1 else "takes",
        )
        yield finding("CMD009", said, f"{base}.escalation.{field}")


def takeover_plan(district: District) -> Plan | None:
    """The plan a takeover puts in force (``Compiled.takeover_plan``): the
    district's general plan, with a takeover rule and a general HQ to take
    over (its lead, else the district's general command)."""
    plan = general_plan(district)
    if plan is None or plan.takeover is None:
        return None
    if plan.lead is not None:
        return plan if any(c.id == plan.lead for c in district.commands) else None
    return plan if district.general_command is not None else None


def check_governs(district: District) -> Iterator[Finding]:
    ix = plan_choice(district)
    gov = governed(district, ix)
    rules = _Rules(district, ix)
    taken_over_by = takeover_plan(district)
    for index, plan in enumerate(district.plans):
        base = f"plans[{index}]"
        yield from _limits(plan, base, ix.reach(plan))
        yield from _hand_over(plan, base)
        if plan.id in gov or not (plan.reports or plan.levels or plan.triggers):
            continue
        if plan is taken_over_by:
            # A takeover puts it in force on the incidents taken over, at the
            # gravest level in force (sim/general.py): its duties run then,
            # but what it would decide by never does.
            if plan.triggers:
                who = _who_instead(district, plan, ix)
                said = say("CMD026", plan=plan.id, n=len(plan.triggers), who=who)
                yield finding("CMD026", said, f"{base}.triggers")
            continue
        duties = _duties(plan)
        kept = [
            say(key)
            for key, value in (("kept.takeover", plan.takeover), ("kept.merge", plan.merge))
            if value
        ]
        why: Phrase | Join = _who_instead(district, plan, ix)
        if not plan.hazards:
            covered = _covered_by(plan, rules)
            # Nothing to add is no clause: the English ends in "; " then.
            why = Join([why, covered] if covered.items else [why, ""], "; ")
        verb = "apply" if len(kept) > 1 else "applies"
        # A takeover rule here is not the district's (a second general plan,
        # or no general HQ to take over): it puts nothing of this plan in force.
        tail: Phrase | str = (
            say("kept.not_general", general=taken_over_by.id)
            if plan.takeover is not None and taken_over_by is not None
            else ""
        )
        still: Phrase | str = ""
        if kept:
            still = say("kept.still", kept=Join(kept, " and "), verb=verb, tail=tail)
        if duties:
            field = "reports" if plan.reports else "levels"
            said = say("CMD006", plan=plan.id, duties=Join(duties, "; "), still=still, why=why)
            yield finding("CMD006", said, f"{base}.{field}")
        else:
            field = "triggers" if plan.triggers else "levels"
            said = say("CMD007", plan=plan.id, still=still, why=why)
            yield finding("CMD007", said, f"{base}.{field}")
