-- What would each team's bill say this month, line by line, and why did its prices change?
-- Grain: month x team x bill line, reporting currency, no token columns.

with

bill_lines as (
    select * from {{ ref('fct_team_bill_lines') }}
),

teams as (
    select * from {{ ref('teams') }}
),

final as (
    select
        bill_lines.period_month,
        bill_lines.team_id,
        coalesce(teams.team_name, bill_lines.team_id) as team_name,
        teams.cost_center,
        teams.budget_owner,
        bill_lines.billing_mode,
        bill_lines.line_type,
        bill_lines.description,
        bill_lines.units,
        bill_lines.unit_name,
        bill_lines.price_per_unit,
        bill_lines.amount,
        bill_lines.reason_for_change,
        bill_lines.line_order
    from bill_lines
    left join teams
        on bill_lines.team_id = teams.team_id
)

select * from final
order by
    period_month asc,
    team_id asc,
    line_order asc,
    amount desc
