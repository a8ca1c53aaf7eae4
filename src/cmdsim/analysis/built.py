"""A scenario built or changed in Python, checked as a file is checked.

A file goes through the loader, which refuses more than the model's own
validators do: a value of the wrong type (``night: 2.5`` is "expected a
whole number"), an incident whose timeline falls outside the run, an inject
after the horizon, a zone or a flag no town or plan knows (see
:mod:`cmdsim.io.checks`).  A scenario made with ``attrs.evolve`` in a
notebook skips the loader: attrs runs the validators but not the type
annotations, so ``Staffing(night=2.5)`` or ``night=True`` were run as two
officers and one, and a horizon cut before the incident's timeline ran an
incident that never happens, with no word.  :func:`check_scenario` gives
such a scenario the loader's checks; :func:`cmdsim.replicate`, the sweeps
and :func:`cmdsim.simulate` run it first.  Model values cannot change in
place (:mod:`cmdsim.model.frozen`), so a scenario that passed is remembered
by identity and not checked again (:mod:`cmdsim.io.checked`): a loop of
``cmdsim.simulate`` over seeds checks once, and a loaded scenario, which
passed the same checks in the load, not at all.
"""

from __future__ import annotations

import numpy as np

from cmdsim.errors import ModelError, ScenarioError
from cmdsim.io import checked, checks
from cmdsim.model.scenario import ModelErrors, Scenario, require_scenario
from cmdsim.model.typecheck import model_type_errors, type_errors
from cmdsim.sim import RunResult, SimOptions
from cmdsim.sim import simulate as engine


def scenario_problems(scenario: Scenario) -> list[ModelError]:
    """What loading the scenario from a file would refuse, each with its path."""
    errors = model_type_errors(scenario)
    if errors:
        # The file checks below read the values; wrong types would only
        # make them fail in other words.
        return errors
    if not checked.passed(scenario.district):  # a loaded one passed them
        errors += [
            ModelError(e.message, f"district.{e.path}" if e.path else "district")
            for e in checks.district_errors(scenario.district)
        ]
    errors += checks.scenario_errors(scenario, lambda _: True, lambda _: False)
    return errors


def check_scenario(scenario: Scenario, caller: str = "check_scenario") -> None:
    """Refuse a scenario a file could not have given, naming each field.

    Raises :class:`~cmdsim.model.scenario.ModelErrors` (a
    :class:`~cmdsim.errors.CmdsimError`) whose message starts with the
    scenario's id and lists every problem with its field path, as the
    loader does for a file (``caller`` names the function in the message
    for what is no scenario at all)::

        scenario 'gas': district.duty_room.staffing.night: expected a whole
        number, got 2.5 (float)

    A scenario that passes is remembered (weakly, by identity) and returns
    at once the next time; so does one a load gave, which passed the same
    checks there (:mod:`cmdsim.io.checked`).
    """
    require_scenario(scenario, caller)
    if checked.passed(scenario):
        return
    problems = scenario_problems(scenario)
    if problems:
        raise _Refused(scenario.id, problems)
    checked.mark_passed(scenario)


class _Refused(ModelErrors):
    """The problems of a scenario built in Python, under its id."""

    def __init__(self, scenario: str, errors: list[ModelError]) -> None:
        super().__init__(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        self.args = (
            f"scenario {scenario!r} is not one a file could give "
            f"({len(self.errors)} problem{'s' if len(self.errors) > 1 else ''}):\n{lines}",
        )


__all__ = [
    "check_scenario",
    "model_type_errors",
    "scenario_problems",
    "simulate",
    "type_errors",
]


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence = 0,
    *,
    options: SimOptions | None = None,
) -> RunResult:
    """:func:`cmdsim.sim.simulate` of a scenario checked as a file would be.

    What ``cmdsim.simulate`` is: a notebook's scenario changed with
    ``attrs.evolve`` is refused with every wrong field named
    (:func:`check_scenario`) rather than run on a value the loader would
    have refused.  ``cmdsim.sim.simulate`` is the engine itself, which
    runs what a program builds on purpose (a drill console's inject after
    the horizon) unchecked.
    """
    if isinstance(scenario, Scenario):  # anything else: the engine's own message
        check_scenario(scenario, "simulate")
    if options is not None and not isinstance(options, SimOptions):
        shown = (
            ", ".join(f"{k}={v!r}" for k, v in options.items())
            if isinstance(options, dict)
            else "..."
        )
        raise ScenarioError(
            f"options= takes a cmdsim.sim.SimOptions, got {type(options).__name__} "
            f"(write options=SimOptions({shown}))"
        )
    return engine(scenario, seed, options=options)
