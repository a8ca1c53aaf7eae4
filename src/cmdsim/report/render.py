"""Render a report (the plain data from :mod:`cmdsim.report.build`) as
self-contained HTML with inline SVG charts, Markdown, JSON or CSV.

Every format is rendered from the same data, and every number is printed by
:func:`fmt`, so the HTML and the JSON cannot disagree.  Numbers in the HTML
carry ``data-key`` (their path in the JSON) for checking.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import jinja2

from cmdsim.report.labels import labels
from cmdsim.report.numbers import fmt
from cmdsim.report.tables import sections

FORMATS = ("html", "md", "json", "csv", "docx")
"""Formats; ``docx`` is bytes (:func:`cmdsim.report.docx.to_docx`), the others text."""

LEVEL_COLOURS = {"IV": "#4a90d9", "III": "#f5c518", "II": "#f08a24", "I": "#d0312d"}
KIND_COLOURS = {
    "incident": "#7f8c8d",
    "callout": "#b8d4f0",
    "active": "#2e86de",
    "met": "#27ae60",
    "missed": "#c0392b",
    "pending": "#95a5a6",
    "inject": "#8e44ad",
    "decision": "#16a085",
    "handover": "#2c3e50",
}


def to_json(report: dict[str, Any], lang: str | None = None) -> str:
    """The report's data as JSON (sorted keys); with ``lang``, the view in
    that language: names, clock times and sentences as every format shows them."""
    if lang is not None:
        report = localized(report, lang)
    return json.dumps(report, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- SVG geometry

_LANE_H = 22
_LEFT = 170
_WIDTH = 900


def _ticks(end: float) -> list[float]:
    if end <= 0:
        return [0.0]
    for step in (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440):
        if end / step <= 12:
            break
    ticks = []
    t = 0.0
    while t <= end + 1e-9:
        ticks.append(t)
        t += step
    return ticks


def gantt(report: dict[str, Any], lab: dict[str, str]) -> dict[str, Any]:
    """Geometry of the timeline chart: lanes, bars, markers and axis ticks."""
    timeline = report.get("timeline") or {}
    lanes = timeline.get("lanes") or []
    end = float(timeline.get("end") or 0.0) or 60.0
    plot = _WIDTH - _LEFT - 20
    scale = plot / end
    index = {lane["id"]: i for i, lane in enumerate(lanes)}

    def x(t: float) -> float:
        return round(_LEFT + max(0.0, min(end, t)) * scale, 2)

    bars = []
    for bar in timeline.get("bars") or []:
        if bar["lane"] not in index:
            continue
        row = index[bar["lane"]]
        start = float(bar["start"])
        stop = float(bar["end"]) if bar.get("end") is not None else end
        colour = LEVEL_COLOURS.get(str(bar.get("level")), KIND_COLOURS.get(bar["kind"], "#888"))
        bars.append(
            {
                **bar,
                "x": x(start),
                "y": 30 + row * _LANE_H + 3,
                "w": max(1.5, round(x(stop) - x(start), 2)),
                "h": _LANE_H - 6,
                "colour": colour,
            }
        )
    markers = []
    for mark in timeline.get("markers") or []:
        if mark["lane"] not in index:
            continue
        row = index[mark["lane"]]
        cx, cy = x(float(mark["time"])), 30 + row * _LANE_H + _LANE_H / 2
        colour = KIND_COLOURS.get(str(mark.get("status") or mark["kind"]), "#333")
        markers.append({**mark, "cx": cx, "cy": cy, "colour": colour})
    height = 30 + len(lanes) * _LANE_H + 30
    return {
        "width": _WIDTH,
        "height": height,
        "left": _LEFT,
        "lanes": [
            {**lane, "y": 30 + i * _LANE_H + _LANE_H / 2 + 4, "top": 30 + i * _LANE_H}
            for i, lane in enumerate(lanes)
        ],
        "bars": bars,
        "markers": markers,
        "ticks": [{"t": t, "x": x(t), "label": _tick_label(report, t, lab)} for t in _ticks(end)],
        "axis_y": 30 + len(lanes) * _LANE_H,
        "minutes": lab["minutes"],
    }


def _tick_label(report: dict[str, Any], t: float, lab: dict[str, str]) -> str:
    """An axis tick as clock time (minutes from the start without one)."""
    from cmdsim.report.context import clock

    start = (report.get("context") or {}).get("start")
    shown = clock(t, start, bool(report.get("clock_with_date")), str(report.get("lang") or "en"))
    return shown if shown is not None else f"{int(t)}"


def histogram(dist: dict[str, Any]) -> dict[str, Any]:
    """Geometry of one distribution's histogram."""
    bins = dist.get("bins") or []
    width, height, left, bottom = 420, 160, 40, 130
    top = max((b["count"] for b in bins), default=0) or 1
    bw = (width - left - 10) / max(1, len(bins))
    rects = []
    for i, b in enumerate(bins):
        h = round((bottom - 10) * b["count"] / top, 2)
        rects.append(
            {
                **b,
                "x": round(left + i * bw, 2),
                "y": round(bottom - h, 2),
                "w": round(bw - 1, 2),
                "h": h,
            }
        )
    lo = bins[0]["lo"] if bins else 0.0
    hi = bins[-1]["hi"] if bins else 0.0
    # The ECDF over the same axis, its share scaled to the plot's height.
    points = []
    span = (hi - lo) or 1.0
    for point in dist.get("ecdf") or ():
        px = left + (float(point["x"]) - lo) / span * (width - left - 10)
        py = bottom - (bottom - 10) * float(point["p"])
        points.append(f"{px:.1f},{py:.1f}")
    return {
        "ecdf": " ".join(points),
        "width": width,
        "height": height,
        "rects": rects,
        "bottom": bottom,
        "left": left,
        "lo": lo,
        "hi": hi,
        "top": top,
    }


_LABEL_CHARS = 44
"""Characters of a row's label that fit left of the what-if chart."""


def comparison_chart(comp: dict[str, Any]) -> dict[str, Any]:
    """Geometry of the what-if chart: one lane a row, a zero line.

    A sweep's lane is the difference's 95 % interval with a dot at the
    difference (a forest plot); a sensitivity lane has a bar from zero to
    the low setting's difference and one to the high setting's (a tornado).
    """
    rows = comp.get("rows") or []
    values = [0.0]
    for row in rows:
        values += [float(row[k]) for k in ("low", "high", "diff") if row.get(k) is not None]
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    left, width = 300, 900
    plot = width - left - 30

    def x(v: float) -> float:
        return round(left + (v - lo) / (hi - lo) * plot, 2)

    lanes = []
    for i, row in enumerate(rows):
        top = 10 + i * _LANE_H
        segments = []
        if comp.get("mode") == "sensitivity":
            for side, colour in (("low", "#2e86de"), ("high", "#f08a24")):
                value = row.get(side)
                if value is not None:
                    a, b = sorted((x(0.0), x(float(value))))
                    segments.append({"side": side, "x": a, "w": max(b - a, 1.0), "colour": colour})
        elif row.get("low") is not None and row.get("high") is not None:
            a, b = x(float(row["low"])), x(float(row["high"]))
            segments.append({"side": "ci", "x": a, "w": max(b - a, 1.0), "colour": "#95a5a6"})
        dot = x(float(row["diff"])) if row.get("diff") is not None else None
        # Every path starts at the district: the table keeps it, the chart's
        # narrow label column does not need it, and keeps a long label's end
        # (the values set), the whole in its tooltip.
        label = str(row["label"]).replace("district.", "")
        if len(label) > _LABEL_CHARS:
            label = "…" + label[-(_LABEL_CHARS - 1) :]
        lanes.append(
            {
                "label": label,
                "full": row["label"],
                "top": top,
                "y": top + 15,
                "segments": segments,
                "dot": dot,
            }
        )
    return {
        "width": width,
        "height": 40 + len(rows) * _LANE_H,
        "left": left,
        "zero": x(0.0),
        "axis_y": 14 + len(rows) * _LANE_H,
        "lo": lo,
        "hi": hi,
        "lanes": lanes,
    }


# --------------------------------------------------------------------------- HTML


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("cmdsim.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def localized(report: dict[str, Any], lang: str) -> dict[str, Any]:
    """The report in ``lang``, for a renderer: localized once (a report
    already in ``lang``, such as another renderer's view, passes through)."""
    if report.get("lang") == lang:
        return report
    from cmdsim.report.localize import localize

    return localize(report, lang)


def to_html(report: dict[str, Any], lang: str = "en") -> str:
    """Self-contained HTML: inline CSS and SVG, no scripts, fonts or links."""
    lab = labels(lang)
    report = localized(report, lang)
    return _ENV.get_template("report.html.j2").render(
        r=report,
        L=lab,
        lang=lang,
        f=fmt,
        g=gantt(report, lab),
        hist=histogram,
        chart=comparison_chart,
    )


# --------------------------------------------------------------------------- Markdown


def _md_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(value: Any) -> str:
        return fmt(value).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*out, ""]


def to_markdown(report: dict[str, Any], lang: str = "en") -> str:
    """The report as Markdown: the same sections and tables as the HTML."""
    out: list[str] = []
    for section in sections(localized(report, lang), labels(lang)):
        if section.level == 1:
            out += [f"# {section.title}", ""]
        elif section.title:
            out += [f"{'#' * section.level} {section.title}", ""]
        for para in section.paragraphs:
            out += [para, ""]
        for items in section.lists:
            out += [f"{n}. {text}" for n, text in enumerate(items, start=1)] + [""]
        for table in section.tables:
            if table.caption:
                out += [f"**{table.caption}**", ""]
            out += _md_table(table.header, table.rows)
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- CSV


def _facts(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _facts(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _facts(item, f"{path}.{index}")
    else:
        yield path, value


def to_csv(report: dict[str, Any]) -> str:
    """One row a value: ``section,key,value`` with the JSON path as the key.

    The timeline bars, deadlines and activations are flattened the same way,
    so a spreadsheet can filter on the section.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "key", "value"])
    for path, value in _facts(report, ""):
        section, _, rest = path.partition(".")
        writer.writerow(
            [
                section,
                rest,
                "" if value is None else fmt(value) if isinstance(value, float) else value,
            ]
        )
    return buffer.getvalue()


def render(report: dict[str, Any], fmt_name: str = "html", lang: str = "en") -> str:
    """The report in ``fmt_name`` (``html``, ``md``, ``json`` or ``csv``; Word
    is bytes: :func:`cmdsim.report.docx.to_docx`)."""
    if fmt_name == "html":
        return to_html(report, lang)
    if fmt_name == "md":
        return to_markdown(report, lang)
    if fmt_name == "json":
        return to_json(report, lang)
    if fmt_name == "csv":
        return to_csv(localized(report, lang))
    raise ValueError(f"unknown format {fmt_name!r} (use html, md, json or csv; docx: to_docx)")
