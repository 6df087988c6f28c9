{#
    The pre-hook of int_ledger_days_summarised in an incremental run: remove the summary's rows
    of every UTC day from the first one whose ledger rows changed (first_changed_ledger_day);
    the model then summarises those days again from the ledger. Removing the days, rather than
    replacing the rows the new summary has, also clears a day that no longer has ledger rows.
#}
{% macro delete_changed_ledger_days(summary, ledger) -%}
    {{ return(adapter.dispatch('delete_changed_ledger_days', 'ai_chargeback')(summary, ledger)) }}
{%- endmacro %}

{% macro default__delete_changed_ledger_days(summary, ledger) -%}
    {%- set first_day = first_changed_ledger_day(ledger, summary) -%}
    {%- if first_day is none -%}
        {{ return('') }}
    {%- endif -%}
    delete from {{ summary }}
    where occurred_on >= cast('{{ first_day }}' as date)
{%- endmacro %}

{#- Spark overwrites the partitions the model rebuilds (ledger_incremental_strategy): nothing to delete. -#}
{% macro spark__delete_changed_ledger_days(summary, ledger) -%}
{%- endmacro %}
