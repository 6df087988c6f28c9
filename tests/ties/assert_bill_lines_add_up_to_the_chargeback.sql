/*
    A team's draft bill is its chargeback: per team and month, the bill lines add up to the
    total charge of fct_team_chargeback, exactly. Fails with the team months that differ.
*/

with

bills as (
    select
        period_month,
        team_id,
        sum(amount) as total_charge
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

{{ totals_that_differ('bills', 'chargeback', ['period_month', 'team_id'], ['total_charge']) }}
