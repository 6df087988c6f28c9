{#
    What an incremental run of the ledger (int_request_costs_booked, `ledger`) prices, as a dict
    of SQL constants, so that the model reads as SQL:
      fingerprint:       the reference data's fingerprint this run prices with;
      lookback_start:    the start of the lookback days to re-price (the latest call less
                         chargeback__incremental_lookback_days), when the reference data
                         changed since the ledger's latest run; else none;
      new_records:       the condition on the landed records loaded since the ledger's latest
                         loaded_at (the files it has not priced, for a ledger without loaded_at);
                         '1 = 1' outside an incremental run;
      compared_columns:  the ledger's columns but the run's own (priced_at, the fingerprint), to
                         tell a re-priced row that comes out unchanged (not written again).
    Two branches of a union in the model, not an `or`, so that each condition reaches the scan
    of the landed records and the engine reads the other columns of the matching records only.
#}
{% macro ledger_run_plan(ledger) -%}
    {%- set plan = {
        'fingerprint': reference_data_fingerprint(),
        'lookback_start': none,
        'new_records': '1 = 1',
        'compared_columns': [],
    } -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set ledger_columns = adapter.get_columns_in_relation(ledger) | map(attribute='name') | map('lower') | list -%}
    {#- a ledger built by an earlier version lacks the columns added since: an incremental run
        would leave its rows without them, so it stops and says what to run #}
    {%- set missing_columns = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == 'fct_request_costs' -%}
        {%- for column in node.columns if column | lower not in ledger_columns -%}
            {%- do missing_columns.append(column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if missing_columns -%}
        {{ exceptions.raise_compiler_error(
            'The ledger (' ~ ledger ~ ') was built before its columns ' ~ missing_columns | join(', ')
            ~ ' existed. Run `make reprice` once (a full refresh of the ledger and what depends on'
            ~ ' prices) to give every row of the ledger the new columns.'
        ) }}
    {%- endif -%}
    {%- set latest = run_query(
        'select max(occurred_at), '
        ~ ('max(loaded_at)' if 'loaded_at' in ledger_columns else 'null')
        ~ ' from ' ~ ledger
    ).rows[0] -%}
    {#- the fingerprint the ledger's latest run priced with (none: unknown, so re-price) #}
    {%- set priced_with = none -%}
    {%- if 'reference_data_fingerprint' in ledger_columns and 'priced_at' in ledger_columns -%}
        {%- set priced_with = run_query(
            'select max(reference_data_fingerprint) from ' ~ ledger
            ~ ' where priced_at = (select max(latest_run.priced_at) from ' ~ ledger ~ ' as latest_run)'
        ).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if latest[0] is not none and priced_with != plan.fingerprint -%}
        {%- do plan.update({'lookback_start': dbt.dateadd(
            'day',
            -1 * var('chargeback__incremental_lookback_days'),
            "cast('" ~ latest[0] ~ "' as " ~ dbt.type_timestamp() ~ ")",
        )}) -%}
        {%- if 'priced_at' in ledger_columns and ledger_incremental_strategy() != 'insert_overwrite' -%}
            {%- do plan.update({'compared_columns': ledger_columns
                | reject('equalto', 'priced_at')
                | reject('equalto', 'reference_data_fingerprint')
                | list}) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if latest[1] is not none -%}
        {%- do plan.update({'new_records': "loaded_at > cast('" ~ latest[1] ~ "' as " ~ dbt.type_timestamp() ~ ")"}) -%}
    {%- else -%}
        {%- do plan.update({'new_records': files_already_loaded(ledger)}) -%}
    {%- endif -%}
    {{ return(plan) }}
{%- endmacro %}
