/*
    The distinct units of work (unit_id) of each product scenario's month: per team (the draft
    bill's scenario lines, int_team_bill_lines_computed) and over all teams (the unit cost,
    int_scenario_months_summarised). A distinct count does not add up across days or teams, so
    it is the one figure counted on the ledger's rows rather than on its daily summary.

    Grain: period_month x product_id x scenario_id x counted_over ('team': one row per team,
    'all_teams': one row with team_id null).

    Incremental: a run counts again only the months whose ledger rows changed (macro
    ledger_periods_changed: the month's row count or latest priced_at differs from
    ledger_rows and last_priced_at here), after its pre-hook removed them.
*/

{{ config(
    materialized='incremental',
    incremental_strategy=ledger_incremental_strategy('append'),
    partition_by=ledger_partition_by('period_month'),
    on_schema_change='fail',
    pre_hook=["{{ delete_changed_ledger_months(this, ref('fct_request_costs')) }}"],
) }}
-- depends_on: {{ ref('fct_request_costs') }}

{%- set months = ledger_periods_changed(
    ref('fct_request_costs'), 'period_month', this, 'period_month', 'ledger_rows', "counted_over = 'all_teams'"
) %}

{#- In an incremental run, only the months whose ledger rows changed (none: nothing to count). #}
{%- set months_to_count = '' %}
{%- if is_incremental() %}
    {%- set quoted_months = [] %}
    {%- for month in months %}
        {%- do quoted_months.append("cast('" ~ month ~ "' as date)") %}
    {%- endfor %}
    {%- set months_to_count = 'where period_month in (' ~ quoted_months | join(', ') ~ ')' if months else 'where 1 = 0' %}
{%- endif %}

with

-- the ledger's rows under two names, one for each count: DuckDB would store a CTE read twice
ledger_by_team as (
    select
        period_month,
        team_id,
        product_id,
        scenario_id,
        unit_id,
        priced_at
    from {{ ref('fct_request_costs') }}
    {{ months_to_count }}
),

ledger_all_teams as (
    select
        period_month,
        product_id,
        scenario_id,
        unit_id,
        priced_at
    from {{ ref('fct_request_costs') }}
    {{ months_to_count }}
),

counted_per_team as (
    select
        period_month,
        product_id,
        scenario_id,
        team_id,
        'team' as counted_over,
        count(distinct unit_id) as distinct_unit_ids,
        count(*) as ledger_rows,
        max(priced_at) as last_priced_at
    from ledger_by_team
    group by
        period_month,
        product_id,
        scenario_id,
        team_id
),

counted_over_all_teams as (
    select
        period_month,
        product_id,
        scenario_id,
        cast(null as {{ dbt.type_string() }}) as team_id,
        'all_teams' as counted_over,
        count(distinct unit_id) as distinct_unit_ids,
        count(*) as ledger_rows,
        max(priced_at) as last_priced_at
    from ledger_all_teams
    group by
        period_month,
        product_id,
        scenario_id
),

final as (
    select * from counted_per_team
    union all
    select * from counted_over_all_teams
)

select * from final
