"""DataFrame preparation: exact money ties computed with Decimal, then money as float for GX.

DuckDB DECIMAL columns are read as Python `Decimal` objects. Ties between money columns are
computed on those exactly; only the (tiny) gap is handed to GX as a float. Range checks then
run on float copies of the money columns.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from chargeback.validation.specs import DerivedColumn, SuiteSpec


def _as_decimal(value: Any) -> Decimal | None:
    """The value as an exact Decimal; None when it is null (None, NaN, NaT, pd.NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    return Decimal(str(value))


def _gap(total: Any, plus: Sequence[Any], minus: Sequence[Any]) -> float:
    """total - (sum(plus) - sum(minus)) computed exactly; NaN when any operand is null."""
    total_d = _as_decimal(total)
    plus_d = [_as_decimal(value) for value in plus]
    minus_d = [_as_decimal(value) for value in minus]
    if total_d is None or None in plus_d or None in minus_d:
        return math.nan
    added = sum((value for value in plus_d if value is not None), Decimal(0))
    taken = sum((value for value in minus_d if value is not None), Decimal(0))
    return float(total_d - (added - taken))


def exact_gap(total: str, plus: Sequence[str], minus: Sequence[str] = ()) -> DerivedColumn:
    """A derived column `<total>_tie_gap` = total - (sum(plus) - sum(minus)), exact per row.

    The tie holds when the gap is 0 (checked with `specs.within_tolerance`).
    """

    def compute(frame: pd.DataFrame) -> pd.Series:
        totals = frame[total].tolist()
        pluses = [frame[column].tolist() for column in plus]
        minuses = [frame[column].tolist() for column in minus]
        gaps = [
            _gap(value, [part[row] for part in pluses], [part[row] for part in minuses])
            for row, value in enumerate(totals)
        ]
        return pd.Series(gaps, index=frame.index, dtype="float64")

    return DerivedColumn(name=f"{total}_tie_gap", inputs=(total, *plus, *minus), compute=compute)


def _as_float(value: Any) -> float:
    exact = _as_decimal(value)
    return math.nan if exact is None else float(exact)


def decimals_to_float(frame: pd.DataFrame, columns: Collection[str]) -> pd.DataFrame:
    """The frame with the given Decimal columns as float64 (nulls as NaN), for range checks."""
    converted = frame.copy()
    for column in columns:
        if column in converted.columns:
            converted[column] = pd.Series(
                [_as_float(value) for value in converted[column]],
                index=converted.index,
                dtype="float64",
            )
    return converted


def prepare(frame: pd.DataFrame, spec: SuiteSpec, decimal_columns: Collection[str]) -> pd.DataFrame:
    """Adds the suite's derived columns (when their inputs were read), then floats the money.

    A derived column whose inputs are missing is left out: the schema expectation names the
    missing inputs, and expectations on the derived column fail as "column does not exist".
    """
    prepared = frame.copy()
    for derived in spec.derived:
        if all(column in prepared.columns for column in derived.inputs):
            prepared[derived.name] = derived.compute(prepared)
    return decimals_to_float(prepared, decimal_columns)
