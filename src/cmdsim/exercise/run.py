"""Set up an exercise from files: interactive, scripted, or replayed from a log."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.errors import LoadError, Problem, ScenarioError
from cmdsim.exercise.criteria import criteria_problems
from cmdsim.exercise.divergence import log_divergences
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
from cmdsim.io import scenario_digest
from cmdsim.io.finding import locate_scenario
from cmdsim.model import Inject, Scenario
from cmdsim.sim.moments import calendar, wall
from cmdsim.version import cmdsim_version


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
            f"the start ({calendar(wall(model.start, e.inject.at))}), "
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
    *,
    same_content: bool = True,
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

    Without ``same_content`` a scenario whose content changed since (another
    digest) is taken too, when no copy with the logged digest is found: a
    replay compares its events with the logged ones instead
    (:func:`check_replay`).
    """
    head = records[0]
    spec = spec_from_log(records, str(log_path))
    model = scenario
    if model is None and scenario_path is not None:
        model = load_scenario(scenario_path)
    digest = _text(head.get("scenario_digest"))
    if model is not None and not same_content:
        digest = None  # the given scenario stands; the replay's events are compared
    given = model

    def locate(digest: str | None) -> Any:
        return locate_scenario(
            Path(log_path),
            logged=_text(head.get("scenario")),
            relative=_text(head.get("scenario_relative")),
            digest=digest,
            explicit=given,
            line=1,
            give=give,
        )

    try:
        model = locate(digest)
    except LoadError as first:
        if same_content or digest is None:
            raise
        try:  # the recorded file as it is now, edited since
            model = locate(None)
        except LoadError:
            raise first from None  # it says what was tried and what was found
    if model is None:
        raise LoadError(
            [
                Problem(
                    f"the log names no scenario; give it with {give}", "scenario", str(log_path), 1
                )
            ]
        )
    found = _scenario_file(Path(log_path), head, scenario_path)
    if found is not None:
        spec = attrs.evolve(spec, scenario_file=str(found))
    exercise = Exercise(model, spec, runner or default_runner())
    exercise.check_logged(records, str(log_path))
    return exercise


def _scenario_file(log: Path, head: Mapping[str, Any], given: str | Path | None) -> Path | None:
    """The scenario file a logged exercise plays, for the header its log
    is written again with: the one given, else the first of the logged
    paths that is there, in the order they are searched (from the log's
    folder, then as given): the recorded path is relative to the folder the
    exercise ran in, which a replay from another folder is not."""
    if given is not None:
        return Path(given)
    folder = log.parent
    relative, logged = _text(head.get("scenario_relative")), _text(head.get("scenario"))
    candidates = [folder / relative] if relative else []
    candidates += [Path(logged), folder / logged] if logged else []
    return next((c for c in candidates if c.is_file()), None)


def replay_exercise(
    log_path: str | Path,
    scenario_path: str | Path | None = None,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
    *,
    accept_changes: bool = False,
    warn: Callable[[Problem], None] | None = None,
) -> Exercise:
    """Re-run a logged exercise with its decisions and injects.

    A log holding only its header (an exercise served and not yet played)
    is an error at its line 1, not the plan's run replayed as if it were the
    exercise; its scenario is found as :func:`logged_exercise` finds it,
    the logged file edited since included.

    The replay's events are compared with the logged ones
    (:func:`check_replay`): the first that differs is a :class:`LoadError`
    at its line and field, unless ``accept_changes``, when each difference
    is handed to ``warn`` (default :func:`warnings.warn`) and the replay,
    as it runs now, is returned.
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
        same_content=False,
    )
    exercise.project(lambda _point: None, by="plan")
    check_decisions(exercise, records, str(log_path))
    check_replay(exercise, records, str(log_path), accept_changes=accept_changes, warn=warn)
    return exercise


LISTED = 20
"""How many differences an accepted replay lists (then how many more)."""


class ReplayDiverges(LoadError):
    """A replay that does not give the logged events (:func:`check_replay`):
    its problems are the first difference and the cause.  A caller that can
    take the replay instead (``cmdsim report --accept-changes``) says so."""


def check_replay(
    exercise: Exercise,
    records: Sequence[Mapping[str, Any]],
    file: str,
    *,
    accept_changes: bool = False,
    warn: Callable[[Problem], None] | None = None,
) -> list[Problem]:
    """Compare what a log recorded (``records``, read from ``file``) with
    its replay (``exercise``, projected to the end): the differences
    (:func:`~cmdsim.exercise.divergence.log_divergences`), in the log's order.

    A difference is a :class:`LoadError` at the first one's line and field
    (``event.details.level``), saying whether the scenario's content changed
    (its digest) or the engine did, unless ``accept_changes``: then
    ``warn`` gets a summary and the first :data:`LISTED` differences.  A
    scenario whose content changed, or a log another version of cmdsim
    wrote (its header's ``cmdsim``), with the events unchanged is said once
    to ``warn``.
    """
    say = warn if warn is not None else _warn
    moved = log_divergences(records, exercise.log_records(), exercise.base.start, file)
    head = records[0] if records else {}
    logged = _text(head.get("scenario_digest"))
    changed = logged is not None and logged != scenario_digest(exercise.base)
    written, now = _text(head.get("cmdsim")), cmdsim_version()  # older logs do not say
    upgraded = written is not None and written != now
    causes = ["the scenario's content is not the one logged (its digest differs)"] * changed
    if upgraded:
        causes.append(f"the log was written by cmdsim {written}, this is cmdsim {now}")
    cause = " and ".join(causes) or (
        "the engine (cmdsim) has changed since the log was written, or the log was edited"
    )
    if moved and not accept_changes:
        first = moved[0]
        raise ReplayDiverges(
            [
                first,
                Problem(
                    f"the replay diverges from the log at line {first.line} "
                    f"({_count(len(moved), 'difference')} in all): {cause}; to take the "
                    "exercise as it runs now: cmdsim drill --replay LOG --accept-changes "
                    "--log NEW",
                    file=file,
                ),
            ]
        )
    if moved:
        say(
            Problem(
                f"the replay differs from the log in {_count(len(moved), 'place')} ({cause}); "
                "accepted: the replay stands",
                file=file,
            )
        )
        for problem in moved[:LISTED]:
            say(problem)
        if len(moved) > LISTED:
            say(Problem(f"... and {len(moved) - LISTED} more", file=file))
    elif changed or upgraded:
        say(
            Problem(
                f"{cause}, but the replay gives the logged events", _causes_field(changed), file, 1
            )
        )
    return moved


def _causes_field(changed: bool) -> str:
    """The header field a remark on an unchanged replay is about."""
    return "scenario" if changed else "cmdsim"


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _warn(problem: Problem) -> None:
    warnings.warn(str(problem), stacklevel=3)


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
