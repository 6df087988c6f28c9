"""What the providers bill: monthly invoices from the requests, and the platform's own costs.

A provider's billing system is simulated, not the warehouse's rules reused: it knows which
model it ran, bills every token at its list price (batch, tier and cache rates), not gateway
cache hits, and adds its discounts, credits, fees and tax. Calls to a deployment of reserved
capacity are not billed per token: the reservation is a line of its own (seed capacity_pools).
Its clock runs two minutes ahead of the gateway's, so the last two minutes of a month are
billed with the next month (the small cut-off difference finance will see).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from chargeback.demo.calendar import Period, utc_ms
from chargeback.demo.labels import LABELS
from chargeback.demo.traffic import Columns

CENT = Decimal("0.01")
PROVIDER_CLOCK_AHEAD_MS = 120_000
TOKEN_TYPES = (
    ("input", "uncached_input_tokens", "input_per_mtok"),
    ("cache_read", "cache_read_tokens", "cache_read_per_mtok"),
    ("cache_write", "cache_write_tokens", "cache_write_per_mtok"),
    ("cache_write_1h", "cache_write_1h_tokens", "cache_write_1h_per_mtok"),  # billed as cache_write
    ("output", "output_tokens", "output_per_mtok"),
)
# What the provider charges for a model the company's price table does not list yet.
OFF_LIST_PRICES = {("openai", "gpt-realtime-audio-2026-11-05"): (Decimal("2.50"), Decimal("10.00"))}
PLATFORM_POOLS = {
    "gateway_hosting": (Decimal("95"), "USD", "Gateway hosting (share of the platform cluster)"),
    "audit_logging": (Decimal("21000"), "KZT", "Audit log storage and retention (local vendor)"),
    "pii_masking": (Decimal("30"), "USD", "PII masking service"),
    "pilot_sandbox": (Decimal("12"), "USD", "Sandbox environment for pilot products"),
}


@dataclass(frozen=True)
class InvoiceLine:
    invoice_id: str
    provider: str
    billing_period_start: date
    billing_period_end: date
    line_id: int
    line_description: str
    model: str
    token_type: str
    quantity: int | None
    unit: str
    amount: Decimal
    currency: str
    charge_category: str


def read_seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with (seeds_dir / f"{name}.csv").open(newline="") as file:
        return list(csv.DictReader(file))


def _price_stand_ins(
    columns: Columns, prices: list[dict[str, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """For each request, a time and an input token count that match exactly the price rows its
    own do, out of few values, so that requests can be summed before prices are looked up.

    The time is the latest price validity bound at or before the request's (just before the
    first bound if none is); the count is one more than the highest tier threshold below the
    request's (its own if none is). Every validity and tier comparison comes out the same.
    """
    bounds = np.unique(
        [utc_ms(row[end]) for row in prices for end in ("valid_from", "valid_to") if row[end]]
    )
    occurred = columns["occurred_ms"]
    at = np.searchsorted(bounds, occurred, side="right") - 1
    times = np.where(at >= 0, bounds[np.maximum(at, 0)], bounds[0] - 1)
    thresholds = np.unique([int(row["above_input_tokens"]) for row in prices])
    tokens = columns["input_tokens"]
    below = np.searchsorted(thresholds, tokens, side="left") - 1
    return times, np.where(below >= 0, thresholds[np.maximum(below, 0)] + 1, tokens)


def _pooled(columns: Columns, seeds_dir: Path) -> np.ndarray:
    """The requests logged to a deployment that a capacity pool serves (seed model_deployments)."""
    deployments = [
        LABELS.code(row["deployment"])
        for row in read_seed(seeds_dir, "model_deployments")
        if row["capacity_pool"]
    ]
    return np.isin(columns["model"], deployments)


def _reservations(
    seeds_dir: Path, providers: dict[str, dict[str, str]]
) -> dict[tuple[str, date], list[tuple[str, int, Decimal, str]]]:
    """The capacity pools a provider bills on its invoice, by provider and month: the line's
    text, the hours reserved, the amount and its currency."""
    reserved: dict[tuple[str, date], list[tuple[str, int, Decimal, str]]] = {}
    for row in read_seed(seeds_dir, "capacity_pools"):
        if providers.get(row["provider"], {}).get("bills_by_invoice", "true") != "true":
            continue
        start = datetime.fromisoformat(row["valid_from"])
        end = datetime.fromisoformat(row["valid_to"])
        detail = f"Provisioned throughput reservation {row['capacity_pool']}"
        hours = round((end - start).total_seconds() / 3600)
        month = start.date().replace(day=1)
        reserved.setdefault((row["provider"], month), []).append(
            (detail, hours, Decimal(row["amount"]), row["currency"])
        )
    return reserved


def _usage_by_price(
    columns: Columns, canonical: tuple[np.ndarray, np.ndarray], seeds_dir: Path
) -> list[tuple]:
    """Billed tokens per provider, billing month, model and price row, with the prices.

    Requests are summed first by everything the price lookup needs (_price_stand_ins), so the
    lookup runs on a few thousand rows however many requests there are.
    """
    price_ms, tier_tokens = _price_stand_ins(columns, read_seed(seeds_dir, "model_prices"))
    table = pa.table(
        {
            "provider": LABELS.dictionary(canonical[0]),
            "model": LABELS.dictionary(canonical[1]),
            "billed_ms": pa.array(columns["occurred_ms"] + PROVIDER_CLOCK_AHEAD_MS),
            "price_ms": pa.array(price_ms),
            "tier_tokens": pa.array(tier_tokens),
            "is_batch": pa.array(columns["is_batch"]),
            "billed": pa.array(~columns["gateway_cache_hit"] & ~_pooled(columns, seeds_dir)),
            "input_tokens": pa.array(columns["input_tokens"]),
            "cache_read_tokens": pa.array(columns["cache_read_tokens"]),
            "cache_write_tokens": pa.array(columns["cache_write_tokens"]),
            "cache_write_1h_tokens": pa.array(columns["cache_write_1h_tokens"]),
            "output_tokens": pa.array(columns["output_tokens"]),
        }
    )
    with duckdb.connect() as connection:
        connection.execute("set enable_progress_bar = false")
        connection.register("requests", table)
        prices_csv = str(seeds_dir / "model_prices.csv")
        return connection.execute(
            f"""
            with prices as (
                select * from read_csv('{prices_csv}', all_varchar = true, header = true)
            ),
            requests_summed as (
                select
                    provider, model, is_batch, tier_tokens,
                    make_timestamp(price_ms * 1000) as occurred_at,
                    date_trunc('month', make_timestamp(billed_ms * 1000)) as billing_month,
                    sum(
                        input_tokens - cache_read_tokens - cache_write_tokens
                        - cache_write_1h_tokens
                    ) as uncached_input_tokens,
                    sum(cache_read_tokens) as cache_read_tokens,
                    sum(cache_write_tokens) as cache_write_tokens,
                    sum(cache_write_1h_tokens) as cache_write_1h_tokens,
                    sum(output_tokens) as output_tokens
                from requests
                where billed
                group by all
            ),
            requests_dated as (
                select row_number() over () as row_id, * from requests_summed
            ),
            candidates as (
                select
                    r.row_id,
                    p.processing,
                    cast(p.above_input_tokens as bigint) as above_input_tokens,
                    p.input_per_mtok, p.cache_read_per_mtok, p.cache_write_per_mtok,
                    p.cache_write_1h_per_mtok, p.output_per_mtok,
                    row_number() over (
                        partition by r.row_id
                        order by
                            (p.processing = 'batch') desc,
                            cast(p.above_input_tokens as bigint) desc
                    ) as preference
                from requests_dated r
                join prices p
                    on p.provider = r.provider and p.model = r.model
                    and r.occurred_at >= cast(p.valid_from as timestamp)
                    and (p.valid_to is null or r.occurred_at < cast(p.valid_to as timestamp))
                    and (p.processing = 'standard' or (p.processing = 'batch' and r.is_batch))
                    and (cast(p.above_input_tokens as bigint) = 0
                         or r.tier_tokens > cast(p.above_input_tokens as bigint))
            )
            select
                r.provider, r.billing_month, r.model,
                coalesce(c.processing, 'standard') as processing,
                coalesce(c.above_input_tokens, 0) as tier,
                c.input_per_mtok, c.cache_read_per_mtok, c.cache_write_per_mtok,
                c.cache_write_1h_per_mtok, c.output_per_mtok,
                sum(r.uncached_input_tokens),
                sum(r.cache_read_tokens), sum(r.cache_write_tokens), sum(r.cache_write_1h_tokens),
                sum(r.output_tokens)
            from requests_dated r
            left join candidates c on c.row_id = r.row_id and c.preference = 1
            group by all
            order by all
            """
        ).fetchall()


def _price(row_prices: dict[str, str | None], column: str) -> Decimal | None:
    fallbacks = {
        "cache_read_per_mtok": ("cache_read_per_mtok", "input_per_mtok"),
        "cache_write_per_mtok": ("cache_write_per_mtok", "input_per_mtok"),
        "cache_write_1h_per_mtok": (
            "cache_write_1h_per_mtok",
            "cache_write_per_mtok",
            "input_per_mtok",
        ),
    }
    for candidate in fallbacks.get(column, (column,)):
        value = row_prices.get(candidate)
        if value not in (None, ""):
            return Decimal(value)
    return None


def invoices(
    columns: Columns,
    canonical: tuple[np.ndarray, np.ndarray],
    period: Period,
    seeds_dir: Path,
) -> list[InvoiceLine]:
    """One invoice per provider and billing month of the period, line by line."""
    providers = {row["provider"]: row for row in read_seed(seeds_dir, "providers")}
    fx = {
        (row["rate_date"], row["from_currency"], row["to_currency"]): Decimal(row["rate"])
        for row in read_seed(seeds_dir, "fx_rates")
    }
    usage: dict[tuple[str, date], list[tuple[str, str, int, Decimal, str]]] = {}
    for row in _usage_by_price(columns, canonical, seeds_dir):
        provider, month, model, processing, tier = row[:5]
        prices = dict(
            zip(
                (
                    "input_per_mtok",
                    "cache_read_per_mtok",
                    "cache_write_per_mtok",
                    "cache_write_1h_per_mtok",
                    "output_per_mtok",
                ),
                row[5:10],
                strict=True,
            )
        )
        if prices["input_per_mtok"] is None and (provider, model) in OFF_LIST_PRICES:
            input_price, output_price = OFF_LIST_PRICES[(provider, model)]
            prices = {"input_per_mtok": str(input_price), "output_per_mtok": str(output_price)}
        quantities = dict(zip([t[1] for t in TOKEN_TYPES], row[10:15], strict=True))
        for token_type, quantity_column, price_column in TOKEN_TYPES:
            quantity = int(quantities[quantity_column] or 0)
            price = _price(prices, price_column)
            if quantity == 0 or price is None:
                continue
            detail = f"{model} {token_type.replace('_1h', ' (1 hour)').replace('_', ' ')} tokens"
            if processing == "batch":
                detail += " (batch)"
            if tier:
                detail += f" (over {tier:,} input tokens)"
            key = (provider, month.date())
            billed_type = "cache_write" if token_type == "cache_write_1h" else token_type
            usage.setdefault(key, []).append((detail, model, billed_type, quantity, price))

    reservations = _reservations(seeds_dir, providers)
    lines: list[InvoiceLine] = []
    for provider in sorted({key[0] for key in usage} | {key[0] for key in reservations}):
        currency = providers.get(provider, {}).get("invoice_currency", "USD")
        for month_start in period.month_starts[:-1]:
            month_end = period.month_starts[period.month_starts.index(month_start) + 1]
            invoice_id = f"INV-{provider.upper()}-{month_start:%Y%m}"
            last_day = month_end.toordinal() - 1
            rate = (
                Decimal(1)
                if currency == "USD"
                else fx[(str(date.fromordinal(last_day)), "USD", currency)]
            )
            items = usage.get((provider, month_start), [])
            new_lines: list[tuple[str, str, str, int | None, str, Decimal, str]] = []
            for detail, model, token_type, quantity, price in items:
                amount = (Decimal(quantity) * price / Decimal(1_000_000) * rate).quantize(
                    CENT, ROUND_HALF_UP
                )
                new_lines.append((detail, model, token_type, quantity, "tokens", amount, "usage"))
            for detail, hours, pool_amount, pool_currency in reservations.get(
                (provider, month_start), []
            ):
                if pool_currency not in (currency, "USD"):
                    raise ValueError(f"the demo converts a pool only from USD, not {pool_currency}")
                amount = pool_amount * (Decimal(1) if pool_currency == currency else rate)
                new_lines.append(
                    (detail, "", "capacity", hours, "hours", amount.quantize(CENT), "usage")
                )
            net_usage = sum((line[5] for line in new_lines), Decimal(0))
            if provider == "openai":
                new_lines.append(
                    (
                        "Committed-use discount 8%",
                        "",
                        "other",
                        None,
                        "",
                        (-net_usage * Decimal("0.08")).quantize(CENT, ROUND_HALF_UP),
                        "discount",
                    )
                )
            if provider == "anthropic":
                credit = (-net_usage * Decimal("0.04")).quantize(CENT, ROUND_HALF_UP)
                new_lines.append(("Promotional credit 4%", "", "other", None, "", credit, "credit"))
            if provider == "aws_bedrock":
                new_lines.append(
                    (
                        "Bedrock invocation logging storage",
                        "",
                        "other",
                        None,
                        "",
                        Decimal("4.20"),
                        "fee",
                    )
                )
            net = sum((line[5] for line in new_lines), Decimal(0))
            new_lines.append(
                (
                    "VAT 12%",
                    "",
                    "other",
                    None,
                    "",
                    (net * Decimal("0.12")).quantize(CENT, ROUND_HALF_UP),
                    "tax",
                )
            )
            for number, (detail, model, token_type, quantity, unit, amount, category) in enumerate(
                new_lines, 1
            ):
                lines.append(
                    InvoiceLine(
                        invoice_id,
                        provider,
                        month_start,
                        month_end,
                        number,
                        detail,
                        model,
                        token_type,
                        quantity,
                        unit,
                        amount,
                        currency,
                        category,
                    )
                )
    return lines


def platform_costs(
    period: Period, rng: np.random.Generator
) -> list[tuple[date, str, Decimal, str, str]]:
    """The shared platform's monthly costs, one row per pool, varying a little month to month."""
    rows = []
    for month_start in period.month_starts[:-1]:
        for pool, (amount, currency, description) in PLATFORM_POOLS.items():
            factor = Decimal(str(round(0.95 + 0.1 * rng.random(), 3)))
            rows.append(
                (
                    month_start,
                    pool,
                    (amount * factor).quantize(CENT, ROUND_HALF_UP),
                    currency,
                    description,
                )
            )
    return rows
