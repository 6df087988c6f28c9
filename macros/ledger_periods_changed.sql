{#
    The periods (UTC days, reporting months) whose ledger rows differ from what an incremental
    summary of the ledger recorded, as text values, oldest first; an empty list outside an
    incremental run.

    A period differs when its count of ledger rows or its latest priced_at differs from the
    summary's, or when only one side has it. The ledger gives every row it writes the run's
    priced_at (a new record, a row whose figures or owner changed, a full refresh) and a row it
    deletes lowers the count, so a period whose rows changed in any way shows here. Reads two
    columns of the ledger and the summary's few rows.

    ledger_period / summary_period: the period's expression on each side; summary_rows: the
    summary's column that counts ledger rows; summary_where: the summary's rows that count them
    once.
#}
{% macro ledger_periods_changed(ledger, ledger_period, summary, summary_period, summary_rows, summary_where='1 = 1') -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set never = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set query -%}
        with

        ledger_periods as (
            select
                {{ ledger_period }} as period_key,
                count(*) as ledger_rows,
                max(priced_at) as last_priced_at
            from {{ ledger }}
            group by {{ ledger_period }}
        ),

        summary_periods as (
            select
                {{ summary_period }} as period_key,
                sum({{ summary_rows }}) as ledger_rows,
                max(last_priced_at) as last_priced_at
            from {{ summary }}
            where {{ summary_where }}
            group by {{ summary_period }}
        )

        select distinct coalesce(ledger_periods.period_key, summary_periods.period_key) as period_key
        from ledger_periods
        full outer join summary_periods
            on ledger_periods.period_key = summary_periods.period_key
        where
            ledger_periods.period_key is null
            or summary_periods.period_key is null
            or ledger_periods.ledger_rows <> summary_periods.ledger_rows
            or coalesce(ledger_periods.last_priced_at, {{ never }})
            <> coalesce(summary_periods.last_priced_at, {{ never }})
        order by period_key
    {%- endset -%}
    {%- set periods = [] -%}
    {%- for value in run_query(query).columns[0].values() -%}
        {%- do periods.append(value | string) -%}
    {%- endfor -%}
    {{ return(periods) }}
{%- endmacro %}
