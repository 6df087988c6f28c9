"""Largest-remainder rounding: rounded parts always add up to the rounded total."""

from __future__ import annotations

import random
from decimal import Decimal

from chargeback.rounding import largest_remainder, minor_unit, round_total


def test_three_equal_thirds_of_a_hundred_still_make_a_hundred() -> None:
    parts = [Decimal(100) / 3] * 3
    assert largest_remainder(parts, "USD") == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_the_part_that_lost_most_in_rounding_gets_the_missing_cent() -> None:
    parts = [Decimal("1.004"), Decimal("2.008"), Decimal("3.002")]
    assert largest_remainder(parts, "USD") == [Decimal("1.00"), Decimal("2.01"), Decimal("3.00")]


def test_currencies_without_minor_units_round_to_whole_units() -> None:
    assert minor_unit("JPY") == Decimal(1)
    assert largest_remainder([Decimal("0.5"), Decimal("0.5")], "JPY") == [Decimal(1), Decimal(0)]


def test_credits_and_charges_mixed_still_tie() -> None:
    parts = [Decimal("-10.005"), Decimal("20.004"), Decimal("-0.333")]
    rounded = largest_remainder(parts, "USD")
    assert sum(rounded) == round_total(sum(parts), "USD")


def test_random_allocations_always_tie_and_move_no_part_by_a_cent_or_more() -> None:
    generator = random.Random(7)
    for _ in range(500):
        parts = [
            Decimal(generator.randint(-(10**9), 10**9)).scaleb(-generator.randint(3, 12))
            for _ in range(generator.randint(1, 30))
        ]
        rounded = largest_remainder(parts, "KZT")
        assert sum(rounded) == round_total(sum(parts), "KZT")
        assert all(abs(r - p) < Decimal("0.01") for r, p in zip(rounded, parts, strict=True))


def test_a_tiny_negative_part_rounds_to_zero_without_a_sign() -> None:
    assert [str(value) for value in largest_remainder([Decimal("-0.0004"), Decimal(1)], "USD")] == [
        "0.00",
        "1.00",
    ]
    assert str(round_total(Decimal("-0.004"), "USD")) == "0.00"
