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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cmdsim.errors import CmdsimError, LoadError, Problem
from cmdsim.io.dumping import scenario_digest
from cmdsim.model import Scenario


def locate_scenario(
    source: Path,
    *,
    logged: str | None,
    relative: str | None,
    digest: str | None,
    explicit: Any = None,
    line: int | None = None,
    give: str = "--scenario FILE",
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
    """

    def error(message: str) -> LoadError:
        return LoadError([Problem(message, "scenario", str(source), line)])

    if explicit is not None:
        if digest and scenario_digest(explicit) != digest:
            raise error(
                f"the scenario given ({explicit.id!r}) is not the one it was made "
                "from (its content differs); a report or a replay on it would not match"
            )
        return explicit
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
        if digest and scenario_digest(scenario) != digest:
            changed.append(f"{candidate} (changed since)")
            continue
        return scenario
    if digest:
        found = _search(source, digest)
        if found is not None:
            return found
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


def _search(source: Path, digest: str) -> Any:
    """The scenario with this digest among the scenario files near the
    source (``scenarios/*.yaml`` and ``*.yaml`` of the working directory
    and of the source's folders up to four levels), or ``None``."""
    from cmdsim.io.loading import load_scenario

    folder = (source if source.is_dir() else source.parent).resolve()
    seen: set[Path] = set()
    for place in (Path.cwd(), folder, *folder.parents[:4]):
        for candidate in sorted([*place.glob("scenarios/*.yaml"), *place.glob("*.yaml")]):
            path = candidate.resolve()
            if path in seen:
                continue
            seen.add(path)
            if _digest_of(path) == digest:
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
