-- The benchmark's reference: month x team cost in the reporting currency, computed in one
-- hand-written DuckDB query straight from the landed Parquet request files and the seed CSVs,
-- with the ledger's rules (docs/accounting-rules.md): a clean record is counted once (first
-- delivery), the provider and model are resolved (provider aliases, effective-dated model
-- aliases and deployments, the company's own price matches, then the price catalogue's match
-- rules), the team comes from a valid team tag, else the
-- owner of the effective non-shared key, else UNALLOCATED; the price row is the effective row
-- of the processing (batch when the model has batch prices) and long-context tier, the
-- contract's rates and discount apply, the company's own price rows replace the catalogue's
-- where valid, a call a capacity pool serves and a gateway cache hit cost nothing, and the cost is
-- converted at the rate of the first day of the request's month (carried forward up to
-- {carry_forward_days} days). Engine-specific on purpose: it is DuckDB's floor for this work.
-- Placeholders: {requests}, {seeds}, {currency}, {timezone}, {carry_forward_days},
-- {max_future_hours}, and two that choose how the first delivery of each call is found
-- (counted_once and clean_materialization, from reference.py: a window, or an aggregate that
-- can spill). Money is
-- rounded to 12 decimals per token type and after the discount, as the ledger does
-- (to_money: the 64-bit path of the macro round_to_money).
create or replace temp macro to_money(amount) as
    case
        when abs(amount) < 1 then cast(cast(amount as decimal(18, 18)) as decimal(38, 12))
        else cast(amount as decimal(38, 12))
    end;

with

landed as (
    select
        nullif(trim(request_id), '') as request_id,
        nullif(trim(provider_response_id), '') as provider_response_id,
        timezone('UTC', try_cast(occurred_at as timestamptz)) as occurred_at,
        lower(nullif(trim(provider), '')) as provider_logged,
        nullif(trim(model), '') as model_logged,
        nullif(trim(api_key_id), '') as api_key_id,
        nullif(trim(team), '') as team_tag,
        coalesce(is_batch, false) as is_batch,
        coalesce(gateway_cache_hit, false) as is_gateway_cache_hit,
        input_tokens,
        coalesce(cache_read_tokens, 0) as cache_read_tokens,
        coalesce(cache_write_tokens, 0) as cache_write_tokens,
        coalesce(cache_write_1h_tokens, 0) as cache_write_1h_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        filename,
        file_row_number
    from read_parquet('{requests}', union_by_name = true, filename = true, file_row_number = true)
),

clean as {clean_materialization}(
    select
        *,
        input_tokens - cache_read_tokens - cache_write_tokens - cache_write_1h_tokens as uncached_input_tokens,
        coalesce(provider_response_id, request_id) as match_key
    from landed
    where
        request_id is not null
        and occurred_at is not null
        and occurred_at <= timezone('UTC', now()) + interval {max_future_hours} hour
        and provider_logged is not null
        and model_logged is not null
        and input_tokens >= 0
        and cache_read_tokens >= 0
        and cache_write_tokens >= 0
        and cache_write_1h_tokens >= 0
        and output_tokens >= 0
        and input_tokens - cache_read_tokens - cache_write_tokens - cache_write_1h_tokens >= 0
),

{counted_once}

provider_aliases as (
    select * from read_csv('{seeds}/provider_aliases.csv', all_varchar = true)
),

-- aliases, and each deployment as an alias of its own provider (its name stripped as a logged
-- id is), with the capacity pool that serves it
model_aliases as (
    select
        alias,
        provider,
        canonical_provider,
        canonical_model,
        cast(valid_from as timestamp) as valid_from_at,
        coalesce(cast(valid_to as timestamp), timestamp '9999-12-31') as valid_to_at,
        null as capacity_pool
    from read_csv('{seeds}/model_aliases.csv', all_varchar = true)
    union all
    select
        regexp_replace(regexp_replace(lower(deployment), '^.*/', ''), ':[0-9]+$', ''),
        provider,
        provider,
        model,
        cast(valid_from as timestamp),
        coalesce(cast(valid_to as timestamp), timestamp '9999-12-31'),
        nullif(capacity_pool, '')
    from read_csv('{seeds}/model_deployments.csv', all_varchar = true)
),

resolved as (
    select
        counted_once.*,
        coalesce(provider_aliases.provider, counted_once.provider_logged) as provider_normalised,
        regexp_replace(
            case
                when regexp_matches(
                    regexp_replace(lower(counted_once.model_logged), '^.*/', ''),
                    '^(us|eu|apac|au|ca|jp|global|us-gov)[.][a-z0-9-]+[.]'
                )
                    then regexp_replace(
                        regexp_replace(lower(counted_once.model_logged), '^.*/', ''),
                        '^(us|eu|apac|au|ca|jp|global|us-gov)[.]', ''
                    )
                else regexp_replace(lower(counted_once.model_logged), '^.*/', '')
            end,
            ':[0-9]+$', ''
        ) as model_lookup_key
    from counted_once
    left join provider_aliases
        on counted_once.provider_logged = provider_aliases.provider_logged
),

aliased as (
    select
        resolved.*,
        coalesce(own.canonical_provider, any_provider.canonical_provider, resolved.provider_normalised) as provider,
        lower(coalesce(own.canonical_model, any_provider.canonical_model, resolved.model_logged)) as candidate,
        case when own.alias is null and any_provider.alias is null then resolved.model_lookup_key end as fallback,
        coalesce(own.canonical_model, any_provider.canonical_model, resolved.model_lookup_key) as model_resolved,
        own.capacity_pool
    from resolved
    left join model_aliases as own
        on resolved.model_lookup_key = own.alias
        and resolved.provider_normalised = own.provider
        and resolved.occurred_at >= own.valid_from_at
        and resolved.occurred_at < own.valid_to_at
    left join model_aliases as any_provider
        on resolved.model_lookup_key = any_provider.alias
        and any_provider.provider is null
        and resolved.occurred_at >= any_provider.valid_from_at
        and resolved.occurred_at < any_provider.valid_to_at
),

rules as (
    select
        provider,
        cast(rule_rank as integer) as rule_rank,
        rule_id,
        condition_kind,
        pattern,
        model,
        price_provider
    from read_csv('{seeds}/model_match_rules.csv', all_varchar = true)
    union all
    -- the company's own price matches come before the catalogue's rules
    select distinct
        provider,
        -1,
        'custom_model_prices/' || provider || '#' || match_kind || ':' || lower(pattern),
        match_kind,
        lower(pattern),
        model,
        provider
    from read_csv('{seeds}/custom_model_prices.csv', all_varchar = true)
),

model_ids as (
    select distinct provider, candidate as model_id from aliased
    union
    select distinct provider, fallback as model_id from aliased where fallback is not null
),

matched as (
    select
        model_ids.provider,
        model_ids.model_id,
        arg_min(rules.model, (rules.rule_rank, rules.rule_id)) as catalogue_model,
        arg_min(rules.price_provider, (rules.rule_rank, rules.rule_id)) as price_provider
    from model_ids
    inner join (
        select
            provider,
            rule_rank,
            rule_id,
            model,
            price_provider,
            list((condition_kind, pattern)) as conditions
        from rules
        group by all
    ) as rules
        on model_ids.provider = rules.provider
    where list_bool_and(list_transform(rules.conditions, condition -> case condition[1]
        when 'equals' then model_ids.model_id = condition[2]
        when 'starts_with' then starts_with(model_ids.model_id, condition[2])
        when 'ends_with' then ends_with(model_ids.model_id, condition[2])
        when 'contains' then contains(model_ids.model_id, condition[2])
        when 'regex' then regexp_matches(model_ids.model_id, condition[2])
        when 'not_regex' then not regexp_matches(model_ids.model_id, condition[2])
        else false
    end))
    group by all
),

canonical as (
    select
        aliased.*,
        coalesce(candidate_match.catalogue_model, fallback_match.catalogue_model, aliased.model_resolved)
            as model_canonical,
        coalesce(candidate_match.price_provider, fallback_match.price_provider, aliased.provider) as price_provider
    from aliased
    left join matched as candidate_match
        on aliased.provider = candidate_match.provider and aliased.candidate = candidate_match.model_id
    left join matched as fallback_match
        on aliased.provider = fallback_match.provider and aliased.fallback = fallback_match.model_id
),

teams as (
    select team_id from read_csv('{seeds}/teams.csv', all_varchar = true)
),

api_keys as (
    select
        api_key_id,
        case when cast(is_shared as boolean) then null else owner_team_id end as owner_team_id,
        cast(valid_from as timestamp) as valid_from_at,
        coalesce(cast(valid_to as timestamp), timestamp '9999-12-31') as valid_to_at
    from read_csv('{seeds}/api_keys.csv', all_varchar = true)
),

attributed as (
    select
        canonical.*,
        coalesce(teams.team_id, api_keys.owner_team_id, 'UNALLOCATED') as team_id,
        cast(date_trunc('month', timezone('{timezone}', timezone('UTC', canonical.occurred_at))) as date)
            as period_month
    from canonical
    left join teams on canonical.team_tag = teams.team_id
    left join api_keys
        on canonical.api_key_id = api_keys.api_key_id
        and canonical.occurred_at >= api_keys.valid_from_at
        and canonical.occurred_at < api_keys.valid_to_at
),

prices as (
    select
        provider,
        model,
        processing,
        cast(above_input_tokens as bigint) as above_input_tokens,
        cast(valid_from as timestamp) as valid_from_at,
        coalesce(cast(valid_to as timestamp), timestamp '9999-12-31') as valid_to_at,
        currency,
        cast(cast(input_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18)) as input_price,
        cast(cast(coalesce(cache_read_per_mtok, input_per_mtok) as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18))
            as cache_read_price,
        cast(cast(coalesce(cache_write_per_mtok, input_per_mtok) as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18))
            as cache_write_price,
        cast(
            cast(coalesce(cache_write_1h_per_mtok, cache_write_per_mtok, input_per_mtok) as decimal(24, 12))
            * 0.000001::decimal(7, 6) as decimal(26, 18)
        ) as cache_write_1h_price,
        cast(cast(output_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18)) as output_price,
        is_custom
    from (
        select *, false as is_custom from read_csv('{seeds}/model_prices.csv', all_varchar = true)
        union all by name
        select *, true as is_custom from read_csv('{seeds}/custom_model_prices.csv', all_varchar = true)
    )
),

-- The price rows as a rate card with one row for any request: each provider-model's
-- validity cut at every valid_from and valid_to; in a segment, batch calls take the batch rows
-- when the segment has any, else the standard rows; each tier covers input tokens in
-- (its threshold, the next threshold], the base tier from 0.
segments as (
    select
        provider,
        model,
        boundary_at as segment_start_at,
        lead(boundary_at) over (partition by provider, model order by boundary_at) as segment_end_at
    from (
        select provider, model, valid_from_at as boundary_at from prices
        union
        select provider, model, valid_to_at from prices
    )
),

-- in a segment with any of the company's own rows, only they are in force
segment_rows_in_force as (
    select *
    from (
        select
            segments.segment_start_at,
            segments.segment_end_at,
            prices.*,
            bool_or(prices.is_custom) over (
                partition by prices.provider, prices.model, segments.segment_start_at
            ) as segment_has_custom
        from segments
        inner join prices
            on segments.provider = prices.provider
            and segments.model = prices.model
            and segments.segment_start_at >= prices.valid_from_at
            and segments.segment_end_at <= prices.valid_to_at
    )
    where is_custom or not segment_has_custom
),

segment_rows as (
    select
        *,
        bool_or(processing = 'batch') over (partition by provider, model, segment_start_at) as segment_has_batch
    from segment_rows_in_force
),

rate_card as (
    select
        *,
        case when above_input_tokens = 0 then -1 else above_input_tokens end as tier_floor,
        coalesce(
            lead(above_input_tokens) over (
                partition by provider, model, is_batch_card, segment_start_at order by above_input_tokens
            ),
            999999999999999
        ) as tier_ceiling
    from (
        select *, false as is_batch_card from segment_rows where processing = 'standard'
        union all
        select *, true as is_batch_card
        from segment_rows
        where (segment_has_batch and processing = 'batch') or (not segment_has_batch and processing = 'standard')
    )
),

contracts as (
    select
        provider,
        model,
        cast(valid_from as timestamp) as valid_from_at,
        coalesce(cast(valid_to as timestamp), timestamp '9999-12-31') as valid_to_at,
        cast(cast(input_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18)) as input_price,
        cast(cast(cache_read_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18)) as cache_read_price,
        cast(cast(cache_write_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18)) as cache_write_price,
        cast(cast(cache_write_1h_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18))
            as cache_write_1h_price,
        cast(cast(output_per_mtok as decimal(24, 12)) * 0.000001::decimal(7, 6) as decimal(26, 18)) as output_price,
        cast(coalesce(cast(discount_pct as decimal(9, 4)), 0) * 0.01::decimal(3, 2) as decimal(9, 6)) as discount_fraction
    from read_csv('{seeds}/contract_prices.csv', all_varchar = true)
),

published_rates as (
    select
        cast(rate_date as date) as rate_date,
        from_currency,
        to_currency,
        cast(rate as decimal(18, 8)) as rate
    from read_csv('{seeds}/fx_rates.csv', all_varchar = true)
),

rates as (
    select * from published_rates
    union all
    select
        published.rate_date,
        published.to_currency,
        published.from_currency,
        cast(1.0 / published.rate as decimal(18, 8))
    from published_rates as published
    anti join published_rates as reverse_published
        on published.rate_date = reverse_published.rate_date
        and published.from_currency = reverse_published.to_currency
        and published.to_currency = reverse_published.from_currency
),

costed as (
    select
        attributed.period_month,
        attributed.team_id,
        attributed.is_gateway_cache_hit,
        attributed.capacity_pool is not null as is_capacity,
        price.currency as price_currency,
        price.output_price is null and attributed.output_tokens > 0 as lacks_output_price,
        price.provider is null as lacks_price,
        contract.discount_fraction,
        to_money(
            attributed.uncached_input_tokens::decimal(12, 0)
            * coalesce(contract.input_price, price.input_price)
        )
        + to_money(
            attributed.cache_read_tokens::decimal(12, 0)
            * coalesce(contract.cache_read_price, price.cache_read_price)
        )
        + to_money(
            attributed.cache_write_tokens::decimal(12, 0)
            * coalesce(contract.cache_write_price, price.cache_write_price)
        )
        + to_money(
            attributed.cache_write_1h_tokens::decimal(12, 0)
            * coalesce(contract.cache_write_1h_price, price.cache_write_1h_price)
        )
        + coalesce(
            to_money(
                attributed.output_tokens::decimal(12, 0)
                * coalesce(contract.output_price, price.output_price)
            ),
            0::decimal(38, 12)
        ) as rate_cost
    from (
        select
            attributed.*,
            case when own_contract.provider is not null then own_contract else provider_contract end as contract
        from attributed
        left join contracts as own_contract
            on attributed.provider = own_contract.provider
            and attributed.model_canonical = own_contract.model
            and attributed.occurred_at >= own_contract.valid_from_at
            and attributed.occurred_at < own_contract.valid_to_at
        left join contracts as provider_contract
            on attributed.provider = provider_contract.provider
            and provider_contract.model is null
            and attributed.occurred_at >= provider_contract.valid_from_at
            and attributed.occurred_at < provider_contract.valid_to_at
    ) as attributed
    left join rate_card as price
        on attributed.price_provider = price.provider
        and attributed.model_canonical = price.model
        and attributed.is_batch = price.is_batch_card
        and attributed.occurred_at >= price.segment_start_at
        and attributed.occurred_at < price.segment_end_at
        and attributed.input_tokens > price.tier_floor
        and attributed.input_tokens <= price.tier_ceiling
),

contracted as (
    select
        period_month,
        team_id,
        price_currency,
        case
            when is_capacity then 0::decimal(38, 12)
            when lacks_price or lacks_output_price then null
            when is_gateway_cache_hit then 0::decimal(38, 12)
            when discount_fraction is null then rate_cost
            else to_money(rate_cost * (1::decimal(9, 6) - discount_fraction))
        end as cost
    from costed
),

-- The rate of each month that has a rate to the reporting currency (its first day's, else the
-- latest of the {carry_forward_days} days before). Listed from the rates alone, so that the
-- priced requests are read once: a month or currency without a rate finds none below, and
-- its cost stays out of the sum, as the ledger leaves it null.
month_rates as (
    select
        months.period_month,
        rates.from_currency as price_currency,
        arg_max(rates.rate, rates.rate_date) as rate
    from (
        select distinct cast(date_trunc('month', rate_date + interval {carry_forward_days} day) as date) as period_month
        from rates
    ) as months
    inner join rates
        on rates.to_currency = '{currency}'
        and rates.rate_date <= months.period_month
        and rates.rate_date >= months.period_month - interval {carry_forward_days} day
    group by months.period_month, rates.from_currency
)

select
    contracted.period_month,
    contracted.team_id,
    sum(
        cast(contracted.cost as decimal(24, 12))
        * cast(
            case when contracted.price_currency = '{currency}' then 1::decimal(18, 8) else month_rates.rate end
            as decimal(14, 8)
        )
    ) as cost_reporting,
    count(*) as priced_requests
from contracted
left join month_rates
    on contracted.period_month = month_rates.period_month
    and contracted.price_currency = month_rates.price_currency
where
    contracted.cost is not null
    and (contracted.price_currency = '{currency}' or month_rates.rate is not null)
group by all
order by all
