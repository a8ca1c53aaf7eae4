"""``cmdsim run``: one replay of a scenario through the engine.

A thin wrapper around :func:`cmdsim.sim.simulate`, :func:`cmdsim.sim.format_timeline`
and :meth:`cmdsim.sim.RunResult.metrics_json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from cmdsim.cli._common import SEED, console, grid, user_errors
from cmdsim.errors import ScenarioError

FLAGSHIP = Path("scenarios") / "compound-typhoon.yaml"
RUN_FILE = "run.json"


def flagship_path() -> Path:
    """The bundled compound-typhoon drill, found from the installed package."""
    import cmdsim

    path = Path(cmdsim.__file__).resolve().parents[2] / FLAGSHIP
    if not path.is_file() and (Path.cwd() / FLAGSHIP).is_file():
        # A non-editable install (`pip install .`) puts the package in
        # site-packages; the README's quick start runs from the clone's root.
        path = Path.cwd() / FLAGSHIP
    if not path.is_file():
        raise ScenarioError(
            f"no SCENARIO given and the bundled drill {FLAGSHIP} was not found at {path}"
        )
    return path


@click.command("run")
@click.argument("scenario", required=False, type=click.Path(path_type=Path))
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the run.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON (sorted keys).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write timeline.txt, events.jsonl, metrics.json and run.json into this directory.",
)
def run(scenario: Path | None, seed: int, as_json: bool, out: Path | None) -> None:
    """Replay SCENARIO once and print its timeline and a metrics summary.

    Without SCENARIO, runs the bundled flagship drill
    scenarios/compound-typhoon.yaml.  Exit 2 when the scenario cannot be
    loaded or simulated.
    """
    from cmdsim.atomic import write_text
    from cmdsim.io import load_scenario
    from cmdsim.sim import format_timeline, simulate
    from cmdsim.sim.timeline import display_names

    with user_errors():
        path = scenario if scenario is not None else flagship_path()
        loaded = load_scenario(path)
        result = simulate(loaded, seed)
        timeline = format_timeline(result, display_names(loaded))
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            write_text(out / "timeline.txt", timeline)
            write_text(out / "events.jsonl", result.events_jsonl())
            write_text(out / "metrics.json", result.metrics_json() + "\n")
            # What `cmdsim report DIR` needs to find the scenario again.
            about = {"scenario": path.as_posix(), "scenario_id": loaded.id, "seed": seed}
            write_text(out / RUN_FILE, json.dumps(about, sort_keys=True, indent=2) + "\n")
    if as_json:
        click.echo(result.metrics_json())
        return
    console.print(timeline, markup=False, highlight=False, end="")
    _summary(result.metrics)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _summary(metrics: Any) -> None:
    # The late deadlines are listed under the table: a column of names
    # would squeeze the times at a pipe's 80 columns.
    numbers = ("aware", "decided", "required", "lead HQ\nactive", "late")
    table = grid(
        "incidents (minutes after onset; level: first→peak)",
        ("incident", "aware", "level", *numbers[1:]),
        numbers,
    )
    missed: list[str] = []
    for ident, m in sorted(metrics["incident"].items()):
        lead = m["hq"].get(m["lead"] or "", {})
        late = [k for k, d in sorted(m["deadline"].items()) if d["met"] is False]
        if late:
            missed.append(f"  {ident}: {', '.join(late)}")
        table.add_row(
            ident,
            _fmt(m["aware"]),
            f"{_fmt(m['level'])}→{_fmt(m['peak_level'])}",
            _fmt(m["level_decided"]),
            _fmt(m["required_level"]),
            _fmt(lead.get("activated")),
            str(len(late)) if late else "-",
        )
    console.print(table)
    if missed:
        console.print("deadlines missed:\n" + "\n".join(missed), markup=False, highlight=False)
    takeover = metrics["takeover"]
    console.print(
        f"general HQ takeover: {_fmt(takeover['time'])} min after start"
        + (f" ({takeover['reason']})" if takeover["reason"] else "")
    )
    gaps = metrics["coverage"]["gaps"]
    console.print(f"coverage gaps: {gaps}", markup=False)
