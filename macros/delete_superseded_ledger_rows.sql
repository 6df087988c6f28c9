{#
    The ledger's pre-hook in an incremental run: remove the rows of calls that are no longer
    counted from that record, because a record of a preferred source (or an earlier delivery)
    has joined their match key since the ledger last ran.

    Only keys whose set of records changed can have a new first record, and
    int_request_first_deliveries marks them: last_loaded_at is later than every record the
    ledger holds (the ledger's loaded_at watermark). So the delete probes those keys only,
    not the whole ledger against every key. Runs before the new rows are inserted, while the
    watermark is still the previous run's. A ledger built before it had loaded_at (no
    watermark) is checked against every key.
#}
{% macro delete_superseded_ledger_rows(ledger, first_deliveries) -%}
    {{ return(adapter.dispatch('delete_superseded_ledger_rows', 'ai_chargeback')(ledger, first_deliveries)) }}
{%- endmacro %}

{% macro default__delete_superseded_ledger_rows(ledger, first_deliveries) -%}
    {%- if not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set ledger_columns = adapter.get_columns_in_relation(ledger) | map(attribute='name') | map('lower') | list -%}
    {%- set has_watermark = 'loaded_at' in ledger_columns -%}
    {%- set changed_keys -%}
        select match_key, first_request_id
        from {{ first_deliveries }}
        {%- if has_watermark %}
            where last_loaded_at > (select max(counted_before.loaded_at) from {{ ledger }} as counted_before)
        {%- endif %}
    {%- endset -%}
    delete from {{ ledger }}
    where
        coalesce(provider_response_id, request_id) in (select changed.match_key from ({{ changed_keys }}) as changed)
        and request_id not in (select changed.first_request_id from ({{ changed_keys }}) as changed)
{%- endmacro %}

{#- Spark overwrites the partitions the model rebuilds (ledger_incremental_strategy): nothing to delete. -#}
{% macro spark__delete_superseded_ledger_rows(ledger, first_deliveries) -%}
{%- endmacro %}
