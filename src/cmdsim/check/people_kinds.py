"""The kinds of finding about people: posts, quorums, duty rooms and
information officers (CMD020-CMD028).

They are part of the catalogue (:data:`cmdsim.check.findings.KINDS`), kept
here beside each other so that no module of the catalogue grows past its
job (as :mod:`cmdsim.check.site_kinds` holds the site rules' kinds).
"""

from __future__ import annotations

from cmdsim.check.kind import Kind, Severity

PEOPLE_KINDS = (
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
        "CMD027",
        "information officers' reports relayed by nobody",
        Severity.ERROR,
        "a town has no information officers, and its reports either find nobody at any tier "
        "they climb or are the town room's only way to hear from the network: the engine "
        "passes an empty tier over, so the reports reach a room at the moment they are "
        "observed, never missed — or the town's room never hears from the officers at all — "
        "while the network the district counts on relays nothing",
        fix=(
            "give the town its officers (`towns[].officers`), as many as its share of the "
            "network, or, if the town really has none, take it out of the officers' channel "
            "and let its reports come by another channel."
        ),
    ),
    Kind(
        "CMD028",
        "information-officer tier with nobody in it",
        Severity.WARNING,
        "a tier an officers channel's reports climb has 0 officers for some of them (or no "
        "`officers.tiers` entry): the engine passes the tier over, with no relay time and no "
        "miss, so those reports arrive sooner and surer than the network's figures say",
        fix=(
            "give the committees their compound and committee officers, the towns theirs, "
            "the district its `officers.district` (with `to: district`), and every tier its "
            "`officers.tiers` entry; or accept the finding where a tier is meant to be empty "
            "(a town that relays straight from its town officers)."
        ),
    ),
)
"""CMD020 to CMD028, in code order."""
