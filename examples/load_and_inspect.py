"""Load a district file, print a few facts about it, and catch a broken file.

Runs with no arguments.  It loads the bundled district in
``scenarios/district``; where that is not there (yet), it writes a tiny
district with ``cmdsim.io.dump`` into a temporary folder and loads that, so
the example always shows the same steps.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.errors import LoadError
from cmdsim.io import dump, load_district, load_with_locations, loads
from cmdsim.model import (
    Command,
    District,
    Hazard,
    Level,
    LevelResponse,
    Plan,
    Task,
    Town,
    Unit,
)

BUNDLED = bundled.root() / "district"

BROKEN = """\
id: demo
units:
  - id: fire_rescue
    staff: many
plans:
  - id: gas
    lead: gas_hq
"""


def tiny_district() -> District:
    """A district with one hazard, two units, one HQ and one plan."""
    return District(
        id="demo",
        name="示例区 demo district",
        hazards=(Hazard("gas", "燃气事故"),),
        units=(Unit("gas_company", "燃气公司"), Unit("fire_rescue", "消防救援支队")),
        commands=(Command("gas_hq", "区燃气事故应急指挥部", lead_unit="gas_company"),),
        towns=(Town("zhangjiang", "张江镇"),),
        plans=(
            Plan(
                id="gas",
                hazards=("gas",),
                lead="gas_hq",
                levels={
                    Level.II: LevelResponse(
                        activate=("gas_hq",), tasks=(Task("isolate", unit="fire_rescue"),)
                    )
                },
            ),
        ),
    )


def district_path(tmp: Path) -> Path:
    if (BUNDLED / "district.yaml").exists():
        return BUNDLED
    path = tmp / "district.yaml"
    path.write_text(dump(tiny_district()), encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = district_path(Path(tmp))
        district = load_district(path)
        print(f"{district.id}: {district.name}")
        print(f"  hazards:  {', '.join(h.id for h in district.hazards)}")
        print(f"  units:    {len(district.units)}")
        print(f"  commands: {len(district.commands)} ({len(district.special_commands)} special)")
        print(f"  towns:    {len(district.towns)}")
        print(f"  plans:    {', '.join(p.id for p in district.plans)}")
        print(f"  officers: {district.officer_count}")

        # Where a field stands in the file, e.g. to put file:line on a finding.
        where = load_with_locations(path).locations.find("plans[0].lead")
        if where is not None:
            print(f"  plans[0].lead is at line {where.line}, column {where.column}")

    try:
        loads(BROKEN, name="broken.yaml")
    except LoadError as exc:
        print(f"broken.yaml has {len(exc.problems)} problems:")
        for problem in exc.problems:
            print(f"  {problem}")


if __name__ == "__main__":
    main()
