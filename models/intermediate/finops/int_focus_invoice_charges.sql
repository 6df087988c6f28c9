/*
    The invoice's own charges in the FOCUS export: what each provider's invoice bills beyond
    the ledger's token charges, per owner, and its tax (DECISIONS.md, "FOCUS export").

    Grain: one row per provider x billing period x charge: per owner row of the invoice
    true-up (reporting month x team x product x environment, int_invoice_true_up_allocated)
    one row per allocated invoice line (credit, fee, adjustment) and one true-up row; per
    usage line no logged call explains (int_unlogged_lines_identified) one row owned by
    UNALLOCATED; per tax line of the invoice one row (tax is not charged back).

    Rules, amounts in the billing currency (the reporting currency, at the invoice's rate):
      - each credit, fee and adjustment line is spread over the period's owners by their
        invoice share (int_invoice_true_up_allocated.invoice_share), to the cent with the
        largest-remainder method, so a line's rows add up to the line;
      - the true-up row is the rest of the owner's invoice true-up:
            effective_cost = allocated_invoice_true_up - the owner's allocated lines
            billed_cost    = the owner's share of the invoice - the owner's exact ledger cost
                             - the owner's allocated lines
        so that an owner's token charges and invoice charges add up to its chargeback
        (effective) and to its share of the invoice (billed). The two differ by the owner's
        ledger rounded to the cent (the chargeback rounds the ledger before the true-up), by
        less than a cent per row. The true-up row carries the invoice's discounts (the ledger's
        contract already took the contract's discount off the token charges), unpriced usage,
        price and volume differences; every owner of the period has one, so that the
        allocation ratios of a period add up to 1;
      - each usage line no logged call explains is a charge of its own (invoice_unlogged_usage)
        owned by UNALLOCATED in the reporting month named like the billing period, at its amount
        converted and rounded to the cent (allocated_amount: the lines add up to the
        UNALLOCATED row's true-up). Of a billing period without logged calls, UNALLOCATED is the
        only owner (invoice share 1): the invoice's credit, fee and adjustment lines are its
        charges too, and its true-up row is what is left (discounts, rounding). The UNALLOCATED
        row of unlogged models in a period with logged calls takes no share of the other lines
        and has no true-up row: its usage charges are its whole true-up
        (DECISIONS.md, "Spend without logged calls");
      - each tax line, converted, rounded to the cent so that the period's tax rows add up to
        its tax rounded to the cent.
    A billing period without an invoice has no rows here: its token charges are its billed
    cost until the invoice lands.
*/

{#- an owner row of a provider's billing period (int_invoice_true_up_allocated's grain) #}
{%- set owner_key = ['provider', 'billing_period_start', 'period_month', 'team_id', 'product_id', 'environment'] %}
{%- set owner_order = ['owners.period_month', 'owners.team_id', 'owners.product_id', 'owners.environment'] %}
{#- what an owner's share is in proportion to: its ledger cost, else its requests #}
{%- set allocation_basis_amount -%}
    case
        when owners.allocation_basis = 'ledger_cost' then owners.ledger_cost
        else cast(owners.requests as {{ type_billing_money() }})
    end
{%- endset %}

with

owners as (
    select * from {{ ref('int_invoice_true_up_allocated') }}
),

billed_lines as (
    select * from {{ ref('int_billed_lines_unioned') }}
    where is_chosen_source
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

billing_periods as (
    select * from {{ ref('int_billing_periods') }}
),

unlogged_lines as (
    select * from {{ ref('int_unlogged_lines_identified') }}
),

-- The owners that share the invoice's own lines and have a true-up row: every owner but the
-- UNALLOCATED row of unlogged models (its usage charges below are its whole true-up).
owners_weighted as (
    select
        owners.*,
        owners.allocated_ledger_cost + owners.allocated_invoice_true_up as invoice_share_amount
    from owners
    where owners.allocation_basis != 'unlogged_model'
),

unlogged_by_period as (
    select
        provider,
        billing_period_start,
        sum(allocated_amount) as unlogged_amount
    from unlogged_lines
    group by
        provider,
        billing_period_start
),

lines_converted as (
    select
        billed_lines.billed_line_id,
        billed_lines.provider,
        billed_lines.billing_period_start,
        billed_lines.document_id as invoice_id,
        billed_lines.line_id,
        coalesce(billed_lines.line_description, billed_lines.charge_category) as line_description,
        billed_lines.charge_category as invoice_charge_category,
        billed_lines.currency as invoice_currency,
        invoices.fx_rate,
        invoices.tax_amount_reporting,
        cast({{ convert_currency('billed_lines.amount', 'invoices.fx_rate') }} as {{ type_billing_money() }}) as line_amount
    from billed_lines
    inner join invoices
        on billed_lines.provider = invoices.provider
        and billed_lines.billing_period_start = invoices.billing_period_start
    where billed_lines.charge_category in ('credit', 'fee', 'adjustment', 'tax')
),

lines_allocated as (
    select
        lines_converted.billed_line_id,
        lines_converted.invoice_id,
        lines_converted.line_description,
        lines_converted.invoice_charge_category,
        lines_converted.invoice_currency,
        lines_converted.fx_rate,
        lines_converted.line_amount,
        owners.{{ owner_key | join(',\n        owners.') }},
        owners.invoice_share,
        owners.allocation_basis,
        {{ allocation_basis_amount }} as allocation_basis_amount,
        cast(
            cast(
                {{ largest_remainder_cents(
                    'lines_converted.line_amount * owners.invoice_share',
                    'lines_converted.line_amount',
                    ['lines_converted.billed_line_id'],
                    owner_order,
                ) }} as decimal(36, 0)
            ) * cast(0.01 as decimal(3, 2)) as {{ type_billing_money() }}
        ) as allocated_amount
    from lines_converted
    inner join owners_weighted as owners
        on lines_converted.provider = owners.provider
        and lines_converted.billing_period_start = owners.billing_period_start
    where lines_converted.invoice_charge_category != 'tax'
),

allocated_by_owner as (
    select
        {{ owner_key | join(',\n        ') }},
        sum(allocated_amount) as allocated_lines_amount
    from lines_allocated
    group by
        {{ owner_key | join(',\n        ') }}
),

invoice_true_ups as (
    select
        owners.{{ owner_key | join(',\n        owners.') }},
        owners.invoice_share,
        owners.allocation_basis,
        {{ allocation_basis_amount }} as allocation_basis_amount,
        invoices.invoice_id,
        invoices.invoice_currency,
        invoices.fx_rate,
        cast(
            sum(owners.allocated_invoice_true_up) over (
                partition by owners.provider, owners.billing_period_start
            ) as {{ type_billing_money() }}
        ) as period_true_up,
        cast(
            owners.allocated_invoice_true_up
            - coalesce(allocated_by_owner.allocated_lines_amount, 0)
            - coalesce(unlogged_by_period.unlogged_amount, 0)
            as {{ type_billing_money() }}
        ) as effective_cost,
        cast(
            owners.invoice_share_amount
            - owners.ledger_cost
            - coalesce(allocated_by_owner.allocated_lines_amount, 0)
            - coalesce(unlogged_by_period.unlogged_amount, 0)
            as {{ type_billing_money() }}
        ) as billed_cost
    from owners_weighted as owners
    inner join invoices
        on owners.provider = invoices.provider
        and owners.billing_period_start = invoices.billing_period_start
    -- the usage lines of a period without logged calls are charges of its UNALLOCATED row
    left join unlogged_by_period
        on owners.provider = unlogged_by_period.provider
        and owners.billing_period_start = unlogged_by_period.billing_period_start
        and owners.allocation_basis = 'no_logged_calls'
    left join allocated_by_owner
        on owners.provider = allocated_by_owner.provider
        {%- for column in owner_key[1:] %}
            and owners.{{ column }} = allocated_by_owner.{{ column }}
        {%- endfor %}
),

taxes as (
    select
        lines_converted.*,
        cast(
            cast(
                {{ largest_remainder_cents(
                    'lines_converted.line_amount',
                    'lines_converted.tax_amount_reporting',
                    ['lines_converted.provider', 'lines_converted.billing_period_start'],
                    ['lines_converted.billed_line_id'],
                ) }} as decimal(36, 0)
            ) * cast(0.01 as decimal(3, 2)) as {{ type_billing_money() }}
        ) as tax_amount
    from lines_converted
    where lines_converted.invoice_charge_category = 'tax'
),

{#- the columns only some kinds of charge have, null on the others: an allocation's (the owner
    share of an invoice line or of the true-up) and an unlogged usage line's #}
{%- set no_allocation -%}
    cast(null as {{ type_share() }}) as allocated_ratio,
    cast(null as {{ dbt.type_string() }}) as allocation_basis,
    cast(null as {{ type_billing_money() }}) as allocation_basis_amount,
    cast(null as {{ dbt.type_string() }}) as allocation_origin_id,
    cast(null as {{ type_billing_money() }}) as allocation_origin_cost
{%- endset %}
{%- set no_usage_line -%}
    cast(null as {{ dbt.type_string() }}) as model_canonical,
    cast(null as {{ dbt.type_string() }}) as token_type,
    cast(null as decimal(38, 6)) as line_quantity,
    cast(null as {{ dbt.type_string() }}) as line_unit,
    cast(null as {{ dbt.type_string() }}) as unlogged_reason
{%- endset %}

charges as (
    select
        {{ surrogate_key(["'invoice_line'", 'billed_line_id', 'period_month', 'team_id', 'product_id', 'environment']) }}
            as charge_key,
        case invoice_charge_category
            when 'credit' then 'invoice_credit'
            when 'fee' then 'invoice_fee'
            else 'invoice_adjustment'
        end as charge_kind,
        {{ owner_key | join(',\n        ') }},
        invoice_id,
        billed_line_id,
        line_description,
        invoice_currency,
        fx_rate,
        invoice_share as allocated_ratio,
        allocation_basis,
        allocation_basis_amount,
        billed_line_id as allocation_origin_id,
        line_amount as allocation_origin_cost,
        allocated_amount as billed_cost,
        allocated_amount as effective_cost,
        {{ no_usage_line }}
    from lines_allocated
    union all
    select
        {{ surrogate_key([
            "'invoice_true_up'", 'provider', 'billing_period_start', 'period_month', 'team_id', 'product_id', 'environment',
        ]) }} as charge_key,
        'invoice_true_up' as charge_kind,
        {{ owner_key | join(',\n        ') }},
        invoice_id,
        cast(null as {{ dbt.type_string() }}) as billed_line_id,
        cast(null as {{ dbt.type_string() }}) as line_description,
        invoice_currency,
        fx_rate,
        invoice_share as allocated_ratio,
        allocation_basis,
        allocation_basis_amount,
        invoice_id as allocation_origin_id,
        period_true_up as allocation_origin_cost,
        billed_cost,
        effective_cost,
        {{ no_usage_line }}
    from invoice_true_ups
    union all
    select
        {{ surrogate_key(["'invoice_unlogged_usage'", 'unlogged_lines.billed_line_id']) }} as charge_key,
        'invoice_unlogged_usage' as charge_kind,
        unlogged_lines.provider,
        unlogged_lines.billing_period_start,
        unlogged_lines.billing_period_start as period_month,
        'UNALLOCATED' as team_id,
        'UNALLOCATED' as product_id,
        'unknown' as environment,
        unlogged_lines.invoice_id,
        unlogged_lines.billed_line_id,
        coalesce(unlogged_lines.line_description, 'usage') as line_description,
        unlogged_lines.currency as invoice_currency,
        unlogged_lines.fx_rate,
        {{ no_allocation }},
        cast(unlogged_lines.allocated_amount as {{ type_billing_money() }}) as billed_cost,
        cast(unlogged_lines.allocated_amount as {{ type_billing_money() }}) as effective_cost,
        unlogged_lines.model_canonical,
        unlogged_lines.token_type,
        cast(unlogged_lines.quantity as decimal(38, 6)) as line_quantity,
        unlogged_lines.unit as line_unit,
        unlogged_lines.unlogged_reason
    from unlogged_lines
    union all
    select
        {{ surrogate_key(["'invoice_tax'", 'billed_line_id']) }} as charge_key,
        'invoice_tax' as charge_kind,
        provider,
        billing_period_start,
        cast(null as date) as period_month,
        cast(null as {{ dbt.type_string() }}) as team_id,
        cast(null as {{ dbt.type_string() }}) as product_id,
        cast(null as {{ dbt.type_string() }}) as environment,
        invoice_id,
        billed_line_id,
        line_description,
        invoice_currency,
        fx_rate,
        {{ no_allocation }},
        tax_amount as billed_cost,
        tax_amount as effective_cost,
        {{ no_usage_line }}
    from taxes
),

final as (
    select
        charges.*,
        {{ billing_period_bounds('charges') }},
        {{ reporting_month_bounds('charges.period_month') }}
    from charges
    left join billing_periods
        on charges.provider = billing_periods.provider
        and charges.billing_period_start = billing_periods.billing_period_start
)

select * from final
