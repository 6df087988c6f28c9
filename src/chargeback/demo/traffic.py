"""The company's gateway requests as columns of numpy arrays, one entry per call attempt."""

from __future__ import annotations

import numpy as np

from chargeback.demo import company
from chargeback.demo.calendar import Period, utc_hour_weights
from chargeback.demo.company import Scenario
from chargeback.demo.labels import CODE, LABELS, NONE
from chargeback.demo.traces import Trace

# Numbers as numpy arrays; text of few values as label codes (labels.py). The ids of many
# values are numbers here (unit_number, user_number, original_row), written as text by writer.py.
Columns = dict[str, np.ndarray]

TAG_COLUMNS = ("team", "product", "environment", "scenario", "cost_center")
DAY_MS = 86_400_000
HOUR_MS = 3_600_000


def _units_of_work(
    scenario: Scenario, period: Period, logical_requests: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start time (ms), number of requests and the route of each unit of work."""
    low, high = scenario.turns
    units = max(1, round(logical_requests / ((low + high) / 2)))
    day = rng.choice(
        period.days, size=units, p=period.day_weights(scenario.monthly_growth, scenario.is_batch)
    )
    hour = rng.choice(24, size=units, p=utc_hour_weights(scenario.hours))
    start = (
        period.start_seconds() * 1000
        + day * DAY_MS
        + hour * HOUR_MS
        + rng.integers(0, HOUR_MS, units)
    )
    turns = rng.integers(low, high + 1, size=units)
    weights = np.array([route.weight for route in scenario.routes])
    route = rng.choice(len(scenario.routes), size=units, p=weights / weights.sum())
    return start, turns, route


def scenario_requests(
    scenario: Scenario,
    period: Period,
    logical_requests: int,
    trace: Trace,
    rng: np.random.Generator,
    unit_offset: int,
) -> Columns:
    """The first attempts of one scenario's requests, tagged as a well-behaved caller would."""
    start, turns, route = _units_of_work(scenario, period, logical_requests, rng)
    size = int(turns.sum())
    unit = np.repeat(np.arange(len(turns)), turns)
    turn = np.arange(size) - np.repeat(np.cumsum(turns) - turns, turns)
    gaps = rng.integers(20_000, 90_000, size=size) * (turn > 0)
    first_of_unit = np.cumsum(turns) - turns
    cumulative_gaps = np.cumsum(gaps)
    offsets = cumulative_gaps - np.repeat(cumulative_gaps[first_of_unit], turns)
    occurred = np.minimum(
        start[unit] + offsets, period.start_seconds() * 1000 + period.days * DAY_MS - 1
    )

    input_tokens, output_tokens = trace.sample(rng, size)
    growth = 1.0 + 0.35 * turn  # a conversation carries its history
    input_tokens = np.maximum(1, np.round(input_tokens * scenario.input_scale * growth)).astype(
        np.int64
    )
    output_tokens = np.round(output_tokens * scenario.output_scale).astype(np.int64)

    last_month_start = (period.month_starts[-2] - period.start).days
    template_change = (
        period.start_seconds() * 1000
        + (last_month_start + company.TEMPLATE_CHANGE_DAY_OF_LAST_MONTH - 1) * DAY_MS
    )
    versions = scenario.template_versions
    template = LABELS.full(size, f"{scenario.scenario_id}@{versions[0]}")
    if len(versions) > 1:
        changed = occurred >= template_change
        template[changed] = LABELS.code(f"{scenario.scenario_id}@{versions[-1]}")
        output_tokens[changed] = np.round(output_tokens[changed] * company.LONGER_ANSWERS_FACTOR)

    cache_read = np.zeros(size, dtype=np.int64)
    cache_write = np.zeros(size, dtype=np.int64)
    cache_write_1h = np.zeros(size, dtype=np.int64)
    cacheable = input_tokens >= 1024
    if scenario.prompt_cache == "openai":
        cache_read = np.where(cacheable & (turn > 0), (input_tokens // 2) // 128 * 128, 0)
    elif scenario.prompt_cache in ("write_5m", "write_1h"):
        prefix = (input_tokens * 0.6).astype(np.int64)
        written = np.where(cacheable & (turn == 0), prefix, 0)
        cache_read = np.where(cacheable & (turn > 0), prefix, 0)
        if scenario.prompt_cache == "write_5m":
            cache_write = written
        else:
            cache_write_1h = written

    providers = LABELS.codes(r.provider_logged for r in scenario.routes)
    models = LABELS.codes(r.model_logged for r in scenario.routes)
    cost_center = LABELS.code(company.TEAM_COST_CENTERS[scenario.team_id])
    with_cost_center = rng.random(size) < 0.5
    return {
        "occurred_ms": occurred.astype(np.int64),
        "provider": providers[route[unit]],
        "model": models[route[unit]],
        "api_key_id": LABELS.full(size, scenario.api_key_id),
        "request_type": LABELS.full(size, scenario.request_type),
        "is_batch": np.full(size, scenario.is_batch),
        "gateway_cache_hit": rng.random(size) < scenario.gateway_cache_rate,
        "input_tokens": input_tokens,
        "cache_read_tokens": cache_read.astype(np.int64),
        "cache_write_tokens": cache_write.astype(np.int64),
        "cache_write_1h_tokens": cache_write_1h.astype(np.int64),
        "output_tokens": output_tokens,
        "reasoning_tokens": (output_tokens * 0.3).astype(np.int64)
        * (scenario.scenario_id == "account_brief"),
        "team": LABELS.full(size, scenario.team_id),
        "product": LABELS.full(size, scenario.product_id),
        "environment": LABELS.full(size, "prod"),
        "scenario": LABELS.full(size, scenario.scenario_id),
        "cost_center": np.where(with_cost_center, cost_center, NONE).astype(CODE),
        "prompt_template_id": template,
        "unit_prefix": LABELS.full(size, scenario.scenario_id[:4]),  # unit_id: prefix-number
        "unit_number": unit_offset + unit,
        "status_code": np.full(size, 200, dtype=np.int64),
    }


def concatenate(parts: list[Columns]) -> Columns:
    """The parts one after the other; each part's column is dropped once copied."""
    return {name: np.concatenate([part.pop(name) for part in parts]) for name in list(parts[0])}


def take(columns: Columns, rows: np.ndarray) -> Columns:
    """Keeps the rows asked for, in place, column by column (each old column freed as it goes)."""
    for name, values in columns.items():
        columns[name] = values[rows]
    return columns


def clear_tags(columns: Columns, rows: np.ndarray) -> None:
    for name in TAG_COLUMNS:
        columns[name][rows] = NONE


def with_retries(columns: Columns, period: Period, rng: np.random.Generator) -> Columns:
    """Expands first attempts into attempt chains: failures, then the successful retry.

    Most requests succeed at once; about 2% fail first (429, 500, 503) and succeed on a retry;
    during the retry storm the support assistant fails 40% of its attempts, up to 3 times. A
    429 or 503 consumed nothing; a 500 consumed the input and part of the output. A few calls
    fail for good: 400 (input consumed, no output) and 502 after partial output.
    """
    size = len(columns["occurred_ms"])
    storm_start = period.start_seconds() * 1000 + company.RETRY_STORM_DAY * DAY_MS + 10 * HOUR_MS
    in_storm = (
        (columns["occurred_ms"] >= storm_start)
        & (columns["occurred_ms"] < storm_start + 2 * HOUR_MS)
        & (columns["product"] == LABELS.code("support_assistant"))
    )
    failures = np.where(rng.random(size) < company.RETRY_RATE, 1 + (rng.random(size) < 0.2), 0)
    storm_failures = rng.binomial(3, 0.4, size)
    failures = np.where(in_storm, storm_failures, failures).astype(np.int64)
    attempts = failures + 1
    rows = np.repeat(np.arange(size), attempts)
    expanded = take(columns, rows)
    attempt = np.arange(len(rows)) - np.repeat(np.cumsum(attempts) - attempts, attempts) + 1
    is_last = attempt == np.repeat(attempts, attempts)
    expanded["attempt_number"] = attempt.astype(np.int64)
    expanded["first_row"] = rows
    expanded["occurred_ms"] = expanded["occurred_ms"] + (attempt - 1) * rng.integers(
        800, 4000, len(rows)
    )

    failed_code = rng.choice(np.array([429, 500, 503]), size=len(rows), p=[0.6, 0.25, 0.15])
    status = np.where(is_last, 200, failed_code)
    terminal = is_last & (rng.random(len(rows)) < company.FAILED_WITH_TOKENS_RATE)
    status = np.where(terminal, rng.choice(np.array([400, 502]), size=len(rows)), status)
    expanded["status_code"] = status.astype(np.int64)
    nothing_consumed = np.isin(status, [429, 503])
    partial_output = np.isin(status, [500, 502])
    for name in (
        "input_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "cache_write_1h_tokens",
    ):
        expanded[name] = np.where(nothing_consumed, 0, expanded[name])
    expanded["output_tokens"] = np.where(
        nothing_consumed | (status == 400),
        0,
        np.where(partial_output, expanded["output_tokens"] // 3, expanded["output_tokens"]),
    )
    expanded["reasoning_tokens"] = np.minimum(
        expanded["reasoning_tokens"], expanded["output_tokens"]
    )
    expanded["gateway_cache_hit"] = expanded["gateway_cache_hit"] & (status == 200) & (attempt == 1)
    return expanded
