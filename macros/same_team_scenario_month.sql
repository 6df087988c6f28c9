{#
    The join condition of two rows of a team's scenario month (int_team_bill_lines_computed):
    the same month and team, and the same product and scenario, nulls equal (a call without a
    product or scenario tag is billed on a line of its own; ids are never blank, so '' stands
    for null).
#}
{% macro same_team_scenario_month(left, right) -%}
    {{ left }}.period_month = {{ right }}.period_month
    and {{ left }}.team_id = {{ right }}.team_id
    {%- for column in ['product_id', 'scenario_id'] %}
    and coalesce({{ left }}.{{ column }}, '') = coalesce({{ right }}.{{ column }}, '')
    {%- endfor %}
{%- endmacro %}
