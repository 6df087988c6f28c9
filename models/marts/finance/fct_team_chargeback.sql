/*
    What each team is charged, per month, product and environment, as finance closes it.

    total_charge = ledger_cost + shared_cost + invoice_true_up + capacity_cost + idle_capacity_cost
    (int_team_charges_computed states each part's rule; budgets and billing_mode are computed
    there too); unlogged_spend
    is the part of invoice_true_up that no logged call explains, on UNALLOCATED rows
    (DECISIONS.md, "Spend without logged calls").

    Closed periods (seed closed_periods, DECISIONS.md "Reliability"): an open month shows the
    charges computed from the ledger now; a closed month shows the charges frozen when it
    closed (int_closed_team_charges), whatever arrives later; what changed since is booked in
    the first open month as correction rows (charge_class 'Correction', correction_for_period
    = the month they belong to, charge_period_month likewise). Summed by charge_period_month,
    the chargeback is the ledger's, exactly; summed by period_month, a closed month never
    changes.

    The ledger cost split by what was bought (DECISIONS.md, "Billable quantities"), appended
    after reporting_currency: text_token_cost + audio_image_token_cost + tool_call_cost +
    request_fee_cost = ledger_cost on every row, as usage_cost + retry_cost + failed_cost does
    (and the same in USD). A month frozen before the split existed reads its ledger cost as
    text tokens (the ledger priced nothing else then).

    The capacity pools' allocations come last (DECISIONS.md, "Capacity pools"): capacity_cost,
    the row's share of the capacity its calls used, and idle_capacity_cost, its share of the
    unused capacity (the pool's owner's, or its users' when it has none). A month frozen before
    capacity pools existed had none: 0.
*/

{#- the measures of macro team_charge_measures, in the contract's order, written out: a mart's
    columns are read from its SQL by pytests/test_mart_contracts.py, which renders no macro that
    returns a value #}
{%- set measures = [
    'requests', 'retry_requests', 'failed_requests', 'cache_hit_requests', 'unpriced_requests',
    'usage_cost', 'retry_cost', 'failed_cost', 'ledger_cost', 'cache_savings', 'shared_cost',
    'invoice_true_up', 'unlogged_spend', 'total_charge',
] %}
{%- set usd_measures = [
    'usage_cost_usd', 'retry_cost_usd', 'failed_cost_usd', 'ledger_cost_usd', 'cache_savings_usd',
    'shared_cost_usd', 'invoice_true_up_usd', 'unlogged_spend_usd', 'total_charge_usd',
] %}
{%- set breakdown = [
    'text_token_cost', 'audio_image_token_cost', 'tool_call_cost', 'request_fee_cost',
    'text_token_cost_usd', 'audio_image_token_cost_usd', 'tool_call_cost_usd', 'request_fee_cost_usd',
] %}
{%- set capacity = ['capacity_cost', 'idle_capacity_cost', 'capacity_cost_usd', 'idle_capacity_cost_usd'] %}
{%- set frozen_breakdown_fallbacks = {'text_token_cost': 'ledger_cost', 'text_token_cost_usd': 'ledger_cost_usd'} %}
{%- set owner = ['period_month', 'team_id', 'product_id', 'environment'] %}
{%- set budget = ['budget', 'budget_variance', 'billing_mode'] %}
{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

computed as (
    select * from {{ ref('int_team_charges_computed') }}
),

frozen as (
    select * from {{ ref('int_closed_team_charges') }}
),

corrections as (
    select * from {{ ref('int_period_corrections') }}
),

-- A month is open until its frozen copy holds rows (macro split_at_closing).
{{ split_at_closing('computed', 'frozen', ['open']) }},

open_charges as (
    select
        {%- for column in owner + measures + budget + usd_measures + breakdown + capacity %}
            {{ column }},
        {%- endfor %}
        'Regular' as charge_class,
        cast(null as date) as correction_for_period
    from computed_in_open_periods
),

closed_charges as (
    select
        {#- unlogged_spend came after some months were frozen: their rows hold null, which is 0
            (a month frozen before it existed spread its unlogged models as true-up) #}
        {%- for column in owner + measures + budget + usd_measures %}
            {%- if column.startswith('unlogged_spend') %}
                coalesce({{ column }}, 0) as {{ column }},
            {%- else %}
                {{ column }},
            {%- endif %}
        {%- endfor %}
        {#- a month frozen before the split by what was bought: its ledger cost was all text tokens #}
        {%- for column in breakdown + capacity %}
            coalesce({{ column }}, {{ frozen_breakdown_fallbacks.get(column, '0') }}) as {{ column }},
        {%- endfor %}
        'Regular' as charge_class,
        cast(null as date) as correction_for_period
    from frozen
),

-- A correction row is charged under its team's mode in the month it is booked in.
{{ booking_month_billing_modes('computed') }},

correction_charges as (
    select
        {%- for column in owner + measures %}
            corrections.{{ column }},
        {%- endfor %}
        cast(0 as {{ type_money() }}) as budget,
        cast(0 as {{ type_money() }}) - corrections.total_charge as budget_variance,
        booking_month_modes.billing_mode,
        {%- for column in usd_measures + breakdown + capacity %}
            corrections.{{ column }},
        {%- endfor %}
        'Correction' as charge_class,
        corrections.correction_for_period
    from corrections
    left join booking_month_modes
        on corrections.period_month = booking_month_modes.period_month
        and corrections.team_id = booking_month_modes.team_id
),

unioned as (
    select * from open_charges
    union all
    select * from closed_charges
    union all
    select * from correction_charges
),

final as (
    select
        {%- for column in owner + measures + budget + usd_measures %}
            {{ column }},
        {%- endfor %}
        charge_class,
        correction_for_period,
        coalesce(correction_for_period, period_month) as charge_period_month,
        '{{ reporting_currency }}' as reporting_currency,
        {{ (breakdown + capacity) | join(',\n        ') }}
    from unioned
)

select * from final
