"""``cmdsim schema``: the JSON Schema of district and scenario files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cmdsim.cli._common import EXIT_USER_ERROR, to_json, user_errors


@click.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the schema to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema that district and scenario YAML files follow.

    Point an editor at it (for example with a "# yaml-language-server:
    $schema=FILE" comment) to get completion and checking while typing.
    Exit 2 when FILE cannot be written.
    """
    from cmdsim.io import json_schema

    with user_errors():
        text = to_json(json_schema())
        if output is None:
            click.echo(text)
            return
    from cmdsim.atomic import write_text

    try:
        write_text(output, text + "\n")
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
