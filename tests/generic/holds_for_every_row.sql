{# Every row satisfies the boolean expression (rows where it is false or null fail). #}
{% test holds_for_every_row(model, expression, where_clause=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}

{% endtest %}
