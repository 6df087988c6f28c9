{#
    The last select of a ties test: the rows where two sides' totals differ. `left` and `right`
    name CTEs with the same key columns (`keys`) and the same measure columns (`measures`); they
    are joined on the keys (full outer join) and a row is returned, with its keys and each
    measure of both sides (`<left>_<measure>`, `<right>_<measure>`), where any measure differs,
    a side without the row counting as 0. With missing_side_fails, a key that one side lacks
    fails whatever its totals, and the measures are compared as they are (a null never ties).
#}
{% macro totals_that_differ(left, right, keys, measures, missing_side_fails=false) -%}
select
    {%- for key in keys %}
    coalesce({{ left }}.{{ key }}, {{ right }}.{{ key }}) as {{ key }},
    {%- endfor %}
    {%- for measure in measures %}
    {{ left }}.{{ measure }} as {{ left }}_{{ measure }},
    {{ right }}.{{ measure }} as {{ right }}_{{ measure }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ left }}
full outer join {{ right }}
    on {{ left }}.{{ keys[0] }} = {{ right }}.{{ keys[0] }}
    {%- for key in keys[1:] %}
    and {{ left }}.{{ key }} = {{ right }}.{{ key }}
    {%- endfor %}
where
    {%- if missing_side_fails %}
    {{ left }}.{{ keys[0] }} is null
    or {{ right }}.{{ keys[0] }} is null
        {%- for measure in measures %}
    or {{ left }}.{{ measure }} <> {{ right }}.{{ measure }}
        {%- endfor %}
    {%- else %}
        {%- for measure in measures %}
    {{ 'or ' if not loop.first }}coalesce({{ left }}.{{ measure }}, 0) <> coalesce({{ right }}.{{ measure }}, 0)
        {%- endfor %}
    {%- endif %}
{%- endmacro %}
