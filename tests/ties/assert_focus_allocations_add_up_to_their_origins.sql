/*
    Every allocated charge of the FOCUS export adds up to its origin charge (FOCUS 1.3 split
    cost allocation, in x_ columns): per origin (a cost pool's month, an invoice line, an
    invoice's true-up) the allocation ratios add up to 1 (within 1e-9: they are doubles), and
    the billed amounts of a pool's or an invoice line's charges add up to the origin's amount
    rounded to the cent (billed cost is the current truth in closed months too; the true-up's
    amounts are tied to the invoice and the chargeback by the other ties). Corrections are
    left out. Fails with the origins that do not add up.
*/

with

allocated as (
    select * from {{ ref('fct_focus_costs') }}
    where x_allocation_origin_id is not null and charge_class is null
),

origins as (
    select
        x_charge_kind,
        x_allocation_origin_id,
        max(x_allocation_origin_cost) as origin_cost,
        count(distinct x_allocation_origin_cost) as origin_costs,
        sum(x_allocated_ratio) as ratio_total,
        sum(billed_cost) as allocated_total
    from allocated
    group by
        x_charge_kind,
        x_allocation_origin_id
)

select * from origins
where
    origin_costs != 1
    or abs(ratio_total - 1) > 0.000000001
    or (x_charge_kind != 'invoice_true_up' and allocated_total != round(origin_cost, 2))
