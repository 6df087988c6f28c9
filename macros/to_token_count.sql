{#
    A landed token count as a bigint, or null when it is not a whole non-negative number
    ('-5', '12.5', 'abc'). Absent counts are null too; staging tells the two apart.
#}
{% macro to_token_count(expression) -%}
    case
        when {{ regex_matches('trim(' ~ expression ~ ')', '^[0-9]{1,15}$') }}
            then cast(trim({{ expression }}) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}
