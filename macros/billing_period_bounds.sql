{#
    Two columns, billing_period_starts_at and billing_period_ends_at: the UTC instants the
    billing period of a charge (`charges`, a relation with provider and billing_period_start,
    left-joined by the caller to `billing_periods`, int_billing_periods, on both) starts and
    ends at: the provider's billing period in its billing time zone, else the calendar month in
    UTC. Shared by int_focus_usage_charges and int_focus_invoice_charges.
#}
{% macro billing_period_bounds(charges, billing_periods='billing_periods') -%}
    coalesce(
            {{ billing_periods }}.starts_at_utc,
            cast({{ charges }}.billing_period_start as {{ dbt.type_timestamp() }})
        ) as billing_period_starts_at,
        coalesce(
            {{ billing_periods }}.ends_at_utc,
            cast({{ dbt.dateadd('month', 1, charges ~ '.billing_period_start') }} as {{ dbt.type_timestamp() }})
        ) as billing_period_ends_at
{%- endmacro %}
