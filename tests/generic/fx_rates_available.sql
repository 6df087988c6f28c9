{#
    FX coverage: every conversion the model's rows need has a rate (macro fx_rates_missing_sql
    gives the arguments). A missing rate is never taken as 1 or 0. Each failing row is a
    currency pair and date without a rate. With severity error the build stops with a message
    that names the pairs and dates, what seeds/fx_rates.csv covers, and the two ways to fix it
    (add the rates, or change the target currency: the reporting currency unless `target_fix`
    says otherwise); with severity warn the message is a warning and the test warns.
#}
{% test fx_rates_available(model, from_currency, to_currencies, rate_date, rate_columns=none, where_clause=none, target_fix=none) %}

{%- set missing_sql = fx_rates_missing_sql(model, from_currency, to_currencies, rate_date, rate_columns, where_clause) %}
{#- the seed's coverage and the daily rates, for the message (referenced here, outside the conditional, so that
    dbt sees the dependency when it parses the test) #}
{%- set published_rates = ref('fx_rates') %}
{%- set daily_rates = ref('int_fx_rates_daily') %}
{%- if execute and load_relation(model) is not none %}
    {#- runs of consecutive days per pair, and how many of their days have a rate by now (rows
        converted before their rate was added) #}
    {%- set missing = run_query(
        'select from_currency, to_currency, min(rate_date) as first_date, max(rate_date) as last_date,'
        ~ ' count(*) as days, sum(rows_without_rate) as rows_without_rate,'
        ~ ' sum(case when rate_now is null then 0 else 1 end) as days_with_rate_now'
        ~ ' from (select missing_rates.*, rates_now.rate as rate_now, '
        ~ dbt.datediff("cast('2000-01-01' as date)", 'missing_rates.rate_date', 'day')
        ~ ' - row_number() over (partition by missing_rates.from_currency, missing_rates.to_currency'
        ~ ' order by missing_rates.rate_date) as run_of_days'
        ~ ' from (' ~ missing_sql ~ ') as missing_rates'
        ~ ' left join ' ~ daily_rates ~ ' as rates_now'
        ~ ' on missing_rates.from_currency = rates_now.from_currency'
        ~ ' and missing_rates.to_currency = rates_now.to_currency'
        ~ ' and missing_rates.rate_date = rates_now.rate_date) as numbered'
        ~ ' group by from_currency, to_currency, run_of_days'
        ~ ' order by from_currency, to_currency, first_date'
    ) %}
    {%- if missing.rows | length > 0 %}
        {%- set published = run_query(
            'select from_currency, to_currency, count(*) as dates, min(rate_date) as first_date,'
            ~ ' max(rate_date) as last_date from ' ~ published_rates ~ ' group by from_currency, to_currency'
        ) %}
        {%- set pairs = {} %}
        {%- for row in missing.rows %}
            {%- set pair = row['from_currency'] ~ ' -> ' ~ row['to_currency'] %}
            {%- if pair not in pairs %}
                {%- do pairs.update({pair: {'from': row['from_currency'], 'to': row['to_currency'], 'dates': [], 'rows': 0, 'days': 0, 'rated_now': 0}}) %}
            {%- endif %}
            {%- if row['days'] == 1 %}
                {%- do pairs[pair]['dates'].append(row['first_date'] | string) %}
            {%- else %}
                {%- do pairs[pair]['dates'].append(
                    (row['first_date'] | string) ~ ' to ' ~ (row['last_date'] | string) ~ ' (' ~ row['days'] ~ ' days)'
                ) %}
            {%- endif %}
            {%- do pairs[pair].update({
                'rows': pairs[pair]['rows'] + row['rows_without_rate'],
                'days': pairs[pair]['days'] + row['days'],
                'rated_now': pairs[pair]['rated_now'] + row['days_with_rate_now'],
            }) %}
        {%- endfor %}
        {%- set lines = [] %}
        {%- for pair, found in pairs.items() %}
            {%- set covered = [] %}
            {%- for rate in published.rows %}
                {%- if (rate['from_currency'], rate['to_currency']) in [(found['from'], found['to']), (found['to'], found['from'])] %}
                    {%- do covered.append(
                        rate['dates'] ~ ' rates ' ~ rate['from_currency'] ~ ' -> ' ~ rate['to_currency'] ~ ' from '
                        ~ rate['first_date'] ~ ' to ' ~ rate['last_date']
                    ) %}
                {%- endif %}
            {%- endfor %}
            {%- set shown = found['dates'][:8] | join(', ') ~ (', and ' ~ (found['dates'] | length - 8) ~ ' more' if found['dates'] | length > 8 else '') %}
            {%- if found['rated_now'] == found['days'] %}
                {%- set now = '; the rates are there now, added after these rows were converted: rebuild them with `dbt build --full-refresh`' %}
            {%- elif found['rated_now'] > 0 %}
                {%- set now = '; ' ~ found['rated_now'] ~ ' of these days have a rate now, added after their rows were converted' %}
            {%- else %}
                {%- set now = '' %}
            {%- endif %}
            {%- do lines.append(
                '  - ' ~ pair ~ ' on ' ~ shown ~ ' (' ~ found['rows'] ~ ' rows of ' ~ model.identifier ~ '); seeds/fx_rates.csv has '
                ~ (covered | join(' and ') if covered else 'no rate for this pair') ~ now
            ) %}
        {%- endfor %}
        {%- set example = missing.rows[0] %}
        {%- set message %}
Missing FX rates: {{ model.identifier }} needs a rate for {{ pairs | length }} currency pair(s) on dates that have none:
{{ lines | join('\n') }}
Rates come from seeds/fx_rates.csv: a rate serves its own day and the next {{ var('chargeback__fx_carry_forward_days') }} days (chargeback__fx_carry_forward_days), a pair given one way also serves the other way, and with chargeback__fx_policy {{ var('chargeback__fx_policy') }} {{ "the ledger needs the rate of each reporting month's first day" if var('chargeback__fx_policy') == 'monthly_fixed' else "the ledger needs the rate of each day" }} (invoices and platform costs that of their month's first day). The reporting currency is {{ var('chargeback__reporting_currency') }} (chargeback__reporting_currency).
To fix it, either
  - add the rates to seeds/fx_rates.csv, one row per date and pair: rate_date,from_currency,to_currency,rate,source (e.g. {{ example['first_date'] }},{{ example['from_currency'] }},{{ example['to_currency'] }},<rate>,<where it is from>), or
  - {{ target_fix or "report in the currency your prices and invoices are in: set chargeback__reporting_currency in dbt_project.yml (or dbt build --vars '{chargeback__reporting_currency: USD}')" }};
then run `dbt build --full-refresh`: a plain build re-prices only the ledger's last chargeback__incremental_lookback_days days.
        {%- endset %}
        {%- if (config.get('severity') or 'error') | lower == 'error' %}
            {{ exceptions.raise_compiler_error(message) }}
        {%- else %}
            {%- do exceptions.warn(message) %}
        {%- endif %}
    {%- endif %}
{%- endif %}

{{ missing_sql }}

{% endtest %}
