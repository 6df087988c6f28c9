{#
    A fingerprint of everything besides the landed records that decides how the model being
    built prices and owns a call: the content of every seed upstream of it (prices, aliases,
    catalogue rules, contracts, FX rates, teams, keys, ...), the code of every model upstream of
    it (the file's checksum), and the project variables the pricing chain reads. Two runs with
    the same fingerprint price the same landed record the same way.

    The incremental ledger stores it on every row it writes (reference_data_fingerprint) and
    re-prices its lookback days only when it differs from the fingerprint of its latest run:
    the lookback exists for late FX rates and ownership changes, which are seed changes.

    The seeds are fingerprinted by the content of their tables, not by their files, so that a
    seed edited but not yet loaded does not pass for loaded. A macro change is not seen (dbt
    keeps no checksum of macros): after changing pricing macros, `make reprice`.
#}
{% macro reference_data_fingerprint() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set variables = [
        'chargeback__reporting_currency',
        'chargeback__reporting_timezone',
        'chargeback__fx_policy',
        'chargeback__fx_carry_forward_days',
        'chargeback__calendar_start',
        'chargeback__calendar_end',
    ] -%}

    {#- every node upstream of this model (the list grows while it is walked) -#}
    {%- set upstream = [] -%}
    {%- set to_visit = model.depends_on.nodes | list -%}
    {%- for node_id in to_visit -%}
        {%- if node_id not in upstream and node_id in graph.nodes -%}
            {%- do upstream.append(node_id) -%}
            {%- do to_visit.extend(graph.nodes[node_id].depends_on.nodes | default([], true)) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set parts = [] -%}
    {%- set seed_queries = [] -%}
    {%- for node_id in upstream | sort -%}
        {%- set node = graph.nodes[node_id] -%}
        {%- if node.resource_type == 'seed' -%}
            {%- set relation = adapter.get_relation(node.database, node.schema, node.alias or node.name) -%}
            {%- if relation is none -%}
                {%- do parts.append(node_id ~ ':missing') -%}
            {%- else -%}
                {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | sort -%}
                {%- do seed_queries.append(
                    "select '" ~ node_id ~ "' as seed_id, count(*) as row_count, "
                    ~ dbt.hash(dbt.listagg('row_hash', "','", 'order by row_hash'))
                    ~ " as rows_hash from (select " ~ content_hash(columns) ~ " as row_hash from "
                    ~ relation ~ ") as seed_rows"
                ) -%}
            {%- endif -%}
        {%- elif node.resource_type == 'model' -%}
            {%- do parts.append(node_id ~ ':' ~ node.checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if seed_queries -%}
        {%- set seeds = run_query(seed_queries | join(' union all ')) -%}
        {%- for row in seeds.rows -%}
            {%- do parts.append(row[0] ~ ':' ~ row[1] ~ ':' ~ row[2]) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for name in variables -%}
        {%- do parts.append(name ~ '=' ~ var(name, '')) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | sort | join('\n'))) }}
{%- endmacro %}
