"""A signal that reaches no room: what `cmdsim check` says, and what a run does.

A small district with a hotline and no warning channel; its flood plan
starts level IV on a yellow signal.  The storm: rain at onset (11:00), a
yellow signal alone 30 minutes later, more rain at 90.  Nobody on the
ground reports a signal, so without a warning channel the yellow reaches
the duty room only with the rain's next report, unless a warning link its
office confirms acts on it as it is issued.  For each kind of link, prints
the check's CMD018/CMD019 findings and the minute level IV comes in a run.

    python examples/unheard_signal.py
"""

from __future__ import annotations

from cmdsim.check import check
from cmdsim.io import loads
from cmdsim.model import Scenario
from cmdsim.sim import simulate

SCENARIO = """\
id: unheard_signal
district:
  id: small
  hazards: [{{id: flood, forecastable: true}}]
  towns: [{{id: riverside}}]
  units: [{{id: water_authority}}]
  commands:
    - id: flood_hq
      lead_unit: water_authority
      posts: [{{id: commander, role: commander, people: 2, needed: 1, callout: 20}}]
  duty_room: {{id: district_duty_room, triage: 5, approval: 8}}
  channels:
    - {{id: hotline, kind: hotline, delay: 10, miss: 0}}
  plans:
    - id: flood
      hazards: [flood]
      lead: flood_hq
      triggers: [{{level: IV, any_of: ["signal >= yellow"]}}]
      levels: {{IV: {{activate: [flood_hq]}}, III: {{}}, II: {{}}, I: {{}}}}
      {link}
start: 2024-07-03T10:00:00
horizon: 600
incidents:
  - id: rain
    hazard: flood
    town: riverside
    onset: 2024-07-03T11:00:00
    timeline:
      - {{at: 0, rainfall: 5}}
      - {{at: 30, signal: yellow}}
      - {{at: 90, rainfall: 6}}
"""

LINKS = {
    "no link": "",
    "the office confirms": "warnings: {levels: {yellow: IV}, confirm_by: office, confirm: 2}",
    "the duty room confirms": "warnings: {levels: {yellow: IV}, confirm_by: duty_room, confirm: 2}",
}


def main() -> None:
    for name, link in LINKS.items():
        scenario = loads(SCENARIO.format(link=link))
        assert isinstance(scenario, Scenario)
        print(f"{name}:")
        for found in check(scenario).findings:
            if found.code in ("CMD018", "CMD019"):
                print(f"  {found.code} {found.path}: {found.message}")
        decided = next(e for e in simulate(scenario, seed=0).events if e.kind == "level_decided")
        print(f"  level IV at minute {decided.time:g} (by {decided.detail('by')})")


if __name__ == "__main__":
    main()
