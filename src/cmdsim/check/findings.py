"""Findings: what the checker says about a plan set, with a stable code.

Every kind of finding has one code (``CMD001`` …), one severity and one
sentence of why it matters.  Codes never change meaning; new kinds get new
codes.  ``docs/check.md`` shows an example and a fix for each.  What a
kind is (:class:`Kind`, :class:`Severity`) lives in :mod:`cmdsim.check.kind`.
"""

from __future__ import annotations

from typing import Any

import attrs

from cmdsim.check.kind import Kind as Kind
from cmdsim.check.kind import Severity as Severity
from cmdsim.check.site_kinds import SITE_KINDS
from cmdsim.errors import location

_KINDS = (
    Kind(
        "CMD001",
        "coverage gap",
        Severity.ERROR,
        "nobody is in charge when an incident of this hazard reaches this level",
        fix=(
            "give the plan a `lead`, or add a response for the missing levels to the plan that "
            "governs the hazard (a general plan covers only the hazards no plan names)."
        ),
    ),
    Kind(
        "CMD002",
        "coverage overlap",
        Severity.ERROR,
        "two HQs would both lead the same incident: duties cross and are unclear",
        fix=(
            "one plan per hazard and level leads; the other HQ becomes a member (`activate` it, "
            "or give its units tasks) under the lead's plan."
        ),
    ),
    Kind(
        "CMD003",
        "level without response",
        Severity.WARNING,
        "a trigger sets a level for which the plan sets nothing in motion (it writes no "
        "response at that level or below): the incident gets its lead called out and nothing "
        "else",
        fix="add the level's response, or change the trigger's level.",
    ),
    Kind(
        "CMD004",
        "district without hazards",
        Severity.WARNING,
        "the district names no hazard, so no coverage gap or overlap can be found: a stubbed "
        "district passes the coverage checks with nothing checked",
        fix=(
            "list the district's hazards, or leave the district out of the check until it has some."
        ),
    ),
    Kind(
        "CMD005",
        "district without plans",
        Severity.WARNING,
        "the district has no plan, so no incident has a lead and no trigger, task or deadline "
        "is checked: a stubbed district would pass with nothing checked",
        fix="include the plans (`plans: [{include: special/gas.yaml}, …]`).",
    ),
    Kind(
        "CMD006",
        "plan duties that never run",
        Severity.WARNING,
        "the plan governs no incident the district can have (the engine decides each incident by "
        "the first plan naming its hazard), so its reports and level duties never run: a planner "
        "editing them changes nothing, and is not told by any run",
        fix=(
            "move the duties that matter into the plans that govern (the special plans), name the "
            "hazards the plan is meant to govern in its `hazards`, or accept the finding with the "
            "reason the text is kept."
        ),
    ),
    Kind(
        "CMD007",
        "plan that decides nothing",
        Severity.INFO,
        "the plan governs no incident the district can have, so its triggers and levels never "
        "decide a level",
        fix="name the hazards it is meant to govern, or drop its triggers and levels.",
    ),
    Kind(
        "CMD008",
        "report limit that never applies",
        Severity.WARNING,
        "the limit is never the one a report is held to: an earlier limit applies wherever it "
        "would (the first that applies is taken), or the plan is never put at its level (by "
        "its triggers, raise flags, warning link or the plans merged into its cases)",
        fix=(
            "order the limits most specific first (highest `min_level`, a `zone` before none), or "
            "drop the limit, or add the trigger that sets its level."
        ),
    ),
    Kind(
        "CMD009",
        "hand-over that never happens",
        Severity.WARNING,
        "only a town plan hands an incident over (and takes it back): the engine never reads "
        "`hand_over` or `hand_back` on a district or community plan, so the plan named there "
        "never takes over from it",
        fix=(
            "drop them; to pass a district incident up, the takeover rule of the general plan "
            "(`takeover`) is what the engine runs."
        ),
    ),
    Kind(
        "CMD010",
        "trigger can never fire",
        Severity.ERROR,
        "its conditions contradict each other or ask for impossible values, "
        "so the level it sets is never reached this way",
        fix="correct the comparison (usually a `<` written for `>=`), or remove the trigger.",
    ),
    Kind(
        "CMD011",
        "condition can never hold",
        Severity.WARNING,
        "the condition asks for an impossible value; the trigger fires only through its others",
        fix="correct or remove the condition.",
    ),
    Kind(
        "CMD012",
        "condition on an attribute the hazard never has",
        Severity.WARNING,
        "no incident of the plan's hazards reports this attribute, so the condition never holds",
        fix=(
            "mark the hazard forecastable if warnings do come for it, or test an attribute its "
            "incidents report."
        ),
    ),
    Kind(
        "CMD013",
        "threshold bands overlap",
        Severity.WARNING,
        "a value falls in the bands of two levels; the higher wins, so the lower band "
        "is not what the text says",
        fix=(
            "make the bands meet without overlapping (`casualties <= 7`), or write thresholds "
            "cumulatively (`>=` only)."
        ),
    ),
    Kind(
        "CMD014",
        "hole between threshold bands",
        Severity.ERROR,
        "values between two bands set no level at all, although smaller and larger ones do",
        fix="close the hole (`deaths >= 3`).",
    ),
    Kind(
        "CMD015",
        "threshold bands run backwards",
        Severity.ERROR,
        "a higher level is reached with a smaller value than a lower level",
        fix="swap the thresholds or the levels.",
    ),
    Kind(
        "CMD016",
        "plan no trigger can start",
        Severity.ERROR,
        "the plan sets out responses but has no trigger that can fire and no warning link, so "
        "none of its levels is ever decided: its incidents get no response, while the coverage "
        "matrix counts the plan as covering them",
        fix="write the plan's triggers (one per level, as its grading text says).",
    ),
    Kind(
        "CMD017",
        "level with only the lower levels' response",
        Severity.INFO,
        "a trigger sets a level the plan does not write: a level includes every lower level's "
        "actions, so an incident there gets the response of the highest written level below "
        "it and nothing of its own (its leaders' presence, more HQs, more tasks) — meant, or a "
        "level the plan forgot",
        fix=(
            "write the level's own response, or accept the finding where the lower level's "
            "response is meant."
        ),
    ),
    Kind(
        "CMD018",
        "warning link that never fires",
        Severity.ERROR,
        "the duty room confirms the link once a warning channel delivers the signal, and no "
        "warning channel covers the hazard: the plan starts its level with the signal, yet no "
        "signal ever starts it, and the signal reaches the room only with the figures of ground "
        "reports, through triage and approval",
        fix=(
            "add a warning channel covering the hazard (`kind: warning`), or have the office "
            "confirm (`confirm_by: office`: the lead HQ's office has the signal as it is issued)."
        ),
    ),
    Kind(
        "CMD019",
        "signal that reaches no room",
        Severity.WARNING,
        "no warning channel covers the incident's hazard and no warning link acts on the "
        "signal, so no room hears of it as it is issued: it reaches the rooms only with the next "
        "figures reported on the ground, or never, and the run measures a response to a signal "
        "nobody received",
        fix=(
            "add a warning channel covering the hazard, give the plan a warning link its office "
            "confirms (counting the signal's issuer), or state the signal with the figures seen "
            "at that time."
        ),
    ),
    Kind(
        "CMD020",
        "post can never be filled",
        Severity.ERROR,
        "the post has fewer people who can be reached than it needs",
        fix="name enough people for the post, or lower `needed`.",
    ),
    Kind(
        "CMD021",
        "post unlikely to be filled",
        Severity.WARNING,
        "on average fewer of its people are reached than the post needs",
        fix="more people on the call-out list, or better reach (duty phones).",
    ),
    Kind(
        "CMD022",
        "quorum can never be met",
        Severity.ERROR,
        "fewer posts of the quorum term can be filled than it needs, so the HQ never "
        "counts as activated",
        fix="fix the posts (CMD020) or lower `k`.",
    ),
    Kind(
        "CMD023",
        "quorum unlikely to be met",
        Severity.WARNING,
        "the people the quorum needs are more than its posts can be expected to bring",
        fix="as for CMD021, on the posts of the term.",
    ),
    Kind(
        "CMD024",
        "duty room with nobody on duty",
        Severity.ERROR,
        "in a time band the calendar has, the room's shift is 0: a report arriving then waits "
        "untriaged for the next band's shift, and nothing is decided until it comes",
        fix="put at least one officer on duty in every band (`staffing: {night: 1}`).",
    ),
    Kind(
        "CMD025",
        "call-in at a level never reached",
        Severity.WARNING,
        "the plan is never put at the call-in's level or above (its triggers, raise flags, "
        "warning link and the plans merged into its cases set only lower ones), so the officers "
        "are never called in and the room meets the response with its shift alone",
        fix=(
            "move the call-in to a level the plan reaches, add the trigger or warning-link colour "
            "that sets its level, or drop it."
        ),
    ),
    Kind(
        "CMD026",
        "general plan whose triggers decide nothing",
        Severity.INFO,
        "the general plan's triggers and escalation read as rules in force, yet no run reads them",
        fix=(
            "keep them for a hazard added without a plan (accept the finding with that reason), "
            "or drop them: what runs under a takeover is the general plan's levels and reports."
        ),
    ),
    Kind(
        "CMD030",
        "task without a responsible unit",
        Severity.WARNING,
        "the task falls to a unit that is in no HQ this level or a lower one activates, "
        "so nobody in the response is responsible for it",
        fix=(
            "make the unit a member of the lead HQ, or `activate` an HQ it belongs to at that "
            "level or a lower one."
        ),
    ),
    Kind(
        "CMD031",
        "task needs more resources than exist",
        Severity.ERROR,
        "the task holds more of a resource than all units together have, so it never starts",
        fix="lower the count, or record the resources units really hold.",
    ),
    Kind(
        "CMD032",
        "task borrows a resource",
        Severity.INFO,
        "the task's unit does not hold the resource; another unit must lend it",
        fix="if the loan is not agreed, give the task to the unit that holds it.",
    ),
    Kind(
        "CMD040",
        "task deadline infeasible",
        Severity.ERROR,
        "even the fastest path, in the engine's order with every delay at its minimum, misses it",
        fix="a deadline the work can meet, or a faster way to do the work.",
    ),
    Kind(
        "CMD041",
        "report deadline infeasible",
        Severity.ERROR,
        "even the fastest triage, writing and transmission the engine allows miss the deadline",
        fix=(
            "the deadline the rules actually set (30 minutes by phone is usual), or a shorter "
            "report."
        ),
    ),
    Kind(
        "CMD042",
        "report deadline missed in most runs",
        Severity.WARNING,
        "even with its reporter knowing at the earliest and nobody ahead of it, the report's "
        "usual writing and sending time exceeds its limit: it is late in more than half of runs",
        fix=(
            "a writing time the rule's limit allows (a pre-filled template, a shorter first "
            "written report), or the limit the rules really set."
        ),
    ),
    Kind(
        "CMD043",
        "no daily follow-up report at level I",
        Severity.INFO,
        "a follow-up report for every new development, and daily for the gravest (每日续报, "
        "Shanghai sector rules): a response at level I, the gravest, reports every day it "
        "runs, and a plan that can reach level I names no report that does",
        fix=(
            "a `follow_up` report with `every: 1440` (or less) and `min_level: I`, or with "
            "`daily_at` (the bundled flood plan's `daily_report` comes at 15:00), or accept "
            "the finding for the plan with why its level-I response needs none."
        ),
    ),
    Kind(
        "CMD044",
        "report that never runs",
        Severity.WARNING,
        "the report's `min_level` is above every level the plan is put at (by its triggers, "
        "raise flags, warning link and the plans merged into its cases), so it is never called "
        "for: a planner editing it changes nothing, and no run says so",
        fix=(
            "lower `min_level` to a level the plan reaches, add the trigger that sets its level, "
            "or move the report to the plan that governs at that level."
        ),
    ),
    Kind(
        "CMD045",
        "follow-up on level changes of a one-level plan",
        Severity.WARNING,
        "the plan is only ever at one level, so its level never rises or falls while a response "
        "runs: a follow-up `upon: [level]` is called for only when a closed response opens again",
        fix=(
            "take `level` out of `upon` (report on `casualties`, an `every` interval or named "
            "`injects`), or write the triggers of the plan's other levels."
        ),
    ),
    Kind(
        "CMD050",
        "escalation cycle",
        Severity.ERROR,
        "plans hand an incident over to each other in a circle, so nobody ends up above",
        fix=(
            "hand over upward only: town plans to district plans (a district plan's hand-over "
            "is never run, CMD009)."
        ),
    ),
    Kind(
        "CMD051",
        "town plan with nowhere to hand over",
        Severity.WARNING,
        "an incident outgrowing the town plan's top level stays with the town: no "
        "hand-over names a plan above it, no district plan covers the hazard and no general "
        "plan covers every hazard",
        fix=(
            "a district plan for the hazard, or `escalation: {hand_over: [...]}` naming the plan "
            "above."
        ),
    ),
    Kind(
        "CMD052",
        "town plan without the district's warning link",
        Severity.WARNING,
        "the district plan for the hazard starts its levels with the signal (预警响应联动) but "
        "the town plan has no link of its own: the town room starts only from reports, late "
        "against the signal the district answers at once (同步启动)",
        fix=(
            "`warnings: {levels: {blue: IV}, confirm_by: office}` in the town plan (its office "
            "confirms; `confirm` and `issuers` as its rules say)."
        ),
    ),
    Kind(
        "CMD053",
        "town plan calls officers in to another tier's duty room",
        Severity.ERROR,
        "a town plan can strengthen only its own town's duty (加强值班): the district's room, "
        "or another town's, takes no orders from it",
        fix=(
            "call the officers in to the town's own duty room, or move the call-in to the "
            "district plan for the hazard."
        ),
    ),
    Kind(
        "CMD054",
        "town plan without the district's reinforced duty",
        Severity.WARNING,
        "the district plan for the hazard calls officers in at a level (加强值班, every tier's "
        "office's rule) but the town plan calls none in to its own room at it: the town room "
        "meets the same response with its shift alone",
        fix=(
            "call officers in to the town's own duty room at that level, sized against the town "
            "room's shifts."
        ),
    ),
    Kind(
        "CMD060",
        "town misses a required special plan",
        Severity.ERROR,
        "the district requires every town to have a special plan for this hazard",
        fix="add the town's plan.",
    ),
    Kind(
        "CMD061",
        "committee without a community handbook",
        Severity.WARNING,
        "the committee has no community emergency handbook to act on",
        fix="write the committee's community emergency handbook (社区应急工作手册).",
    ),
    Kind(
        "CMD062",
        "town without a general plan",
        Severity.WARNING,
        "the town's plan set lacks the '1' of its '1+10+X'",
        fix="adopt the town's general plan.",
    ),
    Kind(
        "CMD063",
        "hazards the community handbook leaves out",
        Severity.WARNING,
        "on a hazard the district's plans govern and the community handbook has no chapter "
        "for, every committee waits for its town's instructions before its first "
        "actions, as a committee without a handbook does (CMD061)",
        fix=(
            "add the hazard to `community.handbook_hazards` (a chapter in the handbook), or "
            "accept it for that hazard (`hazard:` in the acceptance) with the reason the "
            "committees should wait for instructions there."
        ),
    ),
    Kind(
        "CMD070",
        "duty without an owner",
        Severity.ERROR,
        "a regulated duty that no unit, HQ or committee owns is done by nobody",
        fix="add the line of the list that names its owner.",
    ),
    Kind(
        "CMD071",
        "duty with two owners",
        Severity.ERROR,
        "two owners of one duty: duties cross and each can wait for the other",
        fix="keep one owner; give the other a different kind of duty.",
    ),
    Kind(
        "CMD072",
        "duty shared by a committee and an HQ",
        Severity.ERROR,
        "a committee and an HQ both own the duty: who coordinates and who responds is unclear",
        fix="the committee coordinates, the HQ responds — or say so otherwise, once.",
    ),
    Kind(
        "CMD073",
        "owner of an unregulated duty",
        Severity.WARNING,
        "the responsibility list names a duty the district does not list as regulated",
        fix="add it to `duties`, or drop the line.",
    ),
    *SITE_KINDS,
    Kind(
        "CMD090",
        "file nothing includes",
        Severity.WARNING,
        "the district directory holds a YAML file the district does not include: a plan "
        "added without its include is checked, run and followed by nobody",
        fix=(
            "include the file, or move it out of the district directory (drills and drafts belong"
            " beside it, as in `examples/planning-office/`)."
        ),
    ),
    Kind(
        "CMD091",
        "acceptance that matches no finding",
        Severity.WARNING,
        "the district accepts a finding the check no longer makes: the plan was fixed, or the "
        "acceptance names the wrong place, and left in it would silently accept a new finding "
        "that comes to match it",
        fix=(
            "remove the acceptance if the finding is gone, or correct its `plan`, `report`, "
            "`path` or `file` to where the finding stands."
        ),
    ),
)

KINDS: dict[str, Kind] = {kind.code: kind for kind in _KINDS}
"""Every kind of finding by code."""


@attrs.frozen
class Accepted:
    """Why a finding is accepted, and where the acceptance is written: its
    field path in the district (``accept[0]``) and, when known, file, line
    and column."""

    reason: str
    path: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "path": self.path,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


@attrs.frozen
class Finding:
    """One thing the checker found, located in the input when possible.

    ``path`` is the field path (``plans[2].triggers[0]``); ``file``, ``line``
    and ``column`` come from the loader's locations when given.
    """

    code: str
    severity: Severity
    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    accepted: Accepted | None = None
    """The district's acceptance of this finding, if it has one: reported,
    but left out of what fails the check."""

    @property
    def kind(self) -> Kind:
        return KINDS[self.code]

    @property
    def why(self) -> str:
        return KINDS[self.code].why

    def __str__(self) -> str:
        where = location(self.file, self.line, self.column)
        field = f"{self.path}: " if self.path else ""
        # A test that prints findings must not pass an accepted one off as open.
        mark = "" if self.accepted is None else f" (accepted by {self.accepted.path})"
        return f"{where}{self.code} {self.severity.value}{mark}: {field}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": KINDS[self.code].title,
            "message": self.message,
            "why": KINDS[self.code].why,
            "path": self.path,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "accepted": None if self.accepted is None else self.accepted.to_dict(),
        }


def finding(code: str, message: str, path: str) -> Finding:
    """A finding of the kind ``code`` with that kind's severity, not yet located."""
    return Finding(code=code, severity=KINDS[code].severity, message=message, path=path)
