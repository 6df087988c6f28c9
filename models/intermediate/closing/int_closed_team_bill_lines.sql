/*
    The draft bill lines of each closed period as they stood when the period closed: the rows of
    int_team_bill_lines_computed of a month listed in closed_periods, copied once, at the first build after the
    month closed that has rows for it, and never rebuilt: full_refresh is off, so even
    `dbt build --full-refresh` keeps them. (Re-opening a month means deleting its rows here
    and its closed_periods row, deliberately.)
*/

{{ config(
    materialized='incremental',
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

computed as (
    select * from {{ ref('int_team_bill_lines_computed') }}
),

closed_periods as (
    select * from {{ ref('closed_periods') }}
),

newly_closed as (
    select
        period_month,
        closed_at
    from closed_periods
    {%- if is_incremental() %}
        where period_month not in (select distinct frozen.period_month from {{ this }} as frozen)
    {%- endif %}
),

final as (
    select
        computed.*,
        newly_closed.closed_at,
        {{ utc_now() }} as frozen_at
    from computed
    inner join newly_closed
        on computed.period_month = newly_closed.period_month
)

select * from final
