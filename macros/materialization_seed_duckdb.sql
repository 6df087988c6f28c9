{#
    Seeds on DuckDB, reloaded only when they change. `dbt build` reloads every seed on every
    run by default (truncate, then load the CSV); the seeds change far less often than the
    requests land. Each load records a fingerprint of what it loaded as the table's comment:
    the CSV file's checksum (the one dbt keeps in its manifest) and the load settings
    (column_types, quote_columns, delimiter). A run whose fingerprint matches the table's
    comment leaves the table as it is and reports UNCHANGED.

    Loaded as by the default, with the fingerprint written in the same transaction:
      - on `--full-refresh`, when the table is missing, or when the fingerprint differs;
      - when the seed persists its description as the relation's comment (persist_docs),
        which leaves no room for the fingerprint.
    DECISIONS.md, "Performance". Other engines keep the default seed materialization.
#}
{% materialization seed, adapter='duckdb' -%}

    {%- set full_refresh_mode = should_full_refresh() -%}
    {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=model['alias']) -%}
    {%- set exists_as_table = old_relation is not none and old_relation.is_table -%}
    {%- set exists_as_view = old_relation is not none and old_relation.is_view -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set fingerprinted = not config.persist_relation_docs() -%}
    {%- set fingerprint = 'dbt seed ' ~ local_md5(tojson({
        'checksum': model['checksum']['checksum'],
        'column_types': config.get('column_types', {}),
        'quote_columns': config.get('quote_columns', none),
        'delimiter': config.get('delimiter', ','),
    })) -%}

    {%- set unchanged = false -%}
    {%- if fingerprinted and exists_as_table and not full_refresh_mode -%}
        {%- set loaded = run_query(
            'select comment from duckdb_tables()'
            ~ " where database_name = '" ~ target_relation.database ~ "'"
            ~ " and schema_name = '" ~ target_relation.schema ~ "'"
            ~ " and table_name = '" ~ target_relation.identifier ~ "'"
        ) -%}
        {%- set unchanged = loaded.rows | length == 1 and loaded.rows[0][0] == fingerprint -%}
    {%- endif -%}

    {%- if unchanged %}
        {#- the seed runner reads back a table of what it loaded: here, the fingerprint -#}
        {%- do store_result('agate_table', response='OK', agate_table=loaded) -%}
        {% call noop_statement('main', 'UNCHANGED', 'UNCHANGED', 0) -%}
            -- {{ target_relation }} already holds this file: {{ fingerprint }}
        {%- endcall %}
        {{ return({'relations': [target_relation]}) }}
    {%- endif %}

    {%- set agate_table = load_agate_table() -%}
    {%- do store_result('agate_table', response='OK', agate_table=agate_table) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}

    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% if exists_as_view %}
        {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation.render())) }}
    {% elif exists_as_table %}
        {% set create_table_sql = reset_csv_table(model, full_refresh_mode, old_relation, agate_table) %}
    {% else %}
        {% set create_table_sql = create_csv_table(model, agate_table) %}
    {% endif %}

    {% set code = 'CREATE' if full_refresh_mode else 'INSERT' %}
    {% set rows_affected = agate_table.rows | length %}
    {% set insert_sql = load_csv_rows(model, agate_table) if rows_affected > 0 else '' %}

    {% call noop_statement('main', code ~ ' ' ~ rows_affected, code, rows_affected) %}
        {{ get_csv_sql(create_table_sql, insert_sql) }};
    {% endcall %}

    {%- set should_revoke = should_revoke(old_relation, full_refresh_mode) %}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
    {% do persist_docs(target_relation, model) %}

    {% if full_refresh_mode or not exists_as_table %}
        {% do create_indexes(target_relation) %}
    {% endif %}

    {% if fingerprinted %}
        {% do run_query('comment on table ' ~ target_relation ~ " is '" ~ fingerprint ~ "'") %}
    {% endif %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    -- `COMMIT` happens here
    {{ adapter.commit() }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{%- endmaterialization %}
