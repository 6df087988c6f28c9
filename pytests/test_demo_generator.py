"""The demo generator: deterministic, on contract, and full of the cases the rules handle."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chargeback.demo import DemoConfig, generate
from chargeback.demo.traces import load_trace

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CONTRACT = (ROOT / "macros" / "landing_columns.sql").read_text()
SMALL = 3000


def seed_column(seed: str, column: str) -> set[str]:
    with (SEEDS / f"{seed}.csv").open(newline="") as file:
        return {row[column] for row in csv.DictReader(file)}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def landed(folder: Path) -> list[dict]:
    records = []
    for path in sorted((folder / "gateway_requests").rglob("*.jsonl")):
        records += [json.loads(line) for line in path.read_text().splitlines()]
    return records


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(DemoConfig(requests=SMALL, seed=7, out=out, seeds_dir=SEEDS))
    return out


@pytest.fixture(scope="module")
def records(demo: Path) -> list[dict]:
    return landed(demo)


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(
    demo: Path, tmp_path: Path
) -> None:
    generate(DemoConfig(requests=SMALL, seed=7, out=tmp_path / "again", seeds_dir=SEEDS))
    generate(DemoConfig(requests=SMALL, seed=8, out=tmp_path / "other", seeds_dir=SEEDS))
    assert digest(tmp_path / "again") == digest(demo)
    assert digest(tmp_path / "other") != digest(demo)


def test_it_refuses_to_overwrite_landing_data_without_force(demo: Path) -> None:
    with pytest.raises(FileExistsError):
        generate(DemoConfig(requests=SMALL, seed=7, out=demo, seeds_dir=SEEDS))


def test_the_size_asked_for_is_the_size_written_within_five_percent(records: list[dict]) -> None:
    assert abs(len(records) - SMALL) < 0.05 * SMALL


def test_every_record_carries_exactly_the_contract_fields(records: list[dict]) -> None:
    for record in records:
        assert all(f"'{field}'" in CONTRACT for field in record)
        assert len(record) == 28


def test_token_counts_follow_the_contract(records: list[dict]) -> None:
    for record in records:
        cached = (
            record["cache_read_tokens"]
            + record["cache_write_tokens"]
            + record["cache_write_1h_tokens"]
        )
        assert 0 <= cached <= record["input_tokens"]
        assert 0 <= record["reasoning_tokens"] <= record["output_tokens"]


def test_retries_point_to_an_earlier_first_attempt(records: list[dict]) -> None:
    by_id = {record["request_id"]: record for record in records}
    retries = [record for record in records if record["attempt_number"] > 1]
    assert retries
    for retry in retries:
        first = by_id[retry["original_request_id"]]
        assert first["attempt_number"] == 1
        assert first["occurred_at"] <= retry["occurred_at"]
    assert all(r["original_request_id"] is None for r in records if r["attempt_number"] == 1)


def test_ids_used_exist_in_the_seeds_except_the_deliberate_misspelling(records: list[dict]) -> None:
    assert {r["api_key_id"] for r in records} <= seed_column("api_keys", "api_key_id")
    assert {r["team"] for r in records} - {None} == seed_column("teams", "team_id") - {
        "ai_platform"
    } | {"suport"}
    assert {r["product"] for r in records} - {None} <= seed_column("products", "product_id")
    assert {r["scenario"] for r in records} - {None} == seed_column("scenarios", "scenario_id")
    assert {r["provider"].lower() for r in records} <= seed_column(
        "provider_aliases", "provider_logged"
    )


def test_output_tokens_are_real_trace_values(records: list[dict]) -> None:
    trace_outputs = set(load_trace("conv").output_tokens.tolist())
    outputs = [
        r["output_tokens"]
        for r in records
        if r["prompt_template_id"] == "support_conversation@v3" and r["status_code"] == 200
    ]
    assert outputs and set(outputs) <= trace_outputs


def count(records: list[dict], **conditions: object) -> int:
    return sum(all(r.get(k) == v for k, v in conditions.items()) for r in records)


def test_every_case_the_rules_handle_is_present(records: list[dict]) -> None:
    statuses = Counter(r["status_code"] for r in records)
    assert statuses[429] and statuses[500] and (statuses[400] + statuses[502])
    assert any(r["status_code"] >= 500 and r["input_tokens"] > 0 for r in records)
    assert count(records, gateway_cache_hit=True)
    assert any(r["cache_read_tokens"] for r in records)
    assert any(r["cache_write_tokens"] for r in records)
    assert any(r["cache_write_1h_tokens"] for r in records)
    assert count(records, is_batch=True)
    assert count(records, is_batch=True, model="claude-opus-4")
    assert count(records, environment="stage", api_key_id="key_risk_stage")
    assert any(r["team"] is None and r["environment"] is None for r in records)
    assert count(records, team="suport") and count(records, environment="prodution")
    assert count(records, environment="Production")
    assert count(records, api_key_id="key_shared_platform", team=None)
    assert any(r["api_key_id"] == "key_shared_platform" and r["team"] for r in records)
    assert count(records, api_key_id="key_legacy_digest")
    assert count(records, model="gpt-realtime-audio-2026-11-05")
    for provider, model in (
        ("azure", "azure/support-o4mini-prod"),  # a deployment
        ("openai", "ft:gpt-4o-mini-2024-07-18:acme::sales-v1"),  # a fine-tune
        ("self_hosted", "triage-small-v2"),  # the company's own price
        ("self_hosted", "gpu-pool-a"),  # a capacity pool
    ):
        assert count(records, provider=provider, model=model), model
    assert count(records, input_tokens=200_000) and any(
        r["input_tokens"] > 200_000 for r in records
    )


def test_dated_stories_happen_on_both_sides_of_their_dates(records: list[dict]) -> None:
    def around(model: str, day: str) -> tuple[bool, bool]:
        times = [r["occurred_at"] for r in records if r["model"].endswith(model)]
        return min(times) < day, max(times) >= day

    assert around("chat-default", "2026-09-15") == (True, True)  # alias re-pointed
    assert around("gpt-4o-mini", "2026-09-10") == (True, True)  # list price cut
    handover = [r["occurred_at"] for r in records if r["api_key_id"] == "key_analytics_handover"]
    assert min(handover) < "2026-09-15" <= max(handover)  # key owner changes
    storm = [
        r
        for r in records
        if "2026-09-23T10" <= r["occurred_at"] < "2026-09-23T12"
        and r["product"] == "support_assistant"
    ]
    assert sum(r["status_code"] == 429 for r in storm) > 0.15 * len(storm)
    month_ends = [r for r in records if r["occurred_at"][5:10] in ("08-31", "09-30", "10-31")]
    assert any(r["occurred_at"][11:13] >= "19" for r in month_ends)


def test_one_invoice_per_provider_and_month_in_its_currency_with_tax_on_the_net(
    demo: Path,
) -> None:
    currencies = {}
    with (SEEDS / "providers.csv").open(newline="") as file:
        currencies = {row["provider"]: row["invoice_currency"] for row in csv.DictReader(file)}
    invoices = sorted((demo / "invoices").rglob("*.csv"))
    assert [p.stem for p in invoices] == [
        f"{provider}_2026-{month:02d}"
        for provider in ("anthropic", "aws_bedrock", "azure_openai", "openai")
        for month in (8, 9, 10)
    ]
    for path in invoices:
        with path.open(newline="") as file:
            lines = list(csv.DictReader(file))
        assert {line["currency"] for line in lines} == {currencies[lines[0]["provider"]]}
        net = sum(Decimal(x["amount"]) for x in lines if x["charge_category"] != "tax")
        tax = sum(Decimal(x["amount"]) for x in lines if x["charge_category"] == "tax")
        assert tax == (net * Decimal("0.12")).quantize(Decimal("0.01"))
        assert date.fromisoformat(lines[0]["billing_period_end"]) > date.fromisoformat(
            lines[0]["billing_period_start"]
        )
    categories = Counter(
        line["charge_category"] for path in invoices for line in csv.DictReader(path.open())
    )
    assert categories["discount"] and categories["credit"] and categories["fee"]


def test_parquet_and_json_lines_hold_the_same_records(demo: Path, tmp_path: Path) -> None:
    generate(
        DemoConfig(requests=SMALL, seed=7, out=tmp_path, seeds_dir=SEEDS, file_format="parquet")
    )
    from_parquet = []
    for path in sorted((tmp_path / "gateway_requests").rglob("*.parquet")):
        from_parquet += pq.read_table(path).to_pylist()
    assert from_parquet == landed(demo)
