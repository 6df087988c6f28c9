{#
    File name suffixes that say a landed file is compressed (the content decides how).
#}
{% macro landing_compression_suffixes() -%}
    {{ return(['gz', 'gzip', 'zst', 'zstd']) }}
{%- endmacro %}
