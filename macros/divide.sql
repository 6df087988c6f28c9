{#
    numerator / denominator where either side is a decimal, computed as DuckDB computes it:
    DuckDB's `/` on decimals returns a double. Postgres divides numerics to 16 or more
    significant digits (its `/`, unchanged). Spark types decimal / decimal as a decimal whose
    scale grows with both operands; with spark.sql.decimalOperations.allowPrecisionLoss off
    (the profile: sums and differences keep their scale) that type overflows to null, so the
    Spark variant divides in double precision explicitly (DECISIONS.md, "Engines").
#}
{% macro divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('divide', 'ai_chargeback')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__divide(numerator, denominator) -%}
    {{ numerator }} / {{ denominator }}
{%- endmacro %}

{% macro spark__divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / cast({{ denominator }} as double)
{%- endmacro %}
