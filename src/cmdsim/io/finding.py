"""Finding the scenario a result was made from: a run's directory, a
batch's, an exercise log.  Each records the scenario's path as given, its
path from the result's own folder and its content digest; the report, a
replayed exercise (``cmdsim drill --replay``) and a resumed one (``cmdsim
serve --resume``) all find it here, by the same rule, so none of them
finds a scenario the others do not, or reports on another one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cmdsim.errors import CmdsimError, LoadError, Problem, ScenarioError
from cmdsim.io.dumping import scenario_digest
from cmdsim.model import Scenario
from cmdsim.model.switches import apply_switches, combinations, flag


def locate_scenario(
    source: Path,
    *,
    logged: str | None,
    relative: str | None,
    digest: str | None,
    explicit: Any = None,
    line: int | None = None,
    give: str = "--scenario FILE",
    switches: Sequence[str] | None = None,
    record: str = "its record",
) -> Any:
    """The scenario a result names, loaded and checked against its digest.

    ``source`` is the log, run directory or batch directory; ``relative`` is
    the path it recorded from its own folder, ``logged`` the path as given
    when it was made (relative to the directory it was made in).  Returns
    ``None`` only when the result names no scenario at all (a hand-made
    event log).  A scenario that cannot be found, or whose content changed
    since (digest), is a :class:`~cmdsim.errors.LoadError` at ``source``
    (its ``line``, where the record naming the scenario is) naming what was
    tried and how to ``give`` it: a report must not silently say "not
    activated" for want of its plans, nor a replay run another scenario.

    ``switches`` are the before/after switches the result records
    (:mod:`cmdsim.model.switches`): the digest is the switched scenario's,
    so they are applied to each candidate (and to ``explicit``) before the
    comparison, and the switched scenario is returned.  ``()`` says the
    result records none: a candidate that matches only with some switch on
    is named so, with how to write the missing record into ``record`` (a
    result made before switches were recorded); ``None`` says the result
    takes no switches.
    """

    def error(message: str) -> LoadError:
        return LoadError([Problem(message, "scenario", str(source), line)])

    if explicit is not None:
        fitted = _switched(explicit, switches)
        if digest and (fitted is None or scenario_digest(fitted) != digest):
            unrecorded = _unrecorded(explicit, digest, switches, record)
            if unrecorded:
                raise error(f"the scenario given ({explicit.id!r}): {unrecorded}")
            raise error(
                f"the scenario given ({explicit.id!r}) is not the one it was made "
                "from (its content differs); a report or a replay on it would not match"
            )
        return fitted if fitted is not None else explicit
    if not logged and not relative and not digest:
        return None
    from cmdsim.io.loading import load_scenario

    folder = source if source.is_dir() else source.parent
    candidates: list[Path] = []
    if relative:
        candidates.append(folder / relative)
    if logged:
        candidates += [Path(logged), folder / logged]
    tried: list[str] = []
    changed: list[str] = []
    hint: str | None = None
    seen: set[Path] = set()
    for candidate in candidates:
        # the recorded path and the one from the folder are often one file
        if candidate.resolve() in seen:
            continue
        seen.add(candidate.resolve())
        tried.append(str(candidate))
        if not candidate.is_file():
            continue
        try:
            scenario = load_scenario(candidate)
        except CmdsimError:
            changed.append(f"{candidate} (does not load)")
            continue
        fitted = _switched(scenario, switches)
        if digest and (fitted is None or scenario_digest(fitted) != digest):
            unrecorded = _unrecorded(scenario, digest, switches, record)
            if unrecorded and hint is None:
                hint = f"{candidate}: {unrecorded}"
            changed.append(f"{candidate} (changed since)")
            continue
        return fitted if fitted is not None else scenario
    if digest:
        found = _search(source, digest, switches)
        if found is not None:
            return found
    if hint is not None:
        raise error(hint)
    what = repr(logged or relative) if logged or relative else f"digest {str(digest)[:12]}…"
    if changed:
        raise error(
            f"the scenario it was made from ({what}) is not there as it was: "
            f"{'; '.join(changed)}; give the original with {give}"
        )
    raise error(
        f"the scenario it was made from ({what}) was not found "
        + (
            f"(tried {', '.join(tried)}, and the scenario files near it)"
            if tried
            else "among the scenario files near it"
        )
        + f"; give it with {give}"
    )


def _switched(scenario: Scenario, switches: Sequence[str] | None) -> Scenario | None:
    """``scenario`` with ``switches`` applied; ``None`` when one of them
    changes nothing in it (so it cannot be the scenario they were run on)."""
    if not switches:
        return scenario
    try:
        return apply_switches(scenario, switches)
    except ScenarioError:
        return None


def _unrecorded(
    scenario: Scenario, digest: str, switches: Sequence[str] | None, record: str
) -> str | None:
    """When a result that records no switch was made from ``scenario`` with
    some switch on (an older cmdsim did not record them), what to say."""
    if switches is None or switches:
        return None
    for names, switched in combinations(scenario):
        if scenario_digest(switched) == digest:
            flags = " ".join(flag(n) for n in names)
            keys = ", ".join(f'"{n}": true' for n in names)
            return (
                f"the result was made from it with {flags}, which {record} does not record "
                f"(written before cmdsim recorded such switches); add {keys} to {record}, "
                "or make the result again"
            )
    return None


def _search(source: Path, digest: str, switches: Sequence[str] | None = None) -> Any:
    """The scenario with this digest among the scenario files near the
    source (``scenarios/*.yaml`` and ``*.yaml`` of the working directory
    and of the source's folders up to four levels), or ``None``.  With
    ``switches``, each is loaded and switched before its digest is taken."""
    from cmdsim.io.loading import load_scenario

    folder = (source if source.is_dir() else source.parent).resolve()
    seen: set[Path] = set()
    for place in (Path.cwd(), folder, *folder.parents[:4]):
        for candidate in sorted([*place.glob("scenarios/*.yaml"), *place.glob("*.yaml")]):
            path = candidate.resolve()
            if path in seen:
                continue
            seen.add(path)
            if switches:
                try:
                    fitted = _switched(load_scenario(candidate), switches)
                except CmdsimError:
                    continue
                if fitted is not None and scenario_digest(fitted) == digest:
                    return fitted
            elif _digest_of(path) == digest:
                return load_scenario(candidate)
    return None


Content = tuple[tuple[str, str], ...]
"""Each file a load read: its path from the scenario file's folder and the
SHA-256 of its bytes."""

_DIGESTS: dict[str, list[tuple[Content, str]]] = {}
"""A scenario file's own bytes (SHA-256) -> the files its loads read, by
content, and the digest each load gave.  A search repeated in one process (a
served exercise's reports, a test session) loads again only what changed: a
bundled drill and its district take 0.7 s to load, every search near a
clone's root meets four, and a copy of the tree elsewhere (the same bytes in
the same layout) is the same scenario."""

_KEPT = 8
"""Loads kept per scenario file content (copies with other included files)."""


def _content(folder: Path, relatives: Iterable[str]) -> Content | None:
    try:
        return tuple(
            (relative, hashlib.sha256((folder / relative).read_bytes()).hexdigest())
            for relative in relatives
        )
    except OSError:
        return None


def _digest_of(candidate: Path) -> str | None:
    """``candidate``'s scenario digest, from :data:`_DIGESTS` while every file
    an earlier load of the same bytes read is there with the same bytes."""
    from cmdsim.io.loading import load_with_locations

    folder = candidate.parent
    try:
        own = hashlib.sha256(candidate.read_bytes()).hexdigest()
    except OSError:
        return None
    known = _DIGESTS.get(own, [])
    for kept, digest in known:
        if _content(folder, (relative for relative, _ in kept)) == kept:
            return digest
    try:
        loaded = load_with_locations(candidate, Scenario)
    except CmdsimError:
        # What failed to load is loaded again next time: its files are not known.
        return None
    digest = scenario_digest(loaded.value)
    relatives = dict.fromkeys(os.path.relpath(f, folder) for f in (candidate, *loaded.files))
    content = _content(folder, relatives)
    if content is not None:
        _DIGESTS[own] = [*known[-(_KEPT - 1) :], (content, digest)]
    return digest
