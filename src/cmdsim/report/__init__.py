"""After-action reports: a timeline, activation-time distributions, deadline
compliance, the coverage matrix and findings, and improvement items, from a
run, a batch or an exercise log; as HTML (self-contained), Markdown, JSON or
CSV, with English or Chinese labels.
"""

from __future__ import annotations

from cmdsim.report.build import SCHEMA, build_report, classify, critical_path
from cmdsim.report.labels import LANGS, labels
from cmdsim.report.render import FORMATS, fmt, render, to_csv, to_html, to_json, to_markdown
from cmdsim.report.sources import (
    collect_samples,
    detect,
    event_record,
    from_result,
    load_source,
    read_jsonl,
)

__all__ = [
    "FORMATS",
    "LANGS",
    "SCHEMA",
    "build_report",
    "classify",
    "collect_samples",
    "critical_path",
    "detect",
    "event_record",
    "fmt",
    "from_result",
    "labels",
    "load_source",
    "read_jsonl",
    "render",
    "to_csv",
    "to_html",
    "to_json",
    "to_markdown",
]
