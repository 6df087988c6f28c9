"""The price catalogue: generated from genai-prices, and priced by the ledger as genai-prices does.

The cross-check lands a sample of requests drawn across the whole catalogue (every provider,
every model reachable by its own id, dates across the price history, usages above the
long-context thresholds, cache reads and writes, batch requests; audio and image tokens,
cached ones too, web and file searches where the model has their price, and the fee per
request), builds the ledger on them, and compares each request's list cost with
`genai_prices.calc_price` for the same provider, model id, usage, time and processing. Models
the two deliberately price differently are left out by rule, counted, and listed in
docs/implementation-notes.md ("Price catalogue generator"). Where a model has no price for a
quantity (audio tokens without an audio price, web searches without a search price),
genai-prices prices audio and image tokens as text and searches at nothing, while the ledger
leaves them unpriced: such samples are compared on the part the ledger prices (genai-prices'
price of the same usage without the unpriced quantities), and must be flagged partly priced.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import genai_prices
import pytest
from genai_prices import Usage, calc_price, data_snapshot
from genai_prices.types import ModelInfo, Provider, TieredPrices, TimeOfDateConstraint

from chargeback.prices.__main__ import generate
from chargeback.prices.catalogue import PRICE_KEYS, batch_prices, change_dates, standard_prices
from chargeback.prices.providers import warehouse_provider
from harness import NO_CONTRACTS, Warehouse, build, project_copy, write_jsonl

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RELATIVE_TOLERANCE = Decimal("1e-9")
FIRST_SAMPLE_DAY = date(2024, 1, 1)
LAST_SAMPLE_DAY = date(2026, 11, 20)
# Why a model is left out of the cross-check; docs/implementation-notes.md lists each reason.
SHADOWED = "another model of the provider matches its id first"
OWN_ID_UNMATCHED = "genai-prices matches no model for its own id (the ledger's own-id rule does)"
TIME_OF_DAY = "time-of-day prices (off-peak discounts) are not modelled"
NO_INPUT_PRICE = "no input token price (not in model_prices: its requests stay unpriced)"
DOCUMENTED_EXCLUSIONS = {SHADOWED, OWN_ID_UNMATCHED, TIME_OF_DAY, NO_INPUT_PRICE}
# ledger field -> genai-prices usage key, for the quantities besides the text tokens
EXTRA_USAGE = {
    "input_audio_tokens": "input_audio_tokens",
    "cache_audio_read_tokens": "cache_audio_read_tokens",
    "output_audio_tokens": "output_audio_tokens",
    "input_image_tokens": "input_image_tokens",
    "cache_image_read_tokens": "cache_image_read_tokens",
    "output_image_tokens": "output_image_tokens",
    "web_search_calls": "web_searches",
    "file_search_calls": "storage_searches",
}


@dataclass(frozen=True)
class Sample:
    request_id: str
    catalogue_provider: str
    model_ref: str
    occurred_at: datetime
    is_batch: bool
    input_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int  # 5-minute writes (the landing contract's meaning)
    cache_write_1h_tokens: int
    output_tokens: int
    # audio and image parts of the tokens above, tool calls (EXTRA_USAGE)
    extra: tuple[tuple[str, int], ...] = ()
    # the extra quantities the model has no price for: the ledger leaves them unpriced
    unpriced: tuple[str, ...] = ()

    def landed(self) -> dict[str, object]:
        return {
            "request_id": self.request_id,
            "occurred_at": self.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "provider": warehouse_provider(self.catalogue_provider),
            "model": self.model_ref,
            "status_code": 200,
            "attempt_number": 1,
            "is_batch": self.is_batch,
            "input_tokens": self.input_tokens,
            "cache_read_tokens": self.cache_read_tokens,
            "cache_write_tokens": self.cache_write_tokens,
            "cache_write_1h_tokens": self.cache_write_1h_tokens,
            "output_tokens": self.output_tokens,
            **dict(self.extra),
        }

    def reference_cost(self) -> Decimal:
        """genai-prices' price: its cache_write_tokens counts 5-minute and 1-hour writes; the
        quantities the ledger leaves unpriced are taken out of the usage (and out of the
        token counts they are part of), so that the rest is compared."""
        extra = dict(self.extra)
        left_out = {name: extra.pop(name) for name in self.unpriced}
        input_tokens = self.input_tokens - left_out.get("input_audio_tokens", 0)
        input_tokens -= left_out.get("input_image_tokens", 0)
        cache_read = self.cache_read_tokens - left_out.get("cache_audio_read_tokens", 0)
        cache_read -= left_out.get("cache_image_read_tokens", 0)
        output_tokens = self.output_tokens - left_out.get("output_audio_tokens", 0)
        output_tokens -= left_out.get("output_image_tokens", 0)
        usage = Usage(
            input_tokens=input_tokens,
            cache_read_tokens=cache_read,
            cache_write_tokens=self.cache_write_tokens + self.cache_write_1h_tokens,
            cache_write_1h_tokens=self.cache_write_1h_tokens,
            output_tokens=output_tokens,
            **{EXTRA_USAGE[name]: count for name, count in extra.items() if count},
        )
        calculation = calc_price(
            usage,
            self.model_ref,
            provider_id=self.catalogue_provider,
            genai_request_timestamp=self.occurred_at,
            price_context={"processing": "batch"} if self.is_batch else None,
        )
        return calculation.total_price


def exclusion(provider: Provider, model: ModelInfo, providers: list[Provider]) -> str | None:
    """Why the model is left out of the cross-check, or None."""
    found = provider.find_model(model.id, all_providers=providers)
    if found is None:
        return OWN_ID_UNMATCHED
    if found is not model:
        return SHADOWED
    conditionals = model.prices if isinstance(model.prices, list) else []
    if any(isinstance(c.constraint, TimeOfDateConstraint) for c in conditionals):
        return TIME_OF_DAY
    return None


def thresholds(prices: dict[str, object]) -> list[int]:
    found: set[int] = set()
    for key, _ in PRICE_KEYS:
        value = prices.get(key)
        if isinstance(value, TieredPrices):
            found.update(tier.start for tier in value.tiers)
    return sorted(found)


def usage(rng: random.Random, input_tokens: int, has_output_price: bool) -> dict[str, int]:
    """Cache reads and both cache writes within the input, output only where it is priced."""
    read = rng.randint(0, input_tokens // 3)
    write_5m = rng.randint(0, input_tokens // 4)
    write_1h = rng.randint(0, input_tokens // 5)
    return {
        "input_tokens": input_tokens,
        "cache_read_tokens": read,
        "cache_write_tokens": write_5m,
        "cache_write_1h_tokens": write_1h,
        "output_tokens": rng.randint(1, 8_000) if has_output_price else 0,
    }


def extra_quantities(
    rng: random.Random, prices: dict[str, object], tokens: dict[str, int], unpriced: bool = False
) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """Audio and image tokens within the token counts (cached ones within the cache reads) and
    tool calls: for the quantities the model prices, or, with `unpriced`, for those it does not
    (audio input tokens and web searches). Returns the counts and the unpriced ones' names."""
    has = {key: prices.get(key) is not None for key in (
        "input_audio_mtok", "output_audio_mtok", "input_image_mtok", "output_image_mtok",
        "web_searches_kcount", "storage_searches_kcount",
    )}  # fmt: skip
    uncached = tokens["input_tokens"] - tokens["cache_read_tokens"]
    uncached -= tokens["cache_write_tokens"] + tokens["cache_write_1h_tokens"]
    counts: dict[str, int] = {}
    if unpriced:
        if not has["input_audio_mtok"]:
            counts["input_audio_tokens"] = rng.randint(1, max(uncached // 3, 1))
        if not has["web_searches_kcount"]:
            counts["web_search_calls"] = rng.randint(1, 5)
        return tuple(counts.items()), tuple(counts)
    read = tokens["cache_read_tokens"]
    if has["input_audio_mtok"]:
        cached = counts["cache_audio_read_tokens"] = rng.randint(0, read // 2)
        counts["input_audio_tokens"] = cached + rng.randint(0, uncached // 3)
    if has["input_image_mtok"]:
        cached = counts["cache_image_read_tokens"] = rng.randint(0, read // 4)
        counts["input_image_tokens"] = cached + rng.randint(0, uncached // 3)
    if has["output_audio_mtok"]:
        counts["output_audio_tokens"] = rng.randint(0, tokens["output_tokens"] // 2)
    if has["output_image_mtok"]:
        counts["output_image_tokens"] = rng.randint(0, tokens["output_tokens"] // 3)
    if has["web_searches_kcount"]:
        counts["web_search_calls"] = rng.randint(0, 6)
    if has["storage_searches_kcount"]:
        counts["file_search_calls"] = rng.randint(0, 6)
    return tuple(counts.items()), ()


def random_moment(rng: random.Random, start: date, end: date) -> datetime:
    days = (end - start).days
    day = start + timedelta(days=rng.randint(0, max(days, 0)))
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return moment + timedelta(seconds=rng.randint(0, 86_399))


def draw_samples(seed: int = 20261129) -> tuple[list[Sample], Counter[str]]:
    """Samples over every eligible model; the exclusions counted by reason."""
    rng = random.Random(seed)
    # the audio, image and tool quantities from a generator of their own, so that the token
    # samples are drawn as they were before those quantities were priced
    extra_rng = random.Random(seed + 1)
    providers = data_snapshot.get_snapshot().providers
    samples: list[Sample] = []
    excluded: Counter[str] = Counter()
    models_seen = 0

    def add(
        provider_id: str,
        model_ref: str,
        moment: datetime,
        batch: bool,
        prices: dict[str, object] | None = None,
        **tokens: int,
    ) -> None:
        extra, unpriced = extra_quantities(extra_rng, prices or {}, tokens)
        samples.append(
            Sample(
                f"s{len(samples):05d}", provider_id, model_ref, moment, batch, **tokens,
                extra=extra, unpriced=unpriced,
            )
        )  # fmt: skip

    for provider in providers:
        for model in provider.models:
            reason = exclusion(provider, model, providers)
            if reason is not None:
                excluded[reason] += 1
                continue
            moment = random_moment(rng, FIRST_SAMPLE_DAY, LAST_SAMPLE_DAY)
            prices = standard_prices(model, moment.date())
            if prices.get("input_mtok") is None:
                excluded[NO_INPUT_PRICE] += 1
                continue
            has_output = prices.get("output_mtok") is not None
            is_batch = rng.random() < 0.1
            tokens = usage(rng, rng.randint(1, 150_000), has_output)
            in_force = batch_prices(model, moment.date()) if is_batch else None
            add(provider.id, model.id, moment, is_batch, in_force or prices, **tokens)
            # every eighth model also with audio tokens or web searches it has no price for
            models_seen += 1
            if models_seen % 8 == 0 and not is_batch:
                extra, unpriced = extra_quantities(extra_rng, prices, tokens, unpriced=True)
                if unpriced:
                    samples.append(
                        Sample(
                            f"s{len(samples):05d}", provider.id, model.id, moment, False,
                            **tokens, extra=extra, unpriced=unpriced,
                        )
                    )  # fmt: skip
            # each later price period, priced on the day it starts
            for day in change_dates(model)[1:]:
                if day <= LAST_SAMPLE_DAY and standard_prices(model, day).get("input_mtok"):
                    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
                    day_prices = standard_prices(model, day)
                    has_output = day_prices.get("output_mtok") is not None
                    add(
                        provider.id,
                        model.id,
                        start,
                        False,
                        day_prices,
                        **usage(rng, rng.randint(1, 90_000), has_output),
                    )
            # above (and exactly at) each long-context threshold
            for threshold in thresholds(prices):
                above = threshold + rng.randint(1, 60_000)
                for tokens_in in (above, threshold):
                    tokens = usage(rng, tokens_in, has_output)
                    add(provider.id, model.id, moment, False, prices, **tokens)
            # batch, on a day its batch prices are in force
            batch_days = [
                d for d in change_dates(model) if d <= LAST_SAMPLE_DAY and batch_prices(model, d)
            ]
            if batch_days:
                at = random_moment(rng, max(batch_days[-1], FIRST_SAMPLE_DAY), LAST_SAMPLE_DAY)
                batch = batch_prices(model, at.date())
                if batch:
                    has_output = batch.get("output_mtok") is not None
                    tokens = usage(rng, rng.randint(1, 250_000), has_output)
                    add(provider.id, model.id, at, True, batch, **tokens)
    # models a provider offers through its fallback providers (Azure: OpenAI's, Google: Anthropic's)
    for provider in providers:
        for fallback_id in provider.fallback_model_providers or ():
            fallback = next(p for p in providers if p.id == fallback_id)
            for model in rng.sample(fallback.models, min(8, len(fallback.models))):
                found = provider.find_model(model.id, all_providers=providers)
                if found is not model or exclusion(fallback, model, providers):
                    continue
                moment = random_moment(rng, FIRST_SAMPLE_DAY, LAST_SAMPLE_DAY)
                prices = standard_prices(model, moment.date())
                if prices.get("input_mtok") is None:
                    continue
                has_output = prices.get("output_mtok") is not None
                add(
                    provider.id,
                    model.id,
                    moment,
                    False,
                    prices,
                    **usage(rng, rng.randint(1, 90_000), has_output),
                )
    return samples, excluded


def test_make_prices_writes_the_committed_seeds_byte_for_byte_twice(tmp_path: Path) -> None:
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        size = generate(folder)
        for name in ("model_prices.csv", "model_match_rules.csv"):
            generated = (folder / name).read_bytes()
            committed = (PROJECT_ROOT / "seeds" / name).read_bytes()
            assert generated == committed, f"{name} differs from the committed seed ({run} run)"
    assert size["providers"] >= 40 and size["price_rows"] >= 2_000 and size["rules"] >= 4_000


@pytest.fixture(scope="module")
def cross_check(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, list[Sample]]:
    samples, _ = draw_samples()
    warehouse = project_copy(
        tmp_path_factory.mktemp("catalogue"), seeds={"contract_prices": NO_CONTRACTS}
    )
    write_jsonl(
        warehouse.landing / "gateway_requests" / "dt=samples" / "part-0.jsonl",
        [sample.landed() for sample in samples],
    )
    build(
        warehouse,
        variables={"chargeback__reporting_currency": "USD"},
        arguments=(
            "build",
            "--select",
            "+fct_request_costs",
            "--exclude",
            "resource_type:unit_test",
            "resource_type:test",
        ),
    )
    return warehouse, samples


def test_the_sample_spans_the_catalogue() -> None:
    samples, excluded = draw_samples()
    assert len(samples) >= 1_000
    assert len({s.catalogue_provider for s in samples}) >= 40
    assert sum(s.is_batch for s in samples) >= 100
    assert sum(s.input_tokens > 200_000 for s in samples) >= 100
    assert sum(s.cache_read_tokens > 0 and s.cache_write_1h_tokens > 0 for s in samples) >= 900
    assert set(excluded) <= DOCUMENTED_EXCLUSIONS, f"undocumented exclusions: {excluded}"

    def priced(name: str) -> int:
        return sum(dict(s.extra).get(name, 0) > 0 and name not in s.unpriced for s in samples)

    assert priced("input_audio_tokens") >= 20 and priced("cache_audio_read_tokens") >= 10
    assert priced("output_audio_tokens") >= 10 and priced("input_image_tokens") >= 15
    assert priced("cache_image_read_tokens") >= 10 and priced("output_image_tokens") >= 10
    assert priced("web_search_calls") >= 100 and priced("file_search_calls") >= 25
    assert sum(s.catalogue_provider == "perplexity" for s in samples) >= 4  # fees per request
    assert sum(bool(s.unpriced) for s in samples) >= 100


def test_every_sampled_request_costs_what_genai_prices_says_to_1e_9(
    cross_check: tuple[Warehouse, list[Sample]],
) -> None:
    warehouse, samples = cross_check
    rows = warehouse.query(
        "select request_id, list_cost, unpriced_reason from marts.fct_request_costs where is_priced"
    )
    ledger = {request_id: cost for request_id, cost, _ in rows}
    partly_priced = {request_id for request_id, _, reason in rows if reason is not None}
    assert partly_priced == {sample.request_id for sample in samples if sample.unpriced}
    differences = []
    for sample in samples:
        expected = sample.reference_cost()
        actual = ledger.get(sample.request_id)
        if actual is None or abs(actual - expected) > RELATIVE_TOLERANCE * max(
            abs(expected), Decimal("1e-12")
        ):
            differences.append((sample, actual, expected))
    assert not differences, (
        f"{len(differences)} of {len(samples)} samples differ, e.g.:\n"
        + "\n".join(f"{s} ledger {a} genai-prices {e}" for s, a, e in differences[:10])
    )


def test_the_ledger_records_the_catalogue_version_and_the_rule_that_matched(
    cross_check: tuple[Warehouse, list[Sample]],
) -> None:
    warehouse, samples = cross_check
    versions = warehouse.query(
        "select distinct price_catalogue_version from marts.fct_request_costs"
    )
    assert versions == [(f"genai-prices=={genai_prices.__version__}",)]
    unmatched = warehouse.scalar(
        "select count(*) from marts.fct_request_costs where catalogue_match_rule_id is null"
    )
    assert unmatched == 0
    assert warehouse.scalar("select count(*) from marts.fct_request_costs") == len(samples)
