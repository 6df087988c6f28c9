/*
    Price rows ready to be joined to requests.

    Each row of model_prices gets a stable price_row_id, its validity as UTC timestamps
    ([valid_from, valid_to), open end = far future), and its prices per single token, scaled
    once here so that a request's cost is a sum of (tokens x price per token) in exact decimals.

    Fallbacks for blank cache prices (DECISIONS.md, "Blank cache prices"): a cache read or a
    5-minute cache write without its own price costs the input price; a 1-hour write without
    its own price costs the 5-minute write price, else the input price. A blank output price
    stays blank: a request with output tokens on such a row cannot be priced.
*/

with

prices as (
    select * from {{ ref('model_prices') }}
),

per_token as (
    select
        {{ surrogate_key(['provider', 'model', 'processing', 'above_input_tokens', 'valid_from']) }} as price_row_id,
        provider,
        model,
        processing,
        above_input_tokens,
        valid_from,
        valid_to,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at,
        currency as price_currency,
        input_per_mtok,
        cache_read_per_mtok,
        cache_write_per_mtok,
        cache_write_1h_per_mtok,
        output_per_mtok,
        price_source,
        catalogue_version,
        not_modelled,
        {{ per_token_price('input_per_mtok') }} as input_per_token,
        {{ per_token_price('coalesce(cache_read_per_mtok, input_per_mtok)') }} as cache_read_per_token,
        {{ per_token_price('coalesce(cache_write_per_mtok, input_per_mtok)') }} as cache_write_per_token,
        {{ per_token_price('coalesce(cache_write_1h_per_mtok, cache_write_per_mtok, input_per_mtok)') }} as cache_write_1h_per_token,
        {{ per_token_price('output_per_mtok') }} as output_per_token
    from prices
)

select * from per_token
