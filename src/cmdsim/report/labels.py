"""The report's words in each language: one table per language, in
:mod:`~cmdsim.report.labels_en` and :mod:`~cmdsim.report.labels_zh`."""

from __future__ import annotations

from cmdsim.report.labels_en import EN
from cmdsim.report.labels_zh import ZH

LANGS = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}


def labels(lang: str) -> dict[str, str]:
    """The label table for ``lang`` (``en`` or ``zh``), English filling any gap."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r} (use {' or '.join(LANGS)})")
    return {**LABELS["en"], **LABELS[lang]}
