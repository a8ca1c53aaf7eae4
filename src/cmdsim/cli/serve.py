"""``cmdsim serve``: a tabletop exercise in the browser, for a room."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from cmdsim.cli._common import (
    SEED,
    column_options,
    console,
    exercise_options,
    from_the_log,
    output_file,
    scenario_or_flagship,
    user_errors,
)


@click.command("serve")
@exercise_options(
    "A role people play, each on its own page: duty-room, general-hq or lead-hq "
    "(repeat the option or separate roles with commas)."
)
@click.option(
    "--log",
    "log",
    type=click.Path(path_type=Path),
    help="The exercise log, written as the exercise goes (must not exist yet).",
)
@click.option(
    "--resume",
    type=click.Path(path_type=Path),
    help="Continue the exercise this log records (SCENARIO defaults to the logged one).",
)
@click.option("--seed", type=SEED, default=1, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for the room's other devices.",
)
@click.option("--port", type=int, default=8765, show_default=True, help="0: any free port.")
def serve(
    scenario: Path | None,
    msel: Path | None,
    columns: tuple[str, ...],
    play: tuple[str, ...],
    log: Path | None,
    resume: Path | None,
    seed: int,
    host: str,
    port: int,
) -> None:
    """Serve a tabletop exercise of SCENARIO to a room's browsers.

    Prints a link for the facilitator (clock, injects, everything) and one for
    each played role (what that role knows, its decisions); each link holds
    its own token. Every action is appended to the exercise log; Ctrl-C stops
    the server, --resume LOG continues.

    Without SCENARIO, serves the bundled flagship drill compound-typhoon.yaml
    (as `cmdsim run`; the file is named on stderr); with --resume, the
    logged one.
    """
    with user_errors():
        from cmdsim.errors import ScenarioError
        from cmdsim.exercise.drill import check_roles

        try:
            import starlette  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError:
            raise ScenarioError(
                "cmdsim serve needs Starlette and uvicorn: pip install 'cmdsim[serve]'"
            ) from None
        from cmdsim.serve.server import base_url, bind, open_session, serve_forever
        from cmdsim.serve.visibility import FACILITATOR, ROLE_NAMES

        mapping = column_options(columns)
        if resume is not None:
            if log is not None and log != resume:
                raise ScenarioError("--resume LOG continues that log: leave out --log")
            from_the_log("--resume continues", msel=msel, column=columns, play=play, seed=seed)
            path = resume
        elif log is None:
            raise ScenarioError("give --log FILE: the exercise log, written as the exercise goes")
        else:
            output_file(log, "--log")
            path = log
        roles = check_roles(play)
        if resume is None:
            scenario = scenario_or_flagship(scenario, msel)
        sock = bind(host, port)
        try:
            session = open_session(
                log=path,
                scenario_path=scenario,
                msel_path=msel,
                play=roles,
                seed=seed if resume is None else None,
                columns=mapping,
                resume=resume is not None,
            )
        except BaseException:
            sock.close()
            raise
        url = base_url(host, sock)
        state = "resumed at " + session.clock()["elapsed"] if resume is not None else "started"
        from rich.markup import escape

        title = escape(session.ex.base.name or session.ex.base.id)
        console.print(f"[bold]{title}[/]: exercise {state}")
        for role, link in session.links(url).items():
            name = "facilitator" if role == FACILITATOR else ROLE_NAMES.get(role, role)
            console.print(f"  {name:<20} {link}", highlight=False, soft_wrap=True)
        console.print(
            f"  log                  {path}", highlight=False, soft_wrap=True, markup=False
        )
        console.print("Ctrl-C stops the server; the log is kept.", highlight=False)
        console.file.flush()
        # uvicorn shuts down on Ctrl-C, then raises the signal again
        with contextlib.suppress(KeyboardInterrupt):
            serve_forever(session, sock)
        click.echo(f"stopped; the exercise log is {path}", err=True)
