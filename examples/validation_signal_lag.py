"""Does the bundled district start its flood response as fast as Shanghai did?

On 17 Aug 2023 the flood HQ started level IV two minutes after the
rainstorm blue signal and level III six minutes after yellow.  This runs the
same day on the bundled district (scenarios/validation/) and prints the
model's 5-95 % band of each lag, then draws the two distributions with the
observed minutes as an SVG (the figure in docs/validation.md).

    python examples/validation_signal_lag.py [N] [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from cmdsim import bundled
from cmdsim.analysis.validation import OBSERVED_17_AUG_2023, LagBand, signal_lag_bands
from cmdsim.io import load_scenario

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 60, 20, 30, 50
COLOURS = {"blue": "#1f5fbf", "yellow": "#c99a00"}
LEVELS = {"blue": "IV", "yellow": "III"}


def svg(bands: dict[str, LagBand], observed: dict[str, float]) -> str:
    """ECDF of each colour's lag, its 5-95 % band, and the observed minute."""
    top = max(12.0, *(b.p95 * 1.3 for b in bands.values()))

    def x(minutes: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * min(minutes, top) / top

    def y(share: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    for minute in range(0, int(top) + 1, 2):
        parts.append(
            f'<line x1="{x(minute):.1f}" y1="{y(0):.1f}" x2="{x(minute):.1f}" y2="{y(1):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{x(minute):.1f}" y="{y(0) + 16:.1f}" text-anchor="middle">{minute}</text>'
        )
    for share in (0, 0.5, 1):
        parts.append(
            f'<text x="{LEFT - 8}" y="{y(share) + 4:.1f}" text-anchor="end">{share:g}</text>'
        )
    for row, (colour, band) in enumerate(bands.items()):
        stroke = COLOURS.get(colour, "#555")
        values = np.sort(np.asarray(band.values))
        shares = np.arange(1, values.size + 1) / values.size
        step = max(1, values.size // 200)
        points = " ".join(
            f"{x(v):.1f},{y(p):.1f}" for v, p in zip(values[::step], shares[::step], strict=True)
        )
        low, high = y(0.05), y(0.95)
        parts.append(
            f'<rect x="{x(band.p05):.1f}" y="{high:.1f}" width="{x(band.p95) - x(band.p05):.1f}" '
            f'height="{low - high:.1f}" fill="{stroke}" opacity="0.08"/>'
            f'<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="2"/>'
        )
        seen = observed.get(colour)
        if seen is not None:
            parts.append(
                f'<line x1="{x(seen):.1f}" y1="{y(0):.1f}" x2="{x(seen):.1f}" y2="{y(1):.1f}" '
                f'stroke="{stroke}" stroke-dasharray="5,3" stroke-width="2"/>'
            )
        label = (
            f"{colour} → {LEVELS.get(colour, '?')}: 5–95 % {band.p05:.1f}–{band.p95:.1f} min,"
            f" observed {seen:g} min"
            if seen is not None
            else colour
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{y(0.3) + 16 * row:.1f}" text-anchor="end" '
            f'fill="{stroke}">{label}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 10}" text-anchor="middle">'
        "minutes from the signal to the level it starts (dashed: 17 Aug 2023)</text>"
        f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2})">share of runs</text></svg>'
    )
    return "\n".join(parts) + "\n"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp())
    scenario = load_scenario(bundled.path("validation/rainstorm-20230817.yaml"))
    bands = signal_lag_bands(scenario, "rainstorm", n=n, seed=0)
    for colour, band in bands.items():
        seen = OBSERVED_17_AUG_2023[colour]
        verdict = "inside" if band.holds(seen) else "OUTSIDE"
        # A band end too few runs support is marked *, as the batch report marks one.
        print(
            f"{colour:>6} -> {LEVELS[colour]:>3}: median {band.label('p50')} min, 5-95 % "
            f"{band.label('p05')}-{band.label('p95')} min; "
            f"observed {seen:g} min: {verdict} the band"
        )
    # The documented call names a directory to write to: made if it is new.
    out.mkdir(parents=True, exist_ok=True)
    path = out / "validation-signal-lag.svg"
    path.write_text(svg(bands, dict(OBSERVED_17_AUG_2023)), encoding="utf-8")
    print(f"figure: {path}")


if __name__ == "__main__":
    main()
