{#
    A page's place among all deliveries: its file, then its line or element in the file (a file
    may hold several pages), so that a later delivery sorts after an earlier one.
#}
{% macro usage_page_delivery_key() -%}
    {{ dbt.concat(['_source_file', "'#'", "lpad(coalesce(_source_line, '0'), 12, '0')"]) }}
{%- endmacro %}
