{#
    Tables on DuckDB, replaced in one transaction: the old relation is dropped and the new
    table created in its place, then committed. The default builds the table under a temporary
    name, renames the old one to a backup and the new one into place, commits, then drops the
    backup in a second transaction. DuckDB's DDL is transactional, so readers see the old table
    or the new one either way, and a failing build rolls back to the old table. Views that read
    the table bind it by name at query time and are not dropped (DuckDB does not record their
    dependencies). Model contracts, partitioning and indexes go through the adapter's own
    create_table_as and create_indexes. Measured on the incremental day at 10 million requests
    (DECISIONS.md, "Performance"). Other engines keep their adapter's table materialization.
#}
{% materialization table, adapter='duckdb' -%}

    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set grant_config = config.get('grants') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}

    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% if existing_relation is not none %}
        {% do drop_relation_in_transaction(existing_relation) %}
    {% endif %}

    {% call statement('main') -%}
        {{- create_table_as(
            False,
            target_relation,
            compiled_code,
            partitioned_by=duckdb__get_partitioned_by(target_relation, false),
            sorted_by=duckdb__get_sorted_by(target_relation, false),
        ) }}
    {%- endcall %}

    {% do create_indexes(target_relation) %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
    {% do persist_docs(target_relation, model) %}

    -- `COMMIT` happens here
    {{ adapter.commit() }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{%- endmaterialization %}
