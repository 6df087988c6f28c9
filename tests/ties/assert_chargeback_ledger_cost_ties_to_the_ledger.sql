/*
    The chargeback's ledger cost is the ledger's cost, month by month, exactly (reporting
    currency and USD). Fails with the months that differ.
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
        period_month,
        sum(ledger_cost) as ledger_cost,
        sum(ledger_cost_usd) as ledger_cost_usd
    from {{ ref('fct_team_chargeback') }}
    group by period_month
)

select
    coalesce(ledger.period_month, chargeback.period_month) as period_month,
    ledger.ledger_cost as ledger_ledger_cost,
    chargeback.ledger_cost as chargeback_ledger_cost
from ledger
full outer join chargeback
    on ledger.period_month = chargeback.period_month
where
    coalesce(ledger.ledger_cost, 0) <> coalesce(chargeback.ledger_cost, 0)
    or coalesce(ledger.ledger_cost_usd, 0) <> coalesce(chargeback.ledger_cost_usd, 0)
