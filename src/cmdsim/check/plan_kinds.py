"""The kinds of finding about coverage, plans and triggers (CMD001-CMD019).

They are part of the catalogue (:data:`cmdsim.check.findings.KINDS`), kept
here beside each other so that no module of the catalogue grows past its
job (as :mod:`cmdsim.check.site_kinds` holds the site rules' kinds).
"""

from __future__ import annotations

from cmdsim.check.kind import Kind, Severity

PLAN_KINDS = (
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
)
"""CMD001 to CMD019, in code order."""
