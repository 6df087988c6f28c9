/*
    The chargeback of a provider's billing period is its invoice (tax excluded), to the cent:
    the ledger rows of that period, rounded, plus their allocated true-up, equal the invoice
    amount rounded to the cent, in the reporting currency and in USD, UNALLOCATED's spend
    without logged calls included (a billing period without logged calls is charged too). Its
    spend without logged calls is the whole invoice when the period has no logged call, else
    its unlogged lines (int_unlogged_lines_identified) rounded to the cent. And the chargeback
    carries exactly the true-ups and the unlogged spend allocated. Capacity the provider bills
    (int_capacity_reservations_billed: its pools, Azure PTU, Bedrock provisioned throughput)
    is charged by the pools' allocations, not the true-up: the ledger, the true-up and the
    pools together are the invoice, and the spend without logged calls of a period without
    logged calls is the invoice less its pools. Fails with the provider-months that do not tie.
*/

with

allocated as (
    select
        provider,
        billing_period_start,
        max(invoice_amount_reporting) as invoice_amount_reporting,
        max(invoice_amount_usd) as invoice_amount_usd,
        sum(allocated_ledger_cost + allocated_invoice_true_up) as charged,
        sum(allocated_ledger_cost_usd + allocated_invoice_true_up_usd) as charged_usd,
        sum(allocated_invoice_true_up) as true_up,
        sum(unlogged_spend) as unlogged_spend,
        sum(unlogged_spend_usd) as unlogged_spend_usd,
        sum(case when allocation_basis in ('ledger_cost', 'requests') then 1 else 0 end) as logged_owners
    from {{ ref('int_invoice_true_up_allocated') }}
    group by
        provider,
        billing_period_start
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

capacity as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

unlogged_lines as (
    select
        provider,
        billing_period_start,
        round(sum(amount_reporting), 2) as unlogged_amount,
        round(sum(amount_usd), 2) as unlogged_amount_usd
    from {{ ref('int_unlogged_lines_identified') }}
    group by
        provider,
        billing_period_start
),

provider_failures as (
    select
        invoices.provider,
        invoices.billing_period_start,
        round(invoices.invoice_amount_reporting, 2) as invoice_amount,
        allocated.charged + coalesce(capacity.capacity_amount_reporting, 0) as charged
    from invoices
    left join allocated
        on invoices.provider = allocated.provider
        and invoices.billing_period_start = allocated.billing_period_start
    left join unlogged_lines
        on invoices.provider = unlogged_lines.provider
        and invoices.billing_period_start = unlogged_lines.billing_period_start
    left join capacity
        on invoices.provider = capacity.provider
        and invoices.billing_period_start = capacity.billing_period_start
    where
        allocated.charged is null
        or allocated.charged + coalesce(capacity.capacity_amount_reporting, 0)
        <> round(invoices.invoice_amount_reporting, 2)
        or allocated.charged_usd + coalesce(capacity.capacity_amount_usd, 0) <> round(invoices.invoice_amount_usd, 2)
        or (
            allocated.logged_owners = 0
            and (
                allocated.unlogged_spend + coalesce(capacity.capacity_amount_reporting, 0)
                <> round(invoices.invoice_amount_reporting, 2)
                or allocated.unlogged_spend_usd + coalesce(capacity.capacity_amount_usd, 0)
                <> round(invoices.invoice_amount_usd, 2)
            )
        )
        or (
            allocated.logged_owners > 0
            and (
                allocated.unlogged_spend <> coalesce(unlogged_lines.unlogged_amount, 0)
                or allocated.unlogged_spend_usd <> coalesce(unlogged_lines.unlogged_amount_usd, 0)
            )
        )
),

-- over all providers, the chargeback's true-up and spend without logged calls are the
-- allocations' own
totals as (
    {%- for total, allocated_column, charged_column in [
        ('all', 'true_up', 'invoice_true_up'),
        ('all, spend without logged calls', 'unlogged_spend', 'unlogged_spend'),
    ] %}
        select
            '{{ total }}' as provider,
            cast(null as date) as billing_period_start,
            (select sum({{ allocated_column }}) from allocated) as invoice_amount,
            (select sum({{ charged_column }}) from {{ ref('fct_team_chargeback') }}) as charged
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from provider_failures
union all
select * from totals
where coalesce(invoice_amount, 0) <> coalesce(charged, 0)
