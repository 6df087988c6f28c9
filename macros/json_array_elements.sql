{#
    A join clause that turns the JSON array at `expression` (JSON text) into one row per element:
    `from spans {{ json_array_elements('spans.batch', 'resource_span') }}` gives
    resource_span.element, the element's JSON text. Rows whose array is missing or empty are
    dropped by the join (a batch without spans holds no request).
#}
{% macro json_array_elements(expression, alias) -%}
    {{ return(adapter.dispatch('json_array_elements', 'ai_chargeback')(expression, alias)) }}
{%- endmacro %}

{% macro default__json_array_elements(expression, alias) -%}
    cross join lateral jsonb_array_elements_text(
        case when jsonb_typeof(({{ expression }})::jsonb) = 'array' then ({{ expression }})::jsonb else '[]'::jsonb end
    ) as {{ alias }} (element)
{%- endmacro %}

{% macro duckdb__json_array_elements(expression, alias) -%}
    cross join unnest(
        case
            when json_type({{ expression }}) = 'ARRAY' then cast(json_extract({{ expression }}, '$') as varchar[])
            else cast([] as varchar[])
        end
    ) as {{ alias }} (element)
{%- endmacro %}
