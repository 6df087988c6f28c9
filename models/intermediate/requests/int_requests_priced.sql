/*
    What each attempt cost at list price, in the price's currency (DESIGN.md 6.2).

    Price row: among the rows of the request's canonical provider and model valid at its UTC
    time, batch requests prefer `batch` rows and fall back to `standard` rows when the model
    has none; within the processing chosen, the long-context tier is a cliff: the row with the
    largest `above_input_tokens` that input_tokens exceeds (strictly), else the base row (0),
    prices every token of the request.

    cost = uncached input x input price + cache reads x cache read price
         + 5-minute cache writes x write price + 1-hour cache writes x 1-hour write price
         + output x output price.

    Cost type, first match wins: `cache_hit` (answered from the gateway's cache: costs nothing,
    saves the full call), `failed` (status >= 400: its tokens are priced), `retry` (a success
    with attempt_number > 1), `usage` (a successful first attempt). Prompt-cache reads save
    (input price - cache read price) per token read.

    A request with no price row, or with output tokens on a row without an output price, is
    kept with is_priced = false, null costs and the reason: never priced at zero, never dropped.
*/

with

requests as (
    select * from {{ ref('int_requests_attributed') }}
),

prices as (
    select * from {{ ref('int_model_prices_prepared') }}
),

price_candidates as (
    select
        requests.request_id,
        prices.price_row_id,
        row_number() over (
            partition by requests.request_id
            order by
                case when prices.processing = 'batch' then 0 else 1 end,
                prices.above_input_tokens desc
        ) as preference
    from requests
    inner join prices
        on requests.provider = prices.provider
        and requests.model_canonical = prices.model
        and requests.occurred_at >= prices.valid_from_at
        and requests.occurred_at < prices.valid_to_at
        and (
            prices.processing = 'standard'
            or (prices.processing = 'batch' and requests.is_batch)
        )
        and (
            prices.above_input_tokens = 0
            or requests.input_tokens > prices.above_input_tokens
        )
),

price_chosen as (
    select
        price_candidates.request_id,
        prices.*
    from price_candidates
    inner join prices
        on price_candidates.price_row_id = prices.price_row_id
    where price_candidates.preference = 1
),

components_costed as (
    select
        requests.*,
        price_chosen.price_row_id,
        price_chosen.processing as price_processing,
        price_chosen.above_input_tokens as price_tier_above_input_tokens,
        price_chosen.price_currency,
        price_chosen.price_source,
        price_chosen.input_per_mtok,
        price_chosen.output_per_mtok,
        case
            when price_chosen.price_row_id is null then 'no price for this provider, model and date'
            when requests.output_tokens > 0 and price_chosen.output_per_token is null
                then 'no output price for this model'
        end as unpriced_reason,
        {{ cost_of_tokens('requests.uncached_input_tokens', 'price_chosen.input_per_token') }} as input_cost,
        {{ cost_of_tokens('requests.cache_read_tokens', 'price_chosen.cache_read_per_token') }} as cache_read_cost,
        {{ cost_of_tokens('requests.cache_write_tokens', 'price_chosen.cache_write_per_token') }} as cache_write_cost,
        {{ cost_of_tokens('requests.cache_write_1h_tokens', 'price_chosen.cache_write_1h_per_token') }} as cache_write_1h_cost,
        coalesce(
            {{ cost_of_tokens('requests.output_tokens', 'price_chosen.output_per_token') }},
            case when requests.output_tokens = 0 and price_chosen.price_row_id is not null then cast(0 as {{ type_money() }}) end
        ) as output_cost,
        {{ cost_of_tokens(
            'requests.cache_read_tokens',
            '(price_chosen.input_per_token - price_chosen.cache_read_per_token)'
        ) }} as prompt_cache_savings
    from requests
    left join price_chosen
        on requests.request_id = price_chosen.request_id
),

costed as (
    select
        *,
        unpriced_reason is null as is_priced,
        case
            when is_gateway_cache_hit then 'cache_hit'
            when status_code >= 400 then 'failed'
            when attempt_number > 1 then 'retry'
            else 'usage'
        end as cost_type,
        case
            when unpriced_reason is null
                then input_cost + cache_read_cost + cache_write_cost + cache_write_1h_cost + output_cost
        end as list_cost
    from components_costed
),

final as (
    select
        *,
        case
            when not is_priced then null
            when is_gateway_cache_hit then cast(0 as {{ type_money() }})
            else list_cost
        end as cost_price_currency,
        case
            when not is_priced then null
            when is_gateway_cache_hit then list_cost
            else prompt_cache_savings
        end as cache_savings_price_currency
    from costed
)

select * from final
