{#
    The load step's reader (python -m chargeback.landing): runs the DuckDB landing hook
    (create_landing_relations) in a DuckDB file of its own, so that the views it makes over the
    landed files can be copied into the tables of another engine. Postgres and Spark therefore
    receive exactly the records, as text, that DuckDB's staging reads. Called with
    `dbt run-operation stage_landing_relations --target dev` (a DuckDB target).
#}
{% macro stage_landing_relations() -%}
    {%- if target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error("stage_landing_relations reads the landing files with DuckDB: run it on a DuckDB target") }}
    {%- endif -%}
    {%- for statement in create_landing_relations().split(';\n') -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ log('landing relations staged in ' ~ target.path, info=true) }}
{%- endmacro %}
