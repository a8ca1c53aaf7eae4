"""Set up an exercise from files: interactive, scripted, or replayed from a log."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cmdsim.errors import LoadError, Problem, ScenarioError
from cmdsim.exercise.criteria import criteria_problems
from cmdsim.exercise.drill import (
    Exercise,
    ExerciseSpec,
    Runner,
    check_roles,
    load_script,
    read_log,
    spec_from_log,
)
from cmdsim.exercise.inject_check import InjectError, located
from cmdsim.exercise.msel import Msel, load_msel
from cmdsim.exercise.msel_places import resolve_channels, resolve_places
from cmdsim.exercise.script import check_played
from cmdsim.io.finding import locate_scenario
from cmdsim.model import Inject, Scenario


def load_scenario(path: str | Path) -> Scenario:
    from cmdsim.io import load_scenario as load

    return load(path)


def exercise_scenario(scenario_path: str | Path | None, scenario: Scenario | None = None) -> Path:
    """The scenario file an exercise plays: ``scenario_path``, else the
    bundled flagship drill (:func:`cmdsim.bundled.flagship`, the one
    ``cmdsim run`` runs).  The one default of ``cmdsim drill``, ``cmdsim
    serve``, :func:`open_exercise`, :func:`scripted_exercise` and
    :func:`cmdsim.serve.server.open_session`.

    A ``scenario`` model given without its path is an error: the log
    records the path, and the flagship's would name another scenario.
    """
    if scenario_path is not None:
        return Path(scenario_path)
    if scenario is not None:
        raise ScenarioError(
            f"scenario {scenario.id!r} given without scenario_path: the exercise log records "
            "the file the scenario was loaded from, so a replay and a report find it"
        )
    from cmdsim import bundled

    return bundled.flagship()


def default_runner() -> Runner:
    from cmdsim.exercise.engine import engine_runner

    return engine_runner


def open_exercise(
    scenario_path: str | Path | None,
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

    ``scenario_path`` ``None`` plays the bundled flagship drill
    (:func:`exercise_scenario`); ``scenario``, a model already loaded from
    ``scenario_path``, saves loading it again.  ``script_injects`` are the
    injects a script will add, which the MSEL's criteria may name."""
    roles = check_roles(play)
    scenario_path = exercise_scenario(scenario_path, scenario)
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
    scenario_path: str | Path | None,
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
    scenario_path = exercise_scenario(scenario_path, scenario)
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
    # A script's ``method`` names a channel as an MSEL's does.
    entries = resolve_channels(Msel(entries=script.entries), exercise.base.district.channels)
    for entry in entries.entries:
        try:
            exercise.add_inject(entry.inject)
        except InjectError as exc:
            raise located(exc, entry, str(script_path)) from None
    chooser = script.chooser()
    exercise.run_scripted(chooser)
    for problem in script.unused(chooser, exercise.points):
        if warn is not None:
            warn(problem)
        else:
            warnings.warn(str(problem), stacklevel=2)
    return exercise


def logged_exercise(
    log_path: str | Path,
    records: Sequence[Mapping[str, Any]],
    scenario_path: str | Path | None = None,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
    give: str = "SCENARIO",
) -> Exercise:
    """The exercise a log records (``records`` as :func:`read_log` gives
    them), nothing run yet.

    Its scenario is ``scenario`` or ``scenario_path`` if given, else the one
    its header names, found as a report finds it
    (:func:`cmdsim.io.finding.locate_scenario`: the recorded paths, then the
    scenario files near the log with its digest); either way checked against
    the digest.  One not found is an error at the header's line naming what
    was tried and how to ``give`` it.  The injects its ``inject`` records add
    are checked as when they were added (:meth:`Exercise.check_logged`).
    """
    head = records[0]
    spec = spec_from_log(records, str(log_path))
    model = scenario
    if model is None and scenario_path is not None:
        model = load_scenario(scenario_path)
    model = locate_scenario(
        Path(log_path),
        logged=_text(head.get("scenario")),
        relative=_text(head.get("scenario_relative")),
        digest=_text(head.get("scenario_digest")),
        explicit=model,
        line=1,
        give=give,
    )
    if model is None:
        raise LoadError(
            [
                Problem(
                    f"the log names no scenario; give it with {give}", "scenario", str(log_path), 1
                )
            ]
        )
    exercise = Exercise(model, spec, runner or default_runner())
    exercise.check_logged(records, str(log_path))
    return exercise


def replay_exercise(
    log_path: str | Path,
    scenario_path: str | Path | None = None,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
) -> Exercise:
    """Re-run a logged exercise with its decisions and injects.

    A log holding only its header (an exercise served and not yet played)
    is an error at its line 1, not the plan's run replayed as if it were the
    exercise; its scenario is found as :func:`logged_exercise` finds it.
    """
    records = read_log(log_path)
    if len(records) < 2:
        raise LoadError(
            [
                Problem(
                    "the exercise log holds only its header: no inject, decision, event or end "
                    "record follows it, so there is no exercise to replay (one served and not "
                    "yet played continues with cmdsim serve --resume LOG)",
                    file=str(log_path),
                    line=1,
                )
            ]
        )
    exercise = logged_exercise(
        log_path,
        records,
        scenario_path,
        runner,
        scenario,
        "SCENARIO (cmdsim drill SCENARIO --replay LOG)",
    )
    exercise.project(lambda _point: None, by="plan")
    check_decisions(exercise, records, str(log_path))
    return exercise


def check_decisions(exercise: Exercise, records: Sequence[Mapping[str, Any]], file: str) -> None:
    """Every ``decision`` record of a log answers a decision point of a
    played role in the run (the exercise projected): one that answers none
    (an incident the scenario does not have, a point the run never reached,
    a role not played) would be silently unused and the replay another
    exercise; an error at its line."""
    asked = {p.key for p in exercise.points if p.role in exercise.spec.play}
    played = ", ".join(exercise.spec.play) or "none"
    problems = [
        Problem(
            f"the run has no decision point {record['key']!r} of a played role "
            f"(played: {played}): the decision would go unused",
            "key",
            file,
            number,
        )
        for number, record in enumerate(records, start=1)
        if record.get("type") == "decision" and record.get("key") not in asked
    ]
    if problems:
        raise LoadError(problems)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
