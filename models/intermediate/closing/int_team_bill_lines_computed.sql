/*
    The draft bill from the ledger as it is now (fct_team_bill_lines shows it for open periods;
    a closed period keeps the lines it had when it closed). A draft bill per team and month,
    line by line, in words a budget owner reads: what each scenario did, how many units of
    work at what price per unit, and why that price changed; retries, failed calls and cost
    spikes on lines of their own; then the shared platform costs and the invoice true-up. No
    token columns.

    Lines (line_type), and the rule for each amount (reporting currency):
      scenario         the team's first successful attempts of a product's scenario (cost type
                       usage), less what the spike lines below take out of it; units as in
                       fct_scenario_unit_cost (distinct unit_id, or first attempts), counted on
                       the team's own calls; price_per_unit = amount / units.
      spike            for each spike day of the scenario (fct_cost_spikes), the team's usage
                       cost that day x the day's excess share, (cost - usual cost) / cost.
      retries, failed  the team's retry and failed-call cost for the month.
      shared_costs     the team's allocated shared platform costs (int_team_charges_computed).
      invoice_true_up  the team's share of the invoices' difference from the ledger, less
                       its spend without logged calls, which is a line of its own:
      unlogged_spend   what the invoices bill that no logged call explains (UNALLOCATED only;
                       int_invoice_true_up_allocated, DECISIONS.md "Spend without logged calls").
      capacity         the team's share of the capacity pools its calls used (their calls cost 0
                       in the ledger, so their scenario lines do not carry it).
      idle_capacity    the team's share of capacity bought and not used: the pool owner's, or
                       its users' when the pool has none (int_capacity_costs_allocated).
    The lines of a team and month add up to its total_charge in int_team_charges_computed
    exactly (fct_team_bill_lines to fct_team_chargeback: a tie test checks it).
*/

-- A table: an aggregate of the ledger read by several models and tests, computed once.
{{ config(materialized='table') }}


{%- set reporting_currency = var('chargeback__reporting_currency') %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

team_units as (
    select * from {{ ref('int_scenario_units_counted') }}
    where counted_over = 'team'
),

chargeback as (
    select * from {{ ref('int_team_charges_computed') }}
),

spikes as (
    select * from {{ ref('int_cost_spikes_detected') }}
),

unit_costs as (
    select * from {{ ref('int_scenario_unit_costs_explained') }}
),

scenarios as (
    select * from {{ ref('scenarios') }}
),

team_scenario_days as (
    select
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.scenario_id,
        ledger.occurred_on_local as cost_date,
        sum(case when ledger.cost_type = 'usage' then coalesce(ledger.cost_reporting, 0) else 0 end) as usage_cost
    from ledger
    group by
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.scenario_id,
        ledger.occurred_on_local
),

spike_amounts as (
    select
        team_scenario_days.period_month,
        team_scenario_days.team_id,
        team_scenario_days.product_id,
        team_scenario_days.scenario_id,
        team_scenario_days.cost_date,
        spikes.spike_source,
        cast(
            cast(team_scenario_days.usage_cost as {{ type_money() }})
            * cast(
                (cast(spikes.cost as {{ type_share() }}) - spikes.usual_cost) / cast(spikes.cost as {{ type_share() }})
                as decimal(18, 12)
            )
            as {{ type_money() }}
        ) as spike_amount
    from team_scenario_days
    inner join spikes
        on team_scenario_days.product_id = spikes.product_id
        and team_scenario_days.scenario_id = spikes.scenario_id
        and team_scenario_days.cost_date = spikes.cost_date
    where
        spikes.is_spike
        and spikes.cost > 0
        and team_scenario_days.usage_cost > 0
),

spikes_by_scenario as (
    select
        period_month,
        team_id,
        product_id,
        scenario_id,
        sum(spike_amount) as spike_amount
    from spike_amounts
    group by
        period_month,
        team_id,
        product_id,
        scenario_id
),

team_scenarios_summed as (
    select
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.scenario_id,
        max(coalesce(scenarios.unit_basis, 'request')) as unit_basis,
        max(coalesce(scenarios.unit_name, 'request')) as unit_name,
        max(
            coalesce(
                scenarios.scenario_name,
                {{ dbt.concat(["'Calls without a known scenario ('", "coalesce(ledger.product_id, 'no product')", "')'"]) }}
            )
        ) as scenario_name,
        sum(ledger.first_attempts) as first_attempts,
        sum(
            case when ledger.cost_type = 'usage' then coalesce(ledger.cost_reporting, 0) else 0 end
        ) as usage_cost
    from ledger
    left join scenarios
        on ledger.product_id = scenarios.product_id
        and ledger.scenario_id = scenarios.scenario_id
    group by
        ledger.period_month,
        ledger.team_id,
        ledger.product_id,
        ledger.scenario_id
),

team_scenarios as (
    select
        team_scenarios_summed.*,
        team_units.distinct_unit_ids
    from team_scenarios_summed
    left join team_units
        on {{ same_team_scenario_month('team_scenarios_summed', 'team_units') }}
),

team_months as (
    select
        period_month,
        team_id,
        sum(retry_requests) as retry_requests,
        sum(failed_requests) as failed_requests,
        sum(retry_cost) as retry_cost,
        sum(failed_cost) as failed_cost,
        sum(shared_cost) as shared_cost,
        sum(invoice_true_up) as invoice_true_up,
        sum(unlogged_spend) as unlogged_spend,
        sum(capacity_cost) as capacity_cost,
        sum(idle_capacity_cost) as idle_capacity_cost,
        max(billing_mode) as billing_mode
    from chargeback
    group by
        period_month,
        team_id
),

scenario_lines as (
    select
        team_scenarios.period_month,
        team_scenarios.team_id,
        'scenario' as line_type,
        1 as line_order,
        team_scenarios.product_id,
        team_scenarios.scenario_id,
        cast(null as date) as cost_date,
        team_scenarios.scenario_name as description,
        case
            when team_scenarios.unit_basis = 'unit_id' and team_scenarios.distinct_unit_ids > 0
                then team_scenarios.distinct_unit_ids
            else team_scenarios.first_attempts
        end as units,
        team_scenarios.unit_name,
        cast(team_scenarios.usage_cost - coalesce(spikes_by_scenario.spike_amount, 0) as decimal(38, 20)) as amount,
        unit_costs.change_reason as reason_for_change
    from team_scenarios
    left join spikes_by_scenario
        on {{ same_team_scenario_month('team_scenarios', 'spikes_by_scenario') }}
    left join unit_costs
        on team_scenarios.period_month = unit_costs.period_month
        and team_scenarios.product_id = unit_costs.product_id
        and team_scenarios.scenario_id = unit_costs.scenario_id
),

spike_lines as (
    select
        spike_amounts.period_month,
        spike_amounts.team_id,
        'spike' as line_type,
        2 as line_order,
        spike_amounts.product_id,
        spike_amounts.scenario_id,
        spike_amounts.cost_date,
        {{ dbt.concat([
            "'Spike on '",
            'cast(spike_amounts.cost_date as ' ~ dbt.type_string() ~ ')',
            "' in '",
            "coalesce(scenarios.scenario_name, 'calls without a known scenario')",
            "': '",
            'spike_amounts.spike_source',
        ]) }} as description,
        cast(null as {{ dbt.type_bigint() }}) as units,
        cast(null as {{ dbt.type_string() }}) as unit_name,
        cast(spike_amounts.spike_amount as decimal(38, 20)) as amount,
        cast(null as {{ dbt.type_string() }}) as reason_for_change
    from spike_amounts
    left join scenarios
        on spike_amounts.product_id = scenarios.product_id
        and spike_amounts.scenario_id = scenarios.scenario_id
),

{%- set team_lines = [
    ('retries', 3, 'Retried calls', 'retry_requests', "'retried call'", 'retry_cost'),
    ('failed', 4, 'Failed calls', 'failed_requests', "'failed call'", 'failed_cost'),
    ('shared_costs', 5, 'Shared platform costs', 'null', 'null', 'shared_cost'),
    ('invoice_true_up', 6, 'Invoice true-up (invoice minus ledger)', 'null', 'null', 'invoice_true_up - unlogged_spend'),
    ('unlogged_spend', 7, 'Spend without logged calls (billed by a provider, no logged call explains it)', 'null', 'null', 'unlogged_spend'),
    ('capacity', 8, 'Capacity pools used (their cost shared by weighted tokens)', 'null', 'null', 'capacity_cost'),
    ('idle_capacity', 9, 'Idle capacity (bought and not used)', 'null', 'null', 'idle_capacity_cost'),
] %}

team_month_lines as (
    {%- for line_type, line_order, description, units, unit_name, amount in team_lines %}
        select
            period_month,
            team_id,
            '{{ line_type }}' as line_type,
            {{ line_order }} as line_order,
            cast(null as {{ dbt.type_string() }}) as product_id,
            cast(null as {{ dbt.type_string() }}) as scenario_id,
            cast(null as date) as cost_date,
            '{{ description }}' as description,
            cast({{ units }} as {{ dbt.type_bigint() }}) as units,
            cast({{ unit_name }} as {{ dbt.type_string() }}) as unit_name,
            cast({{ amount }} as decimal(38, 20)) as amount,
            cast(null as {{ dbt.type_string() }}) as reason_for_change
        from team_months
        where {{ amount }} != 0
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

{#- Amounts are decimal(38,20) in every branch, exact as fct_team_chargeback's: a union of
    decimals of different scales would otherwise round them. #}

lines as (
    select * from scenario_lines
    union all
    select * from spike_lines
    union all
    select * from team_month_lines
),

final as (
    select
        {{ surrogate_key([
            'lines.period_month', 'lines.team_id', 'lines.line_type', 'lines.product_id',
            'lines.scenario_id', 'lines.cost_date',
        ]) }} as bill_line_id,
        lines.period_month,
        lines.team_id,
        lines.line_type,
        lines.line_order,
        lines.product_id,
        lines.scenario_id,
        lines.cost_date,
        lines.description,
        lines.units,
        lines.unit_name,
        lines.amount,
        case
            when lines.units > 0 then cast({{ divide('lines.amount', 'lines.units') }} as {{ type_money() }})
        end as price_per_unit,
        lines.reason_for_change,
        team_months.billing_mode,
        '{{ reporting_currency }}' as reporting_currency
    from lines
    left join team_months
        on lines.period_month = team_months.period_month
        and lines.team_id = team_months.team_id
)

select * from final
