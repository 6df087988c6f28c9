/*
    The distinct units of work (unit_id) of each product scenario's month: per team (the draft
    bill's scenario lines, int_team_bill_lines_computed) and over all teams (the unit cost,
    int_scenario_months_summarised). A distinct count does not add up across days or teams, so
    it is the one figure counted on the ledger's rows rather than on its daily summary, once
    for both groupings (grouping sets).

    Grain: period_month x product_id x scenario_id x counted_over ('team': one row per team,
    'all_teams': one row with team_id null).

    Incremental: a run counts again only the months whose ledger rows changed (macro
    ledger_periods_changed: the month's row count or latest priced_at differs from
    ledger_rows and last_priced_at here), after its pre-hook removed them.
*/

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=["{{ delete_changed_ledger_months(this, ref('fct_request_costs')) }}"],
) }}
-- depends_on: {{ ref('fct_request_costs') }}

{%- set months = ledger_periods_changed(
    ref('fct_request_costs'), 'period_month', this, 'period_month', 'ledger_rows', "counted_over = 'all_teams'"
) %}

with

ledger as (
    select
        period_month,
        team_id,
        product_id,
        scenario_id,
        unit_id,
        priced_at
    from {{ ref('fct_request_costs') }}
    {%- if is_incremental() %}
        {%- if months %}
            where period_month in (
                {%- for month in months %}
                    cast('{{ month }}' as date){{ ',' if not loop.last }}
                {%- endfor %}
            )
        {%- else %}
            -- no month's ledger rows changed since the last run
            where 1 = 0
        {%- endif %}
    {%- endif %}
),

counted as (
    select
        period_month,
        product_id,
        scenario_id,
        team_id,
        case when grouping(team_id) = 1 then 'all_teams' else 'team' end as counted_over,
        count(distinct unit_id) as distinct_unit_ids,
        count(*) as ledger_rows,
        max(priced_at) as last_priced_at
    from ledger
    group by grouping sets (
        (period_month, product_id, scenario_id, team_id),
        (period_month, product_id, scenario_id)
    )
),

final as (
    select * from counted
)

select * from final
