"""The district, drills and MSELs that ship with cmdsim.

The repository keeps them in its top-level ``scenarios/`` folder; a wheel
carries the same tree inside the package as ``cmdsim/_scenarios`` (see
``[tool.hatch.build.targets.wheel]`` in ``pyproject.toml``).  Everything that
needs a bundled file asks this module, so ``cmdsim run`` finds its flagship
drill from any directory, whether cmdsim runs from a clone (an editable
install) or from an installed wheel.

>>> flagship().name
'compound-typhoon.yaml'
>>> [d.id for d in drills()][:4]
['compound_typhoon', 'flood_typhoon', 'gas', 'traffic']
>>> path("district/district.yaml").is_file()
True
"""

from __future__ import annotations

import os
import secrets
import shutil
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from cmdsim.errors import ScenarioError

PACKAGED = "_scenarios"
"""Where a wheel puts the bundled tree, inside the ``cmdsim`` package."""

FLAGSHIP = "compound-typhoon.yaml"
"""The drill ``cmdsim run`` replays when given no scenario."""

DISTRICT = "district"
"""The bundled district's folder (``district/district.yaml``)."""

# MSEL files sit in msel/ beside the drills, named after the drill's file;
# a scripted drill's decisions are in msel/<drill>-script.yaml.
_MSEL_DIR = "msel"
_MSEL_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
_SCRIPT_SUFFIX = "-script"


def root() -> Path:
    """The folder holding the bundled district, drills and MSELs.

    The copy inside the installed package when there is one (a wheel
    install), else the clone's ``scenarios/`` beside ``src/`` (an editable
    install), so edits to the clone's files are what an editable install
    runs.  Raises :class:`~cmdsim.errors.ScenarioError` naming both places
    when neither holds the tree.
    """
    package = resources.files("cmdsim")
    # A zipped install would give a Traversable that is not a directory on
    # disk; the YAML includes need real paths, so only on-disk copies count.
    packaged = Path(str(package)) / PACKAGED
    if packaged.is_dir():
        return packaged
    clone = Path(str(package)).resolve().parents[1] / "scenarios"
    if (clone / FLAGSHIP).is_file():
        return clone
    raise ScenarioError(
        f"the bundled scenarios are not installed: neither {packaged} nor {clone} "
        "holds them (reinstall cmdsim from a wheel or a clone)"
    )


def path(relative: str | PurePosixPath) -> Path:
    """A bundled file or folder, by its path inside the bundled tree.

    ``relative`` is written with ``/`` as in the repository's ``scenarios/``
    (``"gas.yaml"``, ``"msel/gas.yaml"``, ``"district"``).  Raises
    :class:`~cmdsim.errors.ScenarioError` naming where it looked when there
    is no such file, so a typo never turns into a traceback.
    """
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise ScenarioError(f"{str(relative)!r} is not a path inside the bundled scenarios")
    base = root()
    found = base.joinpath(*parts)
    if not found.exists():
        known = ", ".join(d.file for d in drills())
        raise ScenarioError(
            f"the bundled scenarios have no {relative} (looked in {base}; drills: {known}; "
            "`cmdsim scenarios` lists them)"
        )
    return found


def suggest(given: str | os.PathLike[str]) -> str | None:
    """What to say when the relative path ``given`` does not exist but names
    part of the bundled tree: the docs' ``scenarios/district`` or
    ``scenarios/gas.yaml`` typed after a wheel install, away from a clone,
    or a drill by its file stem or id (``gas``, ``compound_typhoon``).
    ``None`` when it names nothing bundled.

    >>> print(suggest("scenarios/no-such-drill.yaml"))
    None
    """
    given_path = Path(given)
    parts = given_path.parts
    if given_path.is_absolute() or not parts:
        return None
    if parts[0] == "scenarios":
        parts = parts[1:]
    try:
        base = root()
    except ScenarioError:
        return None
    candidates = ["/".join(parts)] if parts else []
    if len(parts) == 1:
        candidates.append(f"{parts[0]}.yaml")
        candidates += [d.file for d in drills() if d.id == parts[0]]
    for relative in candidates:
        if ".." not in relative.split("/") and (base / relative).exists():
            return (
                f"cmdsim ships {relative} in {base}; `cmdsim scenarios copy scenarios` "
                "copies the bundled district, drills and MSELs here to use and edit"
            )
    return None


def flagship() -> Path:
    """The bundled compound-typhoon drill that ``cmdsim run`` runs by default."""
    return path(FLAGSHIP)


def flagship_msel() -> Path | None:
    """The flagship drill's YAML MSEL (its injects and expected actions),
    which ``cmdsim drill`` and ``cmdsim serve`` name when they play the
    flagship without one, or ``None`` if the bundled tree has none."""
    found = [d.msel for d in drills() if d.file == FLAGSHIP]
    for relative in found[0] if found else ():
        if relative.endswith((".yaml", ".yml")):
            return root() / relative
    return None


def district() -> Path:
    """The bundled district's folder: ``load_district(bundled.district())``."""
    return path(DISTRICT)


def files() -> list[str]:
    """Every bundled file, as sorted ``/``-separated paths relative to :func:`root`.

    Hidden files and Python caches are left out: they are not scenarios.
    """
    base = root()
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        here = Path(dirpath).relative_to(base)
        found.extend((here / name).as_posix() for name in filenames if not _hidden(name))
    return sorted(found)


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


@attrs.frozen
class Drill:
    """One bundled drill: a scenario file of the bundled tree.

    ``file`` and the ``msel``/``scripts`` entries are paths relative to
    :func:`root`; ``hazards`` are its incidents' hazards in the order the
    file names them.
    """

    id: str
    name: str
    file: str
    hazards: tuple[str, ...] = ()
    incidents: int = 0
    horizon_minutes: float | None = None
    msel: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """Plain JSON types, as ``cmdsim scenarios --json`` prints them."""
        return {
            "id": self.id,
            "name": self.name,
            "file": self.file,
            "path": str(root() / self.file),
            "hazards": list(self.hazards),
            "incidents": self.incidents,
            "horizon_minutes": self.horizon_minutes,
            "msel": list(self.msel),
            "scripts": list(self.scripts),
        }


def drills() -> tuple[Drill, ...]:
    """The bundled drills, sorted by file name: every scenario file of the
    tree outside ``district/`` and ``msel/`` (the validation scenarios in
    ``validation/`` too).

    Read from each file's own top level (id, name, horizon, incidents'
    hazards) without loading the 1,466-committee district they include, so
    listing them takes milliseconds; ``cmdsim validate`` is what checks them.
    """
    import yaml

    base = root()
    everything = files()
    found: list[Drill] = []
    for name in everything:
        top = PurePosixPath(name).parts[0]
        if top in (DISTRICT, _MSEL_DIR) or not name.endswith((".yaml", ".yml")):
            continue
        with open(base / name, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if not isinstance(data, dict) or "district" not in data:
            continue  # a district or some other document, not a drill
        stem = PurePosixPath(name).stem
        incidents = data.get("incidents")
        incidents = incidents if isinstance(incidents, list) else []
        hazards: list[str] = []
        for incident in incidents:
            hazard = incident.get("hazard") if isinstance(incident, dict) else None
            if isinstance(hazard, str) and hazard not in hazards:
                hazards.append(hazard)
        horizon = data.get("horizon")
        found.append(
            Drill(
                id=str(data.get("id", stem)),
                name=str(data.get("name") or ""),
                file=name,
                hazards=tuple(hazards),
                incidents=len(incidents),
                horizon_minutes=float(horizon) if isinstance(horizon, int | float) else None,
                msel=tuple(
                    f
                    for f in everything
                    if _in_msel_dir(f) and PurePosixPath(f).stem == stem and _is_msel(f)
                ),
                scripts=tuple(
                    f
                    for f in everything
                    if _in_msel_dir(f) and PurePosixPath(f).stem == stem + _SCRIPT_SUFFIX
                ),
            )
        )
    return tuple(found)


def _in_msel_dir(name: str) -> bool:
    return PurePosixPath(name).parent == PurePosixPath(_MSEL_DIR)


def _is_msel(name: str) -> bool:
    return PurePosixPath(name).suffix in _MSEL_SUFFIXES


def copy(dest: str | os.PathLike[str], *, force: bool = False) -> list[str]:
    """Copy the whole bundled tree into ``dest`` to edit; return the files copied.

    ``dest`` must be new or empty: the tree is first copied into a hidden
    folder beside it (inside it, for an empty directory that exists, such
    as ``.``) and then renamed into place, so ``dest`` ends up with the
    whole tree or, after an error or a kill, not at all (an empty ``dest``:
    its top-level folders and files each whole or absent).  A non-empty
    ``dest`` raises :class:`~cmdsim.errors.ScenarioError` unless ``force``;
    then each bundled file replaces the file of the same name in ``dest``
    (each replacement atomic, the whole copy staged first) and other files
    there are left alone.
    """
    target = Path(dest)
    if target.exists() and not target.is_dir():
        raise ScenarioError(f"{target}: exists and is not a directory")
    occupied = target.is_dir() and any(target.iterdir())
    if occupied and not force:
        raise ScenarioError(
            f"{target}: directory is not empty; copy into a new or empty directory, "
            "or pass --force to overwrite the bundled files' names in it"
        )
    base = root()
    names = files()
    # An empty directory that exists (".", where the user stands) is kept
    # and filled: removing it to rename the copy into its place would leave
    # the shell standing in a deleted directory (and "." cannot be removed).
    into = target.is_dir() and not occupied
    parent = target.absolute() if into else target.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # Not tempfile.mkdtemp: its 0o700 mode would become the copy's.
        stage = parent / f".{target.name}.copying-{os.getpid()}-{secrets.token_hex(4)}"
        stage.mkdir()
    except OSError as exc:
        raise ScenarioError(f"{target}: cannot copy the bundled scenarios here: {exc}") from exc
    try:
        for name in names:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(base / name, stage / name)
        if into:
            for child in sorted(stage.iterdir()):
                os.replace(child, target / child.name)
        elif not occupied:
            stage.rename(target)
        else:
            for name in names:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / name, target / name)
    except OSError as exc:
        raise ScenarioError(f"{target}: cannot copy the bundled scenarios here: {exc}") from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return names


__all__ = [
    "DISTRICT",
    "FLAGSHIP",
    "Drill",
    "copy",
    "district",
    "drills",
    "files",
    "flagship",
    "flagship_msel",
    "path",
    "root",
]
