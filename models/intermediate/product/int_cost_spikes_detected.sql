/*
    Days whose cost stands far above normal for a product and scenario, and why, so a bill can
    show a spike on its own line.

    Usual level: the mean and standard deviation of the same product and scenario's daily cost
    over the previous `chargeback__spike_window_days` days (local days, days without traffic
    count as zero-cost days only when they appear in the ledger). A day is a spike when it has a
    full window behind it, its cost is more than `chargeback__spike_z_score` standard deviations
    above the mean, at least twice the mean, and its excess over the mean is at least a quarter
    of the whole window's cost (so that pennies do not make spikes). Its source, first match: a load test in stage
    (over half the day's cost in stage), a retry storm (over a quarter of the day's cost in
    failed and repeated calls), a model switch (the day's main model is not the window's), else
    more traffic (requests over twice their usual level), else unexplained.
*/

{%- set window_days = var('chargeback__spike_window_days') %}
{%- set z_threshold = var('chargeback__spike_z_score') %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

-- one pass over the ledger, at the grain of the day's models; the day's totals and its main
-- model come from this small aggregate
daily_models_summed as (
    select
        occurred_on_local as cost_date,
        product_id,
        scenario_id,
        model_canonical,
        sum(requests) as requests,
        sum(coalesce(cost_reporting, 0)) as cost,
        sum(case when environment = 'stage' then coalesce(cost_reporting, 0) else 0 end) as stage_cost,
        sum(case when cost_type in ('retry', 'failed') then coalesce(cost_reporting, 0) else 0 end) as retry_failed_cost
    from ledger
    group by
        occurred_on_local,
        product_id,
        scenario_id,
        model_canonical
),

daily as (
    select
        cost_date,
        product_id,
        scenario_id,
        sum(requests) as requests,
        sum(cost) as cost,
        sum(stage_cost) as stage_cost,
        sum(retry_failed_cost) as retry_failed_cost
    from daily_models_summed
    group by
        cost_date,
        product_id,
        scenario_id
),

daily_models as (
    select
        cost_date,
        product_id,
        scenario_id,
        model_canonical,
        row_number() over (
            partition by cost_date, product_id, scenario_id
            order by cost desc, model_canonical asc
        ) as model_rank
    from daily_models_summed
),

windowed as (
    select
        daily.*,
        daily_models.model_canonical as main_model,
        count(*) over previous_days as window_days,
        avg(cast(daily.cost as {{ type_share() }})) over previous_days as usual_cost,
        stddev_samp(cast(daily.cost as {{ type_share() }})) over previous_days as cost_stddev,
        avg(cast(daily.requests as {{ type_share() }})) over previous_days as usual_requests,
        sum(cast(daily.cost as {{ type_share() }})) over previous_days as window_cost,
        lag(daily_models.model_canonical) over (
            partition by daily.product_id, daily.scenario_id order by daily.cost_date
        ) as previous_main_model
    from daily
    left join daily_models
        on daily.cost_date = daily_models.cost_date
        and daily.product_id = daily_models.product_id
        and daily.scenario_id = daily_models.scenario_id
        and daily_models.model_rank = 1
    window previous_days as (
        partition by daily.product_id, daily.scenario_id
        order by daily.cost_date
        rows between {{ window_days }} preceding and 1 preceding
    )
),

flagged as (
    select
        *,
        (cost - usual_cost) / nullif(cost_stddev, 0) as z_score,
        coalesce(
            window_days >= {{ window_days }}
            and cost > 2 * usual_cost
            and cost - usual_cost >= 0.25 * window_cost
            and (cost - usual_cost) > {{ z_threshold }} * coalesce(cost_stddev, 0),
            false
        ) as is_spike
    from windowed
),

final as (
    select
        cost_date,
        product_id,
        scenario_id,
        requests,
        cost,
        stage_cost,
        retry_failed_cost,
        main_model,
        usual_cost,
        usual_requests,
        z_score,
        is_spike,
        case
            when not is_spike then null
            when stage_cost > 0.5 * cost then 'load test in stage'
            when retry_failed_cost > 0.25 * cost then 'retry storm'
            when main_model <> previous_main_model then 'model switch'
            when requests > 2 * usual_requests then 'more traffic'
            else 'unexplained'
        end as spike_source,
        '{{ var("chargeback__reporting_currency") }}' as reporting_currency
    from flagged
)

select * from final
