{#
    A CTE, logged_periods, for the caller's with-list: the billing periods (provider,
    billing_period_start) with any logged call of the provider in `ledger`
    (int_ledger_days_summarised, or a CTE over it), gateway cache hits included, as the
    invoice true-up counts its owners: a billing period without one is spend without logged
    calls as a whole. Shared by int_unlogged_lines_identified and fct_invoice_reconciliation.
#}
{% macro logged_billing_periods(ledger) -%}
logged_periods as (
    select distinct
        provider,
        billing_period_start
    from {{ ledger }}
)
{%- endmacro %}
