/*
    Each invoice line against the ledger's calls of the same provider, billing period, model
    and token type, with the unpriced, price and volume parts of the difference
    (docs/accounting-rules.md#invoice-reconciliation). The figures are computed in
    int_invoice_lines_compared, which the invoice reconciliation and the FOCUS usage charges
    read too; this mart is its public, contracted copy.
*/

with

final as (
    select * from {{ ref('int_invoice_lines_compared') }}
)

select * from final
