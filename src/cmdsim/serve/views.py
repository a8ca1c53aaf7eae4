"""What each participant of a served exercise sees: the clock, the feed of
events a role may see, the decision waiting, and the facilitator's whole
picture — plain data the templates render.

Functions of a :class:`~cmdsim.serve.session.Session`, called by its view
methods with its lock held; nothing here changes the session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cmdsim.exercise.console import KEY_EVENTS
from cmdsim.exercise.criteria import Status
from cmdsim.exercise.drill import Event, decision_text, with_choice
from cmdsim.exercise.log import IMPROVEMENT_FIELDS, ExerciseFacts
from cmdsim.exercise.policy import options, plan_decision
from cmdsim.serve.visibility import ROLE_NAMES, event_text, short, visible
from cmdsim.sim.events import EventKind
from cmdsim.sim.moments import calendar, clock, elapsed, wall

if TYPE_CHECKING:
    from cmdsim.serve.session import Session


def clock_view(session: Session) -> dict[str, Any]:
    """The clock as the pages show it."""
    return {
        "now": round(session.now, 3),
        "elapsed": elapsed(session.now),
        "when": calendar(wall(session.ex.base.start, session.now)),
        "end": session.ex.end,
        "speed": session.speed,
        "ended": session.ended,
    }


def _shown(session: Session) -> list[Event]:
    return [e for e in session.ex.events if float(e["time"]) <= session.now]


def _row(session: Session, event: Mapping[str, Any], facilitator: bool) -> dict[str, Any]:
    details = event.get("details") or {}
    actor = str(event.get("actor") or "")
    if event.get("kind") == EventKind.INJECT:
        actor = str(details.get("from") or actor)
    incident = event.get("incident")
    return {
        "time": float(event["time"]),
        "clock": hhmm(session, float(event["time"])),
        "actor": session.names.get(actor, actor),
        "kind": str(event.get("kind")),
        "incident": None if incident is None else session.names.get(incident, incident),
        "text": event_text(event, facilitator),
        "key": str(event.get("kind")) in KEY_EVENTS,
    }


def hhmm(session: Session, minutes: float) -> str:
    """The time of day of ``minutes`` from the start as ``cmdsim run`` and the
    console write it, ``HH:MM`` with the day after the start's said
    (``00:13 +1d``): the bundled drills run from 20:00 through the night,
    and a feed reading 23:58 then 00:03 is the next day's."""
    return clock(session.ex.base.start, minutes)


def player_view(session: Session, role: str) -> dict[str, Any]:
    """What a player of ``role`` sees now: the clock, what their role has
    heard, their decisions, and a decision waiting for them with the
    answers the plan allows — never the plan's own answer."""
    duty_room = session.ex.base.district.duty_room
    room = duty_room.id if duty_room is not None else None
    feed = [_row(session, e, False) for e in _shown(session) if visible(e, role, room)]
    point = session.pending_for(role)
    waiting = None
    if point is not None:
        offered = options(point, session.ex.base)
        incident = point.incident
        waiting = {
            "key": point.key,
            "time": round(point.time, 3),
            "clock": hhmm(session, point.time),
            "incident": None if incident is None else session.names.get(incident, incident),
            "known": {k: short(v) for k, v in sorted(point.known.items())},
            "levels": list(offered.levels),
            "hqs": [{"id": hq, "name": session.names.get(hq, hq)} for hq in offered.hqs],
            "choices": list(offered.choices),
        }
    mine = [
        {
            "key": key,
            "clock": hhmm(session, t),
            "text": decision_text(d),
            "rationale": d.rationale,
            "player": d.player,
            "by": by,
        }
        for key, (t, d, by) in sorted(
            session.ex.spec.decisions.items(), key=lambda kv: (kv[1][0], kv[0])
        )
        if key.split(":")[0] == role and t <= session.now
    ]
    return {
        "role": role,
        "role_name": ROLE_NAMES.get(role, role),
        "exercise": session.ex.base.name or session.ex.base.id,
        "clock": clock_view(session),
        "feed": feed,
        "waiting": waiting,
        "decisions": mine,
        "version": session.version,
    }


def facilitator_view(session: Session, base: str = "") -> dict[str, Any]:
    """Everything: every event so far, the criteria, the decision waiting
    (with the plan's answer), the injects, the facts and the improvement plan."""
    pending = session.ex.pending
    waiting = None
    if pending is not None:
        planned = with_choice(pending, plan_decision(pending))
        waiting = {
            "key": pending.key,
            "role": pending.role,
            "role_name": ROLE_NAMES.get(pending.role, pending.role),
            "clock": hhmm(session, pending.time),
            "time": round(pending.time, 3),
            "reached": session.now >= pending.time,
            "incident": None
            if pending.incident is None
            else session.names.get(pending.incident, pending.incident),
            "plan": decision_text(planned),
        }
    final = session.ended
    verdicts = session.ex.verdicts(session.now if not final else session.ex.end, final=final)
    fired_ids = {
        str((e.get("details") or {}).get("inject"))
        for e in _shown(session)
        if e["kind"] == EventKind.INJECT
    }
    injects = [
        {
            "id": i.id,
            "clock": hhmm(session, i.at),
            "at": i.at,
            "from": i.source,
            "to": i.to,
            "message": i.message,
            "expect": i.expect,
            "objective": i.objective,
            "fired": i.id in fired_ids or i.at <= session.now,
        }
        for i in sorted(session.ex.scenario().injects, key=lambda i: (i.at, i.id))
    ]
    facts = session.ex.spec.facts or ExerciseFacts()
    return {
        "exercise": session.ex.base.name or session.ex.base.id,
        "seed": session.ex.spec.seed,
        "play": list(session.ex.spec.play),
        "role_names": ROLE_NAMES,
        # what an added inject may report: the form's choices
        "hazards": _choices(session.ex.base.district.hazards),
        "towns": _choices(session.ex.base.district.towns),
        "clock": clock_view(session),
        "feed": [_row(session, e, True) for e in _shown(session)],
        "waiting": waiting,
        "criteria": [
            {
                "id": v.criterion,
                "text": v.text,
                "status": v.status.value,
                "met": v.status == Status.MET,
                # an action before the start, which did not count
                "note": v.note,
            }
            for v in verdicts
        ],
        "injects": injects,
        "facts": {
            "date": facts.date,
            "place": facts.place,
            "participants": "\n".join(
                f"{p.name}, {p.role}" if p.role else p.name for p in facts.participants
            ),
            "notes": "\n".join(facts.notes),
        },
        "improvements": [item.fields() for item in session.ex.spec.improvements],
        "improvement_fields": list(IMPROVEMENT_FIELDS),
        "links": session.links(base) if base else {},
        "log": str(session.journal.path),
        "version": session.version,
    }


def _choices(items: Sequence[Any]) -> list[dict[str, str]]:
    """Ids and names, as a form's options offer them."""
    return [{"id": str(i.id), "name": str(i.name or i.id)} for i in items]
