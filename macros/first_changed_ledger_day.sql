{#
    The first UTC day whose ledger rows differ from what `summary` (int_ledger_days_summarised)
    holds (ledger_periods_changed), as text (YYYY-MM-DD), or none when every day agrees or
    outside an incremental run.
#}
{% macro first_changed_ledger_day(ledger, summary) -%}
    {%- set days = ledger_periods_changed(
        ledger, 'cast(occurred_at as date)', summary, 'occurred_on', 'requests'
    ) -%}
    {{ return(days[0] if days else none) }}
{%- endmacro %}
