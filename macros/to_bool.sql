{#
    Text as landed ('true', 'True', '1', 'false', ...) to boolean; anything else is null.
#}
{% macro to_bool(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', '1', 'yes') then true
        when lower(trim({{ expression }})) in ('false', 'f', '0', 'no') then false
    end
{%- endmacro %}
