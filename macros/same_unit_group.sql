{#
    The join condition of two rows of int_scenario_units_counted's groups: the same counting
    (counted_over), month, product, scenario and team, nulls equal (product, scenario and, over
    all teams, the team can be null; ids are never blank, so '' stands for null).
#}
{% macro same_unit_group(left, right) -%}
    {{ left }}.counted_over = {{ right }}.counted_over
    and {{ left }}.period_month = {{ right }}.period_month
    {%- for column in ['product_id', 'scenario_id', 'team_id'] %}
    and coalesce({{ left }}.{{ column }}, '') = coalesce({{ right }}.{{ column }}, '')
    {%- endfor %}
{%- endmacro %}
