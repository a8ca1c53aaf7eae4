"""The checker on any constructible district: it never fails, and its
findings agree with its own coverage matrix."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings

from cmdsim.check import KINDS, check
from cmdsim.model import District, Incident
from cmdsim.testing.incidents import incidents
from cmdsim.testing.invariants import InvariantError, every_incident_has_one_lead, leads_for
from cmdsim.testing.reachable import reachable_districts, reachable_incidents
from cmdsim.testing.strategies import districts

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(districts())
def test_findings_agree_with_the_matrix(district: District) -> None:
    report = check(district)
    assert all(f.code in KINDS and f.severity is KINDS[f.code].severity for f in report.findings)
    district_cells = [c for c in report.matrix if c.tier == "district"]
    assert len(district_cells) == 4 * len(district.hazards)
    open_cells = sum(1 for c in district_cells if not c.leads)
    listed = sum(
        len(f.message.split(":")[0].split(" at level ")[1].split(", "))
        for f in report.findings
        if f.code == "CMD001"
    )
    assert listed == open_cells
    # A cell shows one lead, the engine's; an overlap is two plans claiming it.
    assert all(len(c.leads) <= 1 for c in report.matrix)
    overlaps = sum(1 for c in report.matrix if len(c.claims) > 1)
    assert report.codes().count("CMD002") == overlaps


@SETTINGS
@given(districts())
def test_static_invariant_matches_the_checker(district: District) -> None:
    report = check(district)
    # The invariant is the district tier's (as the matrix cells below): two
    # community-tier plans claiming a cell are a CMD002 it does not judge.
    one_lead_everywhere = not {"CMD001", "CMD002"} & set(
        f.code
        for f in report.findings
        if f.path.startswith(("hazards", "plans"))
        and (f.code != "CMD002" or " in tier district: " in f.message)
    ) and all(
        len(c.leads) == 1 and len(c.claims) <= 1 for c in report.matrix if c.tier == "district"
    )
    try:
        every_incident_has_one_lead(district)
    except InvariantError:
        assert not one_lead_everywhere
    else:
        assert one_lead_everywhere


@SETTINGS
@given(
    districts(min_towns=1)
    .filter(lambda d: bool(d.hazards))
    .flatmap(lambda d: incidents(d).map(lambda i: (d, i)))
)
def test_an_incidents_lead_is_in_its_matrix_cell(pair: tuple[District, object]) -> None:
    _lead_in_matrix(pair)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(reachable_districts().flatmap(lambda d: reachable_incidents(d).map(lambda i: (d, i))))
def test_the_lead_of_an_incident_that_reaches_a_level_is_in_its_matrix_cell(
    pair: tuple[District, Incident],
) -> None:
    # The draws above seldom reach a level (no lead to look for); these mostly do.
    if leads_for(*pair):
        event("a lead")
    _lead_in_matrix(pair)


def _lead_in_matrix(pair: tuple[District, object]) -> None:
    district, incident = pair
    leads = leads_for(district, incident)  # type: ignore[arg-type]
    tiers = {"district", f"town:{incident.town}"}  # type: ignore[attr-defined]
    cells = [
        c
        for c in check(district).matrix
        if c.tier in tiers and c.hazard == incident.hazard  # type: ignore[attr-defined]
    ]
    for lead in leads:
        # The governing plan's lead, or another special plan's claim there.
        assert any(lead in {e.lead for e in c.entries} for c in cells)
