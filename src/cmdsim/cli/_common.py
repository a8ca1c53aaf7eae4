"""What every subcommand shares: error handling, JSON output, consoles."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console

from cmdsim.errors import CmdsimError, LoadError

if TYPE_CHECKING:
    from rich.table import Table

F = TypeVar("F", bound=Any)

EXIT_USER_ERROR = 2

EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: the reader of standard output went away (``| head``); the
code a shell gives a program that signal stops, not 1, which ``cmdsim
check`` uses for "error findings" (with ``pipefail`` a clean check piped to
``head`` read as a failed one)."""

EXIT_INTERRUPTED = 130
"""128 + SIGINT: stopped by Ctrl-C, the code a shell gives a program that
signal stops (click's own "Aborted!" exits 1, which ``cmdsim check`` uses
for "error findings")."""


def closed_pipe() -> None:
    """Leave quietly once standard output's reader has gone: what is still
    buffered goes nowhere (it would fail again at exit), exit 141."""
    with suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(EXIT_CLOSED_PIPE)


class _Console(Console):
    """rich's console, with a closed pipe leaving as every command does
    (rich's own exits 1)."""

    def on_broken_pipe(self) -> None:
        if not self.quiet:
            closed_pipe()


console = _Console()
err_console = _Console(stderr=True)

PIPE_WIDTH = 160
"""Columns when the output goes to a pipe or a file: lines kept whole for
grep, diff or an after-action annex, rather than cut at 80."""

SEED = click.IntRange(min=0)
"""A seed option's type: numpy's seed sequences take non-negative integers."""

REPLICATIONS = click.IntRange(min=1)
"""A replication count's type."""


SAMPLE = "浦东新区应急总指挥部 — ·"
"""Text every command may print (Chinese names, dashes, middle dots)."""


def speak_unicode(*streams: Any) -> None:
    """Let ``streams`` (default: stdout and stderr) carry Chinese text.

    A terminal set to an ASCII or Latin-1 locale (``LC_ALL=C`` with UTF-8
    mode off, ``PYTHONIOENCODING`` unset) gives streams that cannot encode
    the district's names, and rich would die on the first one with a
    ``UnicodeEncodeError`` (click, on the first Chinese file name).  Such a
    stream is switched to UTF-8, which is what click already writes there
    for an ASCII stream and what a file or pipe should hold, and file names
    go out as the bytes they came in as; a Latin-1 *terminal* keeps its encoding and shows what
    it cannot draw as ``\\uXXXX`` instead.  A stream that can encode the
    names, or that cannot be reconfigured (a test's capture), is left alone.
    """
    import codecs

    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            SAMPLE.encode(encoding)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            ascii_only = codecs.lookup(encoding).name == "ascii"
        except LookupError:
            ascii_only = True
        if not ascii_only and stream.isatty():
            reconfigure(errors="backslashreplace")
        else:
            # surrogateescape: a path the ASCII locale could not decode
            # (演练/gas.yaml) is written back as the very bytes it was.
            reconfigure(encoding="utf-8", errors="surrogateescape")


MIN_WIDTH = 40
"""The narrowest the consoles get: ``COLUMNS=5`` would fold every id."""


def fit_width() -> None:
    """Size both consoles for this invocation: ``COLUMNS`` if set (at least
    :data:`MIN_WIDTH`), else the terminal's width, else :data:`PIPE_WIDTH`.

    ``COLUMNS=0`` (a container without a terminal size) counts as unset: rich
    took it for a width of 0 and printed nothing at all.
    """
    columns = os.environ.get("COLUMNS", "")
    asked = int(columns) if columns.isdigit() else 0
    for each in (console, err_console):
        if asked:
            each.width = max(asked, MIN_WIDTH)
        elif not each.is_terminal:
            each.width = PIPE_WIDTH
        elif columns:
            # rich read the unusable COLUMNS when it was made: ask the terminal.
            try:
                each.width = os.get_terminal_size(each.file.fileno()).columns or 80
            except (OSError, ValueError):
                each.width = 80


def grid(title: str | None, columns: Sequence[str], numbers: Collection[str] = ()) -> Table:
    """A table that loses nothing at a pipe's 80 columns.

    Ids and metric names are what people read off, so text columns fold
    onto a second line rather than end in an ellipsis; the ``numbers``
    columns stay whole and right-aligned.  Light rules and no frame leave
    the width to the content.

    >>> table = grid("waits", ["room", "minutes"], numbers={"minutes"})
    >>> [c.no_wrap for c in table.columns]
    [False, True]
    """
    from rich import box
    from rich.table import Table

    # At least as wide as its title, which would otherwise wrap to the columns.
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        min_width=len(title) if title else None,
    )
    for name in columns:
        if name in numbers:
            table.add_column(name, justify="right", no_wrap=True)
        else:
            table.add_column(name, overflow="fold")
    return table


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a user's error into its message on stderr and exit code 2.

    Each problem of a :class:`LoadError` is printed on its own line, exactly
    as ``str(problem)``, so tests and editors can match it.
    """
    try:
        yield
    except LoadError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(EXIT_USER_ERROR)
    except CmdsimError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except OSError as exc:
        # A file that cannot be read or written (a directory given for a
        # file, no permission, a full disk): the user's to fix, not a bug.
        what = f"use {exc.filename}" if exc.filename else "write the output"
        click.echo(f"error: cannot {what}: {_why(exc)}", err=True)
        sys.exit(EXIT_USER_ERROR)


def _why(exc: OSError) -> str:
    """What went wrong, in the user's terms: making a folder where a file
    already is gives "File exists" (``-o notes.txt/report.html``), which
    reads as if the output itself were there."""
    name = exc.filename
    if isinstance(exc, FileExistsError) and name is not None and not Path(name).is_dir():
        return "it is a file, not a folder (give a path whose folders are folders)"
    return str(exc.strerror or exc)


def output_file(path: Path, option: str) -> None:
    """Refuse, before any work, an output file that could never be written:
    ``path`` is a folder, one of its parents is a file, or the folder it
    goes in is not ours to write (a file is written beside its name and
    moved into place, :mod:`cmdsim.atomic`).  A drill's ``--log`` is written
    only at the end (or at each decision), so found there the exercise was
    played for nothing."""
    if path.is_dir():
        raise CmdsimError(
            f"{option} {path}: is a folder; give a file name (e.g. {path}/drill.jsonl)"
        )
    if path.exists() and not path.is_file():
        return  # a device or a pipe (/dev/stdout): written into, never replaced
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise CmdsimError(f"{option} {path}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise CmdsimError(f"{option} {path}: cannot write in {parent} (permission denied)")
            break


def to_json(data: Any) -> str:
    """JSON with a stable key order, Unicode kept readable."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2)


def emit_json(data: Any) -> None:
    click.echo(to_json(data))


def execution_options(command: F) -> F:
    """How a batch or a sweep runs: ``--workers``, ``--dask``, ``--fast/--no-fast``,
    ``--unlimited-capacity`` and ``--run`` (the same options, the same words)."""
    options = (
        click.option("--workers", type=int, default=None, help="Run on a pool of K processes."),
        click.option(
            "--dask",
            "dask",
            default=None,
            metavar="ADDRESS|local",
            help="Run on Dask: 'local' starts a LocalCluster, or a scheduler address.",
        ),
        click.option(
            "--fast/--no-fast",
            "fast",
            default=None,
            help="Force the vectorised fast path (its own random numbers; waits it "
            "cannot replay are flagged in fast.contended), or the engine. "
            "Default: the fast path when it gives the engine's numbers for the metrics asked for.",
        ),
        click.option(
            "--unlimited-capacity",
            is_flag=True,
            help="Run the engine with every duty room, unit and resource as large as needed.",
        ),
        click.option(
            "--run",
            "run_spec",
            default=None,
            metavar="MODULE:FUNCTION",
            help="Advanced: your own replication function instead of the engine.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def what_if(
    model: Any,
    source: Any,
    *,
    no_injects: bool = False,
    truth_reported: bool = False,
    no_town_plans: bool = False,
) -> Any:
    """The scenario with the before/after switches applied, each refused
    when the scenario has nothing it changes (:mod:`cmdsim.model.switches`)."""
    from cmdsim.model.switches import apply_switches, chosen

    names = chosen(
        no_injects=no_injects, truth_reported=truth_reported, no_town_plans=no_town_plans
    )
    return apply_switches(model, names, source) if names else model


def column_options(columns: Sequence[str]) -> dict[str, str]:
    """``--column FIELD=HEADER`` options as a mapping, each field checked
    now: a misspelt field is an error even when the MSEL is YAML, which
    has no columns to map (it was silently ignored there)."""
    import difflib

    from cmdsim.errors import ScenarioError
    from cmdsim.exercise.msel_columns import FIELD_ALIASES, FIELDS, FIGURE_FIELDS, mapped_field

    mapping: dict[str, str] = {}
    for item in columns:
        name, sep, header = item.partition("=")
        if not sep:
            raise ScenarioError(f"--column {item!r} is not FIELD=HEADER")
        field = mapped_field(name.strip())
        if field is None:
            names = (*FIELDS, *FIELD_ALIASES, *FIGURE_FIELDS)
            close = difflib.get_close_matches(name.strip(), names, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ScenarioError(
                f"--column {item}: unknown MSEL field {name.strip()!r} "
                f"({hint}known: {', '.join(names)})"
            )
        mapping[field] = header.strip()
    return mapping


def scenario_or_flagship(scenario: Path | None, msel: Path | None) -> Path:
    """The SCENARIO a drill or a served exercise was given, else the bundled
    flagship drill (the one ``cmdsim run`` and README's quick start run),
    by its absolute path so the log names a file a report finds from
    anywhere.  The file taken is said on stderr, with its MSEL when none was
    given: nobody should wonder which exercise the room is playing."""
    from cmdsim.exercise.run import exercise_scenario

    chosen = exercise_scenario(scenario)
    if scenario is not None:
        return chosen
    from cmdsim import bundled

    click.echo(f"no SCENARIO given: the bundled flagship drill {chosen}", err=True)
    found = bundled.flagship_msel()
    if msel is None and found is not None:
        click.echo(f"  its MSEL (injects, expected actions): --msel {found}", err=True)
    return chosen


def from_the_log(command: str, **given: object) -> None:
    """Options a replay or a resume takes from the log, refused if given
    (``command``: ``--replay replays``): they would have no effect, unseen.
    A ``seed`` counts only when typed (its default is always there)."""
    typed = []
    context = click.get_current_context()
    for name, value in given.items():
        if name == "seed":
            if context.get_parameter_source("seed") is not click.core.ParameterSource.DEFAULT:
                typed.append("--seed")
        elif value not in (None, (), False):
            typed.append(f"--{name}")
    if typed:
        from cmdsim.errors import ScenarioError

        raise ScenarioError(
            f"{command} the log's seed, roles, MSEL and decisions: {', '.join(typed)} "
            f"would have no effect (leave {'it' if len(typed) == 1 else 'them'} out)"
        )


def exercise_options(play_help: str) -> Callable[[F], F]:
    """What a drill and a served exercise both take: the scenario, ``--msel``,
    ``--column`` and ``--play`` (the same options, the same words)."""

    def decorate(command: F) -> F:
        options = (
            click.argument("scenario", required=False, type=click.Path(path_type=Path)),
            click.option(
                "--msel", type=click.Path(path_type=Path), help="MSEL: .yaml, .csv or .xlsx."
            ),
            click.option(
                "--column",
                "columns",
                multiple=True,
                metavar="FIELD=HEADER",
                help="Map an MSEL field to a spreadsheet header, e.g. at='Inject Time'.",
            ),
            click.option("--play", multiple=True, metavar="ROLE", help=play_help),
        )
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def lang_option(help: str) -> Callable[[F], F]:
    """``--lang en|zh`` (default ``en``): the language a person reads a
    command's output in; ``help`` says what it changes for that command."""
    return click.option(
        "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help=help
    )
