"""Generates the demo landing set: requests, invoices and platform costs, deterministically."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np

from chargeback.demo import billing, canonical, company, gateway_formats, special, writer
from chargeback.demo.calendar import Period
from chargeback.demo.labels import LABELS
from chargeback.demo.traces import load_trace
from chargeback.demo.traffic import Columns, concatenate, scenario_requests, take, with_retries

OWNED_FOLDERS = (
    "gateway_requests",
    "litellm_spend_logs",
    "otel_spans",
    "invoices",
    "platform_costs",
)
LOG_FORMATS = ("canonical", "litellm", "otel")
RETRY_OVERHEAD = 1.03  # attempts per logical request, roughly
# Special traffic made of a scenario's requests: its scenario, least requests, share of the
# logical requests and the function that shapes them.
Shaping = Callable[[Columns, Period, np.random.Generator], Columns]
SPECIAL_TRAFFIC: tuple[tuple[str, int, float, Shaping], ...] = (
    ("document_check", 4, company.LOAD_TEST_SHARE, special.load_test),
    ("ticket_triage", 40, company.STORM_BURST_SHARE, special.storm_burst),
)


@dataclass(frozen=True)
class DemoConfig:
    requests: int = 150_000
    seed: int = 42
    out: Path = Path("data/landing")
    file_format: str = "auto"  # jsonl, parquet or auto (jsonl up to 500,000 requests)
    start: date = date(2026, 8, 1)
    months: int = 3
    seeds_dir: Path = Path("seeds")
    force: bool = False
    log_format: str = "canonical"  # canonical gateway log, LiteLLM spend logs or OTel spans

    @property
    def resolved_format(self) -> str:
        if self.file_format != "auto":
            return self.file_format
        return "jsonl" if self.requests <= 500_000 else "parquet"


@dataclass
class DemoSummary:
    requests: int = 0
    request_files: int = 0
    invoices: int = 0
    platform_cost_files: int = 0
    seconds: float = 0.0
    cases: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        cases = ", ".join(f"{name} {count:,}" for name, count in self.cases.items())
        return (
            f"{self.requests:,} requests in {self.request_files} files, {self.invoices} invoices, "
            f"{self.platform_cost_files} platform cost files in {self.seconds:.1f} s\n{cases}"
        )


def _prepare_out(config: DemoConfig) -> None:
    existing = [config.out / name for name in OWNED_FOLDERS if (config.out / name).exists()]
    if existing and not config.force:
        raise FileExistsError(f"{config.out} already holds landing data; use --force to replace it")
    for folder in existing:
        shutil.rmtree(folder)
    config.out.mkdir(parents=True, exist_ok=True)


def _first_attempts(config: DemoConfig, period: Period, rng: np.random.Generator) -> Columns:
    """Every scenario's share of the logical requests, then the stage load test (document checks)
    and the retry storm's burst (ticket triage), each shaped by its special-traffic function."""
    traces = {name: load_trace(name) for name in ("conv", "code")}
    logical = config.requests / RETRY_OVERHEAD
    total_share = sum(s.share for s in company.SCENARIOS)
    by_id = {s.scenario_id: s for s in company.SCENARIOS}
    planned: list[tuple[company.Scenario, int, Shaping | None]] = [
        (s, max(4, round(logical * (1 - company.LOAD_TEST_SHARE) * s.share / total_share)), None)
        for s in company.SCENARIOS
    ]
    planned += [
        (by_id[scenario_id], max(minimum, round(logical * share)), shaping)
        for scenario_id, minimum, share, shaping in SPECIAL_TRAFFIC
    ]
    parts, unit_offset = [], 0
    for scenario, count, shaping in planned:
        part = scenario_requests(scenario, period, count, traces[scenario.trace], rng, unit_offset)
        unit_offset += len(part["occurred_ms"])
        parts.append(part if shaping is None else shaping(part, period, rng))
    return concatenate(parts)


def _identify(columns: Columns, rng: np.random.Generator) -> Columns:
    """Sorts attempts by time and numbers them; a retry keeps the row of its first attempt.

    A request's position is its id (writer.py writes req-, tr- and response ids from it);
    original_row is the position of a retry's first attempt, -1 for a first attempt.
    """
    order = np.lexsort((columns["attempt_number"], columns["first_row"], columns["occurred_ms"]))
    columns = take(columns, order)
    size = len(order)
    first_row = columns.pop("first_row")
    first_position = np.full(int(first_row.max()) + 1, -1, dtype=np.int64)
    firsts = np.flatnonzero(columns["attempt_number"] == 1)
    first_position[first_row[firsts]] = firsts
    columns["original_row"] = np.where(columns["attempt_number"] > 1, first_position[first_row], -1)
    columns["user_number"] = rng.integers(1, 5000, size).astype(np.int16)
    return columns


def _gateway_estimate(
    columns: Columns, models: np.ndarray, seeds_dir: Path, rng: np.random.Generator
) -> np.ndarray:
    """The gateway's own estimate: base list price of input and output, no cache discounts.

    Rounded to six places; NaN where the gateway logged none (writer.py writes it as text).
    """
    prices = {
        row["model"]: (Decimal(row["input_per_mtok"]), Decimal(row["output_per_mtok"] or 0))
        for row in billing.read_seed(seeds_dir, "model_prices")
        if row["processing"] == "standard" and row["above_input_tokens"] == "0"
    }
    by_code = np.array(
        [
            [float(price) for price in prices.get(LABELS.text(code) or "", (0, 0))]
            for code in range(int(models.max()) + 1)
        ]
    )
    input_price, output_price = by_code[models, 0], by_code[models, 1]
    estimate = np.round(
        (columns["input_tokens"] * input_price + columns["output_tokens"] * output_price) / 1e6,
        6,
    )
    estimate[(rng.random(len(estimate)) < 0.1) | (input_price == 0)] = np.nan
    return estimate


def _count(codes: np.ndarray, text: str | None) -> int:
    return int((codes == LABELS.code(text)).sum())


def generate(config: DemoConfig) -> DemoSummary:
    started = time.perf_counter()
    _prepare_out(config)
    rng = np.random.default_rng(config.seed)
    period = Period(config.start, config.months)

    columns = _first_attempts(config, period, rng)
    special.retag(columns, period, rng)
    handover = special.handover_key_traffic(columns, period, rng, config.requests)
    own_models = special.own_models(
        columns, np.random.default_rng([config.seed, company.OWN_MODELS_SEED]), handover
    )
    unpriced = special.unpriced_model(columns, rng, config.requests)
    special.long_context_edges(columns)
    columns = with_retries(columns, period, rng)
    columns = _identify(columns, rng)
    provider, model = canonical.resolve(
        columns["provider"], columns["model"], columns["occurred_ms"], config.seeds_dir
    )
    columns["gateway_cost_usd"] = _gateway_estimate(columns, model, config.seeds_dir, rng)

    summary = DemoSummary(requests=len(columns["occurred_ms"]))
    # the gateways log a deployment's calls under the deployment's name
    logged = (
        canonical.resolve(
            columns["provider"],
            columns["model"],
            columns["occurred_ms"],
            config.seeds_dir,
            deployments=False,
        )
        if config.log_format in ("litellm", "otel")
        else (provider, model)
    )
    if config.log_format == "litellm":
        summary.request_files = gateway_formats.write_litellm(columns, logged, config.out)
    elif config.log_format == "otel":
        summary.request_files = gateway_formats.write_otel(columns, logged, config.out)
    elif config.log_format == "canonical":
        summary.request_files = writer.write_requests(
            columns, config.out, config.resolved_format, period.start_seconds() * 1000
        )
    else:
        raise ValueError(f"log_format must be one of {LOG_FORMATS}, not {config.log_format!r}")
    lines = billing.invoices(columns, (provider, model), period, config.seeds_dir)
    summary.invoices = writer.write_invoices(lines, config.out)
    summary.platform_cost_files = writer.write_platform_costs(
        billing.platform_costs(period, rng), config.out
    )
    summary.cases = {
        "retries": int((columns["attempt_number"] > 1).sum()),
        "failed attempts": int((columns["status_code"] >= 400).sum()),
        "gateway cache hits": int(columns["gateway_cache_hit"].sum()),
        "batch": int(columns["is_batch"].sum()),
        "stage load test": _count(columns["environment"], "stage"),
        "untagged": _count(columns["team"], None),
        "team 'suport'": _count(columns["team"], "suport"),
        "environment 'prodution'": _count(columns["environment"], "prodution"),
        "shared key": _count(columns["api_key_id"], "key_shared_platform"),
        "handover key": len(handover),
        "unpriced model (first attempts)": len(unpriced),
        "over 200k input": int((columns["input_tokens"] > 200_000).sum()),
        **{f"own model {model} (first attempts)": calls for model, calls in own_models.items()},
    }
    summary.seconds = time.perf_counter() - started
    return summary
