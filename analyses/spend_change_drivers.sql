-- Why did each team's spend change from last month: more work, dearer work, or different work?
-- Grain: month x team x driver (a scenario, or one of spikes, retries, failed calls, shared
-- costs, true-up), reporting currency. For a scenario present in both months:
--     volume_effect    = (units - prior units) x prior price per unit
--     unit_cost_effect = (price per unit - prior price per unit) x units
-- a scenario new this month or gone since is mix_effect (the work the team does changed);
-- the other lines' change is other_effect. The effects add up to change.

with

bill_lines as (
    select * from {{ ref('fct_team_bill_lines') }}
),

drivers as (
    select
        period_month,
        team_id,
        line_type,
        case when line_type = 'scenario' then product_id end as product_id,
        case when line_type = 'scenario' then scenario_id end as scenario_id,
        max(case when line_type = 'scenario' then description else line_type end) as driver,
        max(unit_name) as unit_name,
        sum(coalesce(units, 0)) as units,
        sum(amount) as amount
    from bill_lines
    group by
        period_month,
        team_id,
        line_type,
        case when line_type = 'scenario' then product_id end,
        case when line_type = 'scenario' then scenario_id end
),

driver_months as (
    select
        period_month,
        team_id,
        line_type,
        product_id,
        scenario_id
    from drivers
    union
    select
        cast({{ dbt.dateadd('month', 1, 'period_month') }} as date) as period_month,
        team_id,
        line_type,
        product_id,
        scenario_id
    from drivers
),

compared as (
    select
        driver_months.period_month,
        driver_months.team_id,
        driver_months.line_type,
        driver_months.product_id,
        driver_months.scenario_id,
        coalesce(current_month.driver, prior_month.driver) as driver,
        coalesce(current_month.unit_name, prior_month.unit_name) as unit_name,
        current_month.units,
        prior_month.units as prior_units,
        coalesce(current_month.amount, 0) as amount,
        coalesce(prior_month.amount, 0) as prior_amount,
        current_month.amount is not null as in_this_month,
        prior_month.amount is not null as in_prior_month
    from driver_months
    left join drivers as current_month
        on driver_months.period_month = current_month.period_month
        and driver_months.team_id = current_month.team_id
        and driver_months.line_type = current_month.line_type
        and coalesce(driver_months.product_id, '') = coalesce(current_month.product_id, '')
        and coalesce(driver_months.scenario_id, '') = coalesce(current_month.scenario_id, '')
    left join drivers as prior_month
        on driver_months.period_month = cast({{ dbt.dateadd('month', 1, 'prior_month.period_month') }} as date)
        and driver_months.team_id = prior_month.team_id
        and driver_months.line_type = prior_month.line_type
        and coalesce(driver_months.product_id, '') = coalesce(prior_month.product_id, '')
        and coalesce(driver_months.scenario_id, '') = coalesce(prior_month.scenario_id, '')
    -- a month after the last one has no spend of its own to explain
    where driver_months.period_month <= (select max(last_month.period_month) from drivers as last_month)
),

effects as (
    select
        *,
        amount - prior_amount as change,
        case
            when line_type = 'scenario' and in_this_month and in_prior_month and prior_units > 0
                then (units - prior_units) * (prior_amount / prior_units)
            else 0
        end as volume_effect,
        case
            when line_type = 'scenario' and in_this_month and in_prior_month and prior_units > 0
                then amount - prior_amount - (units - prior_units) * (prior_amount / prior_units)
            when line_type = 'scenario' and in_this_month and in_prior_month
                then amount - prior_amount
            else 0
        end as unit_cost_effect,
        case
            when line_type = 'scenario' and not (in_this_month and in_prior_month) then amount - prior_amount
            else 0
        end as mix_effect,
        case when line_type != 'scenario' then amount - prior_amount else 0 end as other_effect
    from compared
),

final as (
    select
        period_month,
        team_id,
        driver,
        line_type,
        product_id,
        scenario_id,
        unit_name,
        prior_units,
        units,
        prior_amount,
        amount,
        change,
        volume_effect,
        unit_cost_effect,
        mix_effect,
        other_effect,
        case
            when line_type != 'scenario' then 'other'
            when mix_effect != 0 then case when in_this_month then 'new work' else 'work stopped' end
            when abs(volume_effect) >= abs(unit_cost_effect) then 'volume'
            else 'unit cost'
        end as main_effect
    from effects
)

select * from final
order by
    period_month,
    team_id,
    abs(change) desc
