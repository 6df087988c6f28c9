"""Text that is safe to open in a spreadsheet: the one rule every CSV and workbook writer uses.

Text in the outputs comes partly from landed data (tags, API key ids, model ids, invoice ids),
which callers, not finance, control. A spreadsheet (Excel, LibreOffice Calc, Google Sheets)
reads a cell whose text starts with `=`, `+`, `-` or `@` as a formula, and a tab, carriage
return or line feed before one may be skipped: `=cmd|' /C calc'!A0` or `=HYPERLINK(...)` in a
team tag would run when finance opens the pack. The rule (OWASP, "CSV Injection"; ASVS 5.0
requirement 1.2.10):

- text whose first character is one of FORMULA_STARTS (`=`, `+`, `-`, `@`, tab, carriage
  return, line feed, NUL, and the full-width equals, plus, minus and at sign U+FF1D, U+FF0B,
  U+FF0D and U+FF20 that an East Asian input method types), or whose first character after
  leading white space and control characters is one, gets a single quote in front: the
  spreadsheet shows it as text, the quote visible;
- in a CSV file every text field is also enclosed in double quotes (inner quotes doubled,
  RFC 4180), so a comma or line break inside it cannot start a new field;
- typed values (numbers, dates, booleans) are never changed: a negative amount stays a number.

`neutralise` is the rule on one string; `csv_field` and `csv_line` write CSV rows with it;
`workbook_value` gives what an openpyxl cell may hold. `python -m chargeback.safe_text FILE...`
applies it to CSV files another tool wrote (MetricFlow's saved-query exports), where every
field is text: a field that reads as a plain decimal number is left as it is.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# The ASCII starts, then the full-width equals, plus, hyphen-minus and commercial at.
FORMULA_STARTS = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
QUOTE_PREFIX = "'"
# White space (any Unicode space) and control characters a reader may skip before a formula.
LEADING_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]*")
LINE_END = "\r\n"
# A plain decimal number as a CSV field: what an untyped CSV may keep unquoted and unprefixed.
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Characters XML 1.0 (and so an .xlsx file) cannot hold; openpyxl refuses them.
REPLACEMENT = "\ufffd"


def starts_a_formula(text: str) -> bool:
    """True when a spreadsheet could read the text as a formula: its first character, or its
    first after leading white space and control characters, is one of FORMULA_STARTS."""
    if not text:
        return False
    if text[0] in FORMULA_STARTS:
        return True
    first = LEADING_BLANKS.match(text)
    position = first.end() if first else 0
    return position < len(text) and text[position] in FORMULA_STARTS


def neutralise(text: str) -> str:
    """The text with a single quote in front when it could start a formula, else unchanged."""
    return QUOTE_PREFIX + text if starts_a_formula(text) else text


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def csv_field(value: object, formatted: str | None = None) -> str:
    """One CSV field. A `str` value is text: neutralised and always quoted. Anything else
    (numbers, dates, booleans) is typed data, written as `formatted` (default str(value)),
    quoted only if it holds a separator, quote or line break; None is an empty field."""
    if isinstance(value, str):
        return _quoted(neutralise(value))
    if value is None:
        return ""
    text = str(value) if formatted is None else formatted
    if any(character in text for character in ',"\r\n'):
        return _quoted(text)
    return text


def csv_line(fields: Iterable[str]) -> str:
    """A CSV record from fields already written by csv_field."""
    return ",".join(fields) + LINE_END


def csv_row(values: Iterable[object]) -> str:
    """A CSV record of values, each written by csv_field."""
    return csv_line(csv_field(value) for value in values)


def is_plain_number(text: str) -> bool:
    """True for a field that reads as a plain decimal number ('-12.5', '3e-07')."""
    return NUMBER.fullmatch(text) is not None


def untyped_csv_field(text: str) -> str:
    """A field of a CSV read as text: a plain number or an empty field stays as it is; other
    text is neutralised and quoted."""
    if text == "" or is_plain_number(text):
        return text
    return csv_field(text)


def workbook_value(value: object) -> object:
    """What an openpyxl cell may hold: text neutralised (so it is never stored as a formula)
    and without the control characters an .xlsx cannot hold; other values unchanged."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, neutralise(value))
    return value


def neutralise_csv_file(path: Path) -> int:
    """Rewrites a CSV file (all fields text) by the rule; returns the fields it neutralised."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    changed = sum(
        starts_a_formula(field) and not is_plain_number(field) for row in rows for field in row
    )
    out = io.StringIO()
    for row in rows:
        out.write(csv_line(untyped_csv_field(field) for field in row))
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return changed


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Neutralises formula-like text in CSV files, in place (see the module's doc)."
    )
    parser.add_argument("files", nargs="+", type=Path)
    for path in parser.parse_args(arguments).files:
        changed = neutralise_csv_file(path)
        if changed:
            print(f"{path}: {changed} field(s) neutralised")


if __name__ == "__main__":
    main()
