{#
    The quantity types of billable_quantity_types as rows of constants, one a type: a model
    unpivots its per-type quantity columns by a cross join with these rows and a `case` on
    `quantity_type`, instead of one union branch a type. Spark analyses the plan of a view
    once per branch: with fifteen branches over stacked views, creating
    int_focus_usage_charges took 14 s and int_ledger_lines_summarised 10 s of every Spark build
    (BENCHMARKS.md, "Quantity types unpivoted by a cross join").
    Columns: quantity_type, line_token_type, quantity_type_order (1 = input), quantity_unit,
    units_per_pricing_unit, pricing_units_per_unit, token_direction, token_cache_action.
#}
{% macro billable_quantity_type_rows() -%}
    {%- for type in billable_quantity_types() %}
    select
        '{{ type.name }}' as quantity_type,
        '{{ type.line_type }}' as line_token_type,
        {{ loop.index }} as quantity_type_order,
        '{{ type.unit }}' as quantity_unit,
        cast({{ type.per }} as decimal(7, 0)) as units_per_pricing_unit,
        cast({{ '0.000001' if type.per == 1000000 else '0.001' }} as decimal(7, 6)) as pricing_units_per_unit,
        {{ "'" ~ type.direction ~ "'" if type.direction else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as token_direction,
        {{ "'" ~ type.cache_action ~ "'" if type.cache_action else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as token_cache_action
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
