"""``cmdsim report``: the after-action report of a run, a batch or an exercise."""

from __future__ import annotations

from pathlib import Path

import click

from cmdsim.cli._common import user_errors
from cmdsim.errors import CmdsimError

FORMATS = ("html", "md", "json", "csv", "docx")
"""What ``--format`` takes and which ``-o`` suffixes name (also ``.htm``, ``.markdown``)."""


@click.command("report")
@click.argument("result", type=click.Path(path_type=Path))
@click.option(
    "-o", "--out", "out", type=click.Path(path_type=Path), help="Write here (default: stdout)."
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option(
    "--format",
    "fmt_name",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: from the -o suffix, html without one).",
)
@click.option(
    "--scenario",
    type=click.Path(path_type=Path),
    help="The scenario the result came from, when it cannot be found from the result.",
)
@click.option(
    "--facts",
    type=click.Path(path_type=Path),
    help="YAML of the exercise's facts (date, place, participants, notes, sign-off, ratings) "
    "and edits of the improvement plan.",
)
@click.option(
    "--batch",
    type=click.Path(path_type=Path),
    help="A batch's output (directory or summary.json) whose distributions to add.",
)
@click.option(
    "--accept-changes",
    is_flag=True,
    help="An exercise log whose replay differs (a newer cmdsim, an edited scenario): report "
    "the exercise as it replays now, the differences on stderr and in the report.",
)
def report(
    result: Path,
    out: Path | None,
    lang: str,
    fmt_name: str | None,
    scenario: Path | None,
    facts: Path | None,
    batch: Path | None,
    accept_changes: bool,
) -> None:
    """Write the after-action report of RESULT.

    RESULT is a run's output directory (`cmdsim run --out DIR`), a batch's
    output directory or summary.json, a sweep's output directory or its
    sweep.json / sensitivity.json (`cmdsim sweep --out DIR`), or an exercise
    log (`cmdsim drill --log`).  `-o report.docx` writes a Word document.
    """
    with user_errors():
        from cmdsim.report import load_source, render

        model = None
        if scenario is not None:
            from cmdsim.io import load_scenario

            model = load_scenario(scenario)
        if fmt_name is None:
            suffix = out.suffix.lower().lstrip(".") if out is not None else ""
            fmt_name = {"htm": "html", "markdown": "md", "": "html"}.get(suffix, suffix)
            if fmt_name not in FORMATS:
                # HTML under a .pdf name would be opened as a broken PDF.
                raise CmdsimError(
                    f"{out}: cannot write a .{suffix} report; the formats are "
                    f"{', '.join(FORMATS)} (name the file so, or give --format)"
                )
        data = load_source(
            result,
            scenario=model,
            facts=facts,
            accept_changes=accept_changes,
            warn=lambda problem: click.echo(f"warning: {problem}", err=True),
        )
        if batch is not None:
            from cmdsim.report.sources import with_batch

            data = with_batch(data, batch, scenario=model)
        if fmt_name == "docx":
            from cmdsim.report.docx import to_docx

            if out is None:
                raise CmdsimError("a Word report needs -o FILE.docx (it is not text)")
            from cmdsim.atomic import atomic_writer

            with atomic_writer(out, "wb") as handle:
                handle.write(to_docx(data, lang))
            click.echo(f"wrote {out}", err=True)
            return
        text = render(data, fmt_name, lang)
        if out is None:
            click.echo(text, nl=False)
        else:
            from cmdsim.atomic import CSV_ENCODING, write_text

            # The file a person opens in Excel gets the byte order mark;
            # standard output (a pipe, a terminal) does not.
            write_text(out, text, encoding=CSV_ENCODING if fmt_name == "csv" else "utf-8")
            click.echo(f"wrote {out}", err=True)
