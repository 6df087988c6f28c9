"""The published chargeback examples, built end to end from landing files to the marts.

Each example is a small company of its own, in a month of its own: its teams, products and
keys (one model whose price makes each call cost exactly what the example says) and its calls.
The three companies share one copy of the project and one `dbt build` (a month's chargeback,
shared pool included, reads only that month's calls), and each example reads its month.
Reporting currency USD, so the figures read as published.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from harness import (
    NO_CONTRACTS,
    NO_MATCH_RULES,
    PRICE_HEADER,
    Warehouse,
    build,
    dbt_failure,
    project_copy,
    unsaid,
    write_csv,
    write_jsonl,
)

# These examples are about money, not tags: their calls carry no scenario tag, so the tag
# completeness threshold is off here (its own test below sets it).
USD = {
    "chargeback__reporting_currency": "USD",
    "chargeback__reporting_timezone": "UTC",
    "chargeback__min_tagged_spend_share": 0,
}
PRICE_PER_MTOK = Decimal("0.80")  # 1,000 input tokens cost $0.0008
MODEL_PRICES = f"""
{PRICE_HEADER}
openai,flat-model,standard,0,2026-01-01,,USD,0.800000,,,,0.000000,acceptance example,test==1,
"""
EMPTY_FX = "rate_date,from_currency,to_currency,rate,source\n"


def seeds(teams: list[str], products: list[tuple[str, str, str]]) -> dict[str, str]:
    """Seeds for a company: teams, products (id, owner, lifecycle), one prod key per product."""
    return {
        "teams": "team_id,team_name,department,cost_center,budget_owner\n"
        + "\n".join(f"{t},{t},d,cc-{t},o" for t in teams),
        "products": "product_id,product_name,owner_team_id,lifecycle\n"
        + "\n".join(f"{p},{p},{owner},{life}" for p, owner, life in products),
        "scenarios": "product_id,scenario_id,scenario_name,unit_name,unit_basis\n"
        + "\n".join(f"{p},{p}_use,use,request,request" for p, _, _ in products),
        "api_keys": "api_key_id,owner_team_id,product_id,environment,is_shared,"
        "valid_from,valid_to\n"
        + "\n".join(f"key_{p},{owner},{p},prod,false,2026-01-01," for p, owner, _ in products),
        "model_prices": MODEL_PRICES,
        "model_match_rules": NO_MATCH_RULES,
        "contract_prices": NO_CONTRACTS,
        "fx_rates": EMPTY_FX,
        "budgets": "period_month,team_id,amount,currency\n",
    }


# the month of each example
MONTH_A, MONTH_B, MONTH_C = "2026-07", "2026-08", "2026-09"


def calls(
    prefix: str,
    count: int,
    total_tokens: int,
    environment: str = "prod",
    month: str = MONTH_C,
    **fields: Any,
) -> list[dict]:
    """`count` successful calls in `month` sharing `total_tokens` input tokens as evenly as
    possible."""
    base, extra = divmod(total_tokens, count)
    return [
        {
            "request_id": f"{prefix}-{number}",
            "occurred_at": f"{month}-{1 + number % 28:02d}T10:00:00Z",
            "provider": "openai",
            "model": "flat-model",
            "status_code": 200,
            "attempt_number": 1,
            "input_tokens": base + (1 if number < extra else 0),
            "output_tokens": 0,
            "environment": environment,
            **fields,
        }
        for number in range(count)
    ]


def by_team(warehouse: Warehouse, month: str) -> dict[str, tuple[int, Decimal]]:
    rows = warehouse.query(
        "select team_id, sum(requests), sum(total_charge) from marts.fct_team_chargeback"
        " where period_month = ? group by team_id",
        [f"{month}-01"],
    )
    return {team: (int(requests), Decimal(charge)) for team, requests, charge in rows}


def three_teams() -> tuple[list[tuple[str, str, str]], list[dict]]:
    """(a) Support: 20,000 short calls at $0.0008; sales: 800 long calls at $0.09; an internal
    agent: 3,000 attempts at $0.015, every call failing once and succeeding on its retry."""
    products = [("helpdesk", "support", "production"), ("copilot", "sales", "production")]
    products.append(("agent", "agent_team", "production"))
    month = {"month": MONTH_A}
    support = calls("support", 20_000, 20_000 * 1_000, team="support", product="helpdesk", **month)
    sales = calls("sales", 800, 800 * 112_500, team="sales", product="copilot", **month)
    agent = []
    for attempt in calls(
        "agent", 1_500, 1_500 * 18_750, team="agent_team", product="agent", **month
    ):
        agent.append({**attempt, "status_code": 500})
        agent.append(
            {
                **attempt,
                "request_id": attempt["request_id"] + "-retry",
                "original_request_id": attempt["request_id"],
                "attempt_number": 2,
            }
        )
    return products, support + sales + agent


def shared_pool() -> tuple[list[tuple[str, str, str]], list[dict]]:
    """(b) 100,000 split among three production products with 6,000, 3,000 and 1,000 requests:
    52,000, 31,000 and 17,000; a pilot and a stage-only product get nothing from it (the pool
    is of the August platform costs, below)."""
    products = [
        ("alpha", "t1", "production"), ("beta", "t2", "production"),
        ("gamma", "t3", "production"), ("pilot", "t4", "pilot"), ("staged", "t5", "production"),
    ]  # fmt: skip
    records = []
    for product, owner, count, environment in (
        ("alpha", "t1", 6_000, "prod"), ("beta", "t2", 3_000, "prod"),
        ("gamma", "t3", 1_000, "prod"), ("pilot", "t4", 2_000, "prod"),
        ("staged", "t5", 4_000, "stage"),
    ):  # fmt: skip
        records += calls(
            product, count, count * 10, environment, MONTH_B, team=owner, product=product
        )
    return products, records


def requests_and_cost() -> tuple[list[tuple[str, str, str]], list[dict]]:
    """(c) One team makes 42% of the requests and 24% of the cost, another 18% and 49%."""
    products = [("p1", "many_cheap", "production"), ("p2", "few_dear", "production")]
    products.append(("p3", "the_rest", "production"))
    tokens_per_dollar = 1_250_000  # at $0.80 per million tokens
    records = (
        calls("cheap", 4_200, 24 * tokens_per_dollar, team="many_cheap", product="p1")
        + calls("dear", 1_800, 49 * tokens_per_dollar, team="few_dear", product="p2")
        + calls("rest", 4_000, 27 * tokens_per_dollar, team="the_rest", product="p3")
    )
    return products, records


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The three companies, each in its month, built once."""
    products: list[tuple[str, str, str]] = []
    records: list[dict] = []
    for example in (three_teams, shared_pool, requests_and_cost):
        its_products, its_records = example()
        products += its_products
        records += its_records
    company = seeds(sorted({owner for _, owner, _ in products}), products)
    company["shared_cost_rules"] = (
        "cost_pool,weight_by_requests,weight_even,eligible_environments,eligible_lifecycles\n"
        "gateway_hosting,0.70,0.30,prod,production"
    )
    warehouse = project_copy(tmp_path_factory.mktemp("examples"), company)
    write_jsonl(warehouse.landing / "gateway_requests" / "part.jsonl", records)
    write_csv(
        warehouse.landing / "platform_costs" / f"{MONTH_B}.csv",
        ["period_month", "cost_pool", "amount", "currency", "description"],
        [[f"{MONTH_B}-01", "gateway_hosting", "100000.00", "USD", "gateway"]],
    )
    build(warehouse, variables=USD)
    return warehouse


def test_a_each_team_is_charged_what_its_calls_cost(examples: Warehouse) -> None:
    teams = by_team(examples, MONTH_A)
    assert teams["support"] == (20_000, Decimal("16.00"))
    assert teams["sales"] == (800, Decimal("72.00"))
    assert teams["agent_team"] == (3_000, Decimal("45.00"))


def test_a_sales_and_the_agent_drive_88_percent_of_dollars_support_84_percent_of_requests(
    examples: Warehouse,
) -> None:
    teams = by_team(examples, MONTH_A)
    dollars = sum(charge for _, charge in teams.values())
    requests = sum(count for count, _ in teams.values())
    drivers = (teams["sales"][1] + teams["agent_team"][1]) / dollars
    assert round(drivers * 100) == 88
    assert round(Decimal(teams["support"][0]) / requests * 100) == 84


def test_a_the_agents_money_is_failed_and_retry_cost(examples: Warehouse) -> None:
    failed, retry, usage = examples.query(
        "select sum(failed_cost), sum(retry_cost), sum(usage_cost) "
        "from marts.fct_team_chargeback where team_id = 'agent_team'"
    )[0]
    assert (failed, retry, usage) == (Decimal("22.5"), Decimal("22.5"), Decimal(0))


def test_b_a_shared_pool_splits_70_by_production_requests_and_30_evenly(
    examples: Warehouse,
) -> None:
    shared = dict(
        examples.query(
            "select product_id, sum(shared_cost) from marts.fct_team_chargeback"
            " where period_month = ? group by product_id",
            [f"{MONTH_B}-01"],
        )
    )
    assert shared == {
        "alpha": Decimal("52000.00"),
        "beta": Decimal("31000.00"),
        "gamma": Decimal("17000.00"),
        "pilot": Decimal(0),
        "staged": Decimal(0),
    }


def test_b_no_other_month_shares_the_august_pool(examples: Warehouse) -> None:
    assert examples.scalar(
        "select sum(shared_cost) from marts.fct_team_chargeback where period_month != ?",
        [f"{MONTH_B}-01"],
    ) in (None, 0)


def test_c_share_of_requests_is_not_share_of_cost(examples: Warehouse) -> None:
    teams = by_team(examples, MONTH_C)
    requests = sum(count for count, _ in teams.values())
    dollars = sum(charge for _, charge in teams.values())
    assert Decimal(teams["many_cheap"][0]) / requests == Decimal("0.42")
    assert teams["many_cheap"][1] / dollars == Decimal("0.24")
    assert Decimal(teams["few_dear"][0]) / requests == Decimal("0.18")
    assert teams["few_dear"][1] / dollars == Decimal("0.49")


def test_production_spend_below_the_tag_completeness_threshold_fails_the_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Untagged production traffic (owned only through its key) is an error, not a warning."""
    warehouse = project_copy(
        tmp_path_factory.mktemp("tags"), seeds(["support"], [("helpdesk", "support", "production")])
    )
    tagged = calls(
        "tagged", 50, 50_000, team="support", product="helpdesk", scenario="helpdesk_use"
    )
    untagged = calls("untagged", 50, 50_000, api_key_id="key_helpdesk")
    for record in untagged:
        record.pop("environment")
    write_jsonl(warehouse.landing / "gateway_requests" / "part.jsonl", tagged + untagged)
    # the two tag-completeness tests and everything they read, built with their own tests
    output = dbt_failure(
        warehouse,
        "build",
        "--select",
        "+tag_completeness_of_production_spend",
        "+tag_completeness_of_other_spend",
        "--exclude",
        "resource_type:unit_test",
        variables={**USD, "chargeback__min_tagged_spend_share": 0.9},
    )
    missing = unsaid(
        output,
        "ERROR tag_completeness_of_production_spend",
        # the error says which tags are missing and what to do
        "Compilation Error in test tag_completeness_of_production_spend",
        "team missing on 50 calls",
        "lower chargeback__min_tagged_spend_share",
        "tag_completeness_of_other_spend",
    )
    assert missing == []
