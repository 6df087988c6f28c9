/*
    Each scenario's month in the figures its unit cost is explained by.

    Units of work: distinct unit_id for scenarios counted by unit_id, first attempts (logical
    requests, retries not counted again) for scenarios counted by request and for requests
    whose scenario is unknown. Cost is the ledger cost in the reporting currency plus the
    capacity the scenario's calls used of the capacity pools that served them (capacity_cost:
    their used share of each pool, int_capacity_costs_allocated; the calls themselves cost 0
    in the ledger, and idle capacity is its owner's, not a scenario's). The ledger cost is
    split into its output part (output tokens x the output price of the row's price row) and
    the rest (input_cost),
    with retry and failed cost, cache savings, the model that took most of the cost and that
    model's average list input price (token-weighted), which shows a price change.
*/

-- A table: an aggregate of the ledger read by several models and tests, computed once. Every
-- sum comes from the ledger's daily summary at the grain of the scenario's models (rolled up
-- below); the distinct unit ids, which do not roll up, from int_scenario_units_counted.
{{ config(materialized='table') }}


with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

scenario_units as (
    select * from {{ ref('int_scenario_units_counted') }}
    where counted_over = 'all_teams'
),

prices as (
    select * from {{ ref('int_model_prices_prepared') }}
),

scenarios as (
    select * from {{ ref('scenarios') }}
),

capacity_costs as (
    select * from {{ ref('int_capacity_costs_allocated') }}
    where capacity_charge = 'used'
),

capacity_by_scenario as (
    select
        period_month,
        product_id,
        scenario_id,
        sum(allocated_capacity_cost) as capacity_cost
    from capacity_costs
    group by
        period_month,
        product_id,
        scenario_id
),

costed_rows as (
    select
        ledger.period_month,
        ledger.product_id,
        ledger.scenario_id,
        ledger.model_canonical,
        ledger.requests,
        ledger.first_attempts,
        ledger.input_tokens,
        ledger.output_tokens,
        ledger.cost_type,
        coalesce(ledger.cost_reporting, 0) as cost,
        coalesce(ledger.cache_savings_reporting, 0) as cache_savings,
        case
            when ledger.is_priced and ledger.cost_type <> 'cache_hit'
                then {{ convert_currency(cost_of_tokens('ledger.output_tokens', 'prices.output_per_token'), 'ledger.fx_rate') }}
            else 0
        end as output_cost,
        -- exact decimals, so that the weighted average below does not depend on summing order
        cast(prices.input_per_mtok as {{ type_price_per_mtok() }}) * cast(ledger.input_tokens as {{ type_token_count() }})
            as weighted_input_price
    from ledger
    left join prices
        on ledger.price_row_id = prices.price_row_id
),

model_months as (
    select
        period_month,
        product_id,
        scenario_id,
        model_canonical,
        sum(requests) as requests,
        sum(first_attempts) as first_attempts,
        sum(cost) as model_cost,
        sum(output_cost) as output_cost,
        sum(case when cost_type in ('retry', 'failed') then cost else 0 end) as retry_failed_cost,
        sum(cache_savings) as cache_savings,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(weighted_input_price) as weighted_input_price,
        sum(case when weighted_input_price is not null then input_tokens end) as priced_input_tokens
    from costed_rows
    group by
        period_month,
        product_id,
        scenario_id,
        model_canonical
),

unit_counts as (
    select
        period_month,
        product_id,
        scenario_id,
        distinct_unit_ids
    from scenario_units
),

by_model as (
    select
        period_month,
        product_id,
        scenario_id,
        model_canonical,
        model_cost,
        cast(
            {{ divide('weighted_input_price', 'nullif(priced_input_tokens, 0)') }}
            as {{ type_price_per_mtok() }}
        ) as model_input_price_per_mtok,
        row_number() over (
            partition by period_month, product_id, scenario_id
            order by model_cost desc, model_canonical asc
        ) as cost_rank
    from model_months
),

summed as (
    select
        model_months.period_month,
        model_months.product_id,
        model_months.scenario_id,
        coalesce(max(scenarios.unit_basis), 'request') as unit_basis,
        sum(model_months.requests) as requests,
        sum(model_months.first_attempts) as first_attempts,
        sum(model_months.model_cost) as total_cost,
        sum(model_months.output_cost) as output_cost,
        sum(model_months.retry_failed_cost) as retry_failed_cost,
        sum(model_months.cache_savings) as cache_savings,
        sum(model_months.input_tokens) as input_tokens,
        sum(model_months.output_tokens) as output_tokens
    from model_months
    left join scenarios
        on model_months.product_id = scenarios.product_id
        and model_months.scenario_id = scenarios.scenario_id
    group by
        model_months.period_month,
        model_months.product_id,
        model_months.scenario_id
),

final as (
    select
        summed.period_month,
        summed.product_id,
        summed.scenario_id,
        summed.unit_basis,
        case
            when summed.unit_basis = 'unit_id' and unit_counts.distinct_unit_ids > 0 then unit_counts.distinct_unit_ids
            else summed.first_attempts
        end as units,
        summed.requests,
        summed.total_cost + coalesce(capacity_by_scenario.capacity_cost, 0) as total_cost,
        summed.output_cost,
        summed.total_cost - summed.output_cost as input_cost,
        coalesce(capacity_by_scenario.capacity_cost, 0) as capacity_cost,
        summed.retry_failed_cost,
        summed.cache_savings,
        summed.input_tokens,
        summed.output_tokens,
        by_model.model_canonical as main_model,
        cast(by_model.model_cost as {{ type_share() }}) / nullif(summed.total_cost, 0) as main_model_cost_share,
        by_model.model_input_price_per_mtok as main_model_input_price_per_mtok
    from summed
    left join unit_counts
        on summed.period_month = unit_counts.period_month
        and summed.product_id = unit_counts.product_id
        and summed.scenario_id = unit_counts.scenario_id
    left join capacity_by_scenario
        on summed.period_month = capacity_by_scenario.period_month
        and summed.product_id = capacity_by_scenario.product_id
        and summed.scenario_id = capacity_by_scenario.scenario_id
    left join by_model
        on summed.period_month = by_model.period_month
        and summed.product_id = by_model.product_id
        and summed.scenario_id = by_model.scenario_id
        and by_model.cost_rank = 1
)

select * from final
