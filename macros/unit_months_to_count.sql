{#
    How an incremental run of int_scenario_units_counted (`summary`) brings each reporting
    month up to date with the ledger, as a dict:
      recount: the months whose ledger rows changed in a way that only a new count can follow
               (a row deleted or re-priced, a month new to the summary or gone from the ledger),
               as text (YYYY-MM-DD);
      extend:  the months whose rows counted last time are all still there, unchanged, and
               that only gained rows since: [month, counted_through] pairs, counted_through
               being the latest priced_at the summary counted. Their counts grow by the new
               rows alone;
    and the conditions on the ledger's rows that the model filters by, as SQL:
      recounted_rows:  the rows counted again (every row outside an incremental run);
      added_rows:      the rows an extended month gained since it was counted;
      earlier_rows:    the rows an extended month had when it was counted;
      extended_months: the extended months, a list of date literals.
    A month changed when its ledger row count or latest priced_at differs from the summary's
    (ledger_periods_changed). It can be extended when the ledger still holds exactly as many
    rows priced at or before counted_through as the summary counted: a deleted or re-priced
    row (the ledger writes a changed row again with a later priced_at) lowers that number.
    Empty lists outside an incremental run.
#}
{% macro unit_months_to_count(summary, ledger) -%}
    {%- set plan = {
        'recount': [], 'extend': [],
        'recounted_rows': '1 = 1', 'added_rows': '1 = 0', 'earlier_rows': '1 = 0',
        'extended_months': 'cast(null as date)',
    } -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set months = ledger_periods_changed(
        ledger, 'period_month', summary, 'period_month', 'ledger_rows', "counted_over = 'all_teams'"
    ) -%}
    {%- do plan.update({'recounted_rows': '1 = 0'}) -%}
    {%- if not months -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set query -%}
        with

        counted as (
            select
                period_month,
                sum(ledger_rows) as counted_rows,
                max(last_priced_at) as counted_through
            from {{ summary }}
            where
                counted_over = 'all_teams'
                and period_month in (
                    {%- for month in months %}
                        cast('{{ month }}' as date){{ ',' if not loop.last }}
                    {%- endfor %}
                )
            group by period_month
        )

        select
            counted.period_month,
            counted.counted_through
        from counted
        inner join {{ ledger }} as ledger
            on counted.period_month = ledger.period_month
            and ledger.priced_at <= counted.counted_through
        group by
            counted.period_month,
            counted.counted_rows,
            counted.counted_through
        having count(*) = counted.counted_rows
    {%- endset -%}
    {%- set extendable = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- do extendable.update({row[0] | string: row[1] | string}) -%}
    {%- endfor -%}
    {%- for month in months -%}
        {%- if month in extendable -%}
            {%- do plan.extend.append([month, extendable[month]]) -%}
        {%- else -%}
            {%- do plan.recount.append(month) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if plan.recount -%}
        {%- set quoted = [] -%}
        {%- for month in plan.recount -%}
            {%- do quoted.append("cast('" ~ month ~ "' as date)") -%}
        {%- endfor -%}
        {%- do plan.update({'recounted_rows': 'period_month in (' ~ quoted | join(', ') ~ ')'}) -%}
    {%- endif -%}
    {%- if plan.extend -%}
        {%- set added = [] -%}
        {%- set earlier = [] -%}
        {%- set extended = [] -%}
        {%- for month, counted_through in plan.extend -%}
            {%- set in_month = "period_month = cast('" ~ month ~ "' as date)" -%}
            {%- set through = "cast('" ~ counted_through ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
            {%- do added.append('(' ~ in_month ~ ' and priced_at > ' ~ through ~ ')') -%}
            {%- do earlier.append('(' ~ in_month ~ ' and priced_at <= ' ~ through ~ ')') -%}
            {%- do extended.append("cast('" ~ month ~ "' as date)") -%}
        {%- endfor -%}
        {%- do plan.update({
            'added_rows': '(' ~ added | join(' or ') ~ ')',
            'earlier_rows': '(' ~ earlier | join(' or ') ~ ')',
            'extended_months': extended | join(', '),
        }) -%}
    {%- endif -%}
    {{ return(plan) }}
{%- endmacro %}
