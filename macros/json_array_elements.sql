{#
    A join clause that turns the JSON array at `expression` (JSON text) into one row per element:
    `from spans {{ json_array_elements('spans.batch', 'resource_span') }}` gives
    resource_span.element, the element's JSON text. Rows whose array is missing or empty are
    dropped by the join (a batch without spans holds no request), unless keep_empty, which
    keeps them once with a null element (an empty usage bucket still says "nothing that day").
#}
{% macro json_array_elements(expression, alias, keep_empty=false) -%}
    {{ return(adapter.dispatch('json_array_elements', 'ai_chargeback')(expression, alias, keep_empty)) }}
{%- endmacro %}

{% macro default__json_array_elements(expression, alias, keep_empty) -%}
    {{ 'left' if keep_empty else 'cross' }} join lateral jsonb_array_elements_text(
        case when jsonb_typeof(({{ expression }})::jsonb) = 'array' then ({{ expression }})::jsonb else '[]'::jsonb end
    ) as {{ alias }} (element){{ ' on true' if keep_empty }}
{%- endmacro %}

{% macro duckdb__json_array_elements(expression, alias, keep_empty) -%}
    {{ 'left' if keep_empty else 'cross' }} join lateral (
        select unnest(
            case
                when json_type({{ expression }}) = 'ARRAY' then cast(json_extract({{ expression }}, '$') as varchar[])
                else cast([] as varchar[])
            end
        ) as element
    ) as {{ alias }}{{ ' on true' if keep_empty }}
{%- endmacro %}

{#- Spark: a lateral view over the array parsed as strings (an object element comes back as
    its JSON text); text that is not a JSON array parses to null and gives no row, or one row
    with a null element when keep_empty (outer). -#}
{% macro spark__json_array_elements(expression, alias, keep_empty) -%}
    lateral view {{ 'outer ' if keep_empty }}explode(from_json({{ expression }}, 'array<string>')) {{ alias }} as element
{%- endmacro %}
