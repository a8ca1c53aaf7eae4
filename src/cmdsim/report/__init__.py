"""After-action reports: a timeline, activation-time distributions, deadline
compliance, the coverage matrix and findings, per-inject evaluation, the
exercise's facts and an improvement plan, from a run, a batch or an exercise
log; as HTML (self-contained), Markdown, JSON, CSV or Word, in English or
Chinese with the names from the files and clock times.
"""

from __future__ import annotations

from cmdsim.report.batch_sources import collect_samples
from cmdsim.report.build import SCHEMA, build_report
from cmdsim.report.facts import facts_record, improvement_record, load_facts
from cmdsim.report.improvements import critical_path
from cmdsim.report.kinds import classify
from cmdsim.report.labels import LANGS, labels
from cmdsim.report.localize import localize
from cmdsim.report.numbers import fmt
from cmdsim.report.render import FORMATS, render, to_csv, to_html, to_json, to_markdown
from cmdsim.report.sources import (
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
    "facts_record",
    "fmt",
    "from_result",
    "improvement_record",
    "labels",
    "load_facts",
    "load_source",
    "localize",
    "read_jsonl",
    "render",
    "to_csv",
    "to_html",
    "to_json",
    "to_markdown",
]
