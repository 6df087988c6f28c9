/*
    A team's draft bill is its chargeback: per team and month, the bill lines add up to the
    total charge of fct_team_chargeback, exactly. Fails with the team months that differ.
*/

with

bills as (
    select
        period_month,
        team_id,
        sum(amount) as billed
    from {{ ref('fct_team_bill_lines') }}
    group by
        period_month,
        team_id
),

chargeback as (
    select
        period_month,
        team_id,
        sum(total_charge) as total_charge
    from {{ ref('fct_team_chargeback') }}
    group by
        period_month,
        team_id
)

select
    coalesce(bills.period_month, chargeback.period_month) as period_month,
    coalesce(bills.team_id, chargeback.team_id) as team_id,
    bills.billed,
    chargeback.total_charge
from bills
full outer join chargeback
    on bills.period_month = chargeback.period_month
    and bills.team_id = chargeback.team_id
where coalesce(bills.billed, 0) <> coalesce(chargeback.total_charge, 0)
