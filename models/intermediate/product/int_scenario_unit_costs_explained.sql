/*
    What one unit of work costs, per month, product and scenario, and why it changed.

    cost_per_unit = total_cost / units (ledger cost and the capacity the calls used,
    int_scenario_months_summarised; reporting currency). Against the previous month:
        volume_effect    = (units - prior_units) x prior_cost_per_unit
        unit_cost_effect = total_cost - prior_total_cost - volume_effect
    so the two effects add up to the change in total cost exactly.

    The main driver of a unit-cost change is the candidate with the largest estimated effect on
    cost per unit in the direction of the change, each valued at the previous month's rates:
        longer outputs   change in output tokens per unit x prior output cost per output token
        longer inputs    change in input tokens per unit x prior input cost per input token
        more retries or failures   change in retry and failed cost per unit
        less cache       fall in cache savings per unit
        more capacity    change in capacity pool cost per unit (the share of the pools'
                         capacity the scenario's calls used)
        price change / model mix shift   what remains: a price change when the main model is
                         the same and its list price moved by more than 1%; a shift in which
                         models do the work when the main model changed or its share of the
                         cost moved by 5 points or more; otherwise not a candidate.
    A change of cost per unit under 1% is reported as unchanged.
    The reason is one sentence in the product manager's words.
*/

{#- the month's figures the previous month's are compared with #}
{%- set lagged_columns = [
    'units', 'total_cost', 'output_cost', 'input_cost', 'output_tokens', 'input_tokens', 'retry_failed_cost',
    'cache_savings', 'main_model', 'main_model_cost_share', 'main_model_input_price_per_mtok',
    'capacity_cost',
] %}
{#- the candidate drivers valued on their own, with their effect on cost per unit #}
{%- set driver_effects = {
    'longer outputs': 'output_length_effect',
    'longer inputs': 'input_length_effect',
    'more retries or failures': 'retry_effect',
    'less cache': 'cache_effect',
    'more capacity': 'capacity_effect',
} %}

with

months as (
    select * from {{ ref('int_scenario_months_summarised') }}
),

scenarios as (
    select * from {{ ref('scenarios') }}
),

with_prior as (
    select
        months.*,
        cast(months.total_cost as {{ type_share() }}) / nullif(months.units, 0) as cost_per_unit_exact,
        {%- for column in lagged_columns %}
            lag(months.{{ column }}) over (partition by months.product_id, months.scenario_id order by months.period_month)
                as lagged_{{ column }},
        {%- endfor %}
        lag(months.period_month) over (partition by months.product_id, months.scenario_id order by months.period_month)
            as prior_period_month
    from months
),

prior_month as (
    -- Only the calendar month just before counts as "previous".
    select
        *,
        prior_period_month = cast({{ dbt.dateadd('month', -1, 'period_month') }} as date)
        and lagged_units > 0 as has_prior_month
    from with_prior
),

effects as (
    select
        *,
        case when has_prior_month then lagged_units end as prior_units,
        case when has_prior_month then lagged_total_cost end as prior_total_cost,
        case when has_prior_month then cast(lagged_total_cost as {{ type_share() }}) / lagged_units end
            as prior_cost_per_unit_exact
    from prior_month
),

candidates as (
    select
        *,
        cost_per_unit_exact - prior_cost_per_unit_exact as cost_per_unit_change,
        (cast(output_tokens as {{ type_share() }}) / nullif(units, 0) - cast(lagged_output_tokens as {{ type_share() }}) / lagged_units)
        * (cast(lagged_output_cost as {{ type_share() }}) / nullif(lagged_output_tokens, 0)) as output_length_effect,
        (cast(input_tokens as {{ type_share() }}) / nullif(units, 0) - cast(lagged_input_tokens as {{ type_share() }}) / lagged_units)
        * (cast(lagged_input_cost as {{ type_share() }}) / nullif(lagged_input_tokens, 0)) as input_length_effect,
        cast(retry_failed_cost as {{ type_share() }}) / nullif(units, 0)
        - cast(lagged_retry_failed_cost as {{ type_share() }}) / lagged_units as retry_effect,
        cast(lagged_cache_savings as {{ type_share() }}) / lagged_units
        - cast(cache_savings as {{ type_share() }}) / nullif(units, 0) as cache_effect,
        cast(coalesce(capacity_cost, 0) as {{ type_share() }}) / nullif(units, 0)
        - cast(coalesce(lagged_capacity_cost, 0) as {{ type_share() }}) / lagged_units as capacity_effect
    from effects
    where has_prior_month
),

drivers_valued as (
    select
        product_id,
        scenario_id,
        period_month,
        cost_per_unit_change
        - coalesce(output_length_effect, 0)
        - coalesce(input_length_effect, 0)
        - coalesce(retry_effect, 0)
        - coalesce(cache_effect, 0)
        - coalesce(capacity_effect, 0) as price_or_mix_effect,
        output_length_effect,
        input_length_effect,
        retry_effect,
        cache_effect,
        capacity_effect,
        cost_per_unit_change,
        main_model = lagged_main_model
        and abs(main_model_input_price_per_mtok - lagged_main_model_input_price_per_mtok)
        > 0.01 * lagged_main_model_input_price_per_mtok as is_price_change,
        main_model <> lagged_main_model
        or abs(main_model_cost_share - lagged_main_model_cost_share) >= 0.05 as is_mix_shift
    from candidates
),

driver_candidates as (
    {%- for driver, effect in driver_effects.items() %}
        select
            product_id,
            scenario_id,
            period_month,
            cost_per_unit_change,
            '{{ driver }}' as driver,
            {{ effect }} as effect
        from drivers_valued
        union all
    {%- endfor %}
    select
        product_id,
        scenario_id,
        period_month,
        cost_per_unit_change,
        case when is_price_change then 'price change' else 'model mix shift' end as driver,
        price_or_mix_effect as effect
    from drivers_valued
    where is_price_change or is_mix_shift
),

ranked_drivers as (
    select
        *,
        row_number() over (
            partition by product_id, scenario_id, period_month
            order by
                case when effect * cost_per_unit_change > 0 then 0 else 1 end,
                abs(effect) desc,
                driver
        ) as driver_rank
    from driver_candidates
    where effect is not null
),

main_drivers as (
    select
        product_id,
        scenario_id,
        period_month,
        driver as main_driver
    from ranked_drivers
    where
        driver_rank = 1
        and cost_per_unit_change <> 0
),

final as (
    select
        effects.period_month,
        effects.product_id,
        effects.scenario_id,
        coalesce(scenarios.unit_name, 'request') as unit_name,
        effects.unit_basis,
        effects.units,
        effects.requests,
        effects.total_cost,
        cast(effects.cost_per_unit_exact as {{ type_money() }}) as cost_per_unit,
        effects.prior_units,
        effects.prior_total_cost,
        cast(effects.prior_cost_per_unit_exact as {{ type_money() }}) as prior_cost_per_unit,
        cast((effects.units - effects.prior_units) * effects.prior_cost_per_unit_exact as {{ type_money() }})
            as volume_effect,
        effects.total_cost - effects.prior_total_cost
        - cast((effects.units - effects.prior_units) * effects.prior_cost_per_unit_exact as {{ type_money() }})
            as unit_cost_effect,
        100 * (effects.cost_per_unit_exact / effects.prior_cost_per_unit_exact - 1) as cost_per_unit_change_pct,
        effects.output_tokens,
        effects.input_tokens,
        effects.retry_failed_cost,
        effects.cache_savings,
        effects.main_model,
        effects.lagged_main_model as prior_main_model,
        effects.main_model_cost_share,
        effects.lagged_main_model_cost_share as prior_main_model_cost_share,
        main_drivers.main_driver,
        effects.lagged_output_tokens as prior_output_tokens,
        effects.lagged_input_tokens as prior_input_tokens,
        effects.lagged_retry_failed_cost as prior_retry_failed_cost,
        effects.lagged_cache_savings as prior_cache_savings,
        effects.main_model_input_price_per_mtok,
        effects.lagged_main_model_input_price_per_mtok as prior_main_model_input_price_per_mtok,
        '{{ var("chargeback__reporting_currency") }}' as reporting_currency,
        coalesce(effects.capacity_cost, 0) as capacity_cost,
        case when effects.has_prior_month then coalesce(effects.lagged_capacity_cost, 0) end as prior_capacity_cost
    from effects
    left join main_drivers
        on effects.product_id = main_drivers.product_id
        and effects.scenario_id = main_drivers.scenario_id
        and effects.period_month = main_drivers.period_month
    left join scenarios
        on effects.product_id = scenarios.product_id
        and effects.scenario_id = scenarios.scenario_id
),

{%- set pct = "cast(cast(" ~ round_share('abs(%s)', 0) ~ " as " ~ dbt.type_int() ~ ") as " ~ dbt.type_string() ~ ")" %}
{#- drivers phrased by the change of tokens per unit: driver, opening words, tokens, and the words for more and less #}
{%- set per_unit_phrases = [
    ('longer outputs', 'responses got ', 'output_tokens', '% longer', '% shorter'),
    ('longer inputs', 'each request carried ', 'input_tokens', '% more text', '% less text'),
] %}
{#- drivers phrased by the share of the cost this month and the month before: driver, opening words, cost, of what #}
{%- set cost_share_phrases = [
    ('more retries or failures', 'failed and repeated calls made ', 'retry_failed_cost', ['total_cost']),
    ('less cache', 'answers from the cache saved ', 'cache_savings', ['total_cost', 'cache_savings']),
] %}
{%- set capacity_per_unit_change = '100 * ((cast(capacity_cost as ' ~ type_share() ~ ') / units)'
    ~ ' / (cast(prior_capacity_cost as ' ~ type_share() ~ ') / prior_units) - 1)' %}

phrased as (
    select
        *,
        case
            {%- for driver, opening, tokens, grew, shrank in per_unit_phrases %}
                when main_driver = '{{ driver }}'
                    then {{ dbt.concat([
                        "'" ~ opening ~ "'",
                        pct | format('100 * ((cast(' ~ tokens ~ ' as ' ~ type_share() ~ ') / units) / (cast(prior_' ~ tokens ~ ' as ' ~ type_share() ~ ') / prior_units) - 1)'),
                        "case when " ~ tokens ~ " * prior_units >= prior_" ~ tokens ~ " * units then '" ~ grew ~ "' else '" ~ shrank ~ "' end",
                    ]) }}
            {%- endfor %}
            {%- for driver, opening, cost, of_cost in cost_share_phrases %}
                when main_driver = '{{ driver }}'
                    then {{ dbt.concat([
                        "'" ~ opening ~ "'",
                        pct | format('100 * cast(' ~ cost ~ ' as ' ~ type_share() ~ ') / nullif(' ~ of_cost | join(' + ') ~ ', 0)'),
                        "'% of the cost, against '",
                        pct | format('100 * cast(prior_' ~ cost ~ ' as ' ~ type_share() ~ ') / nullif(prior_' ~ of_cost | join(' + prior_') ~ ', 0)'),
                        "'% the month before'",
                    ]) }}
            {%- endfor %}
            -- a pool's cost per weighted token is fixed: its calls' share changes with their tokens
            when main_driver = 'more capacity' and prior_capacity_cost > 0
                then {{ dbt.concat([
                    "'the capacity pools took '",
                    pct | format(capacity_per_unit_change),
                    "case when capacity_cost * prior_units >= prior_capacity_cost * units"
                    ~ " then '% more per unit' else '% less per unit' end",
                ]) }}
            when main_driver = 'more capacity'
                then {{ dbt.concat([
                    "'its calls moved onto capacity pools, now '",
                    pct | format('100 * cast(capacity_cost as ' ~ type_share() ~ ') / nullif(total_cost, 0)'),
                    "'% of the cost'",
                ]) }}
            when main_driver = 'price change'
                then {{ dbt.concat([
                    "'the list price of '",
                    'main_model',
                    "case when main_model_input_price_per_mtok > prior_main_model_input_price_per_mtok then ' rose ' else ' fell ' end",
                    pct | format('100 * (' ~ divide('main_model_input_price_per_mtok', 'prior_main_model_input_price_per_mtok') ~ ' - 1)'),
                    "'%'",
                ]) }}
            when main_driver = 'model mix shift' and main_model <> prior_main_model
                then {{ dbt.concat(["'the work moved from '", 'prior_main_model', "' to '", 'main_model']) }}
            when main_driver = 'model mix shift'
                then {{ dbt.concat([
                    "'the mix of models changed ('",
                    'main_model',
                    "' now takes '",
                    pct | format('100 * main_model_cost_share'),
                    "'% of the cost, was '",
                    pct | format('100 * prior_main_model_cost_share'),
                    "'%)'",
                ]) }}
        end as driver_phrase
    from final
),

reasoned as (
    select
        *,
        case
            when prior_units is null then null
            when main_driver is null or abs(cost_per_unit_change_pct) < 1
                then {{ dbt.concat(["'cost per '", 'unit_name', "' unchanged (within 1%)'"]) }}
            else {{ dbt.concat([
                "'cost per '",
                'unit_name',
                "case when cost_per_unit_change_pct >= 0 then ' up ' else ' down ' end",
                pct | format('cost_per_unit_change_pct'),
                "'% because '",
                'driver_phrase',
            ]) }}
        end as change_reason
    from phrased
)

select * from reasoned
