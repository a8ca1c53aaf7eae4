"""Which scenarios and districts have passed every check a file's load gives.

A load refuses what the model's validators let through (values of the wrong
type, times outside the run, references to nothing: :mod:`cmdsim.io.checks`),
and :func:`cmdsim.analysis.check_scenario` gives a scenario built in Python
the same checks.  Either way a value that passed is recorded here, by
identity and weakly (:class:`~cmdsim.model.frozen.Seen`), so that load ->
simulate checks once: the first ``cmdsim.simulate`` of a loaded scenario does
not walk its thousands of objects again.  Sound because no model value
changes in place (:mod:`cmdsim.model.frozen`); a value made with
``attrs.evolve`` is another object, checked on its own (only what it does
not share with a passed one is walked again).
"""

from __future__ import annotations

from cmdsim.model import District, Scenario
from cmdsim.model.frozen import Seen
from cmdsim.model.typecheck import known_well_typed

_PASSED = Seen()


def passed(value: Scenario | District) -> bool:
    """Whether ``value`` (this object) passed a load's checks or
    :func:`~cmdsim.analysis.check_scenario`."""
    return value in _PASSED


def mark_passed(value: Scenario | District) -> None:
    """Record that ``value`` passed every check a load gives (a scenario:
    its district too), and that everything in it is of its declared type."""
    _PASSED.add(value)
    known_well_typed(value)
    if isinstance(value, Scenario):
        _PASSED.add(value.district)
        known_well_typed(value.district)


__all__ = ["mark_passed", "passed"]
