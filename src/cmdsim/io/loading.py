"""Loading districts and scenarios: reading, structuring, locating."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

import attrs
import yaml

from cmdsim import bundled
from cmdsim.errors import LoadError, Problem
from cmdsim.io._nodes import Node, describe
from cmdsim.io.checked import mark_passed
from cmdsim.io.fieldpaths import from_plain
from cmdsim.io.includes import Budget, Reader, resolve_path
from cmdsim.io.locations import Locations
from cmdsim.io.memo import paused_gc
from cmdsim.io.reading import ReadFailed, compose, read_text
from cmdsim.io.standins import Invalid
from cmdsim.io.structure import Structurer
from cmdsim.model import District, Scenario
from cmdsim.model.typecheck import known_well_typed

T = TypeVar("T")


@attrs.frozen
class Loaded:
    """A loaded model with the file locations of its field paths."""

    value: District | Scenario
    locations: Locations
    files: tuple[Path, ...] = ()
    """Every file read (the top file and its includes), absolute."""


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in file order (files in the order first named)."""
    # An alias used twice reports its problems twice.
    unique = list(dict.fromkeys(problems))
    files = {p.file: index for index, p in reversed(list(enumerate(unique)))}
    return sorted(unique, key=lambda p: (files[p.file], p.line or 0, p.column or 0))


def _kind_of(root: Node) -> type[District] | type[Scenario]:
    return Scenario if "district" in root.value else District


_NOT_TOP = (
    (
        ("injects", "criteria", "import"),
        "an MSEL (its injects): play it with `cmdsim drill SCENARIO --msel FILE`",
    ),
    (("decisions",), "a drill script: play it with `cmdsim drill SCENARIO --script FILE`"),
    (
        ("triggers", "levels", "escalation", "warnings"),
        "a plan: a district file includes it,"
        " so give the district (its directory or its district.yaml) or a scenario",
    ),
)
"""A file given where a district or scenario is read, told by keys no district has."""

_SHEET = "a spreadsheet (an MSEL?): play it with `cmdsim drill SCENARIO --msel FILE`"
_OTHER_FILES = {
    ".csv": _SHEET,
    ".xlsx": _SHEET,
    ".xlsm": _SHEET,
    ".jsonl": (
        "a JSON-lines log (an exercise log or a run's events): report it with "
        "`cmdsim report FILE`, or replay an exercise with `cmdsim drill --replay FILE`"
    ),
}
"""A file given where a district or scenario is read, told by its suffix."""


def _other_kind(root: Node) -> str | None:
    """What a top-level mapping is when it is plainly no district nor scenario
    (every key of it a district's field would be a district with typos)."""
    return _other_kind_of_keys({str(k) for k in root.value})


def _other_kind_of_keys(keys: set[str]) -> str | None:
    if "district" in keys:
        return None
    for markers, what in _NOT_TOP:
        if keys & set(markers) and not keys & _DISTRICT_ONLY:
            return what
    return None


_DISTRICT_ONLY = {
    "units",
    "commands",
    "duty_room",
    "towns",
    "officers",
    "channels",
    "plans",
    "calendar",
    "town_required",
    "bodies",
    "duties",
    "responsibilities",
    "community",
}
"""District fields no plan, MSEL or script has (``id``, ``name``, ``hazards`` they share)."""


def _structure(reader: Reader, root: Node | None, name: str, want: type[Any] | None) -> Loaded:
    problems = list(reader.problems)
    if root is None:
        raise LoadError(_unique(problems) or [Problem("nothing could be read", file=name)])
    if not root.is_mapping:
        # towns.yaml, a town's plans: lists a district file includes.
        hint = (
            ": a file a district includes? give the district (its directory or its"
            " district.yaml) or a scenario"
            if isinstance(root.value, list)
            else ""
        )
        problems.append(
            Problem(
                f"expected a mapping of fields at the top, got {describe(root.value)}{hint}",
                "",
                *root.where,
            )
        )
        raise LoadError(_unique(problems))
    other = _other_kind(root)
    if other is not None and not problems:
        # Not a district with many wrong keys: one line that says what it is.
        raise LoadError(
            [Problem(f"not a district or a scenario: this is {other}", "", *root.where)]
        )
    cls = _kind_of(root)
    if want is not None and cls is not want:
        if want is Scenario:
            message = "expected a scenario, but this is a district file (it has no 'district' key)"
        else:
            message = "expected a district, but this is a scenario file (it has a 'district' key)"
        problems.append(Problem(message, "", *root.where))
        raise LoadError(_unique(problems))
    structurer = Structurer(reader.failed)
    try:
        value = structurer.build(root, cls, "")
    except Invalid:
        value = None
    problems.extend(structurer.problems)
    problems.extend(structurer.unchecked_problems())
    if problems or value is None:
        raise LoadError(_unique(problems) or [Problem("could not be loaded", file=name)])
    # Every check check_scenario would give, given here: load -> simulate checks once.
    mark_passed(value)
    return Loaded(value, structurer.locations, tuple(reader.files))


def document_kind(path: str | os.PathLike[str]) -> str:
    """What a YAML file is, told by its top-level keys alone (nothing included
    is read, nothing built): ``"scenario"`` (a mapping with a ``district``
    key, the rule every load uses), ``"district"``, or a phrase saying what
    else it is (``"an MSEL (its injects): play it with …"``, ``"empty"``).
    Lets a directory of scenarios be told from the other files kept beside
    them.  A file that cannot be read or is not YAML raises
    :class:`~cmdsim.errors.LoadError`, located."""
    name = os.fspath(path)
    try:
        root = compose(read_text(Path(name), name), name)
    except ReadFailed as failed:
        raise LoadError([failed.problem]) from None
    if root is None:
        return "empty"
    if not isinstance(root, yaml.MappingNode):
        return "a list, not a mapping of fields: a file a district includes?"
    keys = {str(k.value) for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    if "district" in keys:
        return "scenario"
    other = _other_kind_of_keys(keys)
    return other if other is not None else "district"


def unincluded(directory: str | os.PathLike[str], loaded: Loaded) -> list[str]:
    """The YAML files under a district directory that its load did not read,
    named as ``directory`` joined with their relative path, sorted: a plan
    file added without its ``include`` is in effect nowhere.  Hidden
    directories are left out."""
    root = Path(directory)
    read = {Path(os.path.abspath(f)) for f in loaded.files}
    out: list[str] = []
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root)
        if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        if Path(os.path.abspath(path)) not in read:
            out.append(os.path.join(os.fspath(directory), *relative.parts))
    return out


def _read(path: str | os.PathLike[str]) -> tuple[Reader, Node | None, str]:
    name = os.fspath(path)
    target = Path(name)
    if not os.path.lexists(target):
        # The docs' `scenarios/gas.yaml` typed away from a clone (a wheel
        # install): say where the bundled copy is and how to get it.
        hint = bundled.suggest(name)
        if hint is not None:
            raise LoadError([Problem(f"file not found; {hint}", file=name)])
    if target.is_dir():
        resolved = resolve_path(target)
        name = os.path.join(name, resolved.name)
        target = resolved
    other = _OTHER_FILES.get(target.suffix.lower())
    if other is not None and target.is_file():
        # Read as YAML it would be "invalid YAML: expected '<document start>'".
        raise LoadError([Problem(f"not a district or a scenario: this is {other}", file=name)])
    reader = Reader()
    try:
        root = reader.read_file(target, name)
    except Budget:  # pragma: no cover - read_text catches it
        root = None
    return reader, root, name


def load_with_locations(
    path: str | os.PathLike[str], want: type[District] | type[Scenario] | None = None
) -> Loaded:
    """Load a district or scenario file, keeping where each field path stands.

    ``Loaded.locations.find("plans[2].levels.II")`` gives the file, line and
    column of that field (or of its nearest parent).  Raises
    :class:`~cmdsim.errors.LoadError` with every problem found; with
    ``want``, also when the file is the other kind.
    """
    with paused_gc():
        return _read_and_structure(path, want)


def _read_and_structure(
    path: str | os.PathLike[str], want: type[District] | type[Scenario] | None
) -> Loaded:
    # A function of its own so that the tree read dies with its frame, before
    # the collector is on again: the collection the load's allocations then
    # start walks what the load keeps (cmdsim.io.memo), not the tree as well.
    reader, root, name = _read(path)
    return _structure(reader, root, name, want)


def load(path: str | os.PathLike[str]) -> District | Scenario:
    """Load a district or scenario file (a directory means ``<dir>/district.yaml``).

    A document with a ``district`` key is a :class:`Scenario`; otherwise a
    :class:`District`.  Raises :class:`~cmdsim.errors.LoadError`.
    """
    return load_with_locations(path).value


def load_district(path: str | os.PathLike[str]) -> District:
    """Load a district file; a scenario file here is an error."""
    with paused_gc():
        value = _read_and_structure(path, District).value
    assert isinstance(value, District)
    return value


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load a scenario file; a district file here is an error."""
    with paused_gc():
        value = _read_and_structure(path, Scenario).value
    assert isinstance(value, Scenario)
    return value


def loads(text: str, name: str = "<string>") -> District | Scenario:
    """Load a district or scenario from YAML text.

    ``name`` names the text in messages; includes are relative to its folder.
    """
    with paused_gc():
        reader = Reader()
        root = reader.read_text(text, name)
        return _structure(reader, root, name, None).value


def from_data(data: Any, cls: type[T]) -> T:
    """Build a model object of class ``cls`` from plain data (dicts, lists, scalars).

    Problems are reported like a file's, without line numbers.
    """
    structurer = Structurer()
    try:
        value = structurer.build(from_plain(data), cls, "")
    except Invalid:
        raise LoadError(_unique(structurer.problems) or [Problem("data nested too deep")]) from None
    assert isinstance(value, cls)
    if isinstance(value, Scenario | District):
        mark_passed(value)
    elif attrs.has(cls):
        known_well_typed(value)
    return value
