"""Two engines' marts compared row by row: money to the cent, shares to 1e-9."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from chargeback.compare.marts import Mart, Row

CENT = Decimal("0.01")
SHARE_TOLERANCE = 1e-9


def _normalised(value: Any) -> Any:
    """One engine's value in a form every engine's driver agrees on."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, dt.datetime):
        return (
            value.replace(tzinfo=None)
            if value.tzinfo is None
            else value.astimezone(dt.UTC).replace(tzinfo=None)
        )
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return _normalised(value.to_pydatetime())
    return value


def _sort_key(row: Row) -> tuple[Any, ...]:
    """Rows line up by their values: money at the cent, doubles at 6 decimals."""
    key = []
    for value in row:
        if value is None:
            key.append((0, ""))
        elif isinstance(value, Decimal):
            key.append((1, value.quantize(CENT, rounding=ROUND_HALF_EVEN)))
        elif isinstance(value, float):
            key.append((1, Decimal(round(value, 6)).quantize(Decimal("0.000001"))))
        elif isinstance(value, bool):
            key.append((2, int(value)))
        else:
            key.append((3, str(value)))
    return tuple(key)


def values_agree(reference: Any, other: Any) -> bool:
    """Equal, with money to the cent and doubles to 1e-9 (absolute or relative)."""
    if reference is None or other is None:
        return reference is None and other is None
    if isinstance(reference, float) or isinstance(other, float):
        return math.isclose(
            float(reference), float(other), rel_tol=SHARE_TOLERANCE, abs_tol=SHARE_TOLERANCE
        )
    if isinstance(reference, Decimal) and isinstance(other, Decimal):
        return reference.quantize(CENT, rounding=ROUND_HALF_EVEN) == other.quantize(
            CENT, rounding=ROUND_HALF_EVEN
        )
    return bool(reference == other)


def aligned(mart: Mart, columns: tuple[str, ...]) -> Mart:
    """The mart with its columns in the given order (Spark stores partition columns last)."""
    names = [column.lower() for column in mart.columns]
    positions = [names.index(column.lower()) for column in columns]
    rows = tuple(tuple(row[position] for position in positions) for row in mart.rows)
    return Mart(mart.name, columns, rows)


def sorted_rows(mart: Mart) -> list[Row]:
    """The mart's rows, normalised and in one order every engine's copy sorts to."""
    return sorted((tuple(map(_normalised, row)) for row in mart.rows), key=_sort_key)


def mart_differences(reference: Mart, other: Mart, limit: int = 5) -> list[str]:
    """What differs between two engines' copies of one mart, in words (empty: none)."""
    if sorted(c.lower() for c in reference.columns) != sorted(c.lower() for c in other.columns):
        return [f"{reference.name}: columns {reference.columns} against {other.columns}"]
    other = aligned(other, reference.columns)
    if len(reference.rows) != len(other.rows):
        return [f"{reference.name}: {len(reference.rows)} rows against {len(other.rows)}"]
    left, right = sorted_rows(reference), sorted_rows(other)
    found: list[str] = []
    for number, (expected, actual) in enumerate(zip(left, right, strict=True)):
        for column, a, b in zip(reference.columns, expected, actual, strict=True):
            if not values_agree(a, b):
                found.append(f"{reference.name} row {number} {column}: {a!r} against {b!r}")
                if len(found) >= limit:
                    return found
    return found


def differences(reference: Mapping[str, Mart], other: Mapping[str, Mart]) -> list[str]:
    """Every mart of both engines compared; the differences found, in words."""
    found: list[str] = []
    if set(reference) != set(other):
        found.append(f"marts {sorted(reference)} against {sorted(other)}")
    for name in sorted(set(reference) & set(other)):
        found.extend(mart_differences(reference[name], other[name]))
    return found


def exact_decimal_cells(
    reference: Mapping[str, Mart], other: Mapping[str, Mart]
) -> tuple[int, int]:
    """How many decimal cells of matching rows agree to the last digit, of how many."""
    exact = total = 0
    for name in sorted(set(reference) & set(other)):
        left = sorted_rows(reference[name])
        right = sorted_rows(aligned(other[name], reference[name].columns))
        for expected, actual in zip(left, right, strict=False):
            for a, b in zip(expected, actual, strict=False):
                if isinstance(a, Decimal) and isinstance(b, Decimal):
                    total += 1
                    exact += int(a == b)
    return exact, total
