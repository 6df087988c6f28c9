"""The demo company: who calls which models for what, and how the story unfolds.

Ids (teams, products, scenarios, keys) are the ones in seeds/; a test checks they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Product(NamedTuple):
    """A product's owning team and the production API key its scenarios call with."""

    team_id: str
    api_key_id: str


# As in seeds/products.csv (owner_team_id) and seeds/api_keys.csv.
PRODUCTS: dict[str, Product] = {
    "support_assistant": Product("support", "key_support_prod"),
    "call_summaries": Product("support", "key_calls_prod"),
    "sales_copilot": Product("sales", "key_sales_prod"),
    "doc_check": Product("risk", "key_risk_prod"),
    "catalogue_search": Product("search", "key_search_prod"),
    "nightly_digest": Product("data_platform", "key_digest_batch"),
    "contract_analyzer": Product("risk", "key_contracts_pilot"),
    "voice_agent": Product("sales", "key_voice_pilot"),
}


@dataclass(frozen=True)
class Route:
    """How a scenario's calls are logged: provider and model as the gateway writes them."""

    provider_logged: str
    model_logged: str
    weight: float


@dataclass(frozen=True)
class Scenario:
    scenario_id: str
    product_id: str
    share: float  # of all logical requests
    trace: str  # "conv" or "code"
    input_scale: float
    output_scale: float
    turns: tuple[int, int]  # requests per unit of work, inclusive range
    routes: tuple[Route, ...]
    request_type: str = "chat"
    hours: str = "business"  # or "night"
    is_batch: bool = False
    gateway_cache_rate: float = 0.0
    prompt_cache: str = "none"  # none, openai, write_5m, write_1h
    monthly_growth: tuple[float, ...] = (1.0, 1.0, 1.0)
    template_versions: tuple[str, ...] = ("v1",)

    @property
    def team_id(self) -> str:
        return PRODUCTS[self.product_id].team_id

    @property
    def api_key_id(self) -> str:
        return PRODUCTS[self.product_id].api_key_id


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "support_conversation",
        "support_assistant",
        share=0.25,
        trace="conv",
        input_scale=1.0,
        output_scale=1.0,
        turns=(2, 8),
        routes=(Route("openai", "gpt-4o-2024-08-06", 0.8), Route("OpenAI", "chat-default", 0.2)),
        prompt_cache="openai",
        template_versions=("v3", "v4"),
    ),
    Scenario(
        "ticket_triage",
        "support_assistant",
        share=0.10,
        trace="conv",
        input_scale=0.6,
        output_scale=0.3,
        turns=(1, 1),
        routes=(Route("openai", "chat-fast", 1.0),),
        gateway_cache_rate=0.08,
    ),
    Scenario(
        "call_summary",
        "call_summaries",
        share=0.08,
        trace="code",
        input_scale=1.2,
        output_scale=4.0,
        turns=(1, 2),
        routes=(
            Route("anthropic", "claude-3-5-haiku-20241022", 0.6),
            Route("OpenAI", "openai/gpt-4o-mini", 0.4),
        ),
    ),
    Scenario(
        "email_draft",
        "sales_copilot",
        share=0.08,
        trace="conv",
        input_scale=1.5,
        output_scale=2.0,
        turns=(1, 1),
        routes=(Route("openai", "chat-default", 1.0),),
    ),
    Scenario(
        "account_brief",
        "sales_copilot",
        share=0.04,
        trace="code",
        input_scale=2.0,
        output_scale=6.0,
        turns=(1, 3),
        routes=(Route("anthropic", "reasoning-large", 1.0),),
    ),
    Scenario(
        "document_check",
        "doc_check",
        share=0.12,
        trace="code",
        input_scale=3.0,
        output_scale=2.0,
        turns=(1, 4),
        routes=(
            Route("anthropic", "claude-sonnet-4-20250514", 0.7),
            Route("aws.bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0", 0.3),
        ),
        prompt_cache="write_5m",
        monthly_growth=(1.0, 1.0, 1.3),
    ),
    Scenario(
        "kyc_extraction",
        "doc_check",
        share=0.05,
        trace="code",
        input_scale=1.0,
        output_scale=1.5,
        turns=(1, 2),
        routes=(Route("bedrock", "amazon.nova-lite-v1:0", 1.0),),
    ),
    Scenario(
        "catalogue_search",
        "catalogue_search",
        share=0.12,
        trace="conv",
        input_scale=0.2,
        output_scale=0.0,
        turns=(1, 1),
        routes=(
            Route("openai", "embed-default", 0.7),
            Route("aws.bedrock", "amazon.titan-embed-text-v2:0", 0.3),
        ),
        request_type="embedding",
        gateway_cache_rate=0.08,
    ),
    Scenario(
        "product_qa",
        "catalogue_search",
        share=0.06,
        trace="conv",
        input_scale=1.0,
        output_scale=1.0,
        turns=(1, 4),
        routes=(Route("OpenAI", "openai/gpt-4o-mini", 1.0),),
        gateway_cache_rate=0.08,
    ),
    Scenario(
        "batch_summarisation",
        "nightly_digest",
        share=0.06,
        trace="code",
        input_scale=2.0,
        output_scale=5.0,
        turns=(1, 1),
        routes=(
            Route("anthropic", "claude-3-5-haiku-latest", 0.6),
            Route("openai", "gpt-4o-mini", 0.4),
        ),
        hours="night",
        is_batch=True,
    ),
    Scenario(
        "contract_review",
        "contract_analyzer",
        share=0.008,
        trace="code",
        input_scale=20.0,
        output_scale=8.0,
        turns=(1, 3),
        routes=(Route("anthropic", "claude-sonnet-4-20250514", 1.0),),
        prompt_cache="write_1h",
    ),
    Scenario(
        "voice_call",
        "voice_agent",
        share=0.02,
        trace="conv",
        input_scale=0.8,
        output_scale=0.8,
        turns=(3, 10),
        routes=(Route("openai", "gpt-4.1-mini", 1.0),),
        monthly_growth=(0.4, 1.0, 2.2),
    ),
)

# Calls the price catalogue cannot price alone (seeds model_deployments, custom_model_prices
# and capacity_pools hold what the company knows of them): (scenario, share of its first
# attempts, provider and model as logged).
OWN_MODEL_ROUTES: tuple[tuple[str, float, str, str], ...] = (
    # the support assistant's Azure OpenAI deployment, logged under its own name
    ("support_conversation", 0.03, "azure", "azure/support-o4mini-prod"),
    # the sales team's fine-tune of gpt-4o-mini, at the catalogue's fine-tune rates
    ("email_draft", 0.10, "openai", "ft:gpt-4o-mini-2024-07-18:acme::sales-v1"),
    # an internal triage model behind the gateway, at the company's own transfer price
    ("ticket_triage", 0.30, "self_hosted", "triage-small-v2"),
    # KYC extraction on the company's own GPU cluster: a capacity pool
    ("kyc_extraction", 0.50, "self_hosted", "gpu-pool-a"),
    # call summaries on an Azure OpenAI deployment of reserved capacity (PTU): a capacity pool
    # Azure bills on its invoice
    ("call_summary", 0.25, "azure", "azure/callsum-gpt4omini-ptu"),
)
OWN_MODELS_SEED = 25  # the routes draw from a generator of their own: other traffic is unchanged

TEAM_COST_CENTERS = {
    "support": "CC-4100",
    "sales": "CC-2200",
    "risk": "CC-3300",
    "search": "CC-5100",
    "data_platform": "CC-6100",
    "ai_platform": "CC-6200",
}

# Share of logical requests of each special kind of traffic (of N).
LOAD_TEST_SHARE = 0.04  # document checks in stage, one afternoon
UNTAGGED_SHARE = 0.05
MISSPELT_TEAM_SHARE = 0.01  # team "suport"
MISSPELT_ENVIRONMENT_SHARE = 0.01  # environment "prodution"
SPELLED_OUT_ENVIRONMENT_SHARE = 0.10  # environment "Production"
SHARED_KEY_SHARE = 0.03
HANDOVER_KEY_SHARE = 0.01
LEGACY_KEY_SHARE_OF_BATCH = 0.3
UNPRICED_SHARE = 0.0005
STORM_BURST_SHARE = 0.005  # extra ticket triage during the retry storm
RETRY_RATE = 0.02
FAILED_WITH_TOKENS_RATE = 0.004
OPUS_BATCH_SHARE_OF_BATCH = 0.01

# Days after the start at which things happen (2026-08-01 + 38 = 2026-09-08, + 53 = 09-23).
LOAD_TEST_DAY = 38
RETRY_STORM_DAY = 53
TEMPLATE_CHANGE_DAY_OF_LAST_MONTH = 6  # longer answers from this day of the last month
LONGER_ANSWERS_FACTOR = 1.25
