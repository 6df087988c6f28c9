{#
    The first columns of a cost report page model's `final` CTE, in the shape of an invoice
    line (docs/landing-contract.md#invoices): line_id, a result's key from the columns
    `result_key` (a bucket without results, or a document without buckets, keyed by its
    text), the provider, the file, cost_date and the billing period, the UTC calendar month
    of the bucket's day (end exclusive). The caller adds the line's own columns after them.
#}
{% macro cost_page_line_columns(provider, result_key) -%}
    case
        when result_record is not null then {{ surrogate_key(result_key) }}
        else {{ surrogate_key(['delivery_key', 'bucket_start_at', 'bucket_record', 'raw_record']) }}
    end as line_id,
    '{{ provider }}' as provider,
    source_file,
    cost_date,
    cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as billing_period_start,
    cast({{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'cost_date')) }} as date) as billing_period_end
{%- endmacro %}
