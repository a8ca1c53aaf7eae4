"""The one exception family of cmdsim.

Every error a user can cause derives from :class:`CmdsimError`; the CLI maps
each of them to exit code 2 and one clear message.  Anything else escaping
is a bug.
"""

from __future__ import annotations

import os

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with an input, located as precisely as we know.

    ``path`` is the field path inside the document (``plans[2].levels.II``);
    ``file``, ``line`` and ``column`` (1-based) come from the YAML node marks.
    """

    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{location(self.file, self.line, self.column)}{_field(self.path)}{self.message}"


def no_file(path: os.PathLike[str] | str, what: str) -> Problem:
    """Why the ``what`` (``"MSEL file"``) given as ``path`` cannot be read:
    nothing is there, or a folder is (which "no such MSEL file" misnamed).

    >>> str(no_file("nowhere.yaml", "script file"))
    'nowhere.yaml: no such script file'
    """
    if os.path.isdir(path):
        return Problem(f"is a folder; give the {what} itself", file=str(path))
    return Problem(f"no such {what}", file=str(path))


def location(file: str | None, line: int | None = None, column: int | None = None) -> str:
    """``file:line:column: `` as far as known, or nothing.

    >>> location("gas.yaml", 41, 7)
    'gas.yaml:41:7: '
    """
    if file is None:
        return ""
    where = file
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where + ": "


def _field(path: str) -> str:
    return f"{path}: " if path else ""


class CmdsimError(Exception):
    """Base of every error a user's input or request can cause."""


class LoadError(CmdsimError):
    """A file could not be turned into a model; holds every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ModelError(CmdsimError, ValueError):
    """A model object was constructed with inconsistent values.

    ``path`` is relative to the object being built; loaders prefix it.
    """

    def __init__(self, message: str, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class PlanError(CmdsimError):
    """A plan cannot be applied to what is asked of it."""


class ScenarioError(CmdsimError):
    """A scenario cannot be simulated as asked."""
