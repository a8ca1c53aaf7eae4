"""Every figure the docs quote from a bundled drill's runs is recomputed.

A figure measured once and pasted into a page goes stale the day the engine
moves (a town room's wait, a deadline's share of runs): nothing failed when
it did.  Here each such figure carries a marker, and the test reruns what
the marker names and compares, at the precision the page quotes.

- ``<!-- figures: batch DRILL.yaml -n N --seed S [--no-town-plans] [--no-injects]
  [--truth-reported] -->`` (a line of its own, or inline) says which runs
  the page's figures after it come from, up to the next ``figures:``:
  ``cmdsim batch scenarios/DRILL.yaml …`` as written.  Ending it with
  ``as NAME`` also names the run: a ``fig`` marker ending ``@NAME`` reads
  that run instead of the latest (a table with one column per run).
  ``<!-- figures: signal-lag VARIANT -n N --seed S -->`` is
  :func:`cmdsim.analysis.validation.signal_lag_bands` on the 17 Aug 2023
  rainstorm (``scenarios/validation/``), ``VARIANT`` ``linked`` (as shipped),
  ``district-link`` (the towns' ``warnings`` removed) or ``unlinked`` (every
  plan's removed).
- ``NUMBER [unit]<!-- fig: KEY STAT -->`` right after a quoted number: that
  number is ``STAT`` of ``KEY``.  For a batch, ``KEY`` is a metric and
  ``STAT`` one of its summary's fields (``mean``, ``min``, ``max``,
  ``count``) or a percentile ``p50``, ``p95`` … (the exact order statistic
  of the replications by the summary's rule, not the sketch's estimate),
  or ``met`` for a deadline's share of runs, or
  ``le:X`` for the share of all runs in which the metric was at most ``X``;
  for a signal lag, ``KEY`` is the colour and ``STAT`` ``p05``, ``p50`` or
  ``p95``.  ``STAT-M`` (or ``+M``) moves a time by ``M`` minutes: a time
  after the incident's onset quoted from a signal ``M`` minutes after it.
  A quote ``HH:MM`` is a clock time: the measured minutes (moved so, by the
  minutes from midnight to the drill's start) as a time of day, to the
  minute.  A quote followed by ``%`` is a share: the measured fraction
  times 100.  The quote's decimals are its precision: ``1.9`` holds for a
  measured 1.94, not for 1.96.

A page whose figure moved fails naming the page, its line, the figure, the
quoted and the measured value.  Figures the pages give for an older commit
("at `8c4c923`", *before* columns) record history and carry no marker.
The runs are kept few: 200 replications (seed 0) of each bundled drill
(with the switches some tables compare), 1,000 and 300 of the signal lags;
all share one xdist worker and its cache, about 40 s of CPU together. The
pages say how many runs each figure is of.
"""

from __future__ import annotations

import csv
import json
import math
import re
import shlex
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

from cmdsim.analysis.percentiles import percentile_rank

# One worker runs them all, so each batch runs once (they share the cache).
pytestmark = pytest.mark.xdist_group("docs_figures")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

RUN = re.compile(r"<!--\s*figures:\s*(?P<spec>.*?)\s*-->")
FIG = re.compile(r"<!--\s*fig:\s*(?P<key>\S+)\s+(?P<stat>\S+)(?:\s+@(?P<name>\w+))?\s*-->")
QUOTE = re.compile(
    r"(?P<number>\d{1,2}:\d\d|-?\d+(?:\.\d+)?)(?P<thin>\*?)\s*(?P<unit>%|min(?:utes?)?)?\s*\**\s*$"
)


@attrs.frozen
class Figure:
    """One quoted number, where it is and what it says it is."""

    page: str
    line: int
    run: str
    key: str
    stat: str
    quoted: str
    unit: str
    column: int = -1
    """Where the quoted number starts in its line (0-based), for ``--fix``."""

    def where(self) -> str:
        return f"{self.page}:{self.line}: {self.key} {self.stat} ({self.run})"


def figures(page: str, text: str) -> Iterator[Figure]:
    """The figures of a page, each with the run it names (read in order)."""
    run = ""
    named: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        events = sorted(
            [(m.start(), m) for m in RUN.finditer(line)]
            + [(m.start(), m) for m in FIG.finditer(line)],
            key=lambda item: item[0],
        )
        for start, match in events:
            if match.re is RUN:
                run, _, name = match["spec"].partition(" as ")
                if name:
                    named[name] = run
                continue
            if match["name"]:
                if match["name"] not in named:
                    raise AssertionError(f"{page}:{number}: no run named {match['name']!r} before")
                use = named[match["name"]]
            else:
                use = run
            if not use:
                raise AssertionError(f"{page}:{number}: a fig marker before any figures: marker")
            before = line[:start]
            # A run marker may sit between a number and its figure marker.
            while (tail := re.search(r"<!--\s*figures:[^>]*-->\s*$", before)) is not None:
                before = before[: tail.start()]
            quote = QUOTE.search(before)
            if quote is None:
                raise AssertionError(
                    f"{page}:{number}: no number right before <!-- fig: {match['key']} "
                    f"{match['stat']} -->"
                )
            yield Figure(
                page,
                number,
                use,
                match["key"],
                match["stat"],
                quote["number"],
                quote["unit"] or "",
                quote.start("number"),
            )


def _cli(args: list[str], tmp: Path) -> dict[str, Any]:
    from cmdsim.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    summary: dict[str, Any] = json.loads((tmp / "summary.json").read_text(encoding="utf-8"))
    return summary


@cache
def batch(spec: str, tmp: Path) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """``cmdsim batch`` as the spec writes it: the summary and the columns."""
    words = shlex.split(spec)
    assert words[0] == "batch", spec
    out = tmp / re.sub(r"[^\w.-]+", "_", spec)
    args = ["batch", str(ROOT / "scenarios" / words[1]), *words[2:], "--no-progress", "--out"]
    summary = _cli([*args, str(out)], out)
    columns: dict[str, list[float]] = {}
    with (out / "replications.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name, value in row.items():
                columns.setdefault(name, []).append(
                    float(value) if value not in ("", None) else math.nan
                )
    return summary, columns


@cache
def lags(spec: str) -> dict[str, Any]:
    """The signal-lag bands a ``signal-lag VARIANT -n N --seed S`` spec names."""
    from cmdsim import bundled
    from cmdsim.analysis.validation import signal_lag_bands
    from cmdsim.io import load_scenario

    words = shlex.split(spec)
    variant, n, seed = (
        words[1],
        int(words[words.index("-n") + 1]),
        int(words[words.index("--seed") + 1]),
    )
    scenario = load_scenario(bundled.path("validation/rainstorm-20230817.yaml"))
    keep: Callable[[Any], bool] = {
        "linked": lambda plan: True,
        "district-link": lambda plan: plan.town is None,
        "unlinked": lambda plan: False,
    }[variant]
    plans = tuple(p if keep(p) else attrs.evolve(p, warnings=None) for p in scenario.district.plans)
    scenario = attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))
    return dict(signal_lag_bands(scenario, "rainstorm", n=n, seed=seed))


def measure(figure: Figure, tmp: Path) -> float:
    """The value the figure's run gives for it now (a share as a fraction)."""
    if figure.run.startswith("signal-lag"):
        return float(getattr(lags(figure.run)[figure.key], figure.stat))
    if figure.stat.startswith("le:"):
        return _batch_value(figure, figure.stat, tmp)
    stat, sign, offset = re.fullmatch(r"(.+?)(?:([+-])(\d+(?:\.\d+)?))?", figure.stat).groups()  # type: ignore[union-attr]
    shift = float(offset) * (1 if sign == "+" else -1) if offset else 0.0
    return _batch_value(figure, stat, tmp) + shift


def _batch_value(figure: Figure, stat: str, tmp: Path) -> float:
    summary, columns = batch(figure.run, tmp)
    if stat == "met":
        return float(summary["deadlines"][figure.key]["p"])
    if stat.startswith("le:"):
        limit = float(stat[3:])
        values = columns[figure.key]
        return sum(1 for v in values if not math.isnan(v) and v <= limit) / len(values)
    if re.fullmatch(r"p\d\d", stat):
        # The exact order statistic by the summary's rule: the summary's own
        # pNN is DDSketch's bucket, 0.5 % off, minutes at a clock time.
        seen = sorted(v for v in columns[figure.key] if not math.isnan(v))
        assert seen, f"{figure.where()}: never observed"
        return seen[percentile_rank(int(stat[1:]), len(seen)) - 1]
    value = summary["metrics"][figure.key][stat]
    assert value is not None, f"{figure.where()}: never observed"
    return float(value)


def shown(figure: Figure, measured: float) -> str:
    """The measured value written as the quote is: its decimals, a share in
    percent, a clock time to the minute."""
    if ":" in figure.quoted:
        minute = round(measured) % (24 * 60)
        return f"{minute // 60:02d}:{minute % 60:02d}"
    value = measured * 100 if figure.unit == "%" else measured
    text = f"{value:.{len(figure.quoted.partition('.')[2])}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def mismatch(figure: Figure, measured: float) -> str | None:
    """Why the quote does not hold, or None: compared at its own precision."""
    now = shown(figure, measured)
    if now == figure.quoted:
        return None
    unit = f" {figure.unit}" if figure.unit else ""
    return f"{figure.where()}: quoted {figure.quoted}{unit}, measured {now}"


PAGES = sorted(
    str(path.relative_to(ROOT))
    for path in DOCS.rglob("*.md")
    if "<!-- fig:" in path.read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("figures")


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_figures_are_what_their_runs_give(page: str, runs_dir: Path) -> None:
    found = list(figures(page, (ROOT / page).read_text(encoding="utf-8")))
    assert found
    wrong = [why for f in found if (why := mismatch(f, measure(f, runs_dir))) is not None]
    assert not wrong, "stale figures (re-measure and fix the page):\n" + "\n".join(wrong)


def test_the_pages_with_measured_figures_carry_markers() -> None:
    # The pages that quote the bundled drills' runs today: one losing its
    # markers would drop out of the check unnoticed.
    for page in (
        "docs/engine.md",
        "docs/validation.md",
        "docs/knowledge.md",
        "docs/committees.md",
        *(f"docs/scenarios/{d}.md" for d in ("gas", "traffic", "flood-typhoon")),
        *(f"docs/scenarios/{d}.md" for d in ("compound-typhoon", "typhoon-landfall")),
    ):
        assert page in PAGES


def test_a_moved_figure_fails_naming_page_line_figure_and_both_values() -> None:
    text = (
        "<!-- figures: batch flood-typhoon.yaml -n 20 --seed 0 -->\n"
        "| Zhangjiang | 1.63 min<!-- fig: wait.zhangjiang_town_duty_room mean --> | "
        "7.8 %<!-- fig: utilisation.zhangjiang_town_duty_room mean --> |\n"
    )
    wait, share = figures("docs/x.md", text)
    assert (wait.line, wait.quoted, wait.unit, wait.stat) == (2, "1.63", "min", "mean")
    assert (share.quoted, share.unit) == ("7.8", "%")
    assert mismatch(wait, 1.6349) is None
    assert mismatch(share, 0.0781) is None
    assert mismatch(wait, 1.9) == (
        "docs/x.md:2: wait.zhangjiang_town_duty_room mean (batch flood-typhoon.yaml -n 20 "
        "--seed 0): quoted 1.63 min, measured 1.90"
    )
    two = (
        "<!-- figures: batch a.yaml as one --><!-- figures: batch b.yaml -->"
        "1<!-- fig: k mean @one --> 2<!-- fig: k mean -->"
    )
    assert [f.run for f in figures("docs/x.md", two)] == ["batch a.yaml", "batch b.yaml"]
    between = "26<!-- figures: batch c.yaml --><!-- fig: k mean --> min"
    assert [(f.run, f.quoted, f.column) for f in figures("docs/x.md", between)] == [
        ("batch c.yaml", "26", 0)
    ]
    assert mismatch(share, 0.126) is not None and "quoted 7.8 %, measured 12.6" in str(
        mismatch(share, 0.126)
    )


def test_a_marker_without_a_number_or_a_run_is_refused() -> None:
    with pytest.raises(AssertionError, match="no number right before"):
        list(
            figures(
                "docs/x.md",
                "<!-- figures: batch gas.yaml -n 5 --seed 0 -->\nsoon<!-- fig: a mean -->",
            )
        )
    with pytest.raises(AssertionError, match="no run named 'b'"):
        list(
            figures(
                "docs/x.md",
                "<!-- figures: batch gas.yaml -n 5 --seed 0 as a -->1<!-- fig: k mean @b -->",
            )
        )
    with pytest.raises(AssertionError, match="before any figures: marker"):
        list(figures("docs/x.md", "2.0 min<!-- fig: a mean -->"))


def test_a_quote_is_compared_at_its_own_precision() -> None:
    figure = Figure("p", 1, "r", "k", "mean", "2.8", "min")
    assert mismatch(figure, 2.84) is None
    assert mismatch(figure, 2.86) is not None
    clock = Figure("p", 1, "r", "k", "mean+450", "23:37", "")
    assert mismatch(clock, 966.73 + 450) is None
    assert mismatch(clock, 967.6 + 450) is not None
    whole = Figure("p", 1, "r", "k", "met", "97", "%")
    assert mismatch(whole, 0.974) is None
    assert mismatch(whole, 0.976) is not None


def fix(page: str, tmp: Path) -> list[str]:
    """Write each of ``page``'s figures as its run gives it now; the lines
    changed.  For a maintainer who changed the engine on purpose, after
    reading what moved (the prose around a figure may need a new word too):
    ``python tests/test_docs_figures.py --fix docs/engine.md``."""
    path = ROOT / page
    lines = path.read_text(encoding="utf-8").split("\n")
    changed: list[str] = []
    for figure in sorted(figures(page, "\n".join(lines)), key=lambda f: (f.line, -f.column)):
        now = shown(figure, measure(figure, tmp))
        if now != figure.quoted:
            line = lines[figure.line - 1]
            end = figure.column + len(figure.quoted)
            lines[figure.line - 1] = line[: figure.column] + now + line[end:]
            changed.append(
                f"{page}:{figure.line}: {figure.key} {figure.stat}: {figure.quoted} -> {now}"
            )
    path.write_text("\n".join(lines), encoding="utf-8")
    return changed


if __name__ == "__main__":
    import sys
    import tempfile

    args = sys.argv[1:]
    write = "--fix" in args
    with tempfile.TemporaryDirectory() as scratch:
        for name in [a for a in args if a != "--fix"] or PAGES:
            if write:
                print("\n".join(fix(name, Path(scratch))))
            else:
                for figure in figures(name, (ROOT / name).read_text(encoding="utf-8")):
                    why = mismatch(figure, measure(figure, Path(scratch)))
                    if why:
                        print(why)
