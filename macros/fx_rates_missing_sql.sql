{#
    The rows of the fx_rates_available test: each currency pair and date a model's rows need a
    rate for and int_fx_rates_daily does not give, with how many rows need it.

    A row of `model` (where `where_clause` holds) needs a rate from `from_currency` to each of
    `to_currencies` (SQL expressions: a quoted literal or a column; the model is aliased
    `checked`) on `rate_date`. With `rate_columns` (one per target currency, the rate the model
    found, null when none), a rate is missing where that column is null: the model's own
    lookup, a filter without a join. Without them the rows are looked up in int_fx_rates_daily
    here; the same currency needs no rate.
#}
{% macro fx_rates_missing_sql(model, from_currency, to_currencies, rate_date, rate_columns=none, where_clause=none) %}
with

needed_conversions as (
    {%- for to_currency in to_currencies %}
        {#- with rate columns, only the rows whose own lookup found no rate #}
        {%- set conditions = [rate_columns[loop.index0] ~ ' is null'] if rate_columns else [] %}
        {%- if where_clause %}
            {%- do conditions.append('(' ~ where_clause ~ ')') %}
        {%- endif %}
        select
            {{ from_currency }} as from_currency,
            {{ to_currency }} as to_currency,
            {{ rate_date }} as rate_date
        from {{ model }} as checked
        {%- if conditions %}
            where {{ conditions | join(' and ') }}
        {%- endif %}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

{%- if rate_columns %}

rows_without_rate as (
    select * from needed_conversions
),

{%- else %}

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

rows_without_rate as (
    select
        needed_conversions.from_currency,
        needed_conversions.to_currency,
        needed_conversions.rate_date
    from needed_conversions
    left join fx_rates
        on needed_conversions.from_currency = fx_rates.from_currency
        and needed_conversions.to_currency = fx_rates.to_currency
        and needed_conversions.rate_date = fx_rates.rate_date
    where
        needed_conversions.from_currency != needed_conversions.to_currency
        and fx_rates.rate is null
),

{%- endif %}

missing_rates as (
    select
        from_currency,
        to_currency,
        rate_date,
        count(*) as rows_without_rate
    from rows_without_rate
    group by
        from_currency,
        to_currency,
        rate_date
)

select * from missing_rates
{% endmacro %}
