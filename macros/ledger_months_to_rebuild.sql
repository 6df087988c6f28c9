{#
    Where the ledger overwrites whole months (Spark, ledger_incremental_strategy), the
    reporting months an incremental run prices again, as a condition on period_month: the
    months of the records loaded since the ledger last ran (`new_records`), of the lookback
    days when the reference data changed (`lookback_start`, none when not), and of the ledger
    rows whose call is now counted from another record (what delete_superseded_ledger_rows
    removes where rows can be deleted). `priced` is the relation the ledger prices from
    (int_requests_priced); `1 = 0` when no month changed.
#}
{% macro ledger_months_to_rebuild(ledger, priced, first_deliveries, lookback_start, new_records) -%}
    {%- set query -%}
        select distinct period_month
        from {{ priced }}
        where ({{ new_records }}
            {%- if lookback_start is not none %}
                or occurred_at >= {{ lookback_start }}
            {%- endif %})
        union
        select distinct ledger.period_month
        from {{ ledger }} as ledger
        inner join {{ first_deliveries }} as deliveries
            on coalesce(ledger.provider_response_id, ledger.request_id) = deliveries.match_key
        where ledger.request_id <> deliveries.first_request_id
    {%- endset -%}
    {%- set months = [] -%}
    {%- for value in run_query(query).columns[0].values() if value is not none -%}
        {%- do months.append("cast('" ~ value ~ "' as date)") -%}
    {%- endfor -%}
    {{ return('period_month in (' ~ months | join(', ') ~ ')' if months else '1 = 0') }}
{%- endmacro %}
