{#
    'label amount' when the amount rounds to a non-zero cent, else null (so that concat_ws
    leaves it out of the sentence).
#}
{% macro part_text(expression, label) -%}
    case
        when cast(coalesce({{ expression }}, 0) as decimal(38, 2)) != 0
            then {{ dbt.concat(["'" ~ label ~ " '", money_text(expression)]) }}
    end
{%- endmacro %}
