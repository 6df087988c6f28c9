"""The Method sheet: the allocation rules and thresholds in force, in plain words."""

from __future__ import annotations

from chargeback.report.settings import Settings


def _plain(text: str) -> str:
    """One line of text from an indented, wrapped paragraph."""
    return " ".join(text.split())


def method_statements(settings: Settings, pools: str) -> list[tuple[str, str]]:
    """(topic, rule) pairs, the figures taken from the project's settings."""
    currency = settings.reporting_currency
    matched = settings.reconciliation_matched_pct
    tolerance = settings.max_reconciliation_variance_pct
    tags = ", ".join(settings.required_tags)
    statements = {
        "Ledger": """One row per provider call attempt that landed. Each call is priced from the
            list price in force at its UTC time (model_prices, generated from the genai-prices
            catalogue; each row records the catalogue version that priced it), with long-context
            tiers, batch prices and prompt-cache prices, then at the contracted rate where a
            contract sets one (below). Gateway cache hits cost nothing and
            record what they saved. Calls without a price are kept, flagged and counted as
            unpriced, never priced at zero.""",
        "Reporting month": f"""A call belongs to the month of its time in
            {settings.reporting_timezone}.""",
        "Currency": f"""Costs are computed in the price currency and converted to {currency} with
            the {settings.fx_policy} rule; the header names the rates used. A missing rate fails
            the build.""",
        "Ownership": """A call belongs to the team its valid team tag names; else to the owner of
            its API key at the time of the call; else to UNALLOCATED, which is shown, never
            spread silently.""",
        "Cost types": """usage (a first successful attempt), retry (a later attempt), failed
            (status 400 or more; the tokens it used are charged), cache_hit (free).""",
        "Shared costs": f"""Each platform cost pool is split per month by its rule: {pools}.
            Products without an eligible request get nothing; the allocations add up to the pool
            to the cent.""",
        "Own prices and deployments": """A model the catalogue does not know, or a price of
            the company's own, is priced by custom_model_prices from its start date (price source
            custom; free when every price is zero). A call to a deployment (an Azure OpenAI
            deployment, a Bedrock provisioned model) is the model model_deployments says it
            serves; a fine-tune is its base model, priced at the fine-tune's own rates. The Prices
            sheet shows what priced each call.""",
        "Capacity pools": """Capacity bought outright (reserved GPUs, provisioned throughput) is
            not priced per token: its calls cost nothing in the ledger, and each pool period's
            amount goes to the teams whose calls used it, by weighted tokens (output counts more
            than input, cached input nothing), as capacity cost; the capacity nobody used is idle
            capacity cost, charged to the pool's owner (or shared by its users when it has none).
            Each period is allocated whole, to the cent.""",
        "Invoice true-up": """For each provider and billing period, the invoice (usage, discounts,
            credits, fees, adjustments; tax apart) minus the ledger is spread over the period's
            owners in proportion to their ledger cost, so that the chargeback of a provider-month
            equals its invoice.""",
        "Reconciliation": f"""Each invoice is compared with the ledger over the same billing
            period, in the provider's billing time zone and the invoice currency. The variance is
            split into discounts, credits, fees, adjustments, unpriced usage (at the invoice's
            unit price), price differences, token volume differences and the unexplained rest;
            the time-zone cut-off is shown beside it. Status: matched within {matched}%,
            within_tolerance under {tolerance}%, else investigate.""",
        "Chargeback readiness": f"""A team is billed (chargeback) when at least
            {settings.min_attributable_share:.0%} of its spend carries complete, valid tags
            ({tags}), its invoice variance is under {tolerance}% and each of its production keys
            has an owner; otherwise it is shown the cost (showback).""",
        "Tag completeness": f"""The build fails when less than
            {settings.min_tagged_spend_share:.0%} of production spend carries every required tag,
            and when more than {settings.max_unpriced_share:.0%} of calls cannot be priced.""",
        "Rounding": f"""Amounts are exact in the warehouse and rounded here to the minor unit of
            {currency} with the largest-remainder method, so that every column still adds up to
            its total and every total to its parts; an invoice's variance parts add up to its
            rounded variance. A team's charge is rounded once and is the same figure on the
            Summary, Team chargeback, Draft bills and Budget sheets, and so is each of its
            parts (shared costs, retries, true-up) wherever it appears.""",
        "Contracted cost": """Every figure charged here is the contracted cost: the list price,
            replaced by a negotiated rate where the company's contract sets one, less the
            contract's discount (contract_prices, effective-dated, a model's own terms before the
            provider-wide ones). The list cost is kept beside it in the ledger. What the contracts
            do not capture (credits, fees, rounding, other discounts on the invoice) reaches the
            teams through the invoice true-up.""",
    }
    return [(topic, _plain(text)) for topic, text in statements.items()]
