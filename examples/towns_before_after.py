"""The before/after of the towns' part: the gas drill as shipped and
without its towns' plans (``cmdsim batch --no-town-plans``), each batch
written to a directory and reported from it.  The switched batch's manifest
records the switch, so its report finds the original scenario file and says
how the batch was run.

    python examples/towns_before_after.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cmdsim import bundled, replicate
from cmdsim.io import load_scenario
from cmdsim.report import load_source, render


def main() -> None:
    path = bundled.path("gas.yaml")
    gas = load_scenario(path)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    lead = "incident.gas_main_rupture.hq.gas_hq.activated"
    for name, switches in (("as-shipped", {}), ("no-town-plans", {"no_town_plans": True})):
        folder = out / name
        batch = replicate(gas, 20, seed=5, out=folder, source=str(path), **switches)
        median = batch.summary["metrics"][lead]["p50"]
        print(f"{name}: lead HQ active {median:.1f} min after onset (median of 20)")
        report = render(load_source(folder), "md", "en")
        said = [line for line in report.splitlines() if line.startswith("Run with:")]
        print("  " + (said[0] if said else "Run with: the drill as shipped"))
        (folder / "report.md").write_text(report, encoding="utf-8")
    print(f"reports written under {out}")


if __name__ == "__main__":
    main()
