/*
    When a scenario changed how it works: the days its dominant model or its dominant prompt
    template changed, so a unit-cost chart can mark them.

    Dominant = the value with at least two thirds of the scenario's requests that local day (a
    day split more evenly has no dominant value and is skipped, so a steady mix of two models
    does not read as daily switches). A change is a day whose dominant value differs from the
    one of the scenario's previous day with a dominant value; the first such day is not one.
*/

{#- what can change: the model, the prompt template (none when the call named none) #}
{%- set changed_values = {
    'model': 'model_canonical',
    'prompt_template': "coalesce(prompt_template_id, 'none')",
} %}

with

-- Requests without a known scenario are a mix of work, not a scenario: left out.
ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
    where scenario_id <> 'unknown'
),

daily_values as (
    {%- for change_type, changed_value in changed_values.items() %}
        select
            occurred_on_local as change_date,
            product_id,
            scenario_id,
            '{{ change_type }}' as change_type,
            {{ changed_value }} as changed_value,
            sum(requests) as requests
        from ledger
        group by
            occurred_on_local,
            product_id,
            scenario_id,
            {{ changed_value }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

ranked as (
    select
        *,
        row_number() over (
            partition by change_date, product_id, scenario_id, change_type
            order by requests desc, changed_value asc
        ) as value_rank,
        sum(requests) over (
            partition by change_date, product_id, scenario_id, change_type
        ) as day_requests
    from daily_values
),

dominant as (
    select
        change_date,
        product_id,
        scenario_id,
        change_type,
        changed_value as dominant_value,
        lag(changed_value) over (
            partition by product_id, scenario_id, change_type order by change_date
        ) as previous_value
    from ranked
    where
        value_rank = 1
        and 3 * requests >= 2 * day_requests
),

final as (
    select
        product_id,
        scenario_id,
        change_date,
        change_type,
        previous_value as changed_from,
        dominant_value as changed_to
    from dominant
    where
        previous_value is not null
        and previous_value <> dominant_value
)

select * from final
