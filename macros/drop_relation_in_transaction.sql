{#
    Drops a relation inside the open transaction (the statement begins one if none is open)
    and forgets it in dbt's relation cache. adapter.drop_relation would run the drop on its
    own, committed at once, so a model replacing the relation could fail with neither the old
    relation nor the new one. Used by the project's DuckDB table and view materializations.
#}
{% macro drop_relation_in_transaction(relation) -%}
    {% call statement('drop_' ~ relation.identifier) -%}
        drop {{ relation.type }} if exists {{ relation }}
    {%- endcall %}
    {% do adapter.cache_dropped(relation) %}
{%- endmacro %}
