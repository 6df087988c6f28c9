"""Days and hours of the demo period: when the company's traffic happens."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

LOCAL_UTC_OFFSET_HOURS = 5  # Asia/Almaty, no daylight saving time
# Weight of each local hour for interactive traffic: quiet nights, busy office hours.
_NIGHT = [0.15, 0.1, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6]
_DAY = [0.9, 1.0, 1.0, 1.0, 0.9, 1.0, 1.0, 1.0, 0.9, 0.8, 0.6, 0.45]
_EVENING = [0.35, 0.3, 0.25, 0.2]
BUSINESS_HOURS = np.array([*_NIGHT, *_DAY, *_EVENING])
NIGHT_HOURS = np.array([0.0, 0.6, 1.0, 1.0, 0.6] + [0.0] * 19)  # the nightly batch, ~02:00 local
WEEKEND_WEIGHT = 0.35


@dataclass(frozen=True)
class Period:
    start: date
    months: int

    @property
    def month_starts(self) -> list[date]:
        starts, current = [], self.start.replace(day=1)
        for _ in range(self.months + 1):
            starts.append(current)
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        return starts

    @property
    def end(self) -> date:
        return self.month_starts[-1]

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def start_seconds(self) -> int:
        return int(datetime(self.start.year, self.start.month, self.start.day).timestamp())

    def month_index_of_day(self) -> np.ndarray:
        """For each day of the period, which month (0, 1, 2, ...) it belongs to."""
        starts = self.month_starts
        index = np.zeros(self.days, dtype=np.int64)
        for month, (first, following) in enumerate(itertools.pairwise(starts)):
            index[(first - self.start).days : (following - self.start).days] = month
        return index

    def day_weights(self, monthly_growth: tuple[float, ...], every_day: bool) -> np.ndarray:
        weekdays = np.array([(self.start + timedelta(days=d)).weekday() for d in range(self.days)])
        weights = np.where((weekdays >= 5) & (not every_day), WEEKEND_WEIGHT, 1.0)
        growth = np.array(
            [monthly_growth[min(m, len(monthly_growth) - 1)] for m in range(self.months)]
        )
        weights = weights * growth[self.month_index_of_day()]
        return weights / weights.sum()


def utc_ms(moment: str) -> int:
    """Milliseconds since the epoch of an ISO date or time, read as UTC."""
    return int(datetime.fromisoformat(moment).replace(tzinfo=UTC).timestamp() * 1000)


def utc_hour_weights(profile: str) -> np.ndarray:
    """Weights of the 24 UTC hours for a local-time profile."""
    local = NIGHT_HOURS if profile == "night" else BUSINESS_HOURS
    utc = np.roll(local, -LOCAL_UTC_OFFSET_HOURS)
    return utc / utc.sum()
