"""Ids and timestamps written as Arrow strings by numpy, without a Python string per row.

A fixed-width text (a prefix and zero-padded digits, an ISO timestamp) is laid out as one row
of bytes per value and handed to Arrow as the data of a string array.
"""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chargeback.demo.traffic import DAY_MS

TIMESTAMP_WIDTH = len("2026-08-01T10:00:00.000Z")
_LAST_MS_OF_YEAR_9999 = 253_402_300_799_999
_ZERO = ord("0")


@functools.cache
def _digit_table(width: int) -> np.ndarray:
    """Row n holds the ASCII digits of n, zero-padded to `width` (at most four)."""
    numbers = np.arange(10**width)
    powers = 10 ** np.arange(width - 1, -1, -1)
    return (numbers[:, None] // powers % 10 + _ZERO).astype(np.uint8)


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """ASCII digits of non-negative numbers below 10**width, zero-padded: one row per number."""
    numbers = numbers.astype(np.int64, copy=False)
    groups = []
    for end in range(width, 0, -4):  # four digits at a time, from the right
        group = min(4, end)
        groups.append(_digit_table(group)[numbers // 10 ** (width - end) % 10**group])
    return np.hstack(groups[::-1])


def _strings(rows: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An Arrow string array of the byte rows of `rows` (n, width); null where not valid."""
    count, width = rows.shape
    if count * width > np.iinfo(np.int32).max:
        raise ValueError("too much text for one Arrow string array; write fewer rows at a time")
    offsets = pa.py_buffer(np.arange(0, (count + 1) * width, width, dtype=np.int32))
    data = pa.py_buffer(np.ascontiguousarray(rows))
    if valid is None:
        return pa.Array.from_buffers(pa.string(), count, [None, offsets, data])
    validity = pa.py_buffer(np.packbits(valid, bitorder="little"))
    nulls = count - int(np.count_nonzero(valid))
    return pa.Array.from_buffers(pa.string(), count, [validity, offsets, data], null_count=nulls)


def padded(
    prefix: str, numbers: np.ndarray, width: int, valid: np.ndarray | None = None
) -> pa.Array:
    """prefix + str(number).zfill(width) for non-negative numbers; null where not valid."""
    shown = numbers if valid is None else np.where(valid, numbers, 0)
    if len(shown) and shown.min() < 0:
        raise ValueError("padded() writes non-negative numbers only")
    if len(shown) and shown.max() >= 10**width:  # wider than the padding: Arrow's own text
        text = pc.utf8_lpad(pa.array(shown).cast(pa.string()), width, "0")
        joined = pc.binary_join_element_wise(prefix, text, "")
        if valid is None:
            return joined
        return pc.if_else(pa.array(valid), joined, pa.scalar(None, pa.string()))
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    rows = np.hstack([np.broadcast_to(head, (len(shown), len(head))), _digits(shown, width)])
    return _strings(rows, valid)


def timestamps(epoch_ms: np.ndarray) -> pa.Array:
    """UTC times as YYYY-MM-DDTHH:MM:SS.mmmZ, as numpy's datetime_as_string writes them."""
    if len(epoch_ms) and (epoch_ms.min() < 0 or epoch_ms.max() > _LAST_MS_OF_YEAR_9999):
        text = np.datetime_as_string(epoch_ms.astype("datetime64[ms]"), unit="ms")
        return pa.array(np.char.add(text, "Z").tolist(), pa.string())
    days, ms_of_day = np.divmod(epoch_ms.astype(np.int64), DAY_MS)
    seconds, ms = np.divmod(ms_of_day, 1000)
    rows = np.empty((len(epoch_ms), TIMESTAMP_WIDTH), dtype=np.uint8)
    rows[:, :10] = _dates(days)
    rows[:, 10] = ord("T")
    rows[:, 11:19] = _clock()[seconds]
    rows[:, 19] = ord(".")
    rows[:, 20:23] = _digit_table(3)[ms]
    rows[:, 23] = ord("Z")
    return _strings(rows)


def _dates(days: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD of days since 1970-01-01, one row of ASCII bytes per day."""
    if not len(days):
        return np.empty((0, 10), dtype=np.uint8)
    first = int(days.min())
    calendar = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    text = np.datetime_as_string(calendar).astype("S10")
    return text.view(np.uint8).reshape(-1, 10)[days - first]


@functools.cache
def _clock() -> np.ndarray:
    """Row s holds HH:MM:SS of second s of a day, in ASCII."""
    minutes, second = np.divmod(np.arange(86_400), 60)
    hour, minute = np.divmod(minutes, 60)
    rows = np.empty((86_400, 8), dtype=np.uint8)
    rows[:, 0:2] = _digit_table(2)[hour]
    rows[:, 2] = rows[:, 5] = ord(":")
    rows[:, 3:5] = _digit_table(2)[minute]
    rows[:, 6:8] = _digit_table(2)[second]
    return rows
