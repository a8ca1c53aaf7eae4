"""The ``cmdsim`` command.  Each subcommand lives in its own module and is
imported only when used, so ``cmdsim --version`` stays fast and one broken
optional dependency cannot take the whole CLI down.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

import click

from cmdsim import __version__

COMMANDS: dict[str, str] = {
    # name: "module:attribute" — keep sorted; one line per subcommand.
    "batch": "cmdsim.cli.batch:batch",
    "check": "cmdsim.cli.check:check",
    "coverage": "cmdsim.cli.coverage:coverage",
    "drill": "cmdsim.cli.drill:drill",
    "report": "cmdsim.cli.report:report",
    "run": "cmdsim.cli.run:run",
    "scenarios": "cmdsim.cli.scenarios:scenarios",
    "schema": "cmdsim.cli.schema:schema",
    "serve": "cmdsim.cli.serve:serve",
    "show": "cmdsim.cli.show:show",
    "sweep": "cmdsim.cli.sweep:sweep",
    "validate": "cmdsim.cli.validate:validate",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; standard output that cannot be written (``>
        /dev/full``, a full disk) is one line on stderr and exit 2, not a
        traceback.  A closed pipe (``| head``) is quiet, exit 141
        (:data:`~cmdsim.cli._common.EXIT_CLOSED_PIPE`); Ctrl-C is one line,
        exit 130 (:data:`~cmdsim.cli._common.EXIT_INTERRUPTED`)."""
        import errno
        import os
        import sys

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from cmdsim.cli._common import EXIT_INTERRUPTED

            # click's "Aborted!" exits 1; every file is written whole or not
            # at all (cmdsim.atomic), so there is nothing more to say.
            click.echo("interrupted (Ctrl-C)", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as exc:
            from cmdsim.cli._common import EXIT_USER_ERROR, closed_pipe

            if exc.errno == errno.EPIPE:
                closed_pipe()
            # What is left in the buffer would fail again at exit.
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            click.echo(f"error: cannot write the output: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_USER_ERROR)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cmdsim")
def main() -> None:
    """Simulate a district's "1+N" emergency command system."""
    from cmdsim.cli._common import fit_width, speak_unicode

    speak_unicode()
    fit_width()
