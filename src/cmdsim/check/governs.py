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


def _duties(plan: Plan) -> list[str]:
    """What of the plan would run for an incident it governs, in words."""
    out = []
    if plan.reports:
        ids = ", ".join(r.id for r in plan.reports)
        out.append(f"{len(plan.reports)} report{'s' if len(plan.reports) > 1 else ''} ({ids})")
    for level in sorted(plan.levels, reverse=True):
        response = plan.levels[level]
        parts = [
            f"{len(items)} {word}"
            for items, word in (
                (response.tasks, "task(s)"),
                (response.activate, "HQ(s) to activate"),
                (response.notify, "to notify"),
                (response.reinforce, "call-in(s)"),
            )
            if items
        ]
        if parts:
            out.append(f"level {level.value}: {', '.join(parts)}")
    return out


def _who_instead(district: District, plan: Plan, ix: PlanChoice) -> str:
    """Why the plan governs nothing: who governs its hazards instead."""
    if not plan.hazards:
        if plan is ix.covering:
            return (
                "it names no hazard, so it covers only the hazards no plan names, and every "
                "hazard here has one"
            )
        return (
            "it names no hazard, and the engine decides an incident only by a plan naming its "
            "hazard, the district's general plan for hazards no plan names, or a plan a town "
            "plan's hand_over names"
        )
    parts = []
    for hazard in plan.hazards:
        if plan.tier is PlanTier.TOWN and plan.town is not None:
            if plan.town not in ix.rooms:
                parts.append(f"{hazard}: town {plan.town!r} has no duty room to run a town plan")
                continue
            local = ix.town_plan_for(hazard, plan.town)
            if local is not None and local.id != plan.id:
                parts.append(f"{hazard}: the town's plan {local.id!r} comes first")
                continue
        other = ix.district_plan_for(hazard, plan.town)
        if other is not None and other.id != plan.id:
            parts.append(f"{hazard}: plan {other.id!r} governs it")
        else:
            parts.append(f"{hazard}: no incident reaches it")
    return "; ".join(parts)


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

    def split(self, town: str | None) -> tuple[list[str], int, list[str]]:
        """The first three ``hazard by 'plan'``, how many hazards have a
        plan, and those without one, in the district's order of hazards."""
        own = self.own.get(town, []) if town is not None else []
        ruled = sum(1 for h in self.hazards if self.default[h] is not None)
        ruled += sum((self.rule(h, town) is not None) - (self.default[h] is not None) for h in own)
        bare = [h for h in self.hazards if self.default[h] is None and h not in own]
        bare += [h for h in own if self.rule(h, town) is None]
        order = {h: i for i, h in enumerate(self.hazards)}
        first: list[str] = []
        for hazard in self.hazards:
            if len(first) == 3:
                break
            found = self.rule(hazard, town)
            if found is not None:
                first.append(f"{hazard} by {found.id!r}")
        return first, ruled, sorted(bare, key=order.__getitem__)


def _covered_by(plan: Plan, rules: _Rules) -> str:
    """Which plans decide the incidents of the plan's tier (its town's, or
    the district's), shortly: the first three hazards and how many more."""
    town = plan.town if plan.tier is PlanTier.TOWN else None
    first, ruled, bare = rules.split(town)
    where = f"incidents in town {town!r}" if town is not None else "the district's incidents"
    shown = ", ".join(first)
    if ruled > 3:
        shown += f" and {ruled - 3} more"
    text = f"{where} are decided by the plans naming their hazards ({shown})"
    if not ruled:
        text = ""
    if bare:
        gap = (
            f"{', '.join(bare)} {'has' if len(bare) == 1 else 'have'} no plan at all: the engine "
            "runs no response for their incidents, even at the levels where the coverage matrix "
            "shows this plan leading (name them in its `hazards`)"
        )
        text = f"{text}; {gap}" if text else gap
    return text


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
                yield finding(
                    "CMD008",
                    f"report {report.id!r}: this limit ({limit.within:g} min) never applies: "
                    f"limits[{first}] ({report.limits[first].within:g} min) comes first and "
                    "applies wherever it would (the first limit that applies is taken)",
                    path,
                )
            elif limit.min_level is not None and reached and limit.min_level > max(reached):
                yield finding(
                    "CMD008",
                    f"report {report.id!r}: this limit ({limit.within:g} min) is for level "
                    f"{limit.min_level.value} and above, but plan {plan.id!r} is only ever at "
                    f"{levels_text(reached)}",
                    path,
                )


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
        yield finding(
            "CMD009",
            f"plan {plan.id!r} is a {plan.tier.value}-tier plan, so its {' and '.join(named)} "
            f"never {'take' if len(named) > 1 else 'takes'} effect: the engine hands an "
            "incident over only from a town plan (tier: town) its town's room decides by",
            f"{base}.escalation.{field}",
        )


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
                yield finding(
                    "CMD026",
                    f"the general plan {plan.id!r} decides no incident, so its "
                    f"{len(plan.triggers)} trigger(s) and its escalation (reassessment, hold, "
                    "lowering) never run: "
                    f"{_who_instead(district, plan, ix)}; a takeover puts it in force at the "
                    "gravest level of the incidents taken over, not by its triggers",
                    f"{base}.triggers",
                )
            continue
        duties = _duties(plan)
        kept = [
            name
            for name, value in (
                ("its takeover rule", plan.takeover),
                ("its merge rules", plan.merge),
            )
            if value
        ]
        why = _who_instead(district, plan, ix)
        if not plan.hazards:
            why += f"; {_covered_by(plan, rules)}"
        verb = "apply" if len(kept) > 1 else "applies"
        # A takeover rule here is not the district's (a second general plan,
        # or no general HQ to take over): it puts nothing of this plan in force.
        tail = (
            ": no takeover puts this plan in force, only the district's general plan "
            f"{taken_over_by.id!r}'s"
            if plan.takeover is not None and taken_over_by is not None
            else ""
        )
        still = f" ({' and '.join(kept)} still {verb}{tail})" if kept else ""
        if duties:
            field = "reports" if plan.reports else "levels"
            yield finding(
                "CMD006",
                f"plan {plan.id!r} governs no incident, so none of its duties ever runs "
                f"({'; '.join(duties)}){still}: {why}",
                f"{base}.{field}",
            )
        else:
            field = "triggers" if plan.triggers else "levels"
            yield finding(
                "CMD007",
                f"plan {plan.id!r} governs no incident, so its triggers and levels decide "
                f"nothing{still}: {why}",
                f"{base}.{field}",
            )
