"""The bundled district and drills from Python: list them, copy them out, edit one, run it.

:mod:`cmdsim.bundled` finds the district, drills and MSELs that ship inside
the package (a clone's ``scenarios/`` folder in an editable install), so
this runs the same after ``pip install`` of a wheel, from any directory.
The same as ``cmdsim scenarios`` and ``cmdsim scenarios copy DIR``.

The edit is a what-if on the gas drill: the rupture happens on the Spring
Festival holiday, and the gas plan raises its level by one for an incident
flagged ``holiday``.  Dropping the flag in the copy shows the level the
plan requires for the same incident on an ordinary day.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.sim import simulate
from cmdsim.summary import summarise

INCIDENT = "gas_main_rupture"


def required(path: Path) -> str:
    """The level the gas plan requires at the gas incident's peak."""
    summary = summarise(load_scenario(path))
    incident = next(i for i in summary["incidents"] if i["id"] == INCIDENT)
    return str(incident["required_levels"]["gas_plan"])


def main() -> None:
    print(f"bundled scenarios in {bundled.root()}:")
    for drill in bundled.drills():
        print(f"  {drill.id:<20} {drill.file:<36} {', '.join(drill.hazards)}")

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "my-drills"
        copied = bundled.copy(copy)
        print(f"copied {len(copied)} files to a temporary folder")

        gas = copy / "gas.yaml"
        text = gas.read_text(encoding="utf-8")
        assert text.count("flags: [holiday]") == 1, "the bundled gas drill changed"
        gas.write_text(text.replace("flags: [holiday]", "flags: []"), encoding="utf-8")

        holiday = required(bundled.path("gas.yaml"))
        ordinary = required(gas)
        print("level the gas plan requires for the rupture:")
        print(f"  on the holiday (bundled):     {holiday}")
        print(f"  on an ordinary day (edited):  {ordinary}")
        # Level I is the highest: the holiday raises the ten deaths' II by one level.
        assert (holiday, ordinary) == ("I", "II"), (holiday, ordinary)

        run = simulate(load_scenario(gas), seed=0).metrics["incident"][INCIDENT]
        print(f"the edited drill runs (seed 0): the duty room decides level {run['level']}")


if __name__ == "__main__":
    main()
