"""Writes the pack's tables: an Excel workbook (openpyxl) and one CSV file per table."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chargeback.report.tables import Table, column_totals

HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
BOLD = Font(bold=True)
MONEY_FORMAT = "#,##0.00;-#,##0.00"
NUMBER_FORMAT = "#,##0.####"


def _cell_value(value: Any) -> Any:
    """Decimals become floats for Excel (already rounded to the minor unit); dates stay dates."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_workbook(
    tables: Sequence[Table],
    header: Sequence[tuple[str, str]],
    charts: dict[str, list[Path]],
    path: Path,
) -> Path:
    """One sheet per table: the header, the table with a totals row, then the sheet's charts."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        for number, (label, value) in enumerate(header, start=1):
            sheet.cell(row=number, column=1, value=label).font = BOLD
            sheet.cell(row=number, column=2, value=value)
        title_row = len(header) + 2
        sheet.cell(row=title_row, column=1, value=table.title).font = Font(bold=True, size=12)
        head_row = title_row + 1
        for position, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=head_row, column=position, value=column)
            cell.font = BOLD
            cell.fill = HEADER_FILL
        money = {
            *table.money,
            *(d.column for d in table.derived),
            *(p.total for p in table.row_parts),
        }
        money |= {part for p in table.row_parts for part in p.parts}
        for offset, row in enumerate(table.rows, start=1):
            for position, value in enumerate(row, start=1):
                cell = sheet.cell(row=head_row + offset, column=position, value=_cell_value(value))
                if table.columns[position - 1] in money:
                    cell.number_format = MONEY_FORMAT
                elif isinstance(value, (Decimal, float)):
                    cell.number_format = NUMBER_FORMAT
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
        last_row = head_row + len(table.rows)
        if table.totals and table.rows:
            last_row += 1
            sheet.cell(row=last_row, column=1, value="Total").font = BOLD
            for column, total in column_totals(table).items():
                cell = sheet.cell(row=last_row, column=table.index(column) + 1, value=float(total))
                cell.font = BOLD
                cell.number_format = MONEY_FORMAT
        for position, column in enumerate(table.columns, start=1):
            width = max(
                [len(column), *(len(str(row[position - 1] or "")) for row in table.rows[:200])]
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
    """The header as '# label: value' lines, then the table and its totals row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        for label, value in header:
            handle.write(f"# {label}: {value}\n")
        handle.write(f"# {table.title}\n")
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        if table.totals and table.rows:
            totals = column_totals(table)
            writer.writerow(
                [
                    "Total" if position == 0 else totals.get(column, "")
                    for position, column in enumerate(table.columns)
                ]
            )
    return path
