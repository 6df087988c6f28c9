"""Rounding money so that the rounded parts still add up to the rounded total.

The largest-remainder method: round every part down to the currency's minor unit, then give
the units still missing to the parts that lost the most in rounding (ties: the larger part
first, then the earlier part), so no part moves by more than one minor unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

# ISO 4217 minor units of the currencies the project meets; others default to 2.
MINOR_UNITS: dict[str, int] = {"JPY": 0, "KRW": 0, "KZT": 2, "USD": 2, "EUR": 2, "GBP": 2}


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of a currency: Decimal('0.01') for USD, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency.upper(), 2))


def round_total(amount: Decimal, currency: str) -> Decimal:
    """A single amount to the currency's minor unit, half away from zero (never -0.00)."""
    return _no_negative_zero(amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP))


def _no_negative_zero(amount: Decimal) -> Decimal:
    """-0.004 rounds to -0.00, which a CSV would print with its sign: 0.00 instead."""
    return abs(amount) if amount == 0 else amount


def largest_remainder(parts: Sequence[Decimal], currency: str) -> list[Decimal]:
    """Rounds parts to the minor unit so that they sum to their rounded exact total."""
    return largest_remainder_to(parts, round_total(sum(parts, Decimal(0)), currency), currency)


def largest_remainder_to(parts: Sequence[Decimal], target: Decimal, currency: str) -> list[Decimal]:
    """Rounds parts to the minor unit so that they sum to `target`, a figure rounded
    elsewhere (a team's charge, rounded over the teams): the same method, the units still
    missing (or too many) going to the parts that lost (or kept) the most in rounding."""
    if not parts:
        return []
    unit = minor_unit(currency)
    floored = [part.quantize(unit, rounding=ROUND_FLOOR) for part in parts]
    missing_units = int((target - sum(floored, Decimal(0))) / unit)
    order = sorted(
        range(len(parts)),
        key=lambda index: (-(parts[index] - floored[index]), -parts[index], index),
    )
    if missing_units < 0:  # parts negative enough to floor past the target, or a lower target
        order = list(reversed(order))
    result = list(floored)
    step = unit if missing_units > 0 else -unit
    for position in range(abs(missing_units)):
        result[order[position % len(order)]] += step
    return [_no_negative_zero(value) for value in result]
