{#
    A JSON object text from (key, value expression) pairs. A pair whose value is null is left
    out, so that an unknown value is absent rather than written as null (concat_ws skips nulls
    on DuckDB, Postgres and Spark alike); an object without any value is '{}'. Values are JSON
    strings (json_string) unless the pair has a third element: 'number' writes the value's
    text as it is cast (for whole numbers); ('decimal', scale) writes a decimal with `scale`
    places through decimal_text (plain digits on every engine, where a plain cast gives
    Spark's scientific form for small values); 'ratio' writes a share (double precision) as
    a decimal of 12 places: a double's shortest text differs between engines in its last
    digits (DuckDB converts a decimal to a double with one rounding more than Postgres
    does), a 12-place decimal reads the same everywhere. Keys are literals.
#}
{% macro json_object(pairs) -%}
    {%- set members = [] -%}
    {%- for pair in pairs -%}
        {%- if pair | length > 2 and pair[2] == 'number' -%}
            {%- set rendered = 'cast(' ~ pair[1] ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {%- elif pair | length > 2 and pair[2] == 'ratio' -%}
            {%- set rendered = decimal_text(pair[1], 12) -%}
        {%- elif pair | length > 3 and pair[2] == 'decimal' -%}
            {%- set rendered = decimal_text(pair[1], pair[3]) -%}
        {%- else -%}
            {%- set rendered = json_string(pair[1]) -%}
        {%- endif -%}
        {%- do members.append(dbt.concat(["'\"" ~ pair[0] ~ "\":'", rendered])) -%}
    {%- endfor -%}
    {{ dbt.concat(["'{'", 'concat_ws(\',\', ' ~ members | join(', ') ~ ')', "'}'"]) }}
{%- endmacro %}
