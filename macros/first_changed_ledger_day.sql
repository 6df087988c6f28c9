{#
    The first UTC day whose ledger rows differ from what `summary` (int_ledger_days_summarised)
    holds, as text (YYYY-MM-DD), or none when every day agrees. Outside an incremental run:
    none.

    A day differs when its count of ledger rows or its latest priced_at differs, or when only
    one side has it. Every row the ledger writes gets the run's priced_at (new records, the
    lookback days it re-prices, a full refresh), and a row it deletes lowers the count, so a
    day whose rows changed in any way shows here. The comparison reads two columns of the
    ledger and the summary's few rows.
#}
{% macro first_changed_ledger_day(ledger, summary) -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set never = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set query -%}
        with

        ledger_days as (
            select
                cast(occurred_at as date) as occurred_on,
                count(*) as requests,
                max(priced_at) as last_priced_at
            from {{ ledger }}
            group by cast(occurred_at as date)
        ),

        summary_days as (
            select
                occurred_on,
                sum(requests) as requests,
                max(last_priced_at) as last_priced_at
            from {{ summary }}
            group by occurred_on
        )

        select min(coalesce(ledger_days.occurred_on, summary_days.occurred_on)) as first_changed_day
        from ledger_days
        full outer join summary_days
            on ledger_days.occurred_on = summary_days.occurred_on
        where
            ledger_days.occurred_on is null
            or summary_days.occurred_on is null
            or ledger_days.requests <> summary_days.requests
            or coalesce(ledger_days.last_priced_at, {{ never }}) <> coalesce(summary_days.last_priced_at, {{ never }})
    {%- endset -%}
    {%- set first_day = run_query(query).columns[0].values()[0] -%}
    {%- if first_day is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(first_day | string) }}
{%- endmacro %}
