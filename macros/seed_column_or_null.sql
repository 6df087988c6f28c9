{#
    A column of the seed `seed_name` if its table has one, else a typed null under the column's
    name: for the columns a seed gained later (model_prices' audio, image, tool and fee
    prices), so that a seed written before them (an older `make prices`, a test's own price
    table) still reads, with those prices blank. Decided when the model runs, on the seed's
    table as loaded (looked up in the graph, not through ref: a unit test's fixture stands
    in for the seed there); at parse time, in a unit test (its fixture has the loaded seed's
    columns) or before the seed is loaded, the column is assumed present.
#}
{% macro seed_column_or_null(seed_name, column, data_type) -%}
    {%- if execute -%}
        {%- set seeds = (graph.get('nodes') or {}).values() | selectattr('resource_type', 'equalto', 'seed')
            | selectattr('name', 'equalto', seed_name) | list -%}
        {%- if seeds -%}
            {%- set loaded = adapter.get_relation(
                database=seeds[0].database, schema=seeds[0].schema, identifier=seeds[0].alias
            ) -%}
            {%- if loaded is not none -%}
                {%- set present = adapter.get_columns_in_relation(loaded) | map(attribute='name') | map('lower') | list -%}
                {%- if column | lower not in present -%}
                    {{ return('cast(null as ' ~ data_type ~ ') as ' ~ column) }}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(column) }}
{%- endmacro %}
