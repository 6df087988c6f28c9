"""The traffic that makes a chargeback hard: untagged, mis-tagged, shared keys, a load test."""

from __future__ import annotations

import numpy as np

from chargeback.demo import company
from chargeback.demo.calendar import Period
from chargeback.demo.labels import LABELS, NONE
from chargeback.demo.traffic import DAY_MS, HOUR_MS, Columns, clear_tags


def _pick(rng: np.random.Generator, candidates: np.ndarray, share: float, total: int) -> np.ndarray:
    count = min(len(candidates), max(3, round(share * total)))
    return rng.choice(candidates, size=count, replace=False) if len(candidates) else candidates


def _without(rows: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """The sorted, distinct `rows` not in `excluded`: np.setdiff1d without its sorting."""
    return rows[~np.isin(rows, excluded)]


def retag(columns: Columns, period: Period, rng: np.random.Generator) -> None:
    """Rewrites tags and keys of some first attempts, in place, before retries are added."""
    size = len(columns["occurred_ms"])
    everyone = np.arange(size)
    scenario = columns["scenario"]

    batch = np.flatnonzero(scenario == LABELS.code("batch_summarisation"))
    legacy = _pick(rng, batch, company.LEGACY_KEY_SHARE_OF_BATCH * len(batch) / max(size, 1), size)
    columns["api_key_id"][legacy] = LABELS.code("key_legacy_digest")
    clear_tags(columns, legacy)
    opus = _pick(
        rng,
        _without(batch, legacy),
        company.OPUS_BATCH_SHARE_OF_BATCH * len(batch) / max(size, 1),
        size,
    )
    columns["provider"][opus] = LABELS.code("anthropic")
    columns["model"][opus] = LABELS.code("claude-opus-4")

    shareable = np.flatnonzero(np.isin(scenario, LABELS.codes(["ticket_triage", "product_qa"])))
    shared = _pick(rng, shareable, company.SHARED_KEY_SHARE, size)
    columns["api_key_id"][shared] = LABELS.code("key_shared_platform")
    clear_tags(columns, shared[: len(shared) // 2])

    tagged = np.flatnonzero(columns["team"] != NONE)
    untagged = _pick(rng, tagged, company.UNTAGGED_SHARE, size)
    clear_tags(columns, untagged)

    support = np.flatnonzero(columns["team"] == LABELS.code("support"))
    columns["team"][_pick(rng, support, company.MISSPELT_TEAM_SHARE, size)] = LABELS.code("suport")
    environment_tagged = np.flatnonzero(columns["environment"] == LABELS.code("prod"))
    misspelt = _pick(rng, environment_tagged, company.MISSPELT_ENVIRONMENT_SHARE, size)
    columns["environment"][misspelt] = LABELS.code("prodution")
    spelled_out = _pick(
        rng, _without(environment_tagged, misspelt), company.SPELLED_OUT_ENVIRONMENT_SHARE, size
    )
    columns["environment"][spelled_out] = LABELS.code("Production")
    del everyone


def handover_key_traffic(
    columns: Columns, period: Period, rng: np.random.Generator, total: int
) -> np.ndarray:
    """Untagged calls on key_analytics_handover in the second month (its owner changes then)."""
    first, following = period.month_starts[1], period.month_starts[2]
    in_month = (columns["occurred_ms"] >= _ms(period, first)) & (
        columns["occurred_ms"] < _ms(period, following)
    )
    candidates = np.flatnonzero(in_month & (columns["scenario"] == LABELS.code("email_draft")))
    rows = _pick(rng, candidates, company.HANDOVER_KEY_SHARE, total)
    columns["api_key_id"][rows] = LABELS.code("key_analytics_handover")
    columns["model"][rows] = LABELS.code("chat-fast")
    clear_tags(columns, rows)
    return rows


def load_test(document_checks: Columns, period: Period, rng: np.random.Generator) -> Columns:
    """An afternoon's load test of the document check in stage, through the stage key."""
    size = len(document_checks["occurred_ms"])
    start = period.start_seconds() * 1000 + company.LOAD_TEST_DAY * DAY_MS + 8 * HOUR_MS
    document_checks["occurred_ms"] = start + np.sort(rng.integers(0, 4 * HOUR_MS, size))
    document_checks["api_key_id"][:] = LABELS.code("key_risk_stage")
    document_checks["environment"][:] = LABELS.code("stage")
    document_checks["cost_center"][:] = NONE
    document_checks["scenario"][:] = NONE  # the load-test script does not say what it exercises
    return document_checks


def storm_burst(tickets: Columns, period: Period, rng: np.random.Generator) -> Columns:
    """A surge of ticket triage during the retry storm (the outage that caused it)."""
    size = len(tickets["occurred_ms"])
    start = period.start_seconds() * 1000 + company.RETRY_STORM_DAY * DAY_MS + 10 * HOUR_MS
    tickets["occurred_ms"] = start + np.sort(rng.integers(0, 2 * HOUR_MS, size))
    return tickets


def unpriced_model(columns: Columns, rng: np.random.Generator, total: int) -> np.ndarray:
    """A trickle of calls to a model the price catalogue does not know yet."""
    candidates = np.flatnonzero(columns["scenario"] == LABELS.code("support_conversation"))
    rows = _pick(rng, candidates, company.UNPRICED_SHARE, total)
    columns["provider"][rows] = LABELS.code("openai")
    columns["model"][rows] = LABELS.code("gpt-realtime-audio-2026-11-05")
    columns["cache_read_tokens"][rows] = 0
    return rows


def own_models(columns: Columns, rng: np.random.Generator, excluded: np.ndarray) -> dict[str, int]:
    """Some first attempts of a few scenarios go to models the catalogue cannot price alone
    (company.OWN_MODEL_ROUTES): a deployment, a fine-tune, an internal model, a capacity pool.
    Rows `excluded` (another story's) keep their model. Returns the calls re-routed, by model."""
    routed: dict[str, int] = {}
    for scenario, share, provider, model in company.OWN_MODEL_ROUTES:
        in_scenario = np.flatnonzero(columns["scenario"] == LABELS.code(scenario))
        candidates = _without(in_scenario, excluded)
        rows = rng.choice(candidates, size=round(share * len(candidates)), replace=False)
        columns["provider"][rows] = LABELS.code(provider)
        columns["model"][rows] = LABELS.code(model)
        routed[model] = len(rows)
    return routed


def long_context_edges(columns: Columns) -> None:
    """Contract reviews exactly at, just below and just above the 200k long-context threshold."""
    rows = np.flatnonzero(columns["scenario"] == LABELS.code("contract_review"))[:3]
    for row, tokens in zip(rows, (199_999, 200_000, 200_001), strict=False):
        columns["input_tokens"][row] = tokens
        columns["cache_read_tokens"][row] = 0
        columns["cache_write_tokens"][row] = 0
        columns["cache_write_1h_tokens"][row] = 0


def _ms(period: Period, day: object) -> int:
    return period.start_seconds() * 1000 + (day - period.start).days * DAY_MS  # type: ignore[operator]
