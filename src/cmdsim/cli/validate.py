"""``cmdsim validate``: load files and say whether they are well formed."""

from __future__ import annotations

from pathlib import Path

import click

from cmdsim.cli._common import user_errors


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Load each PATH and report it: exit 0 when all load, 2 otherwise.

    A good file prints ``ok: PATH (what it is)``; a bad one prints each of
    its problems on stderr as ``file:line:column: field.path: message``.
    """
    from cmdsim.check.accept import acceptance_problems
    from cmdsim.errors import LoadError, Problem
    from cmdsim.io import load_with_locations
    from cmdsim.summary import describe

    problems: list[Problem] = []
    with user_errors():
        for path in paths:
            try:
                loaded = load_with_locations(path)
            except LoadError as exc:
                problems.extend(exc.problems)
                continue
            # An acceptance of a code no finding has: the checker's, not the loader's, to know.
            refused = acceptance_problems(loaded.value, loaded.locations)
            if refused:
                problems.extend(refused)
                continue
            click.echo(f"ok: {path} ({describe(loaded.value)})")
        if problems:
            raise LoadError(problems)
