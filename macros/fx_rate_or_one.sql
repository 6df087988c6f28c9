{#
    The rate from `from_currency` to `to_currency`: 1 by definition when they are the same
    currency (no rate needed, none looked up), else `rate` (the joined FX row's rate, null
    when none was found, which the FX coverage tests catch). `to_currency` is SQL: quote a
    literal ("'USD'").
#}
{% macro fx_rate_or_one(from_currency, to_currency, rate) -%}
    case
        when {{ from_currency }} = {{ to_currency }} then cast(1 as {{ type_fx_rate() }})
        else {{ rate }}
    end
{%- endmacro %}
