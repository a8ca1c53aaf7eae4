"""The kinds of finding about tasks and reports: who does them, what they
need, their deadlines (CMD030-CMD045).

They are part of the catalogue (:data:`cmdsim.check.findings.KINDS`), kept
here beside each other so that no module of the catalogue grows past its
job (as :mod:`cmdsim.check.site_kinds` holds the site rules' kinds).
"""

from __future__ import annotations

from cmdsim.check.kind import Kind, Severity

WORK_KINDS = (
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
)
"""CMD030 to CMD045, in code order."""
