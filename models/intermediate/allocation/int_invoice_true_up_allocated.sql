/*
    The invoice true-up spread over the owners of each provider's billing period (docs/accounting-rules.md#invoice-true-up),
    and the spend no logged call explains booked to UNALLOCATED (DECISIONS.md, "Spend without
    logged calls").

    The invoice is the financial truth; the ledger explains it. For each provider and billing
    period with an invoice (or a provider cost export standing in for it):
      - unlogged spend (int_unlogged_lines_identified) goes to one UNALLOCATED row (team and
        product UNALLOCATED, environment unknown) in the reporting month named like the
        billing period (period_month = billing_period_start: no call dates it), never spread
        over teams whose calls did not cause it:
          no_logged_calls  the billing period has no logged call of the provider: the whole
                           invoice (its credits, fees and discounts with it: nobody's calls
                           are there to carry them);
          unlogged_model   the usage lines of models with no logged call in the period;
      - the rest of the invoice, invoice - unlogged spend, less the ledger, is the true-up of the
        owner rows of the period (period_month x team x product x environment: a billing period
        can touch two reporting months), in proportion to their ledger cost; when the period's
        ledger cost is zero, in proportion to requests (allocation_basis ledger_cost or
        requests). Without unlogged spend this is the whole invoice, as it always was.
    Amounts are in the reporting currency and in USD. The ledger rows of a period are rounded
    to the cent with the largest-remainder method first; the true-up then makes each row's
    total come to its exact share of the invoice, so that per provider and billing period
        sum(allocated_ledger_cost) + sum(allocated_invoice_true_up) = invoice, to the cent;
    the UNALLOCATED row of unlogged models carries its lines rounded to the cent
    (int_unlogged_lines_identified.allocated_amount), and the owners share what is left of the
    invoice rounded to the cent. unlogged_spend is the part of allocated_invoice_true_up that
    is spend without logged calls (the UNALLOCATED row's whole true-up, 0 on other rows).
    A billing period without an invoice yet gets no true-up (awaiting_invoice).

    Capacity on the invoice (int_capacity_reservations_billed: the pools of a provider that
    bills them, Azure PTU, Bedrock provisioned throughput) is charged by the pools
    (int_capacity_costs_allocated), so it is taken off what the owners share, and off the
    whole invoice a period without logged calls books to UNALLOCATED: per provider and
    billing period, the true-up's rows plus the pools' allocations are the invoice, to the
    cent (DECISIONS.md, "Capacity pools").
*/

{%- set reporting_currency = var('chargeback__reporting_currency') %}
{%- set partition = ['owners.provider', 'owners.billing_period_start'] %}
{%- set tie_break = ['owners.period_month', 'owners.team_id', 'owners.product_id', 'owners.environment'] %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

unlogged_lines as (
    select * from {{ ref('int_unlogged_lines_identified') }}
),

capacity_reservations as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

owners as (
    select
        provider,
        billing_period_start,
        period_month,
        team_id,
        product_id,
        environment,
        sum(requests) as requests,
        coalesce(sum(cost_reporting), 0) as ledger_cost,
        coalesce(sum(cost_usd), 0) as ledger_cost_usd
    from ledger
    group by
        provider,
        billing_period_start,
        period_month,
        team_id,
        product_id,
        environment
),

period_totals as (
    select
        provider,
        billing_period_start,
        sum(requests) as period_requests,
        sum(ledger_cost) as period_ledger_cost,
        sum(ledger_cost_usd) as period_ledger_cost_usd
    from owners
    group by
        provider,
        billing_period_start
),

unlogged_by_period as (
    select
        provider,
        billing_period_start,
        sum(amount_reporting) as unlogged_amount_reporting,
        sum(amount_usd) as unlogged_amount_usd,
        sum(allocated_amount) as unlogged_spend,
        sum(allocated_amount_usd) as unlogged_spend_usd
    from unlogged_lines
    group by
        provider,
        billing_period_start
),

weighted as (
    select
        owners.*,
        period_totals.period_ledger_cost,
        period_totals.period_ledger_cost_usd,
        invoices.invoice_amount_reporting,
        invoices.invoice_amount_usd,
        -- what the owners share: the invoice less the unlogged spend and the capacity the pools
        -- charge (exact, and to the cent)
        invoices.invoice_amount_reporting
        - coalesce(unlogged_by_period.unlogged_amount_reporting, 0)
        - coalesce(capacity_reservations.capacity_amount_reporting, 0) as pool_amount_reporting,
        invoices.invoice_amount_usd
        - coalesce(unlogged_by_period.unlogged_amount_usd, 0)
        - coalesce(capacity_reservations.capacity_amount_usd, 0) as pool_amount_usd,
        round(invoices.invoice_amount_reporting, 2)
        - coalesce(unlogged_by_period.unlogged_spend, 0)
        - coalesce(capacity_reservations.capacity_amount_reporting, 0) as pool_cents_total,
        round(invoices.invoice_amount_usd, 2)
        - coalesce(unlogged_by_period.unlogged_spend_usd, 0)
        - coalesce(capacity_reservations.capacity_amount_usd, 0) as pool_cents_total_usd,
        case when period_totals.period_ledger_cost > 0 then 'ledger_cost' else 'requests' end as allocation_basis,
        case
            when period_totals.period_ledger_cost > 0
                then cast(owners.ledger_cost as {{ type_share() }}) / period_totals.period_ledger_cost
            else cast(owners.requests as {{ type_share() }}) / period_totals.period_requests
        end as invoice_share,
        case
            when period_totals.period_ledger_cost_usd > 0
                then cast(owners.ledger_cost_usd as {{ type_share() }}) / period_totals.period_ledger_cost_usd
            else cast(owners.requests as {{ type_share() }}) / period_totals.period_requests
        end as invoice_share_usd
    from owners
    inner join period_totals
        on owners.provider = period_totals.provider
        and owners.billing_period_start = period_totals.billing_period_start
    inner join invoices
        on owners.provider = invoices.provider
        and owners.billing_period_start = invoices.billing_period_start
    left join unlogged_by_period
        on owners.provider = unlogged_by_period.provider
        and owners.billing_period_start = unlogged_by_period.billing_period_start
    left join capacity_reservations
        on owners.provider = capacity_reservations.provider
        and owners.billing_period_start = capacity_reservations.billing_period_start
),

rounded as (
    select
        owners.*,
        {{ largest_remainder_cents(
            'owners.ledger_cost', 'owners.period_ledger_cost', partition, tie_break
        ) }} as ledger_cents,
        {{ largest_remainder_cents(
            'owners.pool_amount_reporting * owners.invoice_share',
            'owners.pool_cents_total',
            partition,
            tie_break,
        ) }} as invoice_cents,
        {{ largest_remainder_cents(
            'owners.ledger_cost_usd', 'owners.period_ledger_cost_usd', partition, tie_break
        ) }} as ledger_cents_usd,
        {{ largest_remainder_cents(
            'owners.pool_amount_usd * owners.invoice_share_usd',
            'owners.pool_cents_total_usd',
            partition,
            tie_break,
        ) }} as invoice_cents_usd
    from weighted as owners
),

owner_rows as (
    select
        provider,
        billing_period_start,
        period_month,
        team_id,
        product_id,
        environment,
        allocation_basis,
        requests,
        ledger_cost,
        ledger_cost_usd,
        invoice_share,
        invoice_amount_reporting,
        invoice_amount_usd,
        cast(ledger_cents as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_ledger_cost,
        cast(invoice_cents - ledger_cents as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_invoice_true_up,
        cast(ledger_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_ledger_cost_usd,
        cast(invoice_cents_usd - ledger_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2))
            as allocated_invoice_true_up_usd,
        cast(0 as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as unlogged_spend,
        cast(0 as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as unlogged_spend_usd
    from rounded
),

unlogged_cents as (
    select
        invoices.provider,
        invoices.billing_period_start,
        invoices.invoice_amount_reporting,
        invoices.invoice_amount_usd,
        case
            when period_totals.provider is null
                then cast(
                    round(invoices.invoice_amount_reporting * 100, 0)
                    - round(coalesce(capacity_reservations.capacity_amount_reporting, 0) * 100, 0)
                    as {{ dbt.type_bigint() }}
                )
            else cast(round(unlogged_by_period.unlogged_spend * 100, 0) as {{ dbt.type_bigint() }})
        end as unlogged_cents,
        case
            when period_totals.provider is null
                then cast(
                    round(invoices.invoice_amount_usd * 100, 0)
                    - round(coalesce(capacity_reservations.capacity_amount_usd, 0) * 100, 0)
                    as {{ dbt.type_bigint() }}
                )
            else cast(round(unlogged_by_period.unlogged_spend_usd * 100, 0) as {{ dbt.type_bigint() }})
        end as unlogged_cents_usd,
        case when period_totals.provider is null then 'no_logged_calls' else 'unlogged_model' end as allocation_basis
    from invoices
    left join period_totals
        on invoices.provider = period_totals.provider
        and invoices.billing_period_start = period_totals.billing_period_start
    left join unlogged_by_period
        on invoices.provider = unlogged_by_period.provider
        and invoices.billing_period_start = unlogged_by_period.billing_period_start
    left join capacity_reservations
        on invoices.provider = capacity_reservations.provider
        and invoices.billing_period_start = capacity_reservations.billing_period_start
    where
        period_totals.provider is null
        or unlogged_by_period.provider is not null
),

unlogged_rows as (
    select
        provider,
        billing_period_start,
        billing_period_start as period_month,
        'UNALLOCATED' as team_id,
        'UNALLOCATED' as product_id,
        'unknown' as environment,
        allocation_basis,
        cast(0 as {{ dbt.type_bigint() }}) as requests,
        -- the ledger's converted costs are exact decimal(38,20) (convert_currency); a union with
        -- another scale would round the owners' ledger cost
        cast(0 as decimal(38, 20)) as ledger_cost,
        cast(0 as decimal(38, 20)) as ledger_cost_usd,
        -- the row's share of what the owners share (the invoice's own lines spread by it,
        -- int_focus_invoice_charges): all of it when nobody's calls are logged, else none
        cast(case when allocation_basis = 'no_logged_calls' then 1 else 0 end as {{ type_share() }}) as invoice_share,
        invoice_amount_reporting,
        invoice_amount_usd,
        cast(0 as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_ledger_cost,
        cast(unlogged_cents as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_invoice_true_up,
        cast(0 as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_ledger_cost_usd,
        cast(unlogged_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as allocated_invoice_true_up_usd,
        cast(unlogged_cents as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as unlogged_spend,
        cast(unlogged_cents_usd as {{ type_money() }}) * cast(0.01 as decimal(3, 2)) as unlogged_spend_usd
    from unlogged_cents
),

unioned as (
    select * from owner_rows
    union all
    select * from unlogged_rows
),

final as (
    select
        *,
        '{{ reporting_currency }}' as reporting_currency
    from unioned
)

select * from final
