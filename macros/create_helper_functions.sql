{#
    on-run-start hook: the helper functions an engine needs before any model runs.

    Postgres has no try_cast (pg_input_is_valid comes with version 16): one small PL/pgSQL
    function per target type casts text and returns null instead of raising when it does not
    convert, in the target schema (postgres__safe_cast, postgres__parse_utc_timestamp call
    them). And unit tests compare values as text: a numeric without a declared scale keeps
    the scale of its arithmetic (874.200000), a fixture's has its own (874.2), so
    chargeback_unit_test_value drops trailing zeros of both (postgres__get_unit_test_sql).
    Other engines need none.
#}
{% macro create_helper_functions() -%}
    {{ return(adapter.dispatch('create_helper_functions', 'ai_chargeback')()) }}
{%- endmacro %}

{% macro default__create_helper_functions() -%}
    select 1 as no_helper_functions_needed
{%- endmacro %}

{% macro postgres__create_helper_functions() -%}
    {%- set schema = target.schema -%}
    {%- set types = {
        'integer': 'integer',
        'bigint': 'bigint',
        'date': 'date',
        'timestamp': 'timestamp without time zone',
        'timestamptz': 'timestamp with time zone',
        'jsonb': 'jsonb',
    } -%}
    create schema if not exists {{ schema }};
    {%- for name, type in types.items() %}
    create or replace function {{ schema }}.chargeback_try_{{ name }}(value text)
    returns {{ type }} language plpgsql immutable as $body$
    begin
        return cast(value as {{ type }});
    exception when others then
        return null;
    end
    $body$;
    {%- endfor %}
    -- a numeric of at most `digits` digits with `scale` decimals (rounded), else null
    create or replace function {{ schema }}.chargeback_try_numeric(value text, digits integer, scale integer)
    returns numeric language plpgsql immutable as $body$
    declare
        parsed numeric;
    begin
        parsed := round(cast(value as numeric), scale);
        if abs(parsed) >= power(cast(10 as numeric), digits - scale) then
            return null;
        end if;
        return parsed;
    exception when others then
        return null;
    end
    $body$;
    -- a value as a unit test compares it: a numeric without its trailing zeros
    create or replace function {{ schema }}.chargeback_unit_test_value(value anyelement)
    returns anyelement language plpgsql immutable as $body$
    begin
        if pg_typeof(value) = 'numeric'::regtype then
            return trim_scale(cast(cast(value as text) as numeric));
        end if;
        return value;
    end
    $body$
{%- endmacro %}
