"""Writes the pack's tables: an Excel workbook (openpyxl) and one CSV file per table.

Every text cell and field goes through chargeback.safe_text: text that a spreadsheet could
read as a formula gets a leading single quote, CSV text fields are quoted, and a workbook cell
holding text is a string cell, never a formula. Numbers and dates stay typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chargeback.report.labels import as_fraction, is_percentage, money_columns, plain_header
from chargeback.report.tables import Table, column_totals
from chargeback.safe_text import csv_row, workbook_value

HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
BOLD = Font(bold=True)
FIELD_NAME = Font(italic=True, color="6B7280", size=9)
MONEY_FORMAT = "#,##0.00;-#,##0.00"
NUMBER_FORMAT = "#,##0.####"
PERCENT_FORMAT = "0.00%"


def _cell_value(value: Any) -> Any:
    """Decimals become floats for Excel (already rounded to the minor unit); dates stay dates;
    text is neutralised (safe_text.workbook_value)."""
    if isinstance(value, Decimal):
        return float(value)
    return workbook_value(value)


def _set(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Writes one cell; a text cell is a string cell (openpyxl reads a str starting with '='
    as a formula, and the value is neutralised besides)."""
    cell = sheet.cell(row=row, column=column, value=_cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def write_workbook(
    tables: Sequence[Table],
    header: Sequence[tuple[str, str]],
    charts: dict[str, list[Path]],
    path: Path,
    currency: str,
) -> Path:
    """One sheet per table: the header, the table's plain headers (labels.plain_header) above
    its field names, its rows and a totals row, then the sheet's charts. Money in `currency`
    (the reporting currency) unless a header says otherwise; percentages as % (labels)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        for number, (label, value) in enumerate(header, start=1):
            _set(sheet, number, 1, label).font = BOLD
            _set(sheet, number, 2, value)
        title_row = len(header) + 2
        _set(sheet, title_row, 1, table.title).font = Font(bold=True, size=12)
        label_row = title_row + 1
        head_row = label_row + 1  # the field names, as in the CSV files and the marts
        for position, column in enumerate(table.columns, start=1):
            cell = _set(sheet, label_row, position, plain_header(table, column, currency))
            cell.font = BOLD
            cell.fill = HEADER_FILL
            _set(sheet, head_row, position, column).font = FIELD_NAME
        money = money_columns(table)
        for offset, row in enumerate(table.rows, start=1):
            for position, value in enumerate(row, start=1):
                column = table.columns[position - 1]
                cell = _set(sheet, head_row + offset, position, as_fraction(column, value))
                if column in money:
                    cell.number_format = MONEY_FORMAT
                elif is_percentage(column):
                    cell.number_format = PERCENT_FORMAT
                elif isinstance(value, (Decimal, float)):
                    cell.number_format = NUMBER_FORMAT
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        last_row = head_row + len(table.rows)
        if table.totals and table.rows:
            last_row += 1
            _set(sheet, last_row, 1, "Total").font = BOLD
            for column, total in column_totals(table).items():
                cell = _set(sheet, last_row, table.index(column) + 1, total)
                cell.font = BOLD
                cell.number_format = MONEY_FORMAT
        for position, column in enumerate(table.columns, start=1):
            width = max(
                [
                    len(plain_header(table, column, currency)),
                    *(len(str(row[position - 1] or "")) for row in table.rows[:200]),
                ]
            )
            sheet.column_dimensions[get_column_letter(position)].width = min(max(width + 2, 10), 70)
        if table.name == "Method":
            sheet.column_dimensions["B"].width = 120
            for row in sheet.iter_rows(
                min_row=head_row + 1, max_row=last_row, min_col=2, max_col=2
            ):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
        anchor_row = last_row + 3
        for chart in charts.get(table.name, []):
            image = Image(str(chart))
            sheet.add_image(image, f"A{anchor_row}")
            anchor_row += int(image.height / 20) + 2
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_csv(table: Table, header: Sequence[tuple[str, str]], path: Path) -> Path:
    """The header as '# label: value' lines, then the table and its totals row (text fields
    quoted and neutralised, safe_text.csv_row)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        for label, value in header:
            handle.write(f"# {label}: {value}\n")
        handle.write(f"# {table.title}\n")
        handle.write(csv_row(table.columns))
        for row in table.rows:
            handle.write(csv_row(row))
        if table.totals and table.rows:
            totals = column_totals(table)
            handle.write(
                csv_row(
                    "Total" if position == 0 else totals.get(column)
                    for position, column in enumerate(table.columns)
                )
            )
    return path
