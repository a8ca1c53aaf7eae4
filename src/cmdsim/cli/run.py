"""``cmdsim run``: one replay of a scenario through the engine.

A thin wrapper around :func:`cmdsim.sim.simulate`, :func:`cmdsim.sim.format_timeline`
and :meth:`cmdsim.sim.RunResult.metrics_json`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cmdsim.cli._common import SEED, console, grid, lang_option, user_errors, what_if

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
@lang_option(
    "Language of the timeline and summary (and of --out's timeline.txt); "
    "the metrics and events.jsonl keep the engine's own words.",
)
def run(
    scenario: Path | None,
    seed: int,
    as_json: bool,
    out: Path | None,
    no_injects: bool,
    lang: str,
) -> None:
    """Replay SCENARIO once and print its timeline and a metrics summary.

    Without SCENARIO, runs the bundled flagship drill compound-typhoon.yaml
    (shipped inside the package; `cmdsim scenarios` lists the bundled
    drills).  Exit 2 when the scenario cannot be loaded or simulated.
    """
    from cmdsim import bundled
    from cmdsim.atomic import DIGESTS_KEY, file_digests, write_files
    from cmdsim.io import load_scenario
    from cmdsim.report.run_words import timeline_words
    from cmdsim.sim import format_timeline, simulate
    from cmdsim.sim.timeline import display_names

    with user_errors():
        # The bundled drill by its absolute path: run.json must name a file
        # that `cmdsim report` can load again from any directory.
        path = scenario if scenario is not None else bundled.flagship()
        loaded = what_if(load_scenario(path), path, no_injects=no_injects)
        result = simulate(loaded, seed)
        timeline = format_timeline(result, display_names(loaded), timeline_words(lang))
        if out is not None:
            # What `cmdsim report DIR` needs to find the scenario again.
            about: dict[str, Any] = {
                "scenario": path.as_posix(),
                "scenario_id": loaded.id,
                "seed": seed,
            }
            if no_injects:
                about["no_injects"] = True
            if lang != "en":
                about["lang"] = lang
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
    _summary(result.record, lang)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _summary(record: RunRecord, lang: str) -> None:
    from cmdsim.report.labels import labels
    from cmdsim.report.run_words import stage_word, timeline_words

    L = labels(lang)
    words = timeline_words(lang).reasons
    # The late deadlines are listed under the table: a column of names
    # would squeeze the times at a pipe's 80 columns.
    columns = [L[f"run.col.{c}"] for c in ("incident", "aware", "level", *_NUMBERS[1:])]
    table = grid(L["run.incidents"], columns, [L[f"run.col.{c}"] for c in _NUMBERS])
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
        console.print(L["run.missed"] + "\n" + "\n".join(missed), markup=False, highlight=False)
    stages = [
        L["run.stage"].format(
            stage=stage_word(stage, lang), on_time=n.on_time, late=n.late, missing=n.missing
        )
        + (L["run.pending"].format(pending=n.pending) if n.pending else "")
        for stage, n in record.reporting.items()
        if n.called
    ]
    if stages:
        # 信息报送: on time, late (迟报), missing (漏报) at the end of the run.
        text = L["run.reports"].format(stages=L["run.sep"].join(stages))
        console.print(text, markup=False, highlight=False)
    takeover = record.takeover
    # Its end: every response it took over closed (None: it held to the end).
    ended = (
        L["run.ended"].format(time=_fmt(takeover.ended))
        if takeover.ended is not None
        else (L["run.holding"] if takeover.time is not None else "")
    )
    again = "".join(
        L["run.again"].format(time=_fmt(time), ended=_fmt(end)) for _, time, end in takeover.again
    )
    console.print(
        L["run.takeover"].format(time=_fmt(takeover.time))
        + (L["run.reason"].format(reason=takeover.reason.text(words)) if takeover.reason else "")
        + ended
        + again
    )
    console.print(L["run.gaps"].format(gaps=record.coverage.gaps), markup=False)
    _committees(record, L)
    _knowledge(record, L)


_NUMBERS = ("aware", "decided", "required", "lead_active", "late")
"""The summary table's columns of numbers (label keys ``run.col.*``)."""


def _knowledge(record: RunRecord, L: Mapping[str, str]) -> None:
    """What the rooms knew against the truth (docs/knowledge.md), per incident,
    in lines that fit 80 columns."""
    for ident, m in sorted(record.incidents.items()):
        k = m.knowledge
        if k is None:
            continue
        lags = L["run.comma"].join(f"{f} {_fmt(v)}" for f, v in k["known_lag"].items()) or "-"
        lines = (
            L["run.knew"].format(incident=ident),
            L["run.known_late"].format(lags=lags),
            L["run.below"].format(
                under=_fmt(k["under_response"]), verify=_fmt(k["verify_minutes"])
            ),
            L["run.false"].format(
                false=k["false_alarms"],
                false_minutes=_fmt(k["false_alarm_minutes"]),
                dups=k["duplicates"],
                dup_minutes=_fmt(k["duplicate_minutes"]),
            ),
        )
        console.print("\n".join(lines), markup=False, highlight=False)


def _committees(record: RunRecord, L: Mapping[str, str]) -> None:
    """The bodies that met or heard, and the committees' first actions."""
    bodies = [
        L["run.committee"].format(
            body=ident, notified=_fmt(t["notified"]), convened=_fmt(t["convened"])
        )
        + (
            L["run.adjourned"].format(time=_fmt(t["adjourned"]))
            if t.get("adjourned") is not None
            else ""
        )
        for ident, t in sorted((record.committee or {}).items())
        if t["notified"] is not None
    ]
    if bodies:
        text = L["run.committees"].format(bodies=L["run.sep"].join(bodies))
        console.print(text, markup=False, highlight=False)
    for incident, c in sorted((record.community or {}).items()):
        # A handbook that does not cover the incident's hazard is none for it.
        handbook = L["run.handbook"] if c["handbook"] else L["run.no_handbook"]
        done = L["run.comma"].join(f"{a} {_fmt(t)}" for a, t in c["actions"].items())
        text = L["run.first_actions"].format(
            incident=incident,
            committee=c["committee"],
            handbook=handbook,
            acting=_fmt(c["acting"]),
            done=done,
            reported=_fmt(c["reported"]),
        )
        console.print(text, markup=False, highlight=False)
