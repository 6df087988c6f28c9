/*
    The draft bill of each team and month, line by line (int_team_bill_lines_computed states
    each line's rule), as finance closes it: an open month shows the lines computed from the
    ledger now; a closed month the lines frozen when it closed (int_closed_team_bill_lines);
    and the first open month after a closed one carries one `correction` line per team for what
    changed since (int_period_corrections: late records, prices, owners), with the month it
    belongs to. The lines of a team and month add up to its total_charge in
    fct_team_chargeback exactly (a tie test checks it).
*/

{%- set columns = [
    'bill_line_id', 'period_month', 'team_id', 'line_type', 'line_order', 'product_id',
    'scenario_id', 'cost_date', 'description', 'units', 'unit_name', 'amount', 'price_per_unit',
    'reason_for_change', 'billing_mode', 'reporting_currency',
] %}

with

computed as (
    select * from {{ ref('int_team_bill_lines_computed') }}
),

frozen as (
    select * from {{ ref('int_closed_team_bill_lines') }}
),

corrections as (
    select * from {{ ref('int_period_corrections') }}
),

-- A month is open until its frozen copy holds rows (macro split_at_closing).
{{ split_at_closing('computed', 'frozen', ['open']) }},

-- The regular lines: an open month's as computed now, a closed month's as frozen.
regular_lines as (
    {%- for lines in ['computed_in_open_periods', 'frozen'] %}
        select
            {%- for column in columns %}
                {{ column }},
            {%- endfor %}
            'Regular' as charge_class,
            cast(null as date) as correction_for_period
        from {{ lines }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- A correction line is billed under its team's mode in the month it is booked in.
{{ booking_month_billing_modes('computed') }},

corrections_by_team as (
    select
        period_month,
        team_id,
        correction_for_period,
        sum(total_charge) as amount
    from corrections
    group by
        period_month,
        team_id,
        correction_for_period
),

correction_lines as (
    select
        {{ surrogate_key([
            'corrections_by_team.period_month', 'corrections_by_team.team_id', "'correction'",
            'corrections_by_team.correction_for_period',
        ]) }} as bill_line_id,
        corrections_by_team.period_month,
        corrections_by_team.team_id,
        'correction' as line_type,
        8 as line_order,
        cast(null as {{ dbt.type_string() }}) as product_id,
        cast(null as {{ dbt.type_string() }}) as scenario_id,
        cast(null as date) as cost_date,
        {{ dbt.concat([
            "'Correction to '",
            'cast(corrections_by_team.correction_for_period as ' ~ dbt.type_string() ~ ')',
            "' (closed): records, prices or owners that changed after it closed'",
        ]) }} as description,
        cast(null as {{ dbt.type_bigint() }}) as units,
        cast(null as {{ dbt.type_string() }}) as unit_name,
        cast(corrections_by_team.amount as decimal(38, 20)) as amount,
        cast(null as {{ type_money() }}) as price_per_unit,
        cast(null as {{ dbt.type_string() }}) as reason_for_change,
        booking_month_modes.billing_mode,
        '{{ var('chargeback__reporting_currency') }}' as reporting_currency,
        'Correction' as charge_class,
        corrections_by_team.correction_for_period
    from corrections_by_team
    left join booking_month_modes
        on corrections_by_team.period_month = booking_month_modes.period_month
        and corrections_by_team.team_id = booking_month_modes.team_id
),

final as (
    select * from regular_lines
    union all
    select * from correction_lines
)

select * from final
