"""``cmdsim check``: static analysis of plans, no simulation.

Each PATH (a district directory or file, a scenario file, or a directory of
scenario files) gets its own report.  If any input cannot be read, its
problems are printed and the command exits 2 before checking anything;
otherwise it exits 1 when a finding reaches ``--fail-on`` (default: an
error-level finding) and 0 when none does.  With ``--format json``,
``github`` or ``sarif`` standard output is always one whole document, the
problems of an input that could not be checked included.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from cmdsim.cli._common import console, emit_json, grid, user_errors

if TYPE_CHECKING:
    from cmdsim.check import CheckReport
    from cmdsim.check.output import Skipped
    from cmdsim.errors import Problem

FORMATS = ("text", "json", "github", "sarif")
"""``--format`` choices; every one but ``text`` is a document for a machine."""

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def asked_format(args: Sequence[str]) -> str:
    """The output format the command line asks for, read leniently (it may
    not parse): ``--json``, ``--format X`` or ``--format=X``."""
    fmt = "text"
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--json":
            fmt = "json"
        elif arg == "--format" and i + 1 < len(args):
            fmt = args[i + 1]
        elif arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
    return fmt if fmt in FORMATS else "text"


class CheckCommand(click.Command):
    """``check``, whose machine formats get their document even when the
    command line itself cannot be used (click's usage errors, exit 2)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        given = list(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            from cmdsim.errors import Problem

            fmt = asked_format(given)
            if fmt != "text":
                emit(fmt, [], [Problem(exc.format_message())], [], code=exc.exit_code)
            raise


@click.command("check", cls=CheckCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output: text (tables, default), json, github (Actions annotations) or sarif (2.1.0).",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning", "never")),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this severity or worse is found (never: only 0 or 2).",
)
@click.option(
    "--no-accept",
    "no_accept",
    is_flag=True,
    help="Leave the district's accept list out: every finding counts, none is accepted.",
)
@click.option(
    "--lang",
    type=click.Choice(("en", "zh")),
    default="en",
    show_default=True,
    help="Language of the findings, headings and counts (zh: Chinese; codes, paths and "
    "JSON/SARIF keys stay as they are).",
)
def check(
    paths: tuple[Path, ...],
    fmt: str | None,
    as_json: bool,
    fail_on: str,
    no_accept: bool,
    lang: str,
) -> None:
    """Check the plans in PATH… for gaps, overlaps and infeasible rules.

    PATH is a district directory (holding district.yaml) or file, a
    scenario file, or a directory of scenario files (each YAML file
    directly in it with a 'district' key).  Exit 0 when no finding reaches
    --fail-on, 1 when one does, 2 when an input cannot be read or an
    option used.  Findings the district accepts (its accept list, each
    with a reason) are shown as accepted and do not fail the check.
    """
    from cmdsim.check.output import EXIT_UNCHECKED, exit_code
    from cmdsim.errors import CmdsimError, Problem

    if as_json and fmt not in (None, "json"):
        clash = click.UsageError("--json is --format json: give one of them")
        emit(fmt or "text", [], [Problem(clash.format_message())], [], code=clash.exit_code)
        raise clash
    chosen = "json" if as_json else (fmt or "text")
    skipped: list[Skipped] = []
    with user_errors():
        try:
            loaded = load_all(targets(paths, skipped))
            reports = [check_path(item, accept=not no_accept) for item in loaded]
        except (CmdsimError, OSError) as exc:
            if chosen != "text":
                emit(chosen, [], problems_of(exc), skipped, code=EXIT_UNCHECKED, lang=lang)
            raise
    code = exit_code(reports, (), fail_on)
    emit(chosen, reports, [], skipped, code=code, lang=lang)
    if code:
        sys.exit(code)


def emit(
    fmt: str,
    reports: Sequence[CheckReport],
    problems: Sequence[Problem],
    skipped: Sequence[Skipped],
    *,
    code: int,
    lang: str = "en",
) -> None:
    """Print the reports (or the problems that kept them from being made) in
    ``fmt``, their words in ``lang``."""
    from cmdsim.check import output

    if fmt == "json":
        emit_json(output.as_json(reports, problems, skipped, code=code, lang=lang))
    elif fmt == "github":
        for line in output.as_github(output.entries(reports, problems, lang), lang=lang):
            click.echo(line)
    elif fmt == "sarif":
        from cmdsim import __version__

        items = output.entries(reports, problems, lang)
        emit_json(output.as_sarif(items, code=code, version=__version__, lang=lang))
    else:
        for report in reports:
            print_report(report, lang)
        for item in skipped:
            said = output.ui("text.skipped", lang, "not checked: {file}: {reason}")
            # one line whatever the width, for grep
            console.print(
                f"[dim]{said.format(file=escape(item.file), reason=escape(item.reason))}[/dim]",
                soft_wrap=True,
            )


def problems_of(exc: BaseException) -> list[Problem]:
    """The problems an error stands for, as ``user_errors`` prints them."""
    from cmdsim.errors import LoadError, Problem

    if isinstance(exc, LoadError):
        return list(exc.problems)
    if isinstance(exc, OSError):
        what = f"cannot use {exc.filename}" if exc.filename else "cannot read the input"
        return [
            Problem(
                f"{what}: {exc.strerror or exc}",
                file=None if exc.filename is None else str(exc.filename),
            )
        ]
    return [Problem(str(exc))]


def targets(paths: Sequence[Path], skipped: list[Skipped]) -> list[Path]:
    """What to load for each PATH: the path itself, or for a directory
    without a ``district.yaml`` every scenario file directly in it (the
    other YAML files there are added to ``skipped`` with what they are).
    A directory with neither is a problem, at the directory."""
    from cmdsim.check.output import Skipped
    from cmdsim.errors import LoadError, Problem
    from cmdsim.io import document_kind
    from cmdsim.io.includes import DISTRICT_FILE

    out: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if not path.is_dir() or (path / DISTRICT_FILE).exists():
            out.append(path)
            continue
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
        )
        found = passed = 0
        for file in files:
            try:
                kind = document_kind(file)
            except LoadError as exc:
                # Not told from its keys: it may be a scenario, so not passed over.
                problems.extend(exc.problems)
                found += 1
                continue
            if kind == "scenario":
                out.append(file)
                found += 1
                continue
            passed += 1
            if kind == "district":
                reason = "no 'district' key, so not a scenario (a district file? give it by name)"
                skipped.append(Skipped(str(file), reason))
            else:
                skipped.append(Skipped(str(file), f"not a scenario: {kind}"))
        if not found:
            subdirs = sorted(
                p.name for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")
            )
            hint = (
                f", only {passed} YAML file{'s' * (passed != 1)} of other kinds" if passed else ""
            )
            if subdirs:
                hint += f"; subdirectories are not searched: give them too ({', '.join(subdirs)})"
            problems.append(
                Problem(
                    f"nothing to check: no {DISTRICT_FILE} (a district directory) and no "
                    f"scenario file (a YAML file with a 'district' key) directly in this "
                    f"directory{hint}",
                    file=str(path),
                )
            )
    if problems:
        raise LoadError(problems)
    return out


def load_all(paths: Sequence[Path]) -> list[tuple[Path, Any]]:
    """Every path loaded with its locations; all problems at once if any fail
    (an acceptance of a code no finding has among them)."""
    from cmdsim.check.accept import acceptance_problems
    from cmdsim.errors import LoadError
    from cmdsim.io import load_with_locations

    loaded: list[tuple[Path, Any]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            item = load_with_locations(path)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(acceptance_problems(item.value, item.locations))
        loaded.append((path, item))
    if problems:
        raise LoadError(problems)
    return loaded


def check_path(item: tuple[Path, Any], *, accept: bool = True) -> CheckReport:
    from cmdsim.check import check as run_check
    from cmdsim.io import unincluded

    path, loaded = item
    # A directory is the district's: a YAML file in it nothing includes is
    # a plan in effect nowhere (CMD090).
    stray = unincluded(path, loaded) if path.is_dir() else None
    return run_check(
        loaded.value, loaded.locations, source=str(path), unincluded=stray, accept=accept
    )


def print_report(report: CheckReport, lang: str = "en") -> None:
    """The coverage matrix, the findings and their counts, in ``lang``."""
    from cmdsim.check.matrix import hand_over_text
    from cmdsim.check.output import ui
    from cmdsim.check.words import kind_words

    title = f"{report.source or report.district}: {ui('text.matrix', lang, 'coverage matrix')}"
    levels = ("I", "II", "III", "IV")
    matrix = grid(title, (ui("text.tier_hazard", lang, "tier · hazard"), *levels))
    rows: dict[str, dict[str, str]] = {}
    for cell in report.matrix:
        row = cell.hazard if cell.tier == "district" else f"{cell.tier} · {cell.hazard}"
        leads = cell.leads
        if len(cell.claims) > 1:
            text = "[bold red]" + escape(" / ".join(cell.claims)) + "[/bold red]"
        elif leads:
            text = escape(leads[0])
        elif cell.no_response and cell.lead is not None:
            # The engine still decides by this plan here: its lead, and nothing else.
            none = ui("text.no_response", lang, "no response")
            text = f"[red]{escape(cell.lead)}: {none}[/red]"
        else:
            text = "[red]—[/red]" if cell.tier == "district" else ""
        # A town case goes up at this level where only that plan's triggers
        # fire, on a report stating the level, or on a signal its warning
        # link maps to the level.
        up, linked, reported = (
            escape(e.lead) if e is not None and e.lead is not None and e.lead not in leads else None
            for e in (cell.handed, cell.linked, cell.reported)
        )
        if up or linked or reported:
            text = hand_over_text(text, up, linked, reported, lang)
        rows.setdefault(row, {})[cell.level.value] = text
    for row, cells in rows.items():
        matrix.add_row(row, *(cells.get(level, "") for level in levels))
    console.print(matrix)
    if not report.findings:
        console.print(f"[green]{ui('text.no_findings', lang, 'no findings')}[/green]")
        return
    heading = ui("text.findings", lang, "findings")
    columns = ui("text.columns", lang, "severity|code|where|finding").split("|")
    table = grid(f"{report.source or report.district}: {heading}", tuple(columns))
    told: set[str] = set()
    for f in report.findings:
        where = _place(f.file, f.line, f.column)
        path = f"{f.path}: " if f.path else ""
        level = ui(f"severity.{f.severity.value}", lang, f.severity.value)
        if f.accepted is None:
            style = _STYLE[f.severity.value]
            severity = f"[{style}]{level}[/{style}]"
            note = escape(kind_words(f.kind, lang).why)
        else:
            # Shown, for review, but dim: it does not fail the check.
            severity = f"[dim]{level}\n{ui('text.accepted', lang, 'accepted')}[/dim]"
            mark = f.accepted
            if mark.path in told:
                # One acceptance may cover many findings: its reason once is enough.
                said = ui("text.accepted_above", lang, "accepted ({path}, reason above)")
                note = said.format(path=escape(mark.path))
            else:
                told.add(mark.path)
                at = _place(mark.file, mark.line, mark.column) or mark.path
                said = ui("text.accepted_by", lang, "accepted ({path}, {at}): {reason}")
                note = said.format(
                    path=escape(mark.path), at=escape(at), reason=escape(mark.reason)
                )
        table.add_row(
            severity, f.code, escape(where), f"{escape(path + f.text(lang))}\n[dim]{note}[/dim]"
        )
    console.print(table)
    counts = report.counts()
    english = "{error} errors, {warning} warnings, {info} infos"
    line = ui("text.counts", lang, english).format(**counts)
    if counts["accepted"]:
        line += ui("text.counts_accepted", lang, "; {accepted} accepted").format(**counts)
    console.print(line)


def _place(file: str | None, line: int | None, column: int | None) -> str:
    """``file:line:column``, as far as each is known."""
    where = file or ""
    if file and line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where
