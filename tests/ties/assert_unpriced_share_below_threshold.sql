/*
    Unpriced requests are kept and flagged, but a ledger where more than
    `chargeback__max_unpriced_share` of the requests of a month cannot be priced is not fit to
    bill: the price table is missing a model, or the calls are older than its prices. A partly
    priced request (its tokens priced, a quantity without a catalogue price: audio tokens of a
    model without an audio price, code execution) counts too: its cost is short of what was
    bought by what has no price. Fails with the months over the threshold, the two kinds
    counted apart, and stops the build with a message naming the models (and the dates the
    price table covers for them) and what to do.
*/

{%- set ledger_relation = ref('fct_request_costs') %}
{%- set prices_relation = ref('model_prices') %}
{%- set max_share = var('chargeback__max_unpriced_share') %}

{%- set months_sql %}
with

ledger as (
    select * from {{ ledger_relation }}
),

shares as (
    select
        period_month,
        count(*) as requests,
        sum(case when is_priced then 0 else 1 end) as unpriced_requests,
        sum(case when is_priced and unpriced_reason is not null then 1 else 0 end) as partly_priced_requests
    from ledger
    group by period_month
)

select
    period_month,
    requests,
    unpriced_requests,
    partly_priced_requests
from shares
where unpriced_requests + partly_priced_requests > {{ max_share }} * requests
{%- endset %}

{%- if execute and load_relation(ledger_relation) is not none %}
    {%- set months = run_query(months_sql ~ ' order by period_month') %}
    {%- if months.rows | length > 0 %}
        {%- set models = run_query(
            'select ledger.provider, ledger.model_logged, ledger.model_canonical, ledger.unpriced_reason,'
            ~ ' count(*) as calls, min(ledger.period_month) as first_month, max(ledger.period_month) as last_month,'
            ~ ' max(prices.first_valid_from) as first_valid_from'
            ~ ' from ' ~ ledger_relation ~ ' as ledger'
            ~ ' inner join (' ~ months_sql ~ ') as failing on ledger.period_month = failing.period_month'
            ~ ' left join (select provider, model, min(valid_from) as first_valid_from from ' ~ prices_relation
            ~ ' group by provider, model) as prices'
            ~ ' on ledger.provider = prices.provider and ledger.model_canonical = prices.model'
            ~ ' where not ledger.is_priced or ledger.unpriced_reason is not null'
            ~ ' group by ledger.provider, ledger.model_logged, ledger.model_canonical, ledger.unpriced_reason'
            ~ ' order by calls desc, ledger.provider, ledger.model_logged limit 10'
        ) %}
        {%- set month_lines = [] %}
        {%- for month in months.rows %}
            {%- do month_lines.append(
                '  - ' ~ (month['period_month'] | string)[:7] ~ ': ' ~ month['unpriced_requests'] ~ ' of '
                ~ month['requests'] ~ ' calls unpriced, ' ~ month['partly_priced_requests'] ~ ' partly priced'
            ) %}
        {%- endfor %}
        {%- set model_lines = [] %}
        {%- for found in models.rows %}
            {%- if found['first_valid_from'] is none %}
                {%- set catalogue = 'seeds/model_prices.csv has no price for ' ~ found['provider'] ~ ' / ' ~ found['model_canonical'] %}
            {%- else %}
                {%- set catalogue = 'seeds/model_prices.csv prices ' ~ found['provider'] ~ ' / ' ~ found['model_canonical']
                    ~ ' from ' ~ found['first_valid_from'] %}
            {%- endif %}
            {%- do model_lines.append(
                '  - ' ~ found['provider'] ~ ' / ' ~ found['model_logged']
                ~ (' (resolved to ' ~ found['model_canonical'] ~ ')' if found['model_canonical'] != found['model_logged'] else '')
                ~ ': ' ~ found['calls'] ~ ' calls in ' ~ (found['first_month'] | string)[:7]
                ~ ((' to ' ~ (found['last_month'] | string)[:7]) if found['last_month'] != found['first_month'] else '')
                ~ ', ' ~ found['unpriced_reason'] ~ '; ' ~ catalogue
            ) %}
        {%- endfor %}
        {%- set message %}
Unpriced calls: in {{ months.rows | length }} month(s) more than {{ max_share }} (chargeback__max_unpriced_share) of the calls could not be priced:
{{ month_lines | join('\n') }}
The models seen most among them:
{{ model_lines | join('\n') }}
To fix it:
  - a model id the price table names differently (a dated id, your gateway's alias): map it in seeds/model_aliases.csv (alias,provider,canonical_provider,canonical_model,valid_from,valid_to);
  - a model or a date the price table does not cover: prices come from the pinned genai-prices package (`make prices` after upgrading it, then `make reprice`); negotiated rates go to seeds/contract_prices.csv;
  - calls before the first date of the price table cannot be priced: land the months it covers;
  - to build anyway, raise chargeback__max_unpriced_share: unpriced calls stay in the ledger with is_priced = false and show as unpriced usage in the invoice reconciliation.
Then run `dbt build --full-refresh`: a plain build re-prices only the ledger's last chargeback__incremental_lookback_days days.
        {%- endset %}
        {{ exceptions.raise_compiler_error(message) }}
    {%- endif %}
{%- endif %}

{{ months_sql }}
