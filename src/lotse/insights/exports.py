"""CSV and XLSX of the statistics page (ADR 0025: openpyxl), cell for cell the page's tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils import formats
from openpyxl import Workbook

from lotse.insights.tables import Table, Value


def cell_text(value: Value) -> str:
    """A cell as the page shows it (decimal comma in German, as spreadsheets there expect)."""
    if value is None:
        return ""
    return formats.localize(value) if isinstance(value, float) else str(value)


def tables_csv(tables: Sequence[Table], preamble: Sequence[Sequence[str]] = ()) -> str:
    """One CSV: each table as its title row, its header row and its rows, then an empty row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in preamble:
        writer.writerow(line)
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([[cell_text(v) for v in row] for row in table.rows])
        writer.writerow([])
    return out.getvalue()


def tables_xlsx(tables: Sequence[Table], preamble: Sequence[Sequence[str]] = ()) -> bytes:
    """One workbook, one sheet per table (its title in the first row, numbers as numbers)."""
    book = Workbook()
    first = True
    for table in tables:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = table.key
        for line in preamble:
            sheet.append(list(line))
        sheet.append([table.title])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
