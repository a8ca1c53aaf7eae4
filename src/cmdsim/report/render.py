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

FORMATS = ("html", "md", "json", "csv")

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


def fmt(value: Any) -> str:
    """How every number is shown: one decimal for floats, ``–`` for none."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def to_json(report: dict[str, Any]) -> str:
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
        "ticks": [{"t": t, "x": x(t)} for t in _ticks(end)],
        "axis_y": 30 + len(lanes) * _LANE_H,
        "minutes": lab["minutes"],
    }


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
    return {
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


def to_html(report: dict[str, Any], lang: str = "en") -> str:
    """Self-contained HTML: inline CSS and SVG, no scripts, fonts or links."""
    lab = labels(lang)
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
    L = labels(lang)
    out = [f"# {L['title']}", ""]
    scenario = report.get("scenario") or "–"
    meta = f"{L['scenario']}: **{scenario}** · {L['source']}: {L['kind.' + report['kind']]}"
    if report.get("seed") is not None:
        meta += f" · {L['seed']}: {report['seed']}"
    out += [meta, "", f"## {L['summary']}", ""]
    out += _md_table([L["value"], ""], [[L.get(k, k), v] for k, v in report["summary"].items()])
    comp = report.get("comparison")
    if comp:
        out += [f"## {L['comparison']}", "", L[f"comparison.{comp['mode']}"], ""]
        if comp["mode"] == "sweep":
            out += _md_table(
                [L["variant"], L["mean"], L["diff"], L["ci95"], L["never"]],
                [
                    [
                        r["label"],
                        r["mean"],
                        r["diff"],
                        f"{fmt(r['low'])} … {fmt(r['high'])}",
                        r["missing"],
                    ]
                    for r in comp["rows"]
                ],
            )
        else:
            out += _md_table(
                [L["parameter"], L["low"], L["high"], L["swing"]],
                [[r["label"], r["low"], r["high"], r["swing"]] for r in comp["rows"]],
            )
    out += [f"## {L['timeline']}", ""]
    rows = [
        [b["lane"], b["kind"], b.get("level") or "", b["start"], b.get("end")]
        for b in report["timeline"]["bars"]
    ]
    rows += [
        [m["lane"], m["kind"], m.get("status") or "", m["time"], None]
        for m in report["timeline"]["markers"]
    ]
    out += _md_table(["lane", L["event"], L["status"], L["time"], "end"], rows)
    if report["activations"]:
        out += [f"## {L['activations']}", ""]
        out += _md_table(
            [
                L["command"],
                L["incident"],
                L["level"],
                L["required"],
                L["notified"],
                L["activated"],
                L["delay"],
            ],
            [
                [
                    a["command"],
                    a.get("incident"),
                    a.get("level"),
                    a.get("required"),
                    a.get("notified"),
                    a.get("activated"),
                    a.get("delay"),
                ]
                for a in report["activations"]
            ],
        )
    out += [f"## {L['distributions']}", ""]
    if report["distributions"]:
        keys = ["n", "mean", "p50", "p90", "p95", "min", "max"]
        out += _md_table(
            [""] + [L[k] for k in keys],
            [[d["name"]] + [d[k] for k in keys] for d in report["distributions"]],
        )
    else:
        out += [L["distributions.none"], ""]
    out += [f"## {L['deadlines']}", ""]
    c = report["compliance"]
    out += _md_table(
        [L["compliance.total"], L["compliance.met"], L["compliance.missed"], L["compliance.rate"]],
        [[c["total"], c["met"], c["missed"], c["rate"]]],
    )
    if report["deadlines"]:
        rated = any("rate" in d for d in report["deadlines"])
        header = [L["deadline"], L["incident"], L["due"], L["done"], L["slack"], L["status"]]
        rows = [
            [
                d["name"],
                d.get("incident"),
                d.get("due"),
                d.get("done"),
                d.get("slack"),
                L.get(d["status"], d["status"]),
            ]
            + ([d.get("rate")] if rated else [])
            for d in report["deadlines"]
        ]
        out += _md_table(header + ([L["rate"]] if rated else []), rows)
    if report.get("criteria"):
        out += [f"## {L['criteria']}", ""]
        out += _md_table(
            [L["criterion"], L["status"], L["elapsed"]],
            [
                [x["text"], L.get(x["status"], x["status"]), x.get("elapsed")]
                for x in report["criteria"]
            ],
        )
    if report.get("decisions"):
        out += [f"## {L['decisions']}", ""]
        out += _md_table(
            [L["time"], L["actor"], L["event"]],
            [[d["time"], d["actor"], d["text"]] for d in report["decisions"]],
        )
    out += [f"## {L['coverage']}", ""]
    cov = report.get("coverage")
    if cov:
        out += _md_table(
            ["", *list(cov["columns"])],
            [[row, *cov["cells"][i]] for i, row in enumerate(cov["rows"])],
        )
    else:
        out += [L["coverage.none"], ""]
    out += [f"## {L['findings']}", ""]
    if report["findings"]:
        out += _md_table(
            [L["severity"], L["code"], L["message"]],
            [[x["severity"], x["code"], x["message"]] for x in report["findings"]],
        )
    else:
        out += [L["findings.none"], ""]
    out += [f"## {L['improvements']}", ""]
    if not report["improvements"]:
        out += [L["improvements.none"], ""]
    for n, item in enumerate(report["improvements"], start=1):
        out += [f"{n}. **{item['what']}** — {item['why']}", ""]
        if item.get("path"):
            out += [
                "   " + line
                for line in _md_table(
                    [L["time"], L["actor"], L["event"], "Δ"],
                    [[s["time"], s["actor"], s["kind"], s.get("gap")] for s in item["path"]],
                )
            ]
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
    """The report in ``fmt_name`` (``html``, ``md``, ``json`` or ``csv``)."""
    if fmt_name == "html":
        return to_html(report, lang)
    if fmt_name == "md":
        return to_markdown(report, lang)
    if fmt_name == "json":
        return to_json(report)
    if fmt_name == "csv":
        return to_csv(report)
    raise ValueError(f"unknown format {fmt_name!r} (use {', '.join(FORMATS)})")
