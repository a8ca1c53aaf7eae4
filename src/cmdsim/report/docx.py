"""The report as a Word document (python-docx): the same sections and
tables as the HTML, from the same language view, with the charts left to
the HTML (their numbers are in the tables)."""

from __future__ import annotations

import io
from typing import Any

from cmdsim.report.labels import labels
from cmdsim.report.numbers import fmt
from cmdsim.report.render import localized
from cmdsim.report.tables import sections

EAST_ASIAN_FONT = "Noto Sans CJK SC"
"""Asked for Chinese text; Word and WPS fall back to a Chinese system font
(Microsoft YaHei, SimSun) where it is not installed."""


def to_docx(report: dict[str, Any], lang: str = "en") -> bytes:
    """The report as ``.docx`` bytes: headings, paragraphs and real tables
    (the document's properties carry no clock time of their own)."""
    import datetime as dt

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    view = localized(report, lang)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    if fonts is None:
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        heading = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        heading.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    core = document.core_properties
    epoch = dt.datetime(2000, 1, 1)
    core.created = core.modified = epoch
    core.last_printed = epoch
    core.author = core.last_modified_by = "cmdsim"
    core.title = f"{labels(lang)['title']} – {view.get('scenario_title') or ''}"
    core.language = "zh-CN" if lang == "zh" else "en"
    core.revision = 1
    for section in sections(view, labels(lang)):
        document.add_heading(section.title, level=0 if section.level == 1 else section.level - 1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for items in section.lists:
            for text in items:
                document.add_paragraph(text, style="List Number")
        for table in section.tables:
            if table.caption:
                document.add_paragraph(table.caption).runs[0].bold = True
            grid = document.add_table(rows=1, cols=len(table.header))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = str(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = fmt(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return without_clock(buffer.getvalue())


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry: every entry's stamp."""


def without_clock(package: bytes) -> bytes:
    """The zip ``package`` with every entry stamped :data:`ZIP_EPOCH`.

    python-docx stamps each part with the local clock time of the save, so
    the same report written at night, or in another time zone, would differ
    byte for byte; the parts themselves are left as they are.
    """
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            stamped.compress_type = entry.compress_type
            stamped.external_attr = entry.external_attr
            target.writestr(stamped, source.read(entry))
    return out.getvalue()
