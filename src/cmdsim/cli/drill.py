"""``cmdsim drill``: a tabletop exercise, interactive, scripted or replayed."""

from __future__ import annotations

from pathlib import Path

import click

from cmdsim.cli._common import (
    SEED,
    column_options,
    console,
    exercise_options,
    from_the_log,
    lang_option,
    output_file,
    scenario_or_flagship,
    user_errors,
)


@click.command("drill")
@exercise_options(
    "A role people play: duty-room, general-hq or lead-hq (repeat the option or "
    "separate roles with commas); the others are simulated with the plan's rule."
)
@click.option(
    "--script",
    type=click.Path(path_type=Path),
    help="Take the players' decisions from this YAML/JSON file (no keyboard).",
)
@click.option("--log", "log", type=click.Path(path_type=Path), help="Write the exercise log here.")
@click.option(
    "--replay",
    type=click.Path(path_type=Path),
    help="Replay an exercise log exactly (SCENARIO defaults to the logged one).",
)
@click.option(
    "--accept-changes",
    is_flag=True,
    help="With --replay: where the replay's events differ from the logged ones (the engine "
    "or the scenario changed since), take the replay and list what moved on stderr, "
    "instead of stopping at the first difference.",
)
@click.option("--seed", type=SEED, default=1, show_default=True)
@lang_option(
    "Language of the console: its prompts, clock, events, decisions and criteria "
    "(the keys typed stay; zh also takes 是/否 and 无). The log keeps the engine's "
    "words and records the language.",
)
def drill(
    scenario: Path | None,
    msel: Path | None,
    columns: tuple[str, ...],
    play: tuple[str, ...],
    script: Path | None,
    log: Path | None,
    replay: Path | None,
    accept_changes: bool,
    seed: int,
    lang: str,
) -> None:
    """Run a tabletop exercise of SCENARIO with an MSEL of injects.

    Interactive by default: step to the next event (n), by N minutes (s N),
    run to the next decision (c), play in real time (p; Ctrl-C pauses), add an
    inject (i MIN TEXT), show criteria (k), key events only or all (f), quit (q).

    Without SCENARIO, plays the bundled flagship drill compound-typhoon.yaml
    (as `cmdsim run`; the file is named on stderr); with --replay, the
    logged one.
    """
    with user_errors():
        from cmdsim.errors import ScenarioError
        from cmdsim.exercise.run import open_exercise, replay_exercise, scripted_exercise
        from cmdsim.report.run_words import timeline_words

        words = timeline_words(lang)
        warning = "警告：" if lang == "zh" else "warning: "

        if log is not None:
            output_file(log, "--log")
        if replay is not None:
            # The log holds the seed, the roles, the MSEL and every decision:
            # any of them given again would be ignored without a word.
            from_the_log(
                "--replay replays",
                msel=msel,
                column=columns,
                play=play,
                script=script,
                seed=seed,
            )
            exercise = replay_exercise(
                replay,
                scenario,
                accept_changes=accept_changes,
                warn=lambda problem: click.echo(f"{warning}{problem}", err=True),
            )
        else:
            if accept_changes:
                raise ScenarioError(
                    "--accept-changes is an option of --replay (it accepts a replay that "
                    "differs from its log); without --replay it would have no effect"
                )
            scenario = scenario_or_flagship(scenario, msel)
            mapping = column_options(columns)
            if script is None and log is not None and log.exists():
                # People's decisions cannot be made again: an earlier
                # exercise's log is never written over (as cmdsim serve).
                raise ScenarioError(
                    f"{log} exists (an earlier exercise's log?); give another --log, "
                    "or remove it first"
                )
            if script is not None:
                exercise = scripted_exercise(
                    scenario,
                    msel,
                    play,
                    script,
                    seed,
                    mapping,
                    require_played=True,
                    warn=lambda problem: click.echo(f"{warning}{problem}", err=True),
                )
            else:
                exercise = open_exercise(scenario, msel, play, seed, mapping)
                from cmdsim.atomic import write_text
                from cmdsim.exercise.console import DrillConsole

                live = exercise

                def save() -> None:
                    if log is not None:
                        # the drill goes on: no end record until it has ended
                        write_text(log, live.log_text(log, finished=False, lang=lang))

                DrillConsole(exercise, console, console.input, save=save, words=words).run()
        if replay is not None or script is not None:
            from cmdsim.exercise.console import print_run

            print_run(exercise, console, words)
        if log is not None:
            from cmdsim.atomic import write_text

            write_text(log, exercise.log_text(log, lang=lang))
            click.echo(f"已写入 {log}" if lang == "zh" else f"wrote {log}", err=True)
