/*
    The FOCUS export's effective cost is the chargeback, exactly: summed by reporting month
    (x_chargeback_month), team, product, environment and charge class, the charges other than
    Tax equal fct_team_chargeback's total_charge, and each kind of charge its part: token
    charges the ledger cost (usage, retry and failed), the invoice's charges the invoice
    true-up, shared platform costs the shared cost, capacity charges the capacity cost and the
    idle capacity cost; and of the invoice's charges, those of
    spend without logged calls (the unlogged usage lines, and every charge of an invoice
    without logged calls, allocated by invoice_share_by_no_logged_calls) the unlogged spend. Closed months are compared as frozen and
    their corrections in the month they are booked in, as the chargeback shows them. Fails
    with the rows that differ.
*/

with

focus as (
    select * from {{ ref('fct_focus_costs') }}
    where charge_category != 'Tax'
),

chargeback as (
    select * from {{ ref('fct_team_chargeback') }}
),

focus_by_owner as (
    select
        x_chargeback_month as period_month,
        x_team_id as team_id,
        x_product_id as product_id,
        x_environment as environment,
        coalesce(charge_class, 'Regular') as charge_class,
        sum(effective_cost) as total_charge,
        sum(case when x_charge_kind = 'token_usage' then effective_cost else 0 end) as ledger_cost,
        sum(case when x_charge_kind like 'invoice%' then effective_cost else 0 end) as invoice_true_up,
        sum(case when x_charge_kind = 'shared_cost' then effective_cost else 0 end) as shared_cost,
        sum(case when x_charge_kind = 'capacity' then effective_cost else 0 end) as capacity_cost,
        sum(
            case
                when
                    x_charge_kind = 'invoice_unlogged_usage'
                    or x_allocated_method_id = 'invoice_share_by_no_logged_calls'
                    then effective_cost
                else 0
            end
        ) as unlogged_spend
    from focus
    group by
        x_chargeback_month,
        x_team_id,
        x_product_id,
        x_environment,
        coalesce(charge_class, 'Regular')
),

compared as (
    select
        coalesce(focus_by_owner.period_month, chargeback.period_month) as period_month,
        coalesce(focus_by_owner.team_id, chargeback.team_id) as team_id,
        coalesce(focus_by_owner.product_id, chargeback.product_id) as product_id,
        coalesce(focus_by_owner.environment, chargeback.environment) as environment,
        coalesce(focus_by_owner.charge_class, chargeback.charge_class) as charge_class,
        coalesce(focus_by_owner.total_charge, 0) as focus_effective_cost,
        coalesce(chargeback.total_charge, 0) as chargeback_total_charge,
        coalesce(focus_by_owner.ledger_cost, 0) - coalesce(chargeback.ledger_cost, 0) as ledger_cost_difference,
        coalesce(focus_by_owner.invoice_true_up, 0) - coalesce(chargeback.invoice_true_up, 0) as true_up_difference,
        coalesce(focus_by_owner.shared_cost, 0) - coalesce(chargeback.shared_cost, 0) as shared_cost_difference,
        coalesce(focus_by_owner.capacity_cost, 0)
        - coalesce(chargeback.capacity_cost + chargeback.idle_capacity_cost, 0) as capacity_cost_difference,
        coalesce(focus_by_owner.unlogged_spend, 0) - coalesce(chargeback.unlogged_spend, 0) as unlogged_spend_difference
    from focus_by_owner
    full outer join chargeback
        on focus_by_owner.period_month = chargeback.period_month
        and focus_by_owner.team_id = chargeback.team_id
        and focus_by_owner.product_id = chargeback.product_id
        and focus_by_owner.environment = chargeback.environment
        and focus_by_owner.charge_class = chargeback.charge_class
)

select * from compared
where
    focus_effective_cost != chargeback_total_charge
    or ledger_cost_difference != 0
    or true_up_difference != 0
    or shared_cost_difference != 0
    or capacity_cost_difference != 0
    or unlogged_spend_difference != 0
