"""List prices of every catalogue model as the rows of seed `model_prices` (docs/design.md).

genai-prices states a model's prices as a list of conditional prices (the last one in force
wins; before the first start date the first one applies), price variants selected by request
context (batch processing is `{"processing": "batch"}`, overriding only the keys it names) and
cliff tiers per price key (crossing a threshold of total input tokens re-prices every token).
This module flattens that into effective-dated rows:

- every date on which a price or the batch variant changes starts a new validity range; the
  first range starts on FIRST_DAY; ranges whose prices do not change are merged;
- `processing = batch` rows exist only while a batch variant is in force (a batch request
  falls back to the standard rows otherwise, in the ledger as in genai-prices);
- one row per tier threshold (`above_input_tokens`), each key at its price for that tier;
- prices per million tokens, quantized to 12 decimals (more are float artefacts);
- token prices per million tokens (text; audio and image input, cached input and output),
  tool prices per thousand calls (web searches, file searches, code executions) and the fee
  per thousand requests;
- what the ledger does not price (video tokens, audio seconds, service tiers, time-of-day
  discounts, ...) is named in `not_modelled`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from genai_prices.types import (
    ModelInfo,
    ModelPrice,
    PriceVariant,
    Provider,
    StartDateConstraint,
    TieredPrices,
    TimeOfDateConstraint,
)

from chargeback.prices.providers import warehouse_provider

FIRST_DAY = date(2020, 1, 1)
TWELVE_DECIMALS = Decimal("1e-12")
BATCH = {"processing": "batch"}
# catalogue price key -> seed column, in the seed's column order: text tokens, audio and image
# tokens (per million), tool calls and the request fee (per thousand)
PRICE_KEYS: tuple[tuple[str, str], ...] = (
    ("input_mtok", "input_per_mtok"),
    ("cache_read_mtok", "cache_read_per_mtok"),
    ("cache_write_mtok", "cache_write_per_mtok"),
    ("cache_write_1h_mtok", "cache_write_1h_per_mtok"),
    ("output_mtok", "output_per_mtok"),
    ("input_audio_mtok", "input_audio_per_mtok"),
    ("cache_audio_read_mtok", "cache_audio_read_per_mtok"),
    ("output_audio_mtok", "output_audio_per_mtok"),
    ("input_image_mtok", "input_image_per_mtok"),
    ("cache_image_read_mtok", "cache_image_read_per_mtok"),
    ("output_image_mtok", "output_image_per_mtok"),
    ("web_searches_kcount", "web_searches_per_k"),
    ("storage_searches_kcount", "file_searches_per_k"),
    ("code_executions_kcount", "code_executions_per_k"),
    ("requests_kcount", "requests_per_k"),
)
COLUMNS: tuple[str, ...] = (
    "provider",
    "model",
    "processing",
    "above_input_tokens",
    "valid_from",
    "valid_to",
    "currency",
    *(column for _, column in PRICE_KEYS),
    "price_source",
    "catalogue_version",
    "not_modelled",
)

PriceValue = Decimal | TieredPrices
# one tier of one range: (above_input_tokens, each price of PRICE_KEYS or None)
TierPrices = tuple[int, tuple[Decimal | None, ...]]


@dataclass(frozen=True)
class Range:
    processing: str
    valid_from: date
    valid_to: date | None
    tiers: tuple[TierPrices, ...]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _prices_dict(model_price: ModelPrice) -> dict[str, Any]:
    items = model_price.__dict__.items()
    return {k: v for k, v in items if not k.startswith("_") and v is not None}


def standard_prices(model: ModelInfo, day: date) -> dict[str, Any]:
    """The prices in force on a UTC day: the last conditional price whose start date has come.

    Time-of-day prices (off-peak discounts) are not modelled: they are skipped here.
    """
    if isinstance(model.prices, ModelPrice):
        return _prices_dict(model.prices)
    chosen = model.prices[0].prices
    for conditional in reversed(model.prices):
        constraint = conditional.constraint
        if isinstance(constraint, TimeOfDateConstraint):
            continue
        if constraint is None or constraint.active(_midnight(day)):
            chosen = conditional.prices
            break
    return _prices_dict(chosen)


def _variant_in_force(variant: PriceVariant, day: date) -> bool:
    constraint = variant.constraint
    if isinstance(constraint, TimeOfDateConstraint):
        return False
    return constraint is None or constraint.active(_midnight(day))


def batch_prices(model: ModelInfo, day: date) -> dict[str, Any] | None:
    """Standard prices with the batch variants' overrides (first variant first), or None."""
    variants = [
        v for v in model.price_variants or () if v.when == BATCH and _variant_in_force(v, day)
    ]
    if not variants:
        return None
    prices = standard_prices(model, day)
    overrides: dict[str, Any] = {}
    for variant in variants:
        for key, value in _prices_dict(variant.prices).items():
            overrides.setdefault(key, value)
    return prices | overrides


def change_dates(model: ModelInfo) -> list[date]:
    """FIRST_DAY and every later date on which a price or a batch variant starts."""
    dates = {FIRST_DAY}
    constraints = [c.constraint for c in model.prices] if isinstance(model.prices, list) else []
    constraints += [v.constraint for v in model.price_variants or () if v.when == BATCH]
    for constraint in constraints:
        if isinstance(constraint, StartDateConstraint) and constraint.start_date > FIRST_DAY:
            dates.add(constraint.start_date)
    return sorted(dates)


def _quantize(value: Decimal) -> Decimal:
    """12 decimals: the catalogue's own prices have at most 6; beyond 12 are float artefacts
    of the package data (0.18000000000000002), 1e-16 relative at most. The same for prices per
    thousand calls or requests."""
    return value.quantize(TWELVE_DECIMALS)


def _price_at(value: PriceValue | None, threshold: int) -> Decimal | None:
    """A key's price for requests above `threshold` input tokens (cliff tiers)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return _quantize(value)
    applicable = value.base
    for tier in value.tiers:
        if tier.start <= 0:
            raise ValueError("a tier starting at 0 tokens is not supported")
        if tier.start <= threshold:
            applicable = tier.price
    return _quantize(applicable)


def tiers_of(prices: Mapping[str, Any]) -> tuple[TierPrices, ...]:
    """One entry per tier threshold (0 for the base price), each key at its price there."""
    thresholds = {0}
    for key, _ in PRICE_KEYS:
        value = prices.get(key)
        if isinstance(value, TieredPrices):
            thresholds.update(tier.start for tier in value.tiers)
    return tuple(
        (threshold, tuple(_price_at(prices.get(key), threshold) for key, _ in PRICE_KEYS))
        for threshold in sorted(thresholds)
    )


def ranges_of(model: ModelInfo) -> list[Range]:
    """The model's validity ranges per processing, adjacent equal ranges merged."""
    dates = change_dates(model)
    ranges: list[Range] = []
    for processing, resolve in (("standard", standard_prices), ("batch", batch_prices)):
        periods: list[tuple[date, tuple[TierPrices, ...] | None]] = []
        for day in dates:
            prices = resolve(model, day)
            tiers = tiers_of(prices) if prices and prices.get("input_mtok") is not None else None
            if not periods or periods[-1][1] != tiers:
                periods.append((day, tiers))
        for index, (start, tiers) in enumerate(periods):
            if tiers is None:
                continue
            end = periods[index + 1][0] if index + 1 < len(periods) else None
            ranges.append(Range(processing, start, end, tiers))
    return ranges


def not_modelled(model: ModelInfo) -> str:
    """What the catalogue prices for this model that the ledger does not, space-separated."""
    modelled = {key for key, _ in PRICE_KEYS}
    found: set[str] = set()
    prices = model.prices if isinstance(model.prices, list) else []
    all_prices = [c.prices for c in prices] or [model.prices]
    for model_price in all_prices:
        assert isinstance(model_price, ModelPrice)
        found.update(key for key in _prices_dict(model_price) if key not in modelled)
    if any(isinstance(c.constraint, TimeOfDateConstraint) for c in prices):
        found.add("time_of_day_prices")
    for variant in model.price_variants or ():
        if variant.when != BATCH:
            found.update(f"{key}={value}" for key, value in variant.when.items())
        else:
            found.update(
                f"batch:{key}" for key in _prices_dict(variant.prices) if key not in modelled
            )
    return " ".join(sorted(found))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def price_rows(providers: list[Provider], version: str) -> Iterator[dict[str, str]]:
    """Every seed row, in a stable order (provider, model, processing, tier, valid_from)."""
    rows: list[dict[str, str]] = []
    for provider in providers:
        source = f"genai-prices {version}"
        if provider.pricing_urls:
            source += f": {provider.pricing_urls[0]}"
        for model in provider.models:
            unpriced = not_modelled(model)
            for price_range in ranges_of(model):
                for threshold, values in price_range.tiers:
                    row = {
                        "provider": warehouse_provider(provider.id),
                        "model": model.id,
                        "processing": price_range.processing,
                        "above_input_tokens": str(threshold),
                        "valid_from": price_range.valid_from.isoformat(),
                        "valid_to": _text(price_range.valid_to),
                        "currency": "USD",
                        "price_source": source,
                        "catalogue_version": f"genai-prices=={version}",
                        "not_modelled": unpriced,
                    }
                    for (_, column), value in zip(PRICE_KEYS, values, strict=True):
                        row[column] = _text(value)
                    rows.append(row)
    rows.sort(
        key=lambda r: (
            r["provider"],
            r["model"],
            r["processing"] != "standard",
            int(r["above_input_tokens"]),
            r["valid_from"],
        )
    )
    yield from rows
