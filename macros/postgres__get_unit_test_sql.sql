{#
    dbt's unit test query on Postgres: the same union of actual and expected rows, each value
    passed through chargeback_unit_test_value (create_helper_functions), so that a numeric
    compares by its value and not by the trailing zeros of its scale (874.200000 = 874.2).
#}
{% macro postgres__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
    select
        {% for column in expected_column_names -%}
            {{ target.schema }}.chargeback_unit_test_value({{ column }}) as {{ column }},
        {% endfor -%}
        {{ dbt.string_literal("actual") }} as {{ adapter.quote("actual_or_expected") }}
    from (
        {{ main_sql }}
    ) as _dbt_internal_unit_test_actual
),

-- Build expected result
dbt_internal_unit_test_expected as (
    select
        {% for column in expected_column_names -%}
            {{ target.schema }}.chargeback_unit_test_value({{ column }}) as {{ column }},
        {% endfor -%}
        {{ dbt.string_literal("expected") }} as {{ adapter.quote("actual_or_expected") }}
    from (
        {{ expected_fixture_sql }}
    ) as _dbt_internal_unit_test_expected
)

-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
{%- endmacro %}
