{# True when text matches a regular expression held in a column or expression (not a literal). #}
{% macro regex_matches_column(expression, pattern_expression) -%}
    {{ return(adapter.dispatch('regex_matches_column', 'ai_chargeback')(expression, pattern_expression)) }}
{%- endmacro %}

{% macro default__regex_matches_column(expression, pattern_expression) -%}
    ({{ expression }} ~ {{ pattern_expression }})
{%- endmacro %}

{% macro duckdb__regex_matches_column(expression, pattern_expression) -%}
    regexp_matches({{ expression }}, {{ pattern_expression }})
{%- endmacro %}

{% macro spark__regex_matches_column(expression, pattern_expression) -%}
    ({{ expression }} rlike {{ pattern_expression }})
{%- endmacro %}
