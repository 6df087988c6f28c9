{#
    Views on DuckDB, in one statement: `create or replace view` inside the model's transaction,
    instead of the default's create-under-a-temporary-name, two renames, a commit and a drop
    of the backup (five statements and two transactions per view). DuckDB replaces a view
    atomically, and a view that reads it binds it by name at query time, so nothing else
    changes: readers see the old view or the new one. A relation of another type under the
    model's name (a table, when a model moves from table to view) is dropped in the same
    transaction. Measured on the incremental day at 10 million requests (DECISIONS.md,
    "Performance"). Other engines keep their adapter's view materialization.
#}
{% materialization view, adapter='duckdb' -%}

    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set sql_header = config.get('sql_header', none) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}

    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% if existing_relation is not none and not existing_relation.is_view %}
        {% do drop_relation_in_transaction(existing_relation) %}
    {% endif %}

    {% call statement('main') -%}
        {%- if config.get('contract').enforced %}
            {{ get_assert_columns_equivalent(compiled_code) }}
        {%- endif %}
        {{ sql_header if sql_header is not none }}
        create or replace view {{ target_relation }} as (
            {{ compiled_code }}
        );
    {%- endcall %}

    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
    {% do persist_docs(target_relation, model) %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    -- `COMMIT` happens here
    {{ adapter.commit() }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{%- endmaterialization %}
