/*
    What each team would be charged, per month, product and environment, from the ledger as it
    is now. fct_team_chargeback shows it for open periods; a closed period keeps what it showed
    when it closed (int_closed_team_charges) and the difference is booked as a correction.

    total_charge = ledger_cost + shared_cost + invoice_true_up + capacity_cost
                   + idle_capacity_cost, where
      - ledger_cost is the ledger's cost of the rows (usage_cost + retry_cost + failed_cost;
        gateway cache hits cost nothing and count in cache_savings);
      - shared_cost is the row's allocation of the platform cost pools
        (int_shared_costs_allocated, to the cent per pool);
      - invoice_true_up is the row's share of the difference between each provider's invoice
        and the ledger of its billing period (int_invoice_true_up_allocated);
      - capacity_cost is the row's share of the capacity pools its calls used, and
        idle_capacity_cost its share of their unused capacity (int_capacity_costs_allocated,
        to the cent per pool period; the calls themselves cost 0 in the ledger);
      - unlogged_spend is the part of invoice_true_up that no logged call explains (a provider
        billing period without logged calls, usage of a model nobody logged), booked to
        UNALLOCATED (DECISIONS.md, "Spend without logged calls"); 0 on other rows.
    ledger_cost is also split by what was bought (DECISIONS.md, "Billable quantities"):
    text_token_cost + audio_image_token_cost + tool_call_cost + request_fee_cost = ledger_cost,
    the ledger's own parts of each call's cost (fct_request_costs), converted as its cost is;
    text_token_cost is the rest.
    UNALLOCATED is a team like the others here: untagged and unowned spend is shown, never
    spread. billing_mode is chargeback when the team-month is chargeback-ready
    (fct_showback_confidence), else showback. Budgets are team-month amounts spread over the team's rows in proportion to their
    total charge, so that budget and budget_variance add up per team (DECISIONS.md).
*/

-- A table: an aggregate of the ledger read by several models and tests, computed once.
{{ config(materialized='table') }}


{%- set reporting_currency = var('chargeback__reporting_currency') %}
{%- set grain = ['period_month', 'team_id', 'product_id', 'environment'] %}
{%- set cost_parts = ['audio_image_token_cost', 'tool_call_cost', 'request_fee_cost'] %}
{%- set charge_measures = team_charge_measures() %}
{#- the three parts of a charge, each summed by owner (grain) #}
{%- set owner_parts = ['ledger_by_owner', 'shared_by_owner', 'true_up_by_owner', 'capacity_by_owner'] %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

shared_costs as (
    select * from {{ ref('int_shared_costs_allocated') }}
),

true_ups as (
    select * from {{ ref('int_invoice_true_up_allocated') }}
),

capacity_costs as (
    select * from {{ ref('int_capacity_costs_allocated') }}
),

budgets as (
    select * from {{ ref('budgets') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

confidence as (
    select * from {{ ref('int_showback_confidence_scored') }}
),

ledger_by_owner as (
    select
        period_month,
        team_id,
        product_id,
        environment,
        sum(requests) as requests,
        sum(case when cost_type = 'retry' then requests else 0 end) as retry_requests,
        sum(case when cost_type = 'failed' then requests else 0 end) as failed_requests,
        sum(case when cost_type = 'cache_hit' then requests else 0 end) as cache_hit_requests,
        sum(case when is_priced then 0 else requests end) as unpriced_requests,
        coalesce(sum(case when cost_type in ('usage', 'cache_hit') then cost_reporting end), 0) as usage_cost,
        coalesce(sum(case when cost_type = 'retry' then cost_reporting end), 0) as retry_cost,
        coalesce(sum(case when cost_type = 'failed' then cost_reporting end), 0) as failed_cost,
        coalesce(sum(cache_savings_reporting), 0) as cache_savings,
        coalesce(sum(case when cost_type in ('usage', 'cache_hit') then cost_usd end), 0) as usage_cost_usd,
        coalesce(sum(case when cost_type = 'retry' then cost_usd end), 0) as retry_cost_usd,
        coalesce(sum(case when cost_type = 'failed' then cost_usd end), 0) as failed_cost_usd,
        {%- for part in cost_parts %}
            coalesce(sum({{ part }}_reporting), 0) as {{ part }},
            coalesce(sum({{ part }}_usd), 0) as {{ part }}_usd,
        {%- endfor %}
        coalesce(sum(cache_savings_usd), 0) as cache_savings_usd
    from ledger
    group by
        period_month,
        team_id,
        product_id,
        environment
),

shared_by_owner as (
    select
        period_month,
        team_id,
        product_id,
        environment,
        sum(allocated_shared_cost) as shared_cost,
        sum(allocated_shared_cost_usd) as shared_cost_usd
    from shared_costs
    group by
        period_month,
        team_id,
        product_id,
        environment
),

true_up_by_owner as (
    select
        period_month,
        team_id,
        product_id,
        environment,
        sum(allocated_invoice_true_up) as invoice_true_up,
        sum(unlogged_spend) as unlogged_spend,
        sum(allocated_invoice_true_up_usd) as invoice_true_up_usd,
        sum(unlogged_spend_usd) as unlogged_spend_usd
    from true_ups
    group by
        period_month,
        team_id,
        product_id,
        environment
),

capacity_by_owner as (
    select
        period_month,
        team_id,
        product_id,
        environment,
        sum(case when capacity_charge = 'used' then allocated_capacity_cost else 0 end) as capacity_cost,
        sum(case when capacity_charge = 'idle' then allocated_capacity_cost else 0 end) as idle_capacity_cost,
        sum(case when capacity_charge = 'used' then allocated_capacity_cost_usd else 0 end) as capacity_cost_usd,
        sum(case when capacity_charge = 'idle' then allocated_capacity_cost_usd else 0 end) as idle_capacity_cost_usd
    from capacity_costs
    group by
        period_month,
        team_id,
        product_id,
        environment
),

owners as (
    {%- for by_owner in owner_parts %}
        select {{ grain | join(', ') }} from {{ by_owner }}
        {{ 'union' if not loop.last }}
    {%- endfor %}
),

-- every money figure in the reporting currency and in USD
charged as (
    select
        owners.{{ grain | join(',\n        owners.') }},
        {%- for currency in ['', '_usd'] %}
            coalesce(ledger_by_owner.usage_cost{{ currency }}, 0) as usage_cost{{ currency }},
            coalesce(ledger_by_owner.retry_cost{{ currency }}, 0) as retry_cost{{ currency }},
            coalesce(ledger_by_owner.failed_cost{{ currency }}, 0) as failed_cost{{ currency }},
            coalesce(ledger_by_owner.usage_cost{{ currency }}, 0)
            + coalesce(ledger_by_owner.retry_cost{{ currency }}, 0)
            + coalesce(ledger_by_owner.failed_cost{{ currency }}, 0) as ledger_cost{{ currency }},
            coalesce(ledger_by_owner.cache_savings{{ currency }}, 0) as cache_savings{{ currency }},
            coalesce(shared_by_owner.shared_cost{{ currency }}, 0) as shared_cost{{ currency }},
            coalesce(true_up_by_owner.invoice_true_up{{ currency }}, 0) as invoice_true_up{{ currency }},
            coalesce(true_up_by_owner.unlogged_spend{{ currency }}, 0) as unlogged_spend{{ currency }},
            coalesce(capacity_by_owner.capacity_cost{{ currency }}, 0) as capacity_cost{{ currency }},
            coalesce(capacity_by_owner.idle_capacity_cost{{ currency }}, 0) as idle_capacity_cost{{ currency }},
            {%- for part in cost_parts %}
                coalesce(ledger_by_owner.{{ part }}{{ currency }}, 0) as {{ part }}{{ currency }},
            {%- endfor %}
            coalesce(ledger_by_owner.usage_cost{{ currency }}, 0)
            + coalesce(ledger_by_owner.retry_cost{{ currency }}, 0)
            + coalesce(ledger_by_owner.failed_cost{{ currency }}, 0)
            {%- for part in cost_parts %}
                - coalesce(ledger_by_owner.{{ part }}{{ currency }}, 0)
            {%- endfor %} as text_token_cost{{ currency }},
        {%- endfor %}
        coalesce(ledger_by_owner.requests, 0) as requests,
        coalesce(ledger_by_owner.retry_requests, 0) as retry_requests,
        coalesce(ledger_by_owner.failed_requests, 0) as failed_requests,
        coalesce(ledger_by_owner.cache_hit_requests, 0) as cache_hit_requests,
        coalesce(ledger_by_owner.unpriced_requests, 0) as unpriced_requests
    -- the layout linter does not follow joins written in a loop
    -- noqa: disable=LT02
    from owners
    {%- for by_owner in owner_parts %}
    left join {{ by_owner }}
        on owners.period_month = {{ by_owner }}.period_month
        {%- for column in grain[1:] %}
        and owners.{{ column }} = {{ by_owner }}.{{ column }}
        {%- endfor %}
    {%- endfor %}
    -- noqa: enable=LT02
),

totalled as (
    select
        *,
        ledger_cost + shared_cost + invoice_true_up + capacity_cost + idle_capacity_cost as total_charge,
        ledger_cost_usd + shared_cost_usd + invoice_true_up_usd + capacity_cost_usd + idle_capacity_cost_usd
            as total_charge_usd
    from charged
),

budgeted as (
    select
        totalled.*,
        {{ convert_currency(
            'budgets.amount',
            "case when budgets.currency = '" ~ reporting_currency ~ "' then 1 else to_reporting.rate end"
        ) }} as team_budget,
        cast(totalled.total_charge as {{ type_share() }})
        / nullif(sum(totalled.total_charge) over (partition by totalled.period_month, totalled.team_id), 0)
            as share_of_team_charge,
        case when confidence.is_chargeback_ready then 'chargeback' else 'showback' end as billing_mode
    from totalled
    left join confidence
        on totalled.period_month = confidence.period_month
        and totalled.team_id = confidence.team_id
    left join budgets
        on totalled.period_month = budgets.period_month
        and totalled.team_id = budgets.team_id
    {{ fx_rate_join('to_reporting', 'budgets.currency', 'budgets.period_month', "'" ~ reporting_currency ~ "'") }}
),

final as (
    select
        period_month,
        team_id,
        product_id,
        environment,
        {%- for measure in charge_measures['reporting'] %}
            {{ measure }},
        {%- endfor %}
        cast(team_budget * share_of_team_charge as {{ type_money() }}) as budget,
        cast(team_budget * share_of_team_charge as {{ type_money() }}) - total_charge as budget_variance,
        billing_mode,
        {%- for measure in charge_measures['usd'] %}
            {{ measure }},
        {%- endfor %}
        '{{ reporting_currency }}' as reporting_currency,
        {{ (charge_measures['breakdown'] + charge_measures['capacity']) | join(',\n        ') }}
    from budgeted
)

select * from final
