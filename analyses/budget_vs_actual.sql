-- Is each team within its budget this month and so far this year?
-- Grain: month x team, reporting currency: every team charged in the month, and every team
-- with a budget for it (charged nothing, it still shows its budget).

{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

chargeback as (
    select * from {{ ref('fct_team_chargeback') }}
),

budgets as (
    select * from {{ ref('budgets') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

charged_months as (
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

-- a budget of a team the month charged nothing, in the reporting currency as the chargeback
-- converts it (the rate of the month's first day)
uncharged_budgets as (
    select
        budgets.period_month,
        budgets.team_id,
        cast(null as {{ dbt.type_string() }}) as billing_mode,
        {{ convert_currency(
            'budgets.amount',
            "case when budgets.currency = '" ~ reporting_currency ~ "' then 1 else to_reporting.rate end"
        ) }} as budget,
        0 as total_charge,
        {{ convert_currency(
            'budgets.amount',
            "case when budgets.currency = '" ~ reporting_currency ~ "' then 1 else to_reporting.rate end"
        ) }} as budget_variance
    from budgets
    {{ fx_rate_join('to_reporting', 'budgets.currency', 'budgets.period_month', "'" ~ reporting_currency ~ "'") }}
    where not exists (
        select 1
        from charged_months
        where
            charged_months.period_month = budgets.period_month
            and charged_months.team_id = budgets.team_id
    )
),

team_months as (
    select * from charged_months
    union all
    select * from uncharged_budgets
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
