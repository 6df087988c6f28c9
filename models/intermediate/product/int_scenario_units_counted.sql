/*
    The distinct units of work (unit_id) of each product scenario's month: per team (the draft
    bill's scenario lines, int_team_bill_lines_computed) and over all teams (the unit cost,
    int_scenario_months_summarised). A distinct count does not add up across days or teams, so
    it is the one figure counted on the ledger's rows rather than on its daily summary.

    Grain: period_month x product_id x scenario_id x counted_over ('team': one row per team,
    'all_teams': one row with team_id null).

    Incremental (macro unit_months_to_count): a run brings up to date only the months whose
    ledger rows changed (their row count or latest priced_at differs from ledger_rows and
    last_priced_at here), in one of two ways:
      - counted again from the ledger's rows, when a counted row was deleted or re-priced, or
        the month is new (the pre-hook removes these months first);
      - extended, when every row counted last time is still there and the month only gained
        rows (a new day): the count grows by the new rows' units that no earlier row of the
        month and group had. A unit seen before counts once, as it would in a new count.
    The extended months are replaced by delete+insert on period_month (on Spark, by
    overwriting the month's partition: ledger_incremental_strategy).
*/

{{ config(
    materialized='incremental',
    unique_key='period_month',
    incremental_strategy=ledger_incremental_strategy('delete+insert'),
    partition_by=ledger_partition_by('period_month'),
    on_schema_change='fail',
    pre_hook=["{{ delete_recounted_unit_months(this, ref('int_request_costs_booked')) }}"],
) }}
-- depends_on: {{ ref('int_request_costs_booked') }}

{#- the ledger rows to count again, to add to an extended month and that it had before #}
{%- set plan = unit_months_to_count(this, ref('int_request_costs_booked')) %}
{#- a scenario month's units are counted per team and over all teams: each counting and the
    team its rows carry (none over all teams) #}
{%- set scenario_month = ['period_month', 'product_id', 'scenario_id'] %}
{%- set team_of = {'team': 'team_id', 'all_teams': 'cast(null as ' ~ dbt.type_string() ~ ')'} %}
{#- the group a count belongs to: the counting, the scenario month and the team #}
{%- set unit_group = ['counted_over'] + scenario_month + ['team_id'] %}

with

-- The ledger rows counted again, grouped by their narrow key down to the unit: one row per
-- unit of a team's scenario month, and one per unit of the scenario's month over all teams (a
-- null unit is one row too, and counts no unit). Each grouping reads the ledger itself (a CTE
-- read twice would be stored whole). Counting distinct units over the ledger's rows, per team
-- and again over all teams, took twice as long at 10 million rows (BENCHMARKS.md).
{%- for counted_over in team_of %}
    {%- set unit_key = scenario_month + (['team_id'] if counted_over == 'team' else []) + ['unit_id'] %}

    recounted_{{ counted_over }}_units as (
        select
            {{ unit_key | join(',\n            ') }},
            count(*) as ledger_rows,
            max(priced_at) as last_priced_at
        from {{ ref('int_request_costs_booked') }}
        where {{ plan.recounted_rows }}
        group by
            {{ unit_key | join(',\n            ') }}
    ),
{%- endfor %}

added as (
    {%- for counted_over, team in team_of.items() %}
        select
            '{{ counted_over }}' as counted_over,
            {{ scenario_month | join(',\n            ') }},
            {{ team }} as team_id,
            unit_id,
            priced_at
        from {{ ref('int_request_costs_booked') }}
        where {{ plan.added_rows }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- The earlier rows of an extended month whose unit an added row has: the month's rows are
-- probed once, by the unit alone (a narrow key), and the few rows found serve both countings
earlier_rows_of_added_units as (
    select
        {{ scenario_month | join(',\n        ') }},
        team_id,
        unit_id
    from {{ ref('int_request_costs_booked') }}
    where
        {{ plan.earlier_rows }}
        and unit_id in (select added.unit_id from added)
),

earlier_units as (
    {%- for counted_over, team in team_of.items() %}
        select
            '{{ counted_over }}' as counted_over,
            {{ scenario_month | join(',\n            ') }},
            {{ team }} as team_id,
            unit_id
        from earlier_rows_of_added_units
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- An extended month's rows as counted last time (none in a full build)
previously_counted as (
    {%- if is_incremental() %}
        select
            counted_over,
            {{ scenario_month | join(',\n            ') }},
            team_id,
            distinct_unit_ids,
            ledger_rows,
            last_priced_at
        from {{ this }}
        where period_month in ({{ plan.extended_months }})
    {%- else %}
        select
            counted_over,
            {{ scenario_month | join(',\n            ') }},
            team_id,
            count(distinct unit_id) as distinct_unit_ids,
            count(*) as ledger_rows,
            max(priced_at) as last_priced_at
        from added
        group by
            counted_over,
            {{ scenario_month | join(',\n            ') }},
            team_id
    {%- endif %}
),

-- A month counted again: every distinct unit of its rows, one row above per unit
counted_again as (
    {%- for counted_over, team in team_of.items() %}
        select
            '{{ counted_over }}' as counted_over,
            {{ scenario_month | join(',\n            ') }},
            {{ team }} as team_id,
            count(unit_id) as distinct_unit_ids,
            cast(sum(ledger_rows) as {{ dbt.type_bigint() }}) as ledger_rows,
            max(last_priced_at) as last_priced_at
        from recounted_{{ counted_over }}_units
        group by
            {{ (scenario_month + (['team_id'] if counted_over == 'team' else [])) | join(',\n            ') }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- An extended month: the units of its added rows, and those of them an earlier row had
added_units as (
    select distinct
        {{ unit_group | join(',\n        ') }},
        unit_id
    from added
    where unit_id is not null
),

added_units_seen_before as (
    select distinct
        left_side.{{ unit_group | join(',\n        left_side.') }},
        left_side.unit_id
    from added_units as left_side
    inner join earlier_units as right_side
        on {{ same_unit_group('left_side', 'right_side') }}
        and left_side.unit_id = right_side.unit_id
),

added_units_new as (
    select
        left_side.{{ unit_group | join(',\n        left_side.') }},
        count(*) as new_unit_ids
    from added_units as left_side
    left join added_units_seen_before as right_side
        on {{ same_unit_group('left_side', 'right_side') }}
        and left_side.unit_id = right_side.unit_id
    where right_side.unit_id is null
    group by
        left_side.{{ unit_group | join(',\n        left_side.') }}
),

added_rows_counted as (
    select
        {{ unit_group | join(',\n        ') }},
        count(*) as added_rows,
        max(priced_at) as last_priced_at
    from added
    group by
        {{ unit_group | join(',\n        ') }}
),

added_counted as (
    select
        left_side.{{ unit_group | join(',\n        left_side.') }},
        left_side.added_rows,
        left_side.last_priced_at,
        coalesce(right_side.new_unit_ids, 0) as new_unit_ids
    from added_rows_counted as left_side
    left join added_units_new as right_side
        on {{ same_unit_group('left_side', 'right_side') }}
),

-- The old count plus what the added rows brought (a group may be new to the month, or have
-- gained nothing)
extended as (
    select
        {%- for column in unit_group %}
            coalesce(left_side.{{ column }}, right_side.{{ column }}) as {{ column }},
        {%- endfor %}
        coalesce(left_side.distinct_unit_ids, 0) + coalesce(right_side.new_unit_ids, 0) as distinct_unit_ids,
        coalesce(left_side.ledger_rows, 0) + coalesce(right_side.added_rows, 0) as ledger_rows,
        case
            when right_side.last_priced_at is null then left_side.last_priced_at
            when left_side.last_priced_at is null then right_side.last_priced_at
            when right_side.last_priced_at > left_side.last_priced_at then right_side.last_priced_at
            else left_side.last_priced_at
        end as last_priced_at
    from previously_counted as left_side
    full outer join added_counted as right_side
        on {{ same_unit_group('left_side', 'right_side') }}
),

final as (
    {%- for counts in ['counted_again', 'extended'] %}
        select
            {{ scenario_month | join(',\n        ') }},
            team_id,
            counted_over,
            distinct_unit_ids,
            ledger_rows,
            last_priced_at
        from {{ counts }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from final
