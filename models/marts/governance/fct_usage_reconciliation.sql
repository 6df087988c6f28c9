/*
    The providers' own usage against the ledger, per UTC day and provider, at the finest grain
    the provider's export gives for that day (comparison_grain: day x model x key, day x model,
    day x key, or the day alone), before any invoice arrives: missing gateway logs show as
    tokens the ledger lacks, duplicated or misattributed logs as tokens the provider never saw.

    Provider side: int_provider_usage_unioned (OpenAI Usage API, Anthropic usage report; hourly
    and minute buckets summed to their UTC day), provider accounts mapped to gateway keys by
    the seed provider_accounts. Ledger side: the calls that reached the provider (gateway
    cache hits excluded) on the days the provider's export covers (an empty bucket still covers
    its day), grouped the same way; token types in the reconciliation's vocabulary (input =
    uncached text input; cache_write = 5-minute + 1-hour). A day compared without a model has
    a null model_canonical (all models), without a key a null api_key_id (all keys): an
    export that was not grouped by model or key is compared in full, never dropped.

    Audio and image tokens and web search calls (DECISIONS.md, "Billable quantities"): the
    ledger counts them per call too, as the providers report them: audio (image) input with
    its cached part, audio (image) output; the text types are what remains of each token
    count on both sides, so no token is compared twice. Each has its provider_, ledger_ and
    _difference column (appended after the provider-only columns they were before the ledger
    counted them). The audio and image tokens count in the status and total_tokens_difference
    like the text types; web search calls are compared beside them (web_search_calls_difference),
    not in the status.

    Status, first match: only_in_provider_usage (no ledger calls at this grain),
    only_in_ledger, matched (every token type equal, and the request counts where the
    provider gives them), request_count_differs (same tokens), ledger_below_provider /
    ledger_above_provider (by total tokens).
*/

{%- set token_types = ['uncached_input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens'] %}
{%- set media_types = ['input_audio_tokens', 'output_audio_tokens', 'input_image_tokens', 'output_image_tokens'] %}
{%- set provider_only = media_types + ['web_search_calls'] %}
{%- set all_token_types = token_types + media_types %}
{%- set differences = [] %}
{%- for column in all_token_types %}{% do differences.append(column ~ '_difference') %}{% endfor %}
{%- set total_difference = '(' ~ differences | join(' + ') ~ ')' %}
{%- set every_type_equal = '(' ~ differences | join(' = 0 and ') ~ ' = 0)' %}

with

provider_usage as (
    select * from {{ ref('int_provider_usage_unioned') }}
),

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

covered_days as (
    select distinct
        provider,
        usage_date,
        comparison_grain,
        is_partial_day
    from provider_usage
),

provider_side as (
    select
        provider,
        usage_date,
        comparison_grain,
        is_partial_day,
        case when comparison_grain in ('day_model', 'day_model_key') then model_canonical end as model_canonical,
        case when comparison_grain in ('day_key', 'day_model_key') then api_key_id end as api_key_id,
        max(case when comparison_grain in ('day_key', 'day_model_key') then team_id end) as team_id,
        {%- for column in token_types + provider_only %}
            sum({{ column }}) as {{ column }},
        {%- endfor %}
        sum(requests) as requests
    from provider_usage
    where not is_empty_bucket
    group by
        provider,
        usage_date,
        comparison_grain,
        is_partial_day,
        case when comparison_grain in ('day_model', 'day_model_key') then model_canonical end,
        case when comparison_grain in ('day_key', 'day_model_key') then api_key_id end
),

ledger_side as (
    select
        ledger.provider,
        ledger.occurred_on as usage_date,
        covered_days.comparison_grain,
        covered_days.is_partial_day,
        case
            when covered_days.comparison_grain in ('day_model', 'day_model_key') then ledger.model_canonical
        end as model_canonical,
        case
            when covered_days.comparison_grain in ('day_key', 'day_model_key') then coalesce(ledger.api_key_id, 'no key')
        end as api_key_id,
        -- the text part of each token count: what remains without its audio and image tokens
        sum(
            ledger.uncached_input_tokens
            - (coalesce(ledger.input_audio_tokens, 0) - coalesce(ledger.cache_audio_read_tokens, 0))
            - (coalesce(ledger.input_image_tokens, 0) - coalesce(ledger.cache_image_read_tokens, 0))
        ) as uncached_input_tokens,
        sum(
            ledger.cache_read_tokens
            - coalesce(ledger.cache_audio_read_tokens, 0)
            - coalesce(ledger.cache_image_read_tokens, 0)
        ) as cache_read_tokens,
        sum(ledger.cache_write_tokens + ledger.cache_write_1h_tokens) as cache_write_tokens,
        sum(
            ledger.output_tokens - coalesce(ledger.output_audio_tokens, 0) - coalesce(ledger.output_image_tokens, 0)
        ) as output_tokens,
        {%- for column in provider_only %}
            sum(coalesce(ledger.{{ column }}, 0)) as {{ column }},
        {%- endfor %}
        sum(ledger.requests) as requests
    from ledger
    inner join covered_days
        on ledger.provider = covered_days.provider
        and ledger.occurred_on = covered_days.usage_date
    where ledger.cost_type != 'cache_hit'
    group by
        ledger.provider,
        ledger.occurred_on,
        covered_days.comparison_grain,
        covered_days.is_partial_day,
        case
            when covered_days.comparison_grain in ('day_model', 'day_model_key') then ledger.model_canonical
        end,
        case
            when covered_days.comparison_grain in ('day_key', 'day_model_key') then coalesce(ledger.api_key_id, 'no key')
        end
),

compared as (
    select
        coalesce(provider_side.usage_date, ledger_side.usage_date) as usage_date,
        coalesce(provider_side.provider, ledger_side.provider) as provider,
        coalesce(provider_side.model_canonical, ledger_side.model_canonical) as model_canonical,
        coalesce(provider_side.api_key_id, ledger_side.api_key_id) as api_key_id,
        coalesce(provider_side.comparison_grain, ledger_side.comparison_grain) as comparison_grain,
        coalesce(provider_side.is_partial_day, ledger_side.is_partial_day) as is_partial_day,
        provider_side.team_id as provider_account_team_id,
        provider_side.usage_date is not null as in_provider_usage,
        ledger_side.usage_date is not null as in_ledger,
        {%- for column in token_types %}
            coalesce(provider_side.{{ column }}, 0) as provider_{{ column }},
            coalesce(ledger_side.{{ column }}, 0) as ledger_{{ column }},
            coalesce(provider_side.{{ column }}, 0) - coalesce(ledger_side.{{ column }}, 0) as {{ column }}_difference,
        {%- endfor %}
        {%- for column in provider_only %}
            coalesce(provider_side.{{ column }}, 0) as provider_{{ column }},
            coalesce(ledger_side.{{ column }}, 0) as ledger_{{ column }},
            coalesce(provider_side.{{ column }}, 0) - coalesce(ledger_side.{{ column }}, 0) as {{ column }}_difference,
        {%- endfor %}
        provider_side.requests as provider_requests,
        coalesce(ledger_side.requests, 0) as ledger_requests
    from provider_side
    full outer join ledger_side
        on provider_side.provider = ledger_side.provider
        and provider_side.usage_date = ledger_side.usage_date
        and coalesce(provider_side.model_canonical, '(all models)') = coalesce(ledger_side.model_canonical, '(all models)')
        and coalesce(provider_side.api_key_id, '(all keys)') = coalesce(ledger_side.api_key_id, '(all keys)')
),

statuses as (
    select
        *,
        provider_requests - ledger_requests as requests_difference,
        {{ total_difference }} as total_tokens_difference,
        case
            when not in_ledger then 'only_in_provider_usage'
            when not in_provider_usage then 'only_in_ledger'
            when
                {{ every_type_equal }}
                and (provider_requests is null or provider_requests = ledger_requests)
                then 'matched'
            when {{ total_difference }} = 0 then 'request_count_differs'
            when {{ total_difference }} >= 0 then 'ledger_below_provider'
            else 'ledger_above_provider'
        end as status
    from compared
),

final as (
    select
        {{ surrogate_key(['usage_date', 'provider', 'model_canonical', 'api_key_id']) }} as usage_reconciliation_id,
        usage_date,
        provider,
        model_canonical,
        api_key_id,
        provider_account_team_id,
        in_provider_usage,
        in_ledger,
        {%- for column in token_types %}
            provider_{{ column }},
            ledger_{{ column }},
            {{ column }}_difference,
        {%- endfor %}
        provider_requests,
        ledger_requests,
        requests_difference,
        total_tokens_difference,
        status,
        comparison_grain,
        {%- for column in provider_only %}
            provider_{{ column }},
        {%- endfor %}
        is_partial_day,
        ledger_input_audio_tokens,
        input_audio_tokens_difference,
        ledger_output_audio_tokens,
        output_audio_tokens_difference,
        ledger_input_image_tokens,
        input_image_tokens_difference,
        ledger_output_image_tokens,
        output_image_tokens_difference,
        ledger_web_search_calls,
        web_search_calls_difference
    from statuses
)

select * from final
