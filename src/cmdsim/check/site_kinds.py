"""The kinds of finding about one response per site (CMD080-CMD082).

They are part of the catalogue (:data:`cmdsim.check.findings.KINDS`), kept
here beside each other as the site rules (:mod:`cmdsim.check.sites`,
:mod:`cmdsim.check.site_tasks`) grew.
"""

from __future__ import annotations

from cmdsim.check.kind import Kind, Severity

SITE_KINDS = (
    Kind(
        "CMD080",
        "two leads on one site",
        Severity.ERROR,
        "two plans with different leads can both lead at this site type and level, and no "
        "merge rule makes one response of them: a site with both hazards gets two commands",
        fix=(
            "a merge rule in the general plan that makes them one response and names the lead by "
            "its precedence, or narrow one plan's `sites`."
        ),
    ),
    Kind(
        "CMD081",
        "merge rule hazard without a lead",
        Severity.WARNING,
        "no plan with a lead governs the hazard's incidents, so a merged site it heads has "
        "nobody to lead it",
        fix="give the hazard's plan a lead, or take the hazard out of the rule.",
    ),
    Kind(
        "CMD082",
        "one task of two plans at a merged site",
        Severity.WARNING,
        "at a site a merge rule makes one response, two of its plans write a task of one id "
        "for one unit: it is one piece of work, set once by the plan that first puts it in "
        "force (at one level the leading plan's), and the other plan's version — its deadline, "
        "its resources — is not run",
        fix=(
            "give the leading plan's task what the other asks (the shorter deadline, the larger "
            "resources) and accept the finding with that reason, or give the two tasks different "
            "ids if they are different work."
        ),
    ),
)
"""CMD080, CMD081 and CMD082, in code order."""
