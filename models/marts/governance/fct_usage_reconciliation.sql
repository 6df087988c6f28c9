/*
    The providers' own usage against the ledger, per UTC day, provider, model and key, before
    any invoice arrives: missing gateway logs show as tokens the ledger lacks, duplicated or
    misattributed logs as tokens the provider never saw.

    Provider side: int_provider_usage_unioned (OpenAI Usage API, Anthropic usage report),
    provider accounts mapped to gateway keys by the seed provider_accounts. Ledger side: the
    calls that reached the provider (gateway cache hits excluded) on the days the provider's
    export covers (an empty bucket still covers its day), grouped the same way; token types in
    the invoice vocabulary (input = uncached input; cache_write = 5-minute + 1-hour).

    Status, first match: only_in_provider_usage (no ledger calls for that key and model),
    only_in_ledger, matched (every token type equal, and the request counts where the
    provider gives them), request_count_differs (same tokens), ledger_below_provider /
    ledger_above_provider (by total tokens).
*/

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
        usage_date
    from provider_usage
),

provider_side as (
    select
        provider,
        usage_date,
        model_canonical,
        api_key_id,
        max(team_id) as team_id,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_tokens,
        sum(output_tokens) as output_tokens,
        sum(requests) as requests
    from provider_usage
    where not is_empty_bucket
    group by
        provider,
        usage_date,
        model_canonical,
        api_key_id
),

ledger_side as (
    select
        ledger.provider,
        ledger.occurred_on as usage_date,
        ledger.model_canonical,
        coalesce(ledger.api_key_id, 'no key') as api_key_id,
        sum(ledger.uncached_input_tokens) as uncached_input_tokens,
        sum(ledger.cache_read_tokens) as cache_read_tokens,
        sum(ledger.cache_write_tokens + ledger.cache_write_1h_tokens) as cache_write_tokens,
        sum(ledger.output_tokens) as output_tokens,
        sum(ledger.requests) as requests
    from ledger
    inner join covered_days
        on ledger.provider = covered_days.provider
        and ledger.occurred_on = covered_days.usage_date
    where ledger.cost_type != 'cache_hit'
    group by
        ledger.provider,
        ledger.occurred_on,
        ledger.model_canonical,
        coalesce(ledger.api_key_id, 'no key')
),

compared as (
    select
        coalesce(provider_side.usage_date, ledger_side.usage_date) as usage_date,
        coalesce(provider_side.provider, ledger_side.provider) as provider,
        coalesce(provider_side.model_canonical, ledger_side.model_canonical) as model_canonical,
        coalesce(provider_side.api_key_id, ledger_side.api_key_id) as api_key_id,
        provider_side.team_id as provider_account_team_id,
        provider_side.usage_date is not null as in_provider_usage,
        ledger_side.usage_date is not null as in_ledger,
        coalesce(provider_side.uncached_input_tokens, 0) as provider_uncached_input_tokens,
        coalesce(ledger_side.uncached_input_tokens, 0) as ledger_uncached_input_tokens,
        coalesce(provider_side.uncached_input_tokens, 0)
        - coalesce(ledger_side.uncached_input_tokens, 0) as uncached_input_tokens_difference,
        coalesce(provider_side.cache_read_tokens, 0) as provider_cache_read_tokens,
        coalesce(ledger_side.cache_read_tokens, 0) as ledger_cache_read_tokens,
        coalesce(provider_side.cache_read_tokens, 0) - coalesce(ledger_side.cache_read_tokens, 0) as cache_read_tokens_difference,
        coalesce(provider_side.cache_write_tokens, 0) as provider_cache_write_tokens,
        coalesce(ledger_side.cache_write_tokens, 0) as ledger_cache_write_tokens,
        coalesce(provider_side.cache_write_tokens, 0) - coalesce(ledger_side.cache_write_tokens, 0) as cache_write_tokens_difference,
        coalesce(provider_side.output_tokens, 0) as provider_output_tokens,
        coalesce(ledger_side.output_tokens, 0) as ledger_output_tokens,
        coalesce(provider_side.output_tokens, 0) - coalesce(ledger_side.output_tokens, 0) as output_tokens_difference,
        provider_side.requests as provider_requests,
        coalesce(ledger_side.requests, 0) as ledger_requests
    from provider_side
    full outer join ledger_side
        on provider_side.provider = ledger_side.provider
        and provider_side.usage_date = ledger_side.usage_date
        and provider_side.model_canonical = ledger_side.model_canonical
        and provider_side.api_key_id = ledger_side.api_key_id
),

final as (
    select
        {{ surrogate_key(['usage_date', 'provider', 'model_canonical', 'api_key_id']) }} as usage_reconciliation_id,
        *,
        provider_requests - ledger_requests as requests_difference,
        uncached_input_tokens_difference + cache_read_tokens_difference
        + cache_write_tokens_difference + output_tokens_difference as total_tokens_difference,
        case
            when not in_ledger then 'only_in_provider_usage'
            when not in_provider_usage then 'only_in_ledger'
            when
                uncached_input_tokens_difference = 0
                and cache_read_tokens_difference = 0
                and cache_write_tokens_difference = 0
                and output_tokens_difference = 0
                and (provider_requests is null or provider_requests = ledger_requests)
                then 'matched'
            when
                uncached_input_tokens_difference + cache_read_tokens_difference
                + cache_write_tokens_difference + output_tokens_difference = 0
                then 'request_count_differs'
            when
                uncached_input_tokens_difference + cache_read_tokens_difference
                + cache_write_tokens_difference + output_tokens_difference >= 0
                then 'ledger_below_provider'
            else 'ledger_above_provider'
        end as status
    from compared
)

select * from final
