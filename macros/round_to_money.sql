{#
    An exact decimal amount (scale at most 18: tokens x a price per token) rounded to the money
    type's 12 decimals, half away from zero, as a cast does on every engine.

    DuckDB: a cast that lowers the scale of a 38-digit decimal divides a 128-bit integer and
    costs about 1.5 microseconds a value, the largest single cost of pricing the ledger
    (BENCHMARKS.md). An amount below 1 fits a 64-bit decimal(18,18), where the same rounding is
    a 64-bit division: the result is identical, 30 times faster. Larger amounts take the cast.
#}
{% macro round_to_money(amount) -%}
    {{ return(adapter.dispatch('round_to_money', 'ai_chargeback')(amount)) }}
{%- endmacro %}

{% macro default__round_to_money(amount) -%}
    cast({{ amount }} as {{ type_money() }})
{%- endmacro %}

{% macro duckdb__round_to_money(amount) -%}
    case
        when abs({{ amount }}) < 1 then cast(cast({{ amount }} as decimal(18, 18)) as {{ type_money() }})
        else cast({{ amount }} as {{ type_money() }})
    end
{%- endmacro %}
