"""The kinds of finding about escalation, town plans and committees
(CMD050-CMD063).

They are part of the catalogue (:data:`cmdsim.check.findings.KINDS`), kept
here beside each other so that no module of the catalogue grows past its
job (as :mod:`cmdsim.check.site_kinds` holds the site rules' kinds).
"""

from __future__ import annotations

from cmdsim.check.kind import Kind, Severity

TOWN_KINDS = (
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
)
"""CMD050 to CMD063, in code order."""
