/*
    Each invoice line against the ledger: billing period x provider x model x token type, for the
    provider billing periods that have an invoice (docs/accounting-rules.md#invoice-reconciliation).

    The invoice side sums the usage lines that name a model (batch and standard lines, and the
    long-context tiers, of a model and token type are added together); the ledger side is
    int_ledger_lines_summarised over the same billing period, in the invoice currency. A model
    or token type on only one side still gets its row.

    The difference invoice_amount - ledger_amount is explained in three parts and a rest. With
    Qi, Ai the invoice quantity and amount, Pi = Ai / Qi its unit price, Ql, Al the ledger's
    priced tokens and amount, Pl = Al / Ql, and Qu the ledger's tokens it could not price:
        explained_unpriced_usage    = Pi x Qu              the unpriced tokens at the invoice's price
        explained_price_difference  = (Pi - Pl) x Ql       the same tokens at two prices
        explained_volume_difference = Pi x (Qi - Ql - Qu)  tokens billed but not logged (or the reverse)
        unexplained_amount          = the rest             line rounding, nothing else when the above hold
    These add up to Ai - Al exactly. A ledger line the invoice does not bill at all is a volume
    difference of -Al; an invoice line without a quantity has no unit price and stays
    unexplained.

    Every quantity type has a ledger side (DECISIONS.md, "Billable quantities"): text tokens,
    audio and image tokens, web and file search calls, code execution sessions and request
    fees; only `other` lines (is_ledger_token_type false) have none, and billed they are a
    volume difference of their whole amount. Quantities the ledger counts but cannot price (no
    price in the catalogue) are its unpriced quantity. Tool calls and request fees that the
    invoice bills without a model (OpenAI's "web search tool calls") are compared for the
    provider as a whole: for such a token type of the billing period the row has a null model
    and the ledger side sums every model. A row whose invoice counts another unit than the
    ledger (Anthropic bills code execution in hours, the ledger counts sessions) has no
    comparable unit price: its difference stays unexplained (has_invoice_unit_price false).

    Capacity (DECISIONS.md, "Capacity pools"): the invoice's reservation lines (token_type
    capacity: Azure PTU, Bedrock provisioned throughput) are compared for the provider as a
    whole with the capacity pools the provider bills (int_capacity_reservations_billed), whose
    amount is the row's ledger_amount; the calls the pools served cost nothing per token and
    are not on this row. A reservation billed at another amount than its pools say is a price
    difference; pools the invoice does not bill are a volume difference of -their amount; a
    reservation no pool describes has no comparable quantity and stays unexplained.
*/

{%- set tool_types = ['web_search', 'file_search', 'code_execution', 'request'] %}

with

billed_lines as (
    select * from {{ ref('int_billed_lines_unioned') }}
    where
        is_chosen_source
        and charge_category = 'usage'
        and (
            model_canonical is not null
            or token_type in ('{{ tool_types | join("', '") }}')
            or token_type = 'capacity'
        )
),

-- the tool and fee types the invoice bills without a model: compared for the whole provider
types_billed_without_model as (
    select distinct
        provider,
        billing_period_start,
        token_type
    from billed_lines
    where model_canonical is null
),

ledger_lines as (
    select * from {{ ref('int_ledger_lines_summarised') }}
),

capacity_reservations as (
    select * from {{ ref('int_capacity_reservations_billed') }}
),

invoices as (
    select * from {{ ref('int_invoices_summarised') }}
),

-- each side's lines with the model they are compared under: none for a type the period
-- bills without a model, nor for capacity (compared with the provider's pools as a whole)
{%- for lines in ['billed_lines', 'ledger_lines'] %}

    {{ lines }}_modelled as (
        select
            {{ lines }}.*,
            case
                when without_model.token_type is null and {{ lines }}.token_type != 'capacity'
                    then {{ lines }}.model_canonical
            end as model
        from {{ lines }}
        left join types_billed_without_model as without_model
            on {{ lines }}.provider = without_model.provider
            and {{ lines }}.billing_period_start = without_model.billing_period_start
            and {{ lines }}.token_type = without_model.token_type
    ),
{%- endfor %}

invoice_usage_by_model as (
    select
        provider,
        billing_period_start,
        model,
        token_type,
        count(*) as invoice_lines,
        sum(quantity) as invoice_quantity,
        sum(amount) as invoice_amount,
        sum(case when quantity is null then 1 else 0 end) as lines_without_quantity,
        max(lower(unit)) as invoice_unit
    from billed_lines_modelled
    group by
        provider,
        billing_period_start,
        model,
        token_type
),

ledger_by_model as (
    select
        ledger_lines.provider,
        ledger_lines.billing_period_start,
        ledger_lines.model,
        ledger_lines.token_type,
        max(ledger_lines.quantity_unit) as quantity_unit,
        sum(ledger_lines.ledger_quantity) as ledger_quantity,
        sum(ledger_lines.unpriced_quantity) as unpriced_quantity,
        sum(ledger_lines.ledger_amount) as ledger_amount
    from ledger_lines_modelled as ledger_lines
    inner join invoices
        on ledger_lines.provider = invoices.provider
        and ledger_lines.billing_period_start = invoices.billing_period_start
    group by
        ledger_lines.provider,
        ledger_lines.billing_period_start,
        ledger_lines.model,
        ledger_lines.token_type
    union all
    select
        capacity_reservations.provider,
        capacity_reservations.billing_period_start,
        cast(null as {{ dbt.type_string() }}) as model,
        'capacity' as token_type,
        cast(null as {{ dbt.type_string() }}) as quantity_unit,
        0 as ledger_quantity,
        0 as unpriced_quantity,
        capacity_reservations.capacity_amount as ledger_amount
    from capacity_reservations
    inner join invoices
        on capacity_reservations.provider = invoices.provider
        and capacity_reservations.billing_period_start = invoices.billing_period_start
),

sides_joined as (
    select
        coalesce(invoice_side.provider, ledger_side.provider) as provider,
        coalesce(invoice_side.billing_period_start, ledger_side.billing_period_start) as billing_period_start,
        coalesce(invoice_side.model, ledger_side.model) as model,
        coalesce(invoice_side.token_type, ledger_side.token_type) as token_type,
        coalesce(invoice_side.invoice_lines, 0) as invoice_lines,
        invoice_side.invoice_quantity,
        coalesce(invoice_side.invoice_amount, 0) as invoice_amount,
        coalesce(ledger_side.ledger_quantity, 0) as ledger_quantity,
        coalesce(ledger_side.unpriced_quantity, 0) as unpriced_quantity,
        coalesce(ledger_side.ledger_amount, 0) as ledger_amount,
        coalesce(
            ledger_side.quantity_unit,
            case
                when coalesce(invoice_side.token_type, ledger_side.token_type) in ('web_search', 'file_search')
                    then 'calls'
                when coalesce(invoice_side.token_type, ledger_side.token_type) = 'code_execution' then 'sessions'
                when coalesce(invoice_side.token_type, ledger_side.token_type) = 'request' then 'requests'
                when coalesce(invoice_side.token_type, ledger_side.token_type) not in ('other', 'capacity')
                    then 'tokens'
            end
        ) as quantity_unit,
        invoice_side.invoice_unit,
        coalesce(invoice_side.invoice_quantity > 0 and invoice_side.lines_without_quantity = 0, false)
            as has_invoice_quantity
    from invoice_usage_by_model as invoice_side
    full outer join ledger_by_model as ledger_side
        on invoice_side.provider = ledger_side.provider
        and invoice_side.billing_period_start = ledger_side.billing_period_start
        and coalesce(invoice_side.model, '(all models)') = coalesce(ledger_side.model, '(all models)')
        and invoice_side.token_type = ledger_side.token_type
),

-- The invoice's unit price values the ledger's calls, sessions or requests only when the
-- invoice counts the same unit (a unit that names it, singular or plural, or none); token
-- lines are tokens whatever the invoice calls them.
units_compared as (
    select
        sides_joined.*,
        sides_joined.has_invoice_quantity
        and sides_joined.token_type != 'capacity'
        and (
            sides_joined.invoice_unit is null
            or coalesce(sides_joined.quantity_unit, 'tokens') = 'tokens'
            or sides_joined.invoice_unit like {{ dbt.concat([
                "substr(sides_joined.quantity_unit, 1, length(sides_joined.quantity_unit) - 1)", "'%'",
            ]) }}
        ) as has_invoice_unit_price
    from sides_joined
),

parts_explained as (
    select
        sides_joined.*,
        case
            when sides_joined.has_invoice_unit_price
                then
                    cast(
                        {{ divide('sides_joined.invoice_amount * sides_joined.unpriced_quantity', 'sides_joined.invoice_quantity') }}
                        as {{ type_money() }}
                    )
            else cast(0 as {{ type_money() }})
        end as explained_unpriced_usage,
        case
            when
                sides_joined.token_type = 'capacity'
                and sides_joined.invoice_lines > 0
                and sides_joined.ledger_amount != 0
                then sides_joined.invoice_amount - sides_joined.ledger_amount
            when sides_joined.has_invoice_unit_price and sides_joined.ledger_quantity > 0
                then
                    cast(
                        {{ divide('sides_joined.invoice_amount * sides_joined.ledger_quantity', 'sides_joined.invoice_quantity') }}
                        as {{ type_money() }}
                    )
                    - sides_joined.ledger_amount
            else cast(0 as {{ type_money() }})
        end as explained_price_difference,
        case
            when sides_joined.has_invoice_unit_price
                then cast(
                    {{ divide(
                        'sides_joined.invoice_amount'
                        ~ ' * (sides_joined.invoice_quantity - sides_joined.ledger_quantity - sides_joined.unpriced_quantity)',
                        'sides_joined.invoice_quantity',
                    ) }}
                    as {{ type_money() }}
                )
            when sides_joined.invoice_lines = 0 then -sides_joined.ledger_amount
            else cast(0 as {{ type_money() }})
        end as explained_volume_difference
    from units_compared as sides_joined
),

final as (
    select
        {{ surrogate_key([
            'parts_explained.provider',
            'parts_explained.billing_period_start',
            'parts_explained.model',
            'parts_explained.token_type',
        ]) }} as line_reconciliation_id,
        parts_explained.billing_period_start,
        invoices.billing_period_end,
        parts_explained.provider,
        parts_explained.model,
        parts_explained.token_type,
        invoices.invoice_currency,
        parts_explained.invoice_lines,
        parts_explained.invoice_quantity,
        parts_explained.invoice_amount,
        case
            when parts_explained.has_invoice_unit_price
                then cast(
                    {{ divide('parts_explained.invoice_amount * 1000000', 'parts_explained.invoice_quantity') }}
                    as {{ type_price_per_mtok() }}
                )
        end as invoice_unit_price_per_mtok,
        parts_explained.ledger_quantity,
        parts_explained.ledger_amount,
        case
            when parts_explained.ledger_quantity > 0
                then cast(
                    {{ divide('parts_explained.ledger_amount * 1000000', 'parts_explained.ledger_quantity') }}
                    as {{ type_price_per_mtok() }}
                )
        end as ledger_unit_price_per_mtok,
        parts_explained.unpriced_quantity,
        coalesce(parts_explained.invoice_quantity, 0)
        - parts_explained.ledger_quantity
        - parts_explained.unpriced_quantity as quantity_difference,
        parts_explained.invoice_amount - parts_explained.ledger_amount as amount_difference,
        parts_explained.explained_unpriced_usage,
        parts_explained.explained_price_difference,
        parts_explained.explained_volume_difference,
        parts_explained.invoice_amount
        - parts_explained.ledger_amount
        - parts_explained.explained_unpriced_usage
        - parts_explained.explained_price_difference
        - parts_explained.explained_volume_difference as unexplained_amount,
        parts_explained.has_invoice_unit_price,
        parts_explained.token_type != 'other' as is_ledger_token_type,
        parts_explained.quantity_unit,
        parts_explained.invoice_unit
    from parts_explained
    inner join invoices
        on parts_explained.provider = invoices.provider
        and parts_explained.billing_period_start = invoices.billing_period_start
)

select * from final
