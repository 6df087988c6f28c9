/*
    The chargeback's split of the ledger cost by what was bought (text tokens, audio and image
    tokens, tool calls, request fees) is the ledger's own, month by month, exactly (reporting
    currency and USD), the month being the one a charge belongs to (charge_period_month). The
    ledger side converts each call's parts as its cost is converted (fct_request_costs), and
    its text part is what remains of the call's cost. Fails with the months that differ.
*/

{%- set parts = ['audio_image_token_cost', 'tool_call_cost', 'request_fee_cost'] %}
{%- set columns = ['text_token_cost'] + parts %}
{%- set measures = [] %}
{%- for part in columns %}
    {%- do measures.extend([part, part ~ '_usd']) %}
{%- endfor %}

with

ledger_calls as (
    select
        period_month,
        cost_reporting,
        cost_usd,
        {%- for part in parts %}
            {{ convert_currency(part, 'fx_rate') }} as {{ part }},
            {{ convert_currency(part, 'fx_rate_to_usd') }} as {{ part }}_usd,
        {%- endfor %}
        fx_rate,
        fx_rate_to_usd
    from {{ ref('fct_request_costs') }}
    where is_priced
),

ledger_texts as (
    select
        *,
        cost_reporting - audio_image_token_cost - tool_call_cost - request_fee_cost as text_token_cost,
        cost_usd - audio_image_token_cost_usd - tool_call_cost_usd - request_fee_cost_usd as text_token_cost_usd
    from ledger_calls
),

ledger as (
    select
        period_month,
        {%- for part in columns %}
            coalesce(sum({{ part }}), 0) as {{ part }},
            coalesce(sum({{ part }}_usd), 0) as {{ part }}_usd,
        {%- endfor %}
        count(*) as calls
    from ledger_texts
    group by period_month
),

chargeback as (
    select
        charge_period_month as period_month,
        {%- for part in columns %}
            sum({{ part }}) as {{ part }},
            sum({{ part }}_usd) as {{ part }}_usd,
        {%- endfor %}
        count(*) as charge_rows
    from {{ ref('fct_team_chargeback') }}
    group by charge_period_month
)

{{ totals_that_differ('ledger', 'chargeback', ['period_month'], measures) }}
