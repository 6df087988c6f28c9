{#
    A `case` on a quantity type column (the quantity_type of billable_quantity_type_rows) that
    gives, for each type of billable_quantity_types, the SQL of `template` with `{name}`,
    `{price}` and `{contract_rate}` replaced by the type's quantity name, price column and
    contract rate column; for a type without a contract rate, `template_without_contract_rate`
    when given. The second half of the unpivot by cross join:
        quantity_type_case('quantity_types.quantity_type', 'calls.{name}_quantity')
#}
{% macro quantity_type_case(column, template, template_without_contract_rate=none) -%}
    case {{ column }}
        {%- for type in billable_quantity_types() %}
            {%- set chosen = template_without_contract_rate
                if template_without_contract_rate and not type.contract_rate else template %}
            when '{{ type.name }}' then {{ chosen
                | replace('{name}', type.name)
                | replace('{price}', type.price)
                | replace('{contract_rate}', type.contract_rate or '') }}
        {%- endfor %}
    end
{%- endmacro %}
