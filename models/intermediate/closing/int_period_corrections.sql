/*
    What the ledger has learnt about closed periods since they closed, booked into the first
    open period (FOCUS ChargeClass "Correction").

    Rule: for each closed period P and owner (team, product, environment), correction = the
    charge computed from the ledger now (int_team_charges_computed) minus the charge frozen
    when P closed (int_closed_team_charges), measure by measure; an owner that appears only on
    one side counts 0 on the other. Late records, a price or contract change and an ownership
    change all show up this way, and so does an invoice or a cost export that lands late for a
    closed month (its true-up, and its spend without logged calls on UNALLOCATED). A correction
    is booked in the first reporting month after P that is not closed (period_month), and
    keeps the month it belongs to (correction_for_period). Rows whose every measure is 0 are
    left out.
    Tie: frozen(P) + corrections for P = computed(P), measure by measure, exactly.
*/

{%- set charge_measures = team_charge_measures() %}
{%- set measures = charge_measures['reporting'] + charge_measures['usd'] + charge_measures['breakdown']
    + charge_measures['capacity'] %}
{#- a month frozen before the ledger cost was split by what was bought holds null there: all of
    its ledger cost was text tokens then (the ledger priced nothing else) #}
{%- set frozen_fallbacks = {
    'text_token_cost': 'frozen.ledger_cost',
    'text_token_cost_usd': 'frozen.ledger_cost_usd',
} %}
{%- set changed = [] %}
{%- for measure in measures %}
    {%- do changed.append('differences.' ~ measure ~ ' != 0') %}
{%- endfor %}

with

computed as (
    select * from {{ ref('int_team_charges_computed') }}
),

frozen as (
    select * from {{ ref('int_closed_team_charges') }}
),

closed_periods as (
    select * from {{ ref('closed_periods') }}
),

-- The closed months (those frozen) and what is computed for them now (macro split_at_closing,
-- shared with the marts that show the open months as computed).
{{ split_at_closing('computed', 'frozen', ['closed']) }},

differences as (
    select
        {%- for measure in measures %}
            coalesce(computed_in_closed_periods.{{ measure }}, 0)
            - coalesce(frozen.{{ measure }}, {{ frozen_fallbacks.get(measure, '0') }}, 0) as {{ measure }},
        {%- endfor %}
        coalesce(computed_in_closed_periods.period_month, frozen.period_month) as correction_for_period,
        coalesce(computed_in_closed_periods.team_id, frozen.team_id) as team_id,
        coalesce(computed_in_closed_periods.product_id, frozen.product_id) as product_id,
        coalesce(computed_in_closed_periods.environment, frozen.environment) as environment
    from computed_in_closed_periods
    full outer join frozen
        on computed_in_closed_periods.period_month = frozen.period_month
        and computed_in_closed_periods.team_id = frozen.team_id
        and computed_in_closed_periods.product_id = frozen.product_id
        and computed_in_closed_periods.environment = frozen.environment
),

-- The first open month after P (macro correction_booking_periods, shared with fct_focus_costs).
{{ correction_booking_periods('frozen_periods', 'closed_periods') }},

final as (
    select
        booking_periods.booked_period_month as period_month,
        {%- for measure in measures %}
            differences.{{ measure }},
        {%- endfor %}
        differences.correction_for_period,
        differences.team_id,
        differences.product_id,
        differences.environment
    from differences
    inner join booking_periods
        on differences.correction_for_period = booking_periods.correction_for_period
    where {{ changed | join(' or ') }}
)

select * from final
