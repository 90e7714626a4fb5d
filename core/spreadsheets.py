"""The admin's export formats, made safe to open in a spreadsheet program.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) is read
by Excel, LibreOffice and Google Sheets as a formula: a record titled
`=HYPERLINK(...)` would run in the spreadsheet of whoever opens the export ("CSV
injection"). django-import-export's own switch
(`IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`, 4.4) drops only a first `=` and
writes every empty cell as "None", so these formats do it instead: in CSV such a
text gets a leading apostrophe (the usual escape, shown by no spreadsheet as a
formula); in XLSX it is stored as text, unchanged. Numbers stay numbers.
"""

from __future__ import annotations

import re
from io import BytesIO

from import_export.formats.base_formats import CSV, XLSX
from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def defused(value):
    """`value`, with a leading apostrophe if a spreadsheet would run it."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class SafeCSV(CSV):
    def export_data(self, dataset, **kwargs):
        safe = dataset.__class__(
            *([defused(cell) for cell in row] for row in dataset),
            headers=dataset.headers,
            title=dataset.title,
        )
        return super().export_data(safe, **kwargs)


class SafeXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        workbook = load_workbook(BytesIO(super().export_data(dataset, **kwargs)))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # a text that began with "="
                        cell.data_type = "s"
        stream = BytesIO()
        workbook.save(stream)
        return stream.getvalue()
