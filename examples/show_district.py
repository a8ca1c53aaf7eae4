"""Load the bundled district and print what it holds.

The same numbers as ``cmdsim show scenarios/district --json``, from Python:
:func:`cmdsim.summary.summarise` turns a loaded district (or scenario) into
plain data.  Runs with no arguments from anywhere.
"""

from __future__ import annotations

from cmdsim import bundled
from cmdsim.io import load_district
from cmdsim.summary import summarise

DISTRICT = bundled.district()


def main() -> None:
    summary = summarise(load_district(DISTRICT))
    kinds = summary["towns_by_kind"]
    print(f"{summary['id']}: {summary['name']}")
    print(f"  general HQs:          {summary['general_hqs']}")
    print(f"  specialised HQs:      {summary['specialised_hqs']}")
    towns = f"{summary['towns']} ({kinds['street']} streets, {kinds['town']} towns)"
    print(f"  towns:                {towns}")
    print(f"  information officers: {summary['information_officers']}")
    for tier, count in summary["information_officers_by_tier"].items():
        print(f"    {tier:<10} {count:>6}")
    print(f"  channels:             {', '.join(c['id'] for c in summary['channels'])}")
    print("  plans (lead HQ, levels):")
    for plan in summary["plans"]:
        levels = " ".join(r["level"] for r in plan["levels"])
        print(f"    {plan['id']:<28} {plan['lead'] or '-':<28} {levels}")


if __name__ == "__main__":
    main()
