/*
    The chargeback's ledger cost is the ledger's cost, month by month, exactly (reporting
    currency and USD), the month being the one a charge belongs to (charge_period_month: a
    closed month's frozen rows plus the corrections booked for it later). Fails with the
    months that differ.
*/

with

ledger as (
    select
        period_month,
        coalesce(sum(cost_reporting), 0) as ledger_cost,
        coalesce(sum(cost_usd), 0) as ledger_cost_usd
    from {{ ref('fct_request_costs') }}
    group by period_month
),

chargeback as (
    select
        charge_period_month as period_month,
        sum(ledger_cost) as ledger_cost,
        sum(ledger_cost_usd) as ledger_cost_usd
    from {{ ref('fct_team_chargeback') }}
    group by charge_period_month
)

{{ totals_that_differ('ledger', 'chargeback', ['period_month'], ['ledger_cost', 'ledger_cost_usd']) }}
