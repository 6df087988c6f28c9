/*
    What each attempt cost at list price, in the price's currency (docs/accounting-rules.md#pricing).

    Price row: among the rows of the request's price provider (the provider, or the catalogue's
    fallback provider whose prices it uses) and canonical model valid at its UTC time (your own
    custom_model_prices rows instead of the catalogue's where any is valid then), batch
    requests use `batch` rows and fall back to `standard` rows when the model has none at that
    time; within the processing chosen, the long-context tier is a cliff: the row
    with the largest `above_input_tokens` that input_tokens exceeds (strictly), else the base
    row (0), prices every token of the request.

    cost = uncached text input x input price + text cache reads x cache read price
         + 5-minute cache writes x write price + 1-hour cache writes x 1-hour write price
         + text output x output price
         + uncached audio input x audio input price + cached audio reads x cached audio price
         + audio output x audio output price (and the same three for image tokens)
         + web search calls x price per call + file search calls x price per call
         + code execution sessions x price per session
         + the request fee (0 where the catalogue lists none).
    Audio and image tokens are parts of the input, cache read and output tokens (staging):
    the text part of each is what remains, so no token is priced twice
    (DECISIONS.md, "Billable quantities").

    Cost type, first match wins: `cache_hit` (answered from the gateway's cache: costs nothing,
    saves the full call), `failed` (status >= 400: its tokens are priced), `retry` (a success
    with attempt_number > 1 whose earlier attempts have records of their own), `usage` (a
    successful first attempt, or the successful last attempt of a call whose failed attempts
    the log does not hold: LiteLLM's). Prompt-cache reads save
    (input price - cache read price) per token read.

    Contract prices (seed contract_prices, DECISIONS.md "Price catalogue and contract
    prices"): the contract row of the request's provider valid at its UTC time, the model's own
    row before the provider-wide one. Each token type costs the contract's rate where it sets
    one, else the list price (contracted_rate_cost); the contract's discount then comes off the
    whole: contracted_cost = contracted_rate_cost x (1 - discount_pct / 100). Without a
    contract, contracted_cost = list_cost. The chargeback uses the contracted cost. A call that
    a capacity pool serves has no contract: its price row (every rate zero, kind `capacity`)
    makes its cost 0, and it shares the pool's cost instead (int_capacity_costs_allocated).

    A request with no price row, or with text output tokens on a row without an output price,
    is kept with is_priced = false, null costs and the reason: never priced at zero, never
    dropped. A request whose text tokens are priced but some other quantity has no price in
    the catalogue (audio tokens of a model without an audio price, web searches of a model
    without a search price, code execution) is partly priced: is_priced = true, its cost is
    what has a price, and unpriced_reason names what has none ('partly priced: no price for
    ...'); the quantities stay on the row, and the invoice line reconciliation shows them as
    unpriced. Contracts: the new quantities are at list price (contract_prices has rates for
    the text token types only) and the contract's discount comes off the whole.

    The contracted cost of the request is split into what its audio and image tokens, its tool
    calls and its request fee cost (audio_image_token_cost, tool_call_cost, request_fee_cost,
    each rounded as the whole is); the rest of cost_price_currency is its text tokens.
*/

{#- (ledger quantity, its price per unit, words for an unpriced reason): the quantities that
    leave a request partly priced when their price is missing #}
{%- set partial_quantities = [
    ('uncached_audio_input_tokens', 'input_audio_per_token', 'audio input tokens'),
    ('cache_audio_read_tokens', 'cache_audio_read_per_token', 'cached audio input tokens'),
    ('output_audio_tokens', 'output_audio_per_token', 'audio output tokens'),
    ('uncached_image_input_tokens', 'input_image_per_token', 'image input tokens'),
    ('cache_image_read_tokens', 'cache_image_read_per_token', 'cached image input tokens'),
    ('output_image_tokens', 'output_image_per_token', 'image output tokens'),
    ('web_search_calls', 'web_search_per_call', 'web search calls'),
    ('file_search_calls', 'file_search_per_call', 'file search calls'),
    ('code_execution_sessions', 'code_execution_per_session', 'code execution sessions'),
] %}
{%- set unpriced_parts = [] %}
{%- for quantity, price, words in partial_quantities %}
    {%- do unpriced_parts.append(
        "case when coalesce(requests." ~ quantity ~ ", 0) > 0 and price_chosen." ~ price
        ~ " is null then ', " ~ words ~ "' else '' end"
    ) %}
{%- endfor %}

with

requests as (
    select * from {{ ref('int_requests_attributed') }}
),

-- The audio, image and tool counts (0 when a source logs none), and the text part of each
-- token count: what remains when the audio and image tokens counted in it are taken out.
quantities_split as (
    select
        requests.*,
        coalesce(requests.input_audio_tokens, 0) - coalesce(requests.cache_audio_read_tokens, 0)
            as uncached_audio_input_tokens,
        coalesce(requests.input_image_tokens, 0) - coalesce(requests.cache_image_read_tokens, 0)
            as uncached_image_input_tokens,
        requests.uncached_input_tokens
        - (coalesce(requests.input_audio_tokens, 0) - coalesce(requests.cache_audio_read_tokens, 0))
        - (coalesce(requests.input_image_tokens, 0) - coalesce(requests.cache_image_read_tokens, 0))
            as uncached_text_input_tokens,
        requests.cache_read_tokens
        - coalesce(requests.cache_audio_read_tokens, 0)
        - coalesce(requests.cache_image_read_tokens, 0) as cache_read_text_tokens,
        requests.output_tokens
        - coalesce(requests.output_audio_tokens, 0)
        - coalesce(requests.output_image_tokens, 0) as output_text_tokens
    from requests
),

-- The price rows, read once for the validity boundaries and once for the rows themselves
-- (each CTE is referenced once: see model_contracts).
price_boundary_rows as (
    select * from {{ ref('int_model_prices_prepared') }}
),

prices as (
    select * from {{ ref('int_model_prices_prepared') }}
),

-- The contract rows are joined twice (a model's own row, the provider-wide row) and read under
-- two names: a CTE referenced twice is materialised whole by some engines (DuckDB), and then
-- every column of the requests is read even when a query needs a few.
model_contracts as (
    select * from {{ ref('int_contract_prices_prepared') }}
    where not is_provider_wide
),

provider_contracts as (
    select * from {{ ref('int_contract_prices_prepared') }}
    where is_provider_wide
),

-- A model's own contract row wins over the provider-wide row, column by column from the row
-- chosen.
contracts_chosen as (
    select
        coalesce(model_contract.contract_row_id, provider_contract.contract_row_id) as contract_row_id,
        {%- for column in [
            'contract_reference', 'discount_pct', 'discount_fraction',
            'contract_input_per_token', 'contract_cache_read_per_token', 'contract_cache_write_per_token',
            'contract_cache_write_1h_per_token', 'contract_output_per_token',
        ] %}
            case
                when model_contract.contract_row_id is not null then model_contract.{{ column }}
                else provider_contract.{{ column }}
            end as {{ column }},
        {%- endfor %}
        requests.*
    from quantities_split as requests
    left join model_contracts as model_contract
        on requests.provider = model_contract.provider
        and coalesce(requests.price_model, requests.model_canonical) = model_contract.model
        and requests.occurred_at >= model_contract.valid_from_at
        and requests.occurred_at < model_contract.valid_to_at
        and requests.capacity_pool is null
    left join provider_contracts as provider_contract
        on requests.provider = provider_contract.provider
        and requests.occurred_at >= provider_contract.valid_from_at
        and requests.occurred_at < provider_contract.valid_to_at
        and requests.capacity_pool is null
),

/*
    The price table becomes a rate card with exactly one row for any request: the validity of
    a provider-model's rows is cut into segments at every valid_from and valid_to; within a
    segment, the custom rows (custom_model_prices) are the only rows in force when it has any;
    batch requests then get the batch rows when the segment has any, else the standard
    rows; and each row's tier covers input_tokens in (its threshold, the next threshold]
    (the base row from 0). A request then finds its price with one range join, no ranking.
*/

boundary_sides as (
    select 'from' as side
    union all
    select 'to' as side
),

segment_boundaries as (
    select distinct
        price_boundary_rows.provider,
        price_boundary_rows.model,
        case
            when boundary_sides.side = 'from' then price_boundary_rows.valid_from_at
            else price_boundary_rows.valid_to_at
        end as boundary_at
    from price_boundary_rows
    cross join boundary_sides
),

segments as (
    select
        provider,
        model,
        boundary_at as segment_start_at,
        lead(boundary_at) over (partition by provider, model order by boundary_at) as segment_end_at
    from segment_boundaries
),

segment_rows as (
    select
        segments.segment_start_at,
        segments.segment_end_at,
        prices.*,
        max(case when prices.price_source_kind in ('custom', 'free') then 1 else 0 end) over (
            partition by prices.provider, prices.model, segments.segment_start_at
        ) as segment_has_custom_prices
    from segments
    inner join prices
        on segments.provider = prices.provider
        and segments.model = prices.model
        and segments.segment_start_at >= prices.valid_from_at
        and segments.segment_end_at <= prices.valid_to_at
    where segments.segment_end_at is not null
),

-- your own prices (custom_model_prices) replace the catalogue's wherever they are valid
segment_rows_in_force as (
    select
        *,
        max(case when processing = 'batch' then 1 else 0 end) over (
            partition by provider, model, segment_start_at
        ) as segment_has_batch_prices
    from segment_rows
    where segment_has_custom_prices = 0 or price_source_kind in ('custom', 'free')
),

request_processings as (
    select 'standard' as request_processing
    union all
    select 'batch' as request_processing
),

rate_card_rows as (
    select
        segment_rows_in_force.*,
        request_processings.request_processing
    from segment_rows_in_force
    cross join request_processings
    where
        (request_processings.request_processing = 'standard' and segment_rows_in_force.processing = 'standard')
        or (
            request_processings.request_processing = 'batch'
            and (
                (segment_rows_in_force.segment_has_batch_prices = 1 and segment_rows_in_force.processing = 'batch')
                or (segment_rows_in_force.segment_has_batch_prices = 0 and segment_rows_in_force.processing = 'standard')
            )
        )
),

rate_card as (
    select
        *,
        case when above_input_tokens = 0 then -1 else above_input_tokens end as tier_floor_exclusive,
        coalesce(
            lead(above_input_tokens) over (
                partition by provider, model, request_processing, segment_start_at
                order by above_input_tokens
            ),
            999999999999999
        ) as tier_ceiling_inclusive
    from rate_card_rows
),

components_costed as (
    select
        requests.*,
        price_chosen.price_row_id,
        price_chosen.processing as price_processing,
        price_chosen.above_input_tokens as price_tier_above_input_tokens,
        price_chosen.price_currency,
        price_chosen.price_source,
        price_chosen.price_source_kind,
        price_chosen.catalogue_version as price_catalogue_version,
        price_chosen.input_per_mtok,
        price_chosen.output_per_mtok,
        case
            when price_chosen.price_row_id is null then 'no price for this provider, model and date'
            when requests.output_text_tokens > 0 and price_chosen.output_per_token is null
                then 'no output price for this model'
        end as tokens_unpriced_reason,
        -- the quantities logged but without a price in the catalogue, in words (each starts ', ')
        case
            when price_chosen.price_row_id is not null
                then {{ dbt.concat(unpriced_parts) }}
        end as unpriced_quantities_text,
        {{ cost_of_tokens('requests.uncached_text_input_tokens', 'price_chosen.input_per_token') }} as input_cost,
        {{ cost_of_tokens('requests.cache_read_text_tokens', 'price_chosen.cache_read_per_token') }} as cache_read_cost,
        {{ cost_of_tokens('requests.cache_write_tokens', 'price_chosen.cache_write_per_token') }} as cache_write_cost,
        {{ cost_of_tokens('requests.cache_write_1h_tokens', 'price_chosen.cache_write_1h_per_token') }} as cache_write_1h_cost,
        coalesce(
            {{ cost_of_tokens('requests.output_text_tokens', 'price_chosen.output_per_token') }},
            case when requests.output_text_tokens = 0 and price_chosen.price_row_id is not null then cast(0 as {{ type_money() }}) end
        ) as output_cost,
        -- audio and image tokens, tool calls: 0 when there are none or they have no price
        {%- for quantity, price, _ in partial_quantities %}
            case
                when price_chosen.price_row_id is not null
                    then coalesce(
                        {{ cost_of_tokens('coalesce(requests.' ~ quantity ~ ', 0)', 'price_chosen.' ~ price) }},
                        cast(0 as {{ type_money() }})
                    )
            end as {{ quantity }}_cost,
        {%- endfor %}
        case
            when price_chosen.price_row_id is not null
                then {{ cost_of_tokens('1', 'coalesce(price_chosen.request_fee_per_request, 0)') }}
        end as request_fee,
        {{ cost_of_tokens(
            'requests.cache_read_text_tokens',
            '(price_chosen.input_per_token - price_chosen.cache_read_per_token)'
        ) }}
        + coalesce({{ cost_of_tokens(
            'coalesce(requests.cache_audio_read_tokens, 0)',
            '(price_chosen.input_audio_per_token - price_chosen.cache_audio_read_per_token)'
        ) }}, 0)
        + coalesce({{ cost_of_tokens(
            'coalesce(requests.cache_image_read_tokens, 0)',
            '(price_chosen.input_image_per_token - price_chosen.cache_image_read_per_token)'
        ) }}, 0) as prompt_cache_savings,
        {{ cost_of_tokens(
            'requests.uncached_text_input_tokens',
            'coalesce(requests.contract_input_per_token, price_chosen.input_per_token)'
        ) }} as contracted_input_cost,
        {{ cost_of_tokens(
            'requests.cache_read_text_tokens',
            'coalesce(requests.contract_cache_read_per_token, price_chosen.cache_read_per_token)'
        ) }} as contracted_cache_read_cost,
        {{ cost_of_tokens(
            'requests.cache_write_tokens',
            'coalesce(requests.contract_cache_write_per_token, price_chosen.cache_write_per_token)'
        ) }} as contracted_cache_write_cost,
        {{ cost_of_tokens(
            'requests.cache_write_1h_tokens',
            'coalesce(requests.contract_cache_write_1h_per_token, price_chosen.cache_write_1h_per_token)'
        ) }} as contracted_cache_write_1h_cost,
        {{ cost_of_tokens(
            'requests.output_text_tokens',
            'coalesce(requests.contract_output_per_token, price_chosen.output_per_token)'
        ) }} as contracted_output_cost
    from contracts_chosen as requests
    left join rate_card as price_chosen
        on requests.price_provider = price_chosen.provider
        and coalesce(requests.price_model, requests.model_canonical) = price_chosen.model
        and price_chosen.request_processing = case when requests.is_batch then 'batch' else 'standard' end
        and requests.occurred_at >= price_chosen.segment_start_at
        and requests.occurred_at < price_chosen.segment_end_at
        and requests.input_tokens > price_chosen.tier_floor_exclusive
        and requests.input_tokens <= price_chosen.tier_ceiling_inclusive
),

costed as (
    select
        *,
        tokens_unpriced_reason is null as is_priced,
        case
            when tokens_unpriced_reason is null and unpriced_quantities_text != ''
                then {{ dbt.concat(["'partly priced: no price for '", 'substr(unpriced_quantities_text, 3)']) }}
            else tokens_unpriced_reason
        end as unpriced_reason,
        case
            when is_gateway_cache_hit then 'cache_hit'
            when status_code >= 400 then 'failed'
            when attempt_number > 1 and earlier_attempts_logged then 'retry'
            else 'usage'
        end as cost_type,
        -- the failed attempts before this one that the log holds no record of (LiteLLM logs a
        -- call's last attempt only): counted, never priced
        case when earlier_attempts_logged then 0 else attempt_number - 1 end as unlogged_failed_attempts,
        -- what the audio and image tokens, the tool calls and the request fee cost at list price
        -- (the contract sets no rates for them)
        case
            when tokens_unpriced_reason is null
                then
                    uncached_audio_input_tokens_cost + cache_audio_read_tokens_cost + output_audio_tokens_cost
                    + uncached_image_input_tokens_cost + cache_image_read_tokens_cost + output_image_tokens_cost
        end as audio_image_token_rate_cost,
        case
            when tokens_unpriced_reason is null
                then web_search_calls_cost + file_search_calls_cost + code_execution_sessions_cost
        end as tool_call_rate_cost,
        case when tokens_unpriced_reason is null then request_fee end as request_fee_rate_cost,
        case
            when tokens_unpriced_reason is null
                then input_cost + cache_read_cost + cache_write_cost + cache_write_1h_cost + output_cost
        end as text_token_list_cost,
        case
            when tokens_unpriced_reason is null
                then
                    contracted_input_cost
                    + contracted_cache_read_cost
                    + contracted_cache_write_cost
                    + contracted_cache_write_1h_cost
                    + coalesce(contracted_output_cost, cast(0 as {{ type_money() }}))
        end as text_token_contracted_rate_cost
    from components_costed
),

totalled as (
    select
        *,
        text_token_list_cost + audio_image_token_rate_cost + tool_call_rate_cost + request_fee_rate_cost
            as list_cost,
        text_token_contracted_rate_cost + audio_image_token_rate_cost + tool_call_rate_cost + request_fee_rate_cost
            as contracted_rate_cost
    from costed
),

-- The contract's discount comes off the whole; each part other than the text tokens is
-- discounted and rounded as the whole is, and the text tokens take the rest, so that the
-- parts add up to the contracted cost exactly.
contracted as (
    select
        *,
        {%- for part in ['audio_image_token', 'tool_call', 'request_fee'] %}
            case
                when discount_fraction is null then {{ part }}_rate_cost
                else {{ round_to_money(part ~ '_rate_cost * (cast(1 as decimal(9, 6)) - discount_fraction)') }}
            end as {{ part }}_contracted_cost,
        {%- endfor %}
        case
            when discount_fraction is null then contracted_rate_cost
            else {{ round_to_money('contracted_rate_cost * (cast(1 as decimal(9, 6)) - discount_fraction)') }}
        end as contracted_cost
    from totalled
),

final as (
    select
        *,
        case
            when not is_priced then null
            when is_gateway_cache_hit then cast(0 as {{ type_money() }})
            else contracted_cost
        end as cost_price_currency,
        {%- for part in ['audio_image_token', 'tool_call', 'request_fee'] %}
            case
                when not is_priced then null
                when is_gateway_cache_hit then cast(0 as {{ type_money() }})
                else {{ part }}_contracted_cost
            end as {{ part }}_cost,
        {%- endfor %}
        case
            when not is_priced then null
            when is_gateway_cache_hit then list_cost
            else prompt_cache_savings
        end as cache_savings_price_currency
    from contracted
)

select * from final
