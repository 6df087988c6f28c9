{#
    The body of a frozen copy of closed periods (int_closed_team_charges,
    int_closed_team_bill_lines, int_closed_focus_charges): the rows of `computed` (a relation
    with a period_month column) of each month listed in closed_periods that the calling model
    does not hold yet, with the
    month's closed_at and the time they were frozen. The calling model is incremental with
    full_refresh off (set in its YAML), so a frozen month is copied once, at the first build
    after the month closed that has rows for it, and never rebuilt: even
    `dbt build --full-refresh` keeps it. (Re-opening a month means deleting its rows there and
    its closed_periods row, deliberately.)
#}
{% macro freeze_closed_periods(computed) -%}
with

computed as (
    select * from {{ computed }}
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
{%- endmacro %}
