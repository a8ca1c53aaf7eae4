"""An exercise's injects and their evidence: what followed each inject, and the exercise's facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.report.kinds import RESPONSE_KINDS, Event, details_of, level_of
from cmdsim.report.numbers import r1
from cmdsim.sim.events import EventKind

EVIDENCE_MAX = 6


EVIDENCE_WINDOW = 120.0
"""Minutes after an inject within which responses are its evidence, unless
the next inject of the same hazard comes first."""


def inject_rows(
    events: Sequence[Event],
    msel: Mapping[str, Any],
    verdicts: Sequence[Mapping[str, Any]],
    scenario: Any,
    ratings: Mapping[str, Mapping[str, Any]],
    decisions: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Per inject delivered: the expected action and the objective (from the
    MSEL, else the scenario's inject), what happened after it (the first
    responses, with times and who), and met / partly / missed: from the
    criteria that start at it, else the facilitator's rating."""
    planned: dict[str, dict[str, Any]] = {}
    if scenario is not None:
        for inject in getattr(scenario, "injects", ()):
            planned[inject.id] = {
                "from": inject.source,
                "to": inject.to,
                "message": inject.message,
                "expect": inject.expect,
                "objective": inject.objective,
                "hazard": inject.hazard,
            }
    for entry in msel.get("injects") or ():
        if isinstance(entry, Mapping) and entry.get("id"):
            planned[str(entry["id"])] = dict(entry)
    by_inject: dict[str, list[Mapping[str, Any]]] = {}
    criteria = {str(c.get("id")): c for c in msel.get("criteria") or () if isinstance(c, Mapping)}
    for v in verdicts:
        after = (criteria.get(str(v.get("criterion"))) or {}).get("after")
        if isinstance(after, Mapping) and after.get("inject"):
            by_inject.setdefault(str(after["inject"]), []).append(v)
    hazard_of: dict[str, str] = {}
    if scenario is not None:
        hazard_of = {i.id: i.hazard for i in scenario.incidents}
    delivered = [e for e in events if e.get("kind") == EventKind.INJECT]
    # Who decided: the player named in the log's decision record, matched
    # to the engine's decision event by incident and time.
    players = {
        (d.get("incident"), d.get("time")): str(d["player"]) for d in decisions if d.get("player")
    }
    rows = []
    for index, event in enumerate(delivered):
        details = details_of(event)
        ident = str(details.get("inject") or f"inject{index + 1}")
        plan = planned.get(ident, {})
        t = float(event.get("time", 0.0))
        hazard = plan.get("hazard") or details.get("hazard")
        later = [
            float(e.get("time", 0.0))
            for e in delivered[index + 1 :]
            if not hazard or details_of(e).get("hazard") in (None, hazard)
        ]
        until = min([t + EVIDENCE_WINDOW, *[x for x in later if x > t]])
        evidence = []
        for e in events:
            te = float(e.get("time", 0.0))
            if te < t or te > until or e.get("kind") not in RESPONSE_KINDS:
                continue
            inc = e.get("incident")
            if hazard and inc and hazard_of.get(str(inc), hazard) != hazard:
                continue
            evidence.append(_evidence(e, players))
            if len(evidence) >= EVIDENCE_MAX:
                break
        linked = by_inject.get(ident, [])
        status, basis = _inject_status(linked)
        rating = ratings.get(ident)
        if rating:
            status, basis = str(rating["status"]), "facilitator"
        rows.append(
            {
                "id": ident,
                "time": r1(t),
                "from": str(plan.get("from") or event.get("actor") or ""),
                "to": str(plan.get("to") or details.get("to") or ""),
                "message": str(plan.get("message") or details.get("text") or ""),
                "expect": str(plan.get("expect") or "") or None,
                "objective": str(plan.get("objective") or "") or None,
                "criteria": [
                    {
                        "criterion": v["criterion"],
                        "status": v["status"],
                        "at": r1(v.get("at")),
                        "deadline": r1(v.get("deadline")),
                        "elapsed": r1(v.get("elapsed")),
                    }
                    for v in linked
                ],
                "evidence": evidence,
                "status": status,
                "rated_by": basis,
                "note": (rating or {}).get("note"),
            }
        )
    return rows


def _evidence(event: Event, players: Mapping[tuple[Any, Any], str]) -> dict[str, Any]:
    details = details_of(event)
    player = None
    if event.get("kind") == EventKind.DECISION:
        player = players.get((event.get("incident"), r1(event.get("time"))))
    return {
        "player": player,
        "time": r1(event.get("time")),
        "actor": str(event.get("actor") or ""),
        "kind": str(event.get("kind")),
        "incident": event.get("incident"),
        "level": level_of(event),
        "command": details.get("command") or details.get("hq"),
        "deadline": details.get("deadline") or details.get("task") or details.get("report"),
        "activate": list(details.get("activate") or []) or None,
        # Why a case went back to its town plan (the signal, the lead).
        **({"by": details.get("by")} if event.get("kind") == EventKind.PLAN_HANDED_BACK else {}),
    }


def _inject_status(linked: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    """met / partly / missed from the criteria starting at an inject: all met
    is met; some met, or a missed one done late, is partly; else missed.
    Criteria not yet decided, or none, leave it not rated."""
    decided = [v for v in linked if v["status"] in ("met", "missed")]
    if not decided:
        return "not_rated", None
    met = sum(v["status"] == "met" for v in decided)
    late = sum(v["status"] == "missed" and v.get("at") is not None for v in decided)
    if met == len(decided):
        return "met", "criteria"
    if met or late:
        return "partly", "criteria"
    return "missed", "criteria"


def exercise_facts(facts: Mapping[str, Any], play: Sequence[str]) -> dict[str, Any]:
    """The exercise's facts with a participant row per role played when the
    facilitator named none, and a sign-off block with blank lines to sign."""
    participants = list(facts.get("participants") or [])
    if not participants:
        participants = [{"name": None, "unit": None, "role": role} for role in play]
    signoff = list(facts.get("signoff") or [])
    if not signoff:
        signoff = [
            {"title": "prepared", "name": facts.get("facilitator"), "date": None},
            {"title": "approved", "name": None, "date": None},
        ]
    return {
        "date": facts.get("date"),
        "place": facts.get("place"),
        "facilitator": facts.get("facilitator"),
        "participants": participants,
        "notes": facts.get("notes"),
        "observations": list(facts.get("observations") or []),
        "signoff": signoff,
    }
