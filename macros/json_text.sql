{#
    The text at a dotted path of a JSON document held as text ('metadata.status'), or null when
    the path is absent, is JSON null, or the document is not valid JSON. Objects and arrays come
    back as their JSON text.
#}
{% macro json_text(expression, path) -%}
    {{ return(adapter.dispatch('json_text', 'ai_chargeback')(expression, path)) }}
{%- endmacro %}

{% macro default__json_text(expression, path) -%}
    (({{ expression }})::jsonb #>> '{ {{- path.split('.') | join(',') -}} }')
{%- endmacro %}

{#- Postgres: text that is not JSON reads as null (as on DuckDB and Spark), not as an error #}
{% macro postgres__json_text(expression, path) -%}
    ({{ target.schema }}.chargeback_try_jsonb(cast({{ expression }} as text)) #>> '{ {{- path.split('.') | join(',') -}} }')
{%- endmacro %}

{% macro duckdb__json_text(expression, path) -%}
    case when json_valid({{ expression }}) then json_extract_string({{ expression }}, '$.{{ path }}') end
{%- endmacro %}

{% macro spark__json_text(expression, path) -%}
    get_json_object({{ expression }}, '$.{{ path }}')
{%- endmacro %}
