"""The providers' usage and cost pages as they are delivered, built into the reconciliations.

`fixtures/vendor/<source>/` holds pages written for this project from the vendors' public API
reference (OpenAI Usage and Costs APIs, Anthropic Admin API usage and cost reports), in every
documented shape: pages grouped by model, project, API key, workspace and service tier, and
pages without any group_by (the APIs' default, every dimension null); hourly buckets split
over two pages (has_more / next_page); real empty buckets; another usage endpoint
(embeddings) and one the ledger cannot be compared with (images); audio tokens; web search
requests; the OpenAI cost line items of every form and the Anthropic cost types; a day pulled
twice, and a pull made during the day. Some pulls land as one file of several pages (gzipped
JSON Lines, a JSON array, `.ndjson`), as other tools save them. One landing set, one build.

A small company's gateway log of June 2026 is the ledger side: each provider day is compared
at the grain its pages give, and the cost exports stand in for June's missing invoices.
"""

from __future__ import annotations

import gzip
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harness import (
    SMALL_LANDING_VARIABLES,
    Warehouse,
    build,
    isolated_price_seeds,
    project_copy,
    write_jsonl,
)

VENDOR = Path(__file__).parent / "fixtures" / "vendor"
PRICES = {  # harness.Prices: input, cache read, cache write (5 minutes, 1 hour), output
    ("openai", "gpt-4o-mini"): ("0.15", "0.075", "", "", "0.60"),
    ("openai", "gpt-4o"): ("2.50", "1.25", "", "", "10.00"),
    ("openai", "text-embedding-3-small"): ("0.02", "", "", "", "0"),
    ("anthropic", "claude-sonnet-4.5"): ("3.00", "0.30", "3.75", "6.00", "15.00"),
}
KEYS = {
    "support-bot-prod": "team-support",
    "search-indexer": "team-search",
    "sales-bot-prod": "team-sales",
}
SEEDS = {
    "teams": "team_id,team_name,department,cost_center,budget_owner\n"
    + "\n".join(f"{team},{team},d,cc-{team},o" for team in KEYS.values()),
    "products": "product_id,product_name,owner_team_id,lifecycle\n"
    + "\n".join(f"{key},{key},{team},production" for key, team in KEYS.items()),
    "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
    + "\n".join(f"{key},answer,Answer,answer,request" for key in KEYS),
    "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,valid_from,valid_to\n"
    + "\n".join(f"{key},{team},{key},prod,false,2026-01-01," for key, team in KEYS.items()),
    "model_aliases": "alias,provider,canonical_provider,canonical_model,valid_from,valid_to\n"
    "gpt-4o-mini-2024-07-18,openai,openai,gpt-4o-mini,2024-07-18,\n"
    "gpt-4o-2024-08-06,openai,openai,gpt-4o,2024-08-06,\n"
    "claude-sonnet-4-5-20250929,anthropic,anthropic,claude-sonnet-4.5,2025-09-29,\n"
    "claude-sonnet-4-5,anthropic,anthropic,claude-sonnet-4.5,2025-09-29,",
    **isolated_price_seeds(PRICES),
    "provider_accounts": "provider,account_type,account_id,api_key_id,team_id\n"
    "openai,api_key,key_sup_prod,support-bot-prod,team-support\n"
    "openai,project,proj_support,support-bot-prod,team-support\n"
    "openai,project,proj_search,search-indexer,team-search\n"
    "anthropic,api_key,apikey_01SalesProd,sales-bot-prod,team-sales\n"
    "anthropic,workspace,wrkspc_01Sales,sales-bot-prod,team-sales\n"
    "anthropic,workspace,default,search-indexer,team-search",
    "budgets": "period_month,team_id,amount,currency\n",
}


SUPPORT, SEARCH, SALES = "support-bot-prod", "search-indexer", "sales-bot-prod"
MINI, GPT4O, EMBED, SONNET = "gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "claude-sonnet-4-5"


def call(
    request_id: str, when: str, model: str, key: str, tokens_in: int, tokens_out: int, **cache: int
) -> dict[str, Any]:
    """A gateway log record (docs/landing-contract.md): input_tokens includes cache tokens."""
    return {
        "request_id": request_id,
        "occurred_at": f"2026-06-{when}:00Z",
        "provider": "openai" if request_id.startswith("oa-") else "anthropic",
        "model": model,
        "api_key_id": key,
        "status_code": 200,
        "attempt_number": 1,
        "input_tokens": tokens_in,
        "cache_read_tokens": cache.get("read", 0),
        "cache_write_tokens": cache.get("write", 0),
        "cache_write_1h_tokens": cache.get("write_1h", 0),
        "output_tokens": tokens_out,
        "environment": "prod",
        "scenario": "answer",
    }


CALLS = [
    # OpenAI, 1 June: by model, project and key
    call("oa-0601-a", "01T10:00", MINI, SUPPORT, 3000, 200, read=1000),
    call("oa-0601-b", "01T11:00", MINI, SUPPORT, 1000, 100),
    call("oa-0601-c", "01T12:00", GPT4O, SEARCH, 500, 40),
    # 2 June: the pages are not grouped at all (completions and embeddings)
    call("oa-0602-a", "02T08:00", MINI, SUPPORT, 2000, 100),
    call("oa-0602-b", "02T09:00", GPT4O, SEARCH, 700, 70),
    call("oa-0602-c", "02T10:00", EMBED, SEARCH, 5000, 0),
    # 3 June: hourly buckets by model over two pages
    call("oa-0603-a", "03T02:15", MINI, SUPPORT, 1000, 10),
    call("oa-0603-b", "03T13:05", GPT4O, SUPPORT, 300, 30),
    call("oa-0603-c", "03T14:30", MINI, SEARCH, 2000, 20),
    # 4 June: by project
    call("oa-0604-a", "04T10:00", MINI, SUPPORT, 800, 80),
    call("oa-0604-b", "04T11:00", GPT4O, SEARCH, 900, 90),
    # 5 June: OpenAI reports nothing used that day
    call("oa-0605-a", "05T10:00", MINI, SUPPORT, 100, 10),
    # 6 June: pulled twice; 7 June: pulled at 06:00
    call("oa-0606-a", "06T10:00", MINI, SUPPORT, 400, 40),
    call("oa-0606-b", "06T18:00", MINI, SUPPORT, 500, 50),
    call("oa-0607-a", "07T03:10", MINI, SUPPORT, 600, 60),
    call("oa-0607-b", "07T20:00", MINI, SUPPORT, 300, 30),
    # Anthropic, 1 June: by key, workspace, model and tier
    call("an-0601-a", "01T10:00", SONNET, SALES, 5000, 400, read=2000, write=1000),
    call("an-0601-b", "01T11:00", SONNET, SALES, 1000, 100),
    # 2 June: hourly, not grouped, over two pages
    call("an-0602-a", "02T09:00", SONNET, SALES, 1500, 150, read=500),
    call("an-0602-b", "02T15:00", SONNET, SEARCH, 700, 70, write_1h=200),
    # 3 June: by workspace (the default workspace is the search indexer's)
    call("an-0603-a", "03T10:00", SONNET, SEARCH, 600, 60),
    call("an-0603-b", "03T11:00", SONNET, SALES, 400, 40),
]


def repackage(folder: Path, pages: list[str], into: str, shape: str) -> None:
    """Several saved pages of one pull as one file of another shape: JSON Lines (gzipped when
    `into` ends in .gz) or a JSON array; the originals are removed. The figures must not move."""
    documents = [json.loads((folder / page).read_text()) for page in pages]
    for page in pages:
        (folder / page).unlink()
    if shape == "lines":
        text = "".join(json.dumps(document) + "\n" for document in documents)
    else:
        text = json.dumps(documents, indent=2)
    target = folder / into
    target.write_bytes(gzip.compress(text.encode()) if into.endswith(".gz") else text.encode())


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    warehouse = project_copy(tmp_path_factory.mktemp("vendor_pages"), seeds=SEEDS)
    for source in ("openai_usage", "openai_costs", "anthropic_usage", "anthropic_costs"):
        shutil.copytree(VENDOR / source, warehouse.landing / source)
    # the same pages as other tools save them: a pull's pages as gzipped JSON Lines, as one
    # JSON array, as JSON Lines with another extension
    landing = warehouse.landing
    repackage(
        landing / "openai_usage",
        ["2026-06-03_hourly_by_model_page_1.json", "2026-06-03_hourly_by_model_page_2.json"],
        "2026-06-03_hourly_by_model.jsonl.gz",
        "lines",
    )
    repackage(
        landing / "anthropic_usage",
        ["2026-06-02_hourly_ungrouped_page_1.json", "2026-06-02_hourly_ungrouped_page_2.json"],
        "2026-06-02_hourly_ungrouped.json",
        "array",
    )
    repackage(
        landing / "openai_costs" / "pull_2026-06-05",
        ["page_1.json", "page_2.json"],
        "pages.ndjson",
        "lines",
    )
    write_jsonl(warehouse.landing / "gateway_requests" / "2026-06.jsonl", CALLS)
    build(warehouse, variables=SMALL_LANDING_VARIABLES)
    return warehouse


USAGE_COLUMNS = [
    "usage_date", "provider", "comparison_grain", "model_canonical", "api_key_id", "status",
    "provider_uncached_input_tokens", "ledger_uncached_input_tokens",
    "provider_cache_read_tokens", "ledger_cache_read_tokens",
    "provider_cache_write_tokens", "ledger_cache_write_tokens",
    "provider_output_tokens", "ledger_output_tokens", "provider_requests", "ledger_requests",
    "is_partial_day", "provider_input_audio_tokens", "provider_output_audio_tokens",
    "provider_web_search_calls", "provider_account_team_id",
]  # fmt: skip
# One row per provider day and grain; the numbers are the pages' and the calls' above.
EXPECTED_USAGE = [
    # grouped by model, project and key: a mapped key, an unmapped key whose project is mapped,
    # and an unmapped account whose audio tokens stay out of the text tokens
    ("06-01", "openai", "day_model_key", "gpt-4o-mini", "support-bot-prod", "matched",
     3000, 3000, 1000, 1000, 0, 0, 300, 300, 2, 2, False, 0, 0, 0, "team-support"),
    ("06-01", "openai", "day_model_key", "gpt-4o", "search-indexer", "ledger_below_provider",
     500, 500, 0, 0, 0, 0, 50, 40, 1, 1, False, 0, 0, 0, "team-search"),
    ("06-01", "openai", "day_model_key", "gpt-4o-audio-preview-2024-12-17", "openai:key_lab_01",
     "only_in_provider_usage", 200, 0, 0, 0, 0, 0, 50, 0, 1, 0, False, 1000, 250, 0, None),
    # no group_by: the whole day, completions and embeddings together, against every call
    ("06-02", "openai", "day", None, None, "matched",
     7700, 7700, 0, 0, 0, 0, 170, 170, 3, 3, False, 0, 0, 0, None),
    # hourly buckets over two pages, summed to the day, by model
    ("06-03", "openai", "day_model", "gpt-4o", None, "matched",
     300, 300, 0, 0, 0, 0, 30, 30, 1, 1, False, 0, 0, 0, None),
    ("06-03", "openai", "day_model", "gpt-4o-mini", None, "matched",
     3000, 3000, 0, 0, 0, 0, 30, 30, 2, 2, False, 0, 0, 0, None),
    # by project only: every model of a key together
    ("06-04", "openai", "day_key", None, "search-indexer", "ledger_below_provider",
     900, 900, 0, 0, 0, 0, 95, 90, 1, 1, False, 0, 0, 0, "team-search"),
    ("06-04", "openai", "day_key", None, "support-bot-prod", "matched",
     800, 800, 0, 0, 0, 0, 80, 80, 1, 1, False, 0, 0, 0, "team-support"),
    # a real empty bucket: the call the gateway logged is a true alarm
    ("06-05", "openai", "day_model_key", "gpt-4o-mini", "support-bot-prod", "only_in_ledger",
     0, 100, 0, 0, 0, 0, 0, 10, None, 1, False, 0, 0, 0, None),
    # pulled twice: the later file counts, once
    ("06-06", "openai", "day_model", "gpt-4o-mini", None, "matched",
     900, 900, 0, 0, 0, 0, 90, 90, 2, 2, False, 0, 0, 0, None),
    # pulled at 06:00: six hours against the ledger's whole day, flagged
    ("06-07", "openai", "day_model", "gpt-4o-mini", None, "ledger_above_provider",
     600, 900, 0, 0, 0, 0, 60, 90, 1, 2, True, 0, 0, 0, None),
    # Anthropic by key, workspace, model and tier: the Console's usage has no key
    ("06-01", "anthropic", "day_model_key", "claude-sonnet-4.5", "anthropic:no api key",
     "only_in_provider_usage", 120, 0, 0, 0, 0, 0, 30, 0, None, 0, False, 0, 0, 0, None),
    ("06-01", "anthropic", "day_model_key", "claude-sonnet-4.5", "sales-bot-prod", "matched",
     3000, 3000, 2000, 2000, 1000, 1000, 500, 500, None, 2, False, 0, 0, 3, "team-sales"),
    # hourly, not grouped, two pages: the 1-hour cache write is a cache write
    ("06-02", "anthropic", "day", None, None, "matched",
     1500, 1500, 500, 500, 200, 200, 220, 220, None, 2, False, 0, 0, 0, None),
    # by workspace: the default workspace's null id is mapped like any workspace
    ("06-03", "anthropic", "day_key", None, "sales-bot-prod", "ledger_below_provider",
     400, 400, 0, 0, 0, 0, 44, 40, None, 1, False, 0, 0, 0, "team-sales"),
    ("06-03", "anthropic", "day_key", None, "search-indexer", "matched",
     600, 600, 0, 0, 0, 0, 60, 60, None, 1, False, 0, 0, 0, "team-search"),
]  # fmt: skip


def test_usage_pages_are_compared_at_the_grain_they_have(company: Warehouse) -> None:
    rows = company.query(f"select {', '.join(USAGE_COLUMNS)} from marts.fct_usage_reconciliation")
    actual = {
        (row[0].strftime("%m-%d"), row[1], row[3], row[4]): dict(
            zip(USAGE_COLUMNS, (row[0].strftime("%m-%d"), *row[1:]), strict=True)
        )
        for row in rows
    }
    expected = {
        (row[0], row[1], row[3], row[4]): dict(zip(USAGE_COLUMNS, row, strict=True))
        for row in EXPECTED_USAGE
    }
    assert sorted(actual, key=str) == sorted(expected, key=str)
    for key, row in expected.items():
        assert actual[key] == row, key


def test_nothing_a_page_holds_is_lost(company: Warehouse) -> None:
    """What is not compared has a reason: the images endpoint, and the earlier of two pulls."""
    usage_issues = company.query(
        "select provider, usage_kind, record_issue, count(*) from ("
        " select provider, usage_kind, record_issue, source_file from staging.stg_openai__usage"
        " union all"
        " select provider, usage_kind, record_issue, source_file from staging.stg_anthropic__usage"
        ") as pages where record_issue is not null group by all order by all"
    )
    assert usage_issues == [
        ("openai", "completions",
         "bucket delivered again: superseded by a later file of the same endpoint", 1),
        ("openai", "images",
         "usage of images is not compared with the ledger (counted in images)", 1),
    ]  # fmt: skip
    # the quarantined images result is shown without the user id it was grouped by
    assert company.query(
        "select raw_record like '%user-Kq7Lm2xP%', raw_record like '%\"user_id\":\"[redacted]\"%'"
        " from staging.stg_openai__usage where usage_kind = 'images'"
    ) == [(False, True)]
    cost_issues = company.query(
        "select source_file, record_issue, count(*), sum(amount) from staging.stg_openai__costs"
        " where record_issue is not null group by all"
    )
    superseded = "bucket delivered again: superseded by a later file"
    assert [(Path(f).parent.name, r, n, a) for f, r, n, a in cost_issues] == [
        ("pull_2026-06-05", superseded, 2, Decimal("0.035")),
    ]
    anthropic_issues = (
        "select count(*) from staging.stg_anthropic__costs where record_issue is not null"
    )
    assert company.scalar(anthropic_issues) == 0


def test_cost_exports_stand_in_for_june_to_the_last_cent(company: Warehouse) -> None:
    rows = company.query(
        "select provider, source_system, invoice_usage_amount, invoice_usage_without_detail_amount,"
        " invoice_amount from marts.fct_invoice_reconciliation"
        " where billing_period_start = date '2026-06-01' order by provider"
    )
    # OpenAI: every line of 1 June (0.700705), the ungrouped 2 June (1.2345), 3 June as the
    # later pull gives it (0.04); the lines without a model: tools, storage, the unrecognised
    # video line and the ungrouped day. Anthropic: cents, 10.085 on 1 June and 12.3456 on 2 June.
    assert rows == [
        ("anthropic", "anthropic_cost_export",
         Decimal("0.224306"), Decimal("0.203456"), Decimal("0.224306")),
        ("openai", "openai_cost_export",
         Decimal("1.975205"), Decimal("1.874500"), Decimal("1.975205")),
    ]  # fmt: skip


LINE_COLUMNS = [
    "model", "token_type", "invoice_lines", "invoice_quantity", "invoice_amount",
    "ledger_quantity", "is_ledger_token_type",
]  # fmt: skip


AUDIO = "gpt-4o-audio-preview-2024-12-17"


def test_every_line_item_lands_with_its_quantity_type(company: Warehouse) -> None:
    rows = company.query(
        f"select provider, {', '.join(LINE_COLUMNS)} from marts.fct_invoice_line_reconciliation"
        " where billing_period_start = date '2026-06-01'"
        " and (invoice_lines > 0 or ledger_quantity > 0) order by provider, model, token_type"
    )
    assert rows == [
        ("anthropic", "claude-sonnet-4.5", "cache_read", 1, None, Decimal("0.0006"), 2500, True),
        ("anthropic", "claude-sonnet-4.5", "cache_write", 1, None, Decimal("0.00375"), 1200, True),
        ("anthropic", "claude-sonnet-4.5", "input", 1, None, Decimal("0.009"), 5500, True),
        ("anthropic", "claude-sonnet-4.5", "output", 1, None, Decimal("0.0075"), 820, True),
        # tool costs billed without a model: compared for the provider as a whole (the gateway
        # log of this test logged no searches or sessions)
        ("anthropic", None, "code_execution", 1, None, Decimal("0.05"), 0, True),
        ("anthropic", None, "web_search", 1, None, Decimal("0.03"), 0, True),
        # audio tokens are their own quantity type (this gateway log has no audio call)
        ("openai", "gpt-4o", "input", 1, Decimal("12000"), Decimal("0.03"), 2400, True),
        ("openai", "gpt-4o", "output", 1, Decimal("1000"), Decimal("0.01"), 230, True),
        ("openai", AUDIO, "input_audio", 1, Decimal("1000"), Decimal("0.04"), 0, True),
        ("openai", AUDIO, "output_audio", 1, Decimal("250"), Decimal("0.02"), 0, True),
        ("openai", "gpt-4o-mini", "cache_read", 1, Decimal("1000"), Decimal("0.000075"), 1000,
         True),
        ("openai", "gpt-4o-mini", "input", 1, Decimal("3000"), Decimal("0.00045"), 10700, True),
        ("openai", "gpt-4o-mini", "output", 1, Decimal("300"), Decimal("0.00018"), 700, True),
        ("openai", "text-embedding-3-small", "input", 0, None, Decimal("0"), 5000, True),
        ("openai", None, "code_execution", 1, Decimal("1"), Decimal("0.03"), 0, True),
        ("openai", None, "web_search", 1, Decimal("4"), Decimal("0.1"), 0, True),
    ]  # fmt: skip
    lines = company.query(
        "select source_system, coalesce(model_canonical, '-'), token_type, unit, quantity, amount,"
        " line_reading from intermediate.int_billed_lines_unioned where model_canonical is null"
        " order by source_system, amount"
    )
    assert lines == [
        ("anthropic_cost_export", "-", "web_search", "calls", None, Decimal("0.03"), "tool calls"),
        ("anthropic_cost_export", "-", "code_execution", "hours", None, Decimal("0.05"),
         "tool hours"),
        ("anthropic_cost_export", "-", "other", None, None, Decimal("0.123456"),
         "ungrouped: the report is not grouped by description"),
        ("openai_cost_export", "-", "other", None, None, Decimal("0.01"), "storage"),
        ("openai_cost_export", "-", "code_execution", "sessions", Decimal("1"), Decimal("0.03"),
         "tool sessions"),
        ("openai_cost_export", "-", "web_search", "calls", Decimal("4"), Decimal("0.1"),
         "tool calls"),
        ("openai_cost_export", "-", "other", None, Decimal("5"), Decimal("0.5"),
         "unrecognised line_item form: kept as an unmodelled charge"),
        ("openai_cost_export", "-", "other", None, None, Decimal("1.2345"),
         "ungrouped: the page is not grouped by line_item"),
    ]  # fmt: skip
