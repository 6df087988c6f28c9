"""How the dashboard writes numbers: money to the cent with its currency code, shares, months."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from chargeback.rounding import largest_remainder

CENT = Decimal("0.01")
MISSING = "—"


def is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not a missing scalar
        return False


def as_decimal(value: object) -> Decimal | None:
    """A number (Decimal, float, int or a numpy number) as Decimal; None when missing."""
    if is_missing(value):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(repr(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise TypeError(f"not an amount: {value!r}") from error


def money(value: object, currency: str) -> str:
    """'12,345.68 KZT': rounded to the cent, half away from zero; '—' for no value."""
    amount = as_decimal(value)
    if amount is None:
        return MISSING
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never '-0.00'
    return f"{rounded:,.2f} {currency}".strip()


def money_parts(values: Sequence[object], currency: str) -> list[str]:
    """Parts of a total, each to the cent, adding up to the total rounded to the cent.

    The largest-remainder method (chargeback.rounding, as the month-end pack rounds): no part
    moves by more than a cent. A missing part stays '—'.
    """
    amounts = [as_decimal(value) for value in values]
    present = [amount for amount in amounts if amount is not None]
    rounded = iter(largest_remainder(present, currency))
    return [MISSING if amount is None else money(next(rounded), currency) for amount in amounts]


def number(value: object, decimals: int = 0) -> str:
    """'12,345' (a count) or '12,345.6'; '—' for no value."""
    amount = as_decimal(value)
    if amount is None:
        return MISSING
    return f"{amount:,.{decimals}f}"


def share(value: object, decimals: int = 1) -> str:
    """A share of 1 as a percent: 0.934 -> '93.4%'."""
    amount = as_decimal(value)
    if amount is None:
        return MISSING
    return f"{amount * 100:,.{decimals}f}%"


def percent(value: object, decimals: int = 2) -> str:
    """A value already in percent: 4.17 -> '4.17%'."""
    amount = as_decimal(value)
    if amount is None:
        return MISSING
    return f"{amount:,.{decimals}f}%"


def month_name(month: str) -> str:
    """'2026-10' -> 'October 2026'."""
    year, number_of_month = (int(part) for part in month.split("-"))
    return date(year, number_of_month, 1).strftime("%B %Y")


def day(value: object) -> str:
    """A date as 'YYYY-MM-DD'; '—' for no value."""
    if is_missing(value):
        return MISSING
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def words(identifier: object) -> str:
    """'invoice_true_up' -> 'invoice true up'; '—' for no value."""
    if is_missing(identifier):
        return MISSING
    return str(identifier).replace("_", " ")
