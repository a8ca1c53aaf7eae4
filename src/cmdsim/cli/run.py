"""``cmdsim run``: one replay of a scenario through the engine.

A thin wrapper around :func:`cmdsim.sim.simulate`, :func:`cmdsim.sim.format_timeline`
and :meth:`cmdsim.sim.RunResult.metrics_json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cmdsim.cli._common import SEED, console, grid, user_errors, what_if

if TYPE_CHECKING:
    from cmdsim.sim.results import RunRecord

RUN_FILE = "run.json"


@click.command("run")
@click.argument("scenario", required=False, type=click.Path(path_type=Path))
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the run.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON (sorted keys).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write timeline.txt, events.jsonl, metrics.json and run.json into this directory.",
)
@click.option(
    "--no-injects",
    is_flag=True,
    help="Leave the drill's injects out: incidents are found only by the channels.",
)
def run(
    scenario: Path | None, seed: int, as_json: bool, out: Path | None, no_injects: bool
) -> None:
    """Replay SCENARIO once and print its timeline and a metrics summary.

    Without SCENARIO, runs the bundled flagship drill compound-typhoon.yaml
    (shipped inside the package; `cmdsim scenarios` lists the bundled
    drills).  Exit 2 when the scenario cannot be loaded or simulated.
    """
    from cmdsim import bundled
    from cmdsim.atomic import DIGESTS_KEY, file_digests, write_files
    from cmdsim.io import load_scenario
    from cmdsim.sim import format_timeline, simulate
    from cmdsim.sim.timeline import display_names

    with user_errors():
        # The bundled drill by its absolute path: run.json must name a file
        # that `cmdsim report` can load again from any directory.
        path = scenario if scenario is not None else bundled.flagship()
        loaded = what_if(load_scenario(path), path, no_injects=no_injects)
        result = simulate(loaded, seed)
        timeline = format_timeline(result, display_names(loaded))
        if out is not None:
            # What `cmdsim report DIR` needs to find the scenario again.
            about: dict[str, Any] = {
                "scenario": path.as_posix(),
                "scenario_id": loaded.id,
                "seed": seed,
            }
            if no_injects:
                about["no_injects"] = True
            # Self-contained: the path from the directory itself and the
            # content's digest, so a report from anywhere finds this scenario.
            from cmdsim.io import scenario_digest
            from cmdsim.report.context import relative_to

            about["scenario_relative"] = relative_to(path, out)
            about["scenario_digest"] = scenario_digest(loaded)
            outputs = {
                "timeline.txt": timeline,
                "events.jsonl": result.events_jsonl(),
                "metrics.json": result.metrics_json() + "\n",
            }
            # run.json, renamed last, names what the other three hold: after a
            # kill -9 between the renames a report refuses the mix.
            about[DIGESTS_KEY] = file_digests(outputs)
            # All four made before any is written, and written as one change:
            # a Ctrl-C or an error part-way leaves an earlier run's files whole.
            write_files(
                out, {**outputs, RUN_FILE: json.dumps(about, sort_keys=True, indent=2) + "\n"}
            )
    if as_json:
        click.echo(result.metrics_json())
        return
    console.print(timeline, markup=False, highlight=False, end="")
    _summary(result.record)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _summary(record: RunRecord) -> None:
    # The late deadlines are listed under the table: a column of names
    # would squeeze the times at a pipe's 80 columns.
    numbers = ("aware", "decided", "required", "lead HQ\nactive", "late")
    table = grid(
        "incidents (minutes after onset; level: first→peak)",
        ("incident", "aware", "level", *numbers[1:]),
        numbers,
    )
    missed: list[str] = []
    for ident, m in sorted(record.incidents.items()):
        late = [k for k, d in sorted(m.deadline.items()) if d.met is False]
        if late:
            missed.append(f"  {ident}: {', '.join(late)}")
        table.add_row(
            ident,
            _fmt(m.aware),
            f"{_fmt(m.level)}→{_fmt(m.peak_level)}",
            _fmt(m.level_decided),
            _fmt(m.required_level),
            _fmt(m.lead_record().activated),
            str(len(late)) if late else "-",
        )
    console.print(table)
    if missed:
        console.print("deadlines missed:\n" + "\n".join(missed), markup=False, highlight=False)
    stages = [
        f"{stage} {n.on_time} on time, {n.late} late, {n.missing} missing"
        + (f", {n.pending} not yet due" if n.pending else "")
        for stage, n in record.reporting.items()
        if n.called
    ]
    if stages:
        # 信息报送: on time, late (迟报), missing (漏报) at the end of the run.
        console.print("reports: " + "; ".join(stages), markup=False, highlight=False)
    takeover = record.takeover
    # Its end: every response it took over closed (None: it held to the end).
    ended = (
        f", ended {_fmt(takeover.ended)}"
        if takeover.ended is not None
        else (", holding at the end" if takeover.time is not None else "")
    )
    again = "".join(f"; again {_fmt(time)}, ended {_fmt(end)}" for _, time, end in takeover.again)
    console.print(
        f"general HQ takeover: {_fmt(takeover.time)} min after start"
        + (f" ({takeover.reason})" if takeover.reason else "")
        + ended
        + again
    )
    gaps = record.coverage.gaps
    console.print(f"coverage gaps: {gaps}", markup=False)
    _committees(record)
    _knowledge(record)


def _knowledge(record: RunRecord) -> None:
    """What the rooms knew against the truth (docs/knowledge.md), per incident,
    in lines that fit 80 columns."""
    for ident, m in sorted(record.incidents.items()):
        k = m.knowledge
        if k is None:
            continue
        lags = ", ".join(f"{f} {_fmt(v)}" for f, v in k["known_lag"].items()) or "-"
        lines = (
            f"what reporters knew of {ident} (min):",
            f"  figures known late: {lags}",
            f"  below the truth {_fmt(k['under_response'])}; "
            f"verification {_fmt(k['verify_minutes'])}",
            f"  false alarms {k['false_alarms']} ({_fmt(k['false_alarm_minutes'])}), "
            f"duplicates {k['duplicates']} ({_fmt(k['duplicate_minutes'])})",
        )
        console.print("\n".join(lines), markup=False, highlight=False)


def _committees(record: RunRecord) -> None:
    """The bodies that met or heard, and the committees' first actions."""
    bodies = [
        f"{ident} notified {_fmt(t['notified'])}, convened {_fmt(t['convened'])}"
        + (f", adjourned {_fmt(t['adjourned'])}" if t.get("adjourned") is not None else "")
        for ident, t in sorted((record.committee or {}).items())
        if t["notified"] is not None
    ]
    if bodies:
        console.print(
            "committees (min after start): " + "; ".join(bodies), markup=False, highlight=False
        )
    for incident, c in sorted((record.community or {}).items()):
        # A handbook that does not cover the incident's hazard is none for it.
        handbook = "handbook" if c["handbook"] else "no handbook for it"
        done = ", ".join(f"{a} {_fmt(t)}" for a, t in c["actions"].items())
        console.print(
            f"first actions of {incident} ({c['committee']}, {handbook}; min after onset): "
            f"acting {_fmt(c['acting'])}, {done}, officer's report {_fmt(c['reported'])}",
            markup=False,
            highlight=False,
        )
