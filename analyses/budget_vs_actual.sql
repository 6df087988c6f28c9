-- Is each team within its budget this month and so far this year?
-- Grain: month x team, reporting currency.

with

chargeback as (
    select * from {{ ref('fct_team_chargeback') }}
),

team_months as (
    select
        period_month,
        team_id,
        max(billing_mode) as billing_mode,
        sum(budget) as budget,
        sum(total_charge) as total_charge,
        sum(budget_variance) as budget_variance
    from chargeback
    group by
        period_month,
        team_id
),

year_to_date as (
    select
        *,
        sum(budget) over (
            partition by team_id, {{ dbt.date_trunc('year', 'period_month') }}
            order by period_month
            rows between unbounded preceding and current row
        ) as budget_year_to_date,
        sum(total_charge) over (
            partition by team_id, {{ dbt.date_trunc('year', 'period_month') }}
            order by period_month
            rows between unbounded preceding and current row
        ) as total_charge_year_to_date
    from team_months
),

final as (
    select
        period_month,
        team_id,
        billing_mode,
        budget,
        total_charge,
        budget_variance,
        case when budget > 0 then 100 * total_charge / budget end as budget_used_pct,
        case
            when budget is null or budget = 0 then 'no budget'
            when total_charge > budget then 'over budget'
            else 'within budget'
        end as budget_status,
        budget_year_to_date,
        total_charge_year_to_date,
        budget_year_to_date - total_charge_year_to_date as budget_variance_year_to_date
    from year_to_date
)

select * from final
order by
    period_month,
    team_id
