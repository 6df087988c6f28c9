{#
    File name extensions of each reader format (lower case; '' is a name without one), each
    optionally followed by a compression suffix. JSON is read whatever its shape (JSON Lines,
    one document, an array of records); compression is told by the content, not the name.
#}
{% macro landing_file_extensions() -%}
    {{ return({
        'json': ['json', 'jsonl', 'ndjson', 'jsonlines', ''],
        'csv': ['csv'],
        'parquet': ['parquet', 'parq'],
    }) }}
{%- endmacro %}
