"""Town plans against the district's (CMD052, CMD053, CMD054).

- **CMD052**: the district plan for a hazard starts its levels with the
  signal (``warnings``, 预警响应联动) but a town plan governing that hazard
  has no link of its own.  The engine then starts the town's response only
  from reports reaching the town room (see ``docs/engine.md``, "The town
  starts with the signal"): late against "同步启动", every tier starting
  with the signal.  A town's general plan governs the hazards no special
  plan of its town names.  Only signals whose level the town plan's
  triggers reach count: a signal beyond it hands the case over at once.
- **CMD053**: a town plan calls officers in (``reinforce``, 加强值班) to a
  duty room other than its own town's.  A district plan may strengthen a
  town's duty — the district's flood plan starts every tier's response
  with the signal — but a town's plan directs only the town's own bodies.
- **CMD054**: the district plan for a hazard calls officers in (加强值班)
  at a level, but a town plan governing that hazard calls none in to its own
  town's room at that level (a level includes the lower levels' call-ins).
  The rule ("IV级: 防汛抗旱指挥办事机构加强值班") is every tier's office's: the
  town room then meets the same response with its shift alone.  Only levels
  the town plan's triggers reach count (beyond them the district plan
  governs), and a district plan calling officers in to that town's room
  itself at the level strengthens it already.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, say
from cmdsim.model import District, Level, Plan, PlanKind, PlanTier
from cmdsim.model.plans import asked


def check_town_plans(district: District) -> Iterator[Finding]:
    linked: dict[str, list[Plan]] = {}
    for plan in district.plans:
        if plan.tier is not PlanTier.TOWN and plan.warnings is not None:
            for hazard in plan.hazards:
                linked.setdefault(hazard, []).append(plan)
    special: dict[str, set[str]] = {}
    for plan in district.plans:
        town = plan.town
        if plan.tier is PlanTier.TOWN and town is not None and plan.kind is not PlanKind.GENERAL:
            special.setdefault(town, set()).update(plan.hazards)
    calling: dict[str, list[Plan]] = {}
    for plan in district.plans:
        if plan.tier is not PlanTier.TOWN and any(r.reinforce for r in plan.levels.values()):
            for hazard in plan.hazards:
                calling.setdefault(hazard, []).append(plan)
    every = tuple(h.id for h in district.hazards)
    rooms = {t.id: t.duty_room.id for t in district.towns if t.duty_room is not None}
    for pi, plan in enumerate(district.plans):
        if plan.tier is not PlanTier.TOWN:
            continue
        if plan.warnings is None and linked:
            yield from _unlinked(plan, pi, linked, special, every)
        own = rooms.get(plan.town) if plan.town is not None else None
        if own is not None and calling:
            yield from _unstrengthened(plan, pi, own, calling, special, every)
        for level, response in plan.levels.items():
            for ci, call in enumerate(response.reinforce):
                if call.room == own:
                    continue
                whose = (
                    say("room.district")
                    if call.room == district.duty_room.id
                    else say("room.other", town=plan.town)
                )
                mine = say("room.own", own=own) if own else say("room.none", town=plan.town)
                said = say(
                    "CMD053",
                    plan=plan.id,
                    n=call.officers,
                    room=call.room,
                    whose=whose,
                    level=level.value,
                    mine=mine,
                )
                where = f"plans[{pi}].levels.{level.value}.reinforce[{ci}].room"
                yield finding("CMD053", said, where)


def _governed(plan: Plan, special: dict[str, set[str]], every: tuple[str, ...]) -> list[str]:
    """The hazards a town plan governs: a general plan those no special plan
    of its town names."""
    if plan.kind is PlanKind.GENERAL:
        mine = special.get(plan.town or "", set())
        return [h for h in (plan.hazards or every) if h not in mine]
    return list(plan.hazards)


def _unstrengthened(
    plan: Plan,
    pi: int,
    own: str,
    calling: dict[str, list[Plan]],
    special: dict[str, set[str]],
    every: tuple[str, ...],
) -> Iterator[Finding]:
    """CMD054 for one town plan whose town's room is ``own``: at most one
    finding, at the lowest level where a district plan calls officers in and
    the town plan none to ``own``."""
    top = max((t.level for t in plan.triggers), default=None)
    if top is None:
        return
    for hazard in _governed(plan, special, every):
        for district_plan in calling.get(hazard, ()):
            for level in Level:  # least severe first
                if level > top:
                    break
                theirs = asked(district_plan.levels, level)
                if not theirs or own in theirs or own in asked(plan.levels, level):
                    continue
                called = Join(
                    [say("called", n=c.officers, room=room) for room, c in sorted(theirs.items())]
                )
                where = f"levels.{level.value}.reinforce" if level in plan.levels else "levels"
                said = say(
                    "CMD054",
                    plan=plan.id,
                    own=own,
                    level=level.value,
                    district_plan=district_plan.id,
                    hazard=hazard,
                    called=called,
                )
                yield finding("CMD054", said, f"plans[{pi}].{where}")
                # One finding per plan: the lowest level tells what to add.
                return


def _unlinked(
    plan: Plan,
    pi: int,
    linked: dict[str, list[Plan]],
    special: dict[str, set[str]],
    every: tuple[str, ...],
) -> Iterator[Finding]:
    hazards = [h for h in _governed(plan, special, every) if h in linked]
    if not hazards:
        return
    district_plan = linked[hazards[0]][0]
    assert district_plan.warnings is not None
    top = max((t.level for t in plan.triggers), default=None)
    ordered = sorted(district_plan.warnings.levels.items(), key=lambda item: item[0].rank)
    fits = [(s, lv) for s, lv in ordered if top is not None and not lv > top]
    if not fits:
        # The district's signals all start levels beyond the town plan: the
        # district's link takes the case over at once, and a town link could
        # start none of them (a load error), so nothing is missing.
        return
    mapping = ", ".join(f"{s.value}: {lv.value}" for s, lv in fits)
    said = say(
        "CMD052",
        plan=plan.id,
        hazards=Join([repr(h) for h in hazards]),
        district_plan=district_plan.id,
        mapping=mapping,
    )
    yield finding("CMD052", said, f"plans[{pi}].warnings")
