"""The demo generator's compact columns write the same text the per-row Python code wrote.

Ids and timestamps are laid out by numpy (formatting.py), text of few values is held as label
codes (labels.py), and the provider's bill sums requests before it looks prices up (billing.py):
each is checked here against the plain Python it replaced.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from chargeback.demo import billing
from chargeback.demo.calendar import utc_ms
from chargeback.demo.formatting import padded, timestamps
from chargeback.demo.labels import NONE, Vocabulary

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LAST_MS_OF_9999 = 253_402_300_799_999


def numpy_timestamps(epoch_ms: np.ndarray) -> list[str]:
    text = np.datetime_as_string(epoch_ms.astype("datetime64[ms]"), unit="ms")
    return [f"{value}Z" for value in text.tolist()]


def test_timestamps_are_written_as_numpy_writes_them() -> None:
    rng = np.random.default_rng(1)
    edges = [0, 951_782_399_999, 951_782_400_000, 1_785_542_400_000, 4_107_542_399_999]
    epoch_ms = np.concatenate([rng.integers(0, LAST_MS_OF_9999, 50_000), edges])
    assert timestamps(epoch_ms).to_pylist() == numpy_timestamps(epoch_ms)


def test_timestamps_outside_four_digit_years_fall_back_to_numpy() -> None:
    epoch_ms = np.array([-1, 0, LAST_MS_OF_9999 + 1])
    assert timestamps(epoch_ms).to_pylist() == numpy_timestamps(epoch_ms)


@pytest.mark.parametrize("width", [1, 4, 8, 9, 12])
def test_padded_ids_are_zfilled_like_python(width: int) -> None:
    rng = np.random.default_rng(width)
    numbers = np.concatenate([rng.integers(0, 10**width, 5_000), [0, 10**width - 1]])
    expected = [f"req-{number:0{width}d}" for number in numbers.tolist()]
    assert padded("req-", numbers, width).to_pylist() == expected


def test_numbers_wider_than_the_padding_keep_all_their_digits_and_nulls_stay_null() -> None:
    numbers = np.array([7, 1_000_000_000, 123_456_789_012, 5])
    valid = np.array([True, True, False, True])
    assert padded("tr", numbers, 9, valid).to_pylist() == [
        "tr000000007",
        "tr1000000000",
        None,
        "tr000000005",
    ]
    assert padded("tr", numbers[[0, 3]], 9, valid[[0, 2]]).to_pylist() == ["tr000000007", None]


def test_labels_round_trip_with_none_as_null() -> None:
    labels = Vocabulary()
    codes = labels.codes(["support", None, "sales", "support"])
    assert codes[1] == NONE and codes[0] == codes[3] != codes[2]
    assert labels.arrow(codes).to_pylist() == ["support", None, "sales", "support"]
    assert labels.dictionary(codes).cast("string").to_pylist() == [
        "support",
        None,
        "sales",
        "support",
    ]


def test_price_stand_ins_match_the_same_price_rows_as_each_request() -> None:
    with (SEEDS / "model_prices.csv").open(newline="") as file:
        prices = list(csv.DictReader(file))
    never = np.iinfo(np.int64).max
    validity = {
        (utc_ms(row["valid_from"]), utc_ms(row["valid_to"]) if row["valid_to"] else never)
        for row in prices
    }
    tiers = {int(row["above_input_tokens"]) for row in prices}
    bounds = [moment for pair in validity for moment in pair if moment != never]
    rng = np.random.default_rng(3)
    occurred = np.concatenate(
        [rng.integers(min(bounds) - 10**10, max(bounds) + 10**10, 20_000), bounds]
    )
    near_tiers = np.array([0, 1, *tiers, *(tier + 1 for tier in tiers)])
    input_tokens = rng.choice(near_tiers, len(occurred))
    times, tokens = billing._price_stand_ins(
        {"occurred_ms": occurred, "input_tokens": input_tokens}, prices
    )
    assert len(np.unique(times)) <= len(set(bounds)) + 1
    for start, end in validity:
        assert np.array_equal(
            (times >= start) & (times < end), (occurred >= start) & (occurred < end)
        )
    for tier in tiers:
        assert np.array_equal(tokens > tier, input_tokens > tier)


def test_negative_numbers_are_refused_rather_than_padded_wrongly() -> None:
    with pytest.raises(ValueError):
        padded("req-", np.array([3, -1]), 9)
