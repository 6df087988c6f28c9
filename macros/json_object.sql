{#
    A JSON object text from (key, value expression) pairs. A pair whose value is null is left
    out, so that an unknown value is absent rather than written as null (concat_ws skips nulls
    on DuckDB, Postgres and Spark alike); an object without any value is '{}'. Values are JSON
    strings (json_string) unless the pair has a third element 'number': then the value's text
    as it is cast. Keys are literals.
#}
{% macro json_object(pairs) -%}
    {%- set members = [] -%}
    {%- for pair in pairs -%}
        {%- if pair | length > 2 and pair[2] == 'number' -%}
            {%- set rendered = 'cast(' ~ pair[1] ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {%- else -%}
            {%- set rendered = json_string(pair[1]) -%}
        {%- endif -%}
        {%- do members.append(dbt.concat(["'\"" ~ pair[0] ~ "\":'", rendered])) -%}
    {%- endfor -%}
    {{ dbt.concat(["'{'", 'concat_ws(\',\', ' ~ members | join(', ') ~ ')', "'}'"]) }}
{%- endmacro %}
