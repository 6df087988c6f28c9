{#
    The join that finds a conversion's rate: int_fx_rates_daily (the model's import CTE
    fx_rates) as `alias`, the rate from `from_currency` to `to_currency` on `rate_date` (SQL
    expressions; to_currency a quoted literal or a column). A left join: no rate gives a null
    `alias`.rate, for fx_rate_or_one or the fx_rates_available tests to deal with.
#}
{% macro fx_rate_join(alias, from_currency, rate_date, to_currency) -%}
    left join fx_rates as {{ alias }}
        on {{ from_currency }} = {{ alias }}.from_currency
        and {{ rate_date }} = {{ alias }}.rate_date
        and {{ alias }}.to_currency = {{ to_currency }}
{%- endmacro %}
