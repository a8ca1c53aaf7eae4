"""Set up an exercise from files: interactive, scripted, or replayed from a log."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from cmdsim.errors import LoadError, Problem, ScenarioError
from cmdsim.exercise.criteria import criteria_problems
from cmdsim.exercise.drill import (
    Exercise,
    ExerciseSpec,
    Runner,
    check_digest,
    check_roles,
    load_script,
    read_log,
    spec_from_log,
)
from cmdsim.exercise.msel import Msel, load_msel, resolve_places
from cmdsim.exercise.script import check_played
from cmdsim.model import Inject, Scenario


def load_scenario(path: str | Path) -> Scenario:
    from cmdsim.io import load_scenario as load

    return load(path)


def default_runner() -> Runner:
    from cmdsim.exercise.engine import engine_runner

    return engine_runner


def open_exercise(
    scenario_path: str | Path,
    msel_path: str | Path | None,
    play: Iterable[str],
    seed: int,
    columns: Mapping[str, str] | None = None,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
    *,
    script_injects: Iterable[Inject] = (),
) -> Exercise:
    """An exercise ready for the console (nothing decided yet).

    ``script_injects`` are the injects a script will add, which the MSEL's
    criteria may name."""
    roles = check_roles(play)
    model = scenario if scenario is not None else load_scenario(scenario_path)
    msel = (
        resolve_places(load_msel(msel_path, start=model.start, columns=columns), model.district)
        if msel_path is not None
        else Msel()
    )
    late = [
        Problem(
            f"inject {e.inject.id} at {e.time or e.inject.at} is {e.inject.at:g} min after "
            f"the start ({model.start + dt.timedelta(minutes=e.inject.at):%Y-%m-%d %H:%M}), "
            f"{'when' if e.inject.at == model.horizon else 'after'} the exercise ends"
            f" (horizon {model.horizon:g} min): it would never be delivered",
            "at",
            str(msel_path),
            e.line,
        )
        for e in msel.entries
        if e.inject.at >= model.horizon  # the run stops before what is timed at its end
    ]
    if late:
        # A time of day before the start is the next day's ("17:00" in a
        # drill starting at 18:00): said here, not silently left undelivered.
        raise LoadError(late)
    injects = (*msel.injects, *script_injects)
    unmet = criteria_problems(msel.criteria, model, injects, str(msel_path))
    if unmet:
        raise LoadError(unmet)
    spec = ExerciseSpec(
        scenario_path=str(scenario_path),
        scenario_id=model.id,
        seed=seed,
        play=roles,
        msel=msel,
    )
    return Exercise(model, spec, runner or default_runner())


def scripted_exercise(
    scenario_path: str | Path,
    msel_path: str | Path | None,
    play: Iterable[str],
    script_path: str | Path,
    seed: int,
    columns: Mapping[str, str] | None = None,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
    require_played: bool = False,
    warn: Callable[[Problem], None] | None = None,
) -> Exercise:
    """Run an exercise to the end with decisions and injects from a script.

    With ``require_played``, a script that decides for a role not in
    ``play`` is an error naming the roles it decides (as ``cmdsim drill``
    does); without it such entries are unused (the plan's rule decides).
    An entry naming an incident, a decision point or an HQ the scenario
    has not is a :class:`LoadError`; an entry no decision point of the run
    took is handed to ``warn`` (default: :func:`warnings.warn`), located.
    """
    model = scenario if scenario is not None else load_scenario(scenario_path)
    script = load_script(script_path, start=model.start, district=model.district)
    wrong = script.problems(model)
    if wrong:
        raise LoadError(wrong)
    exercise = open_exercise(
        scenario_path, msel_path, play, seed, columns, runner, model, script_injects=script.injects
    )
    if require_played:
        check_played(script, exercise.spec.play, f"--script {script_path}")
    lines = (*script.inject_lines, *[None] * len(script.injects))
    for inject, line in zip(script.injects, lines, strict=False):
        try:
            exercise.add_inject(inject)
        except ScenarioError as exc:
            raise LoadError([Problem(str(exc), "injects", str(script_path), line)]) from None
    chooser = script.chooser()
    exercise.run_scripted(chooser)
    for problem in script.unused(chooser, exercise.points):
        if warn is not None:
            warn(problem)
        else:
            warnings.warn(str(problem), stacklevel=2)
    return exercise


def replay_exercise(
    log_path: str | Path,
    scenario_path: str | Path | None = None,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
) -> Exercise:
    """Re-run a logged exercise with its decisions and injects."""
    records = read_log(log_path)
    spec = spec_from_log(records)
    model = scenario
    if model is None:
        model = load_scenario(scenario_path if scenario_path is not None else spec.scenario_path)
    check_digest(records, model, str(log_path))
    exercise = Exercise(model, spec, runner or default_runner())
    exercise.project(lambda _point: None, by="plan")
    return exercise
