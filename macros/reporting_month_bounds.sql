{#
    Two columns, period_month_starts_at and period_month_ends_at: the UTC instants a reporting
    month (`period_month`, a date column) starts and ends at, in the reporting time zone. The
    FOCUS charges (int_focus_usage_charges, int_focus_invoice_charges,
    int_focus_shared_charges) bound their charge periods by them.
#}
{% macro reporting_month_bounds(period_month) -%}
    {%- set reporting_timezone = var('chargeback__reporting_timezone') -%}
    {{ local_to_utc('cast(' ~ period_month ~ ' as ' ~ dbt.type_timestamp() ~ ')', reporting_timezone) }}
            as period_month_starts_at,
        {{ local_to_utc(
            'cast(' ~ dbt.dateadd('month', 1, period_month) ~ ' as ' ~ dbt.type_timestamp() ~ ')',
            reporting_timezone
        ) }} as period_month_ends_at
{%- endmacro %}
