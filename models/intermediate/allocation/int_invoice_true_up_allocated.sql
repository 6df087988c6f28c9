/*
    The invoice true-up spread over the owners of each provider's billing period (DESIGN.md 6.5).

    The invoice is the financial truth; the ledger explains it. For each provider and billing
    period with an invoice, the difference invoice_amount - ledger cost (tax excluded, both in
    the reporting currency and in USD) is allocated to the owner rows of that billing period
    (period_month x team x product x environment: a billing period can touch two reporting
    months) in proportion to their ledger cost; when the period's ledger cost is zero, in
    proportion to requests. The ledger rows of a period are rounded to the cent with the
    largest-remainder method first; the true-up then makes each row's total come to its exact
    share of the invoice, so that per provider and billing period
        sum(allocated_ledger_cost) + sum(allocated_invoice_true_up) = invoice, to the cent.
    A billing period without an invoice yet gets no true-up (awaiting_invoice).
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

weighted as (
    select
        owners.*,
        period_totals.period_ledger_cost,
        period_totals.period_ledger_cost_usd,
        invoices.invoice_amount_reporting,
        invoices.invoice_amount_usd,
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
),

rounded as (
    select
        owners.*,
        {{ largest_remainder_cents(
            'owners.ledger_cost', 'owners.period_ledger_cost', partition, tie_break
        ) }} as ledger_cents,
        {{ largest_remainder_cents(
            'owners.invoice_amount_reporting * owners.invoice_share',
            'owners.invoice_amount_reporting',
            partition,
            tie_break,
        ) }} as invoice_cents,
        {{ largest_remainder_cents(
            'owners.ledger_cost_usd', 'owners.period_ledger_cost_usd', partition, tie_break
        ) }} as ledger_cents_usd,
        {{ largest_remainder_cents(
            'owners.invoice_amount_usd * owners.invoice_share_usd',
            'owners.invoice_amount_usd',
            partition,
            tie_break,
        ) }} as invoice_cents_usd
    from weighted as owners
),

final as (
    select
        provider,
        billing_period_start,
        period_month,
        team_id,
        product_id,
        environment,
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
        '{{ reporting_currency }}' as reporting_currency
    from rounded
)

select * from final
