/*
    Price rows ready to be joined to requests: the catalogue's (model_prices) and your own
    (custom_model_prices), each with the kind of its source.

    price_source_kind: `catalogue` for a model_prices row; `custom` for a custom_model_prices
    row; `free` for a custom row whose every price is zero (a model free on purpose, priced at
    zero: not unpriced); `capacity` for the zero-rate row of a capacity pool's period
    (int_capacity_pools_prepared: model `capacity:<pool>`, the price model of the calls the
    pool serves, which share the pool's cost instead). int_requests_priced lets a
    provider-model's custom rows replace its catalogue rows wherever they are valid.

    Each row gets a stable price_row_id, its validity as UTC timestamps
    ([valid_from, valid_to), open end = far future), and its prices per single token, call or
    request, scaled once here so that a request's cost is a sum of (quantity x price per unit)
    in exact decimals.

    Fallbacks for blank prices (DECISIONS.md, "Pricing"):
      - text: a cache read or a 5-minute cache write without its own price costs the input
        price; a 1-hour write without its own price costs the 5-minute write price, else the
        input price. A blank output price stays blank: a request with text output on such a
        row cannot be priced;
      - audio and image tokens: a cached audio (image) read without its own price costs the
        audio (image) input price. Otherwise a blank audio or image price stays blank: the
        catalogue states a modality's price where the provider bills it apart, and the ledger
        does not guess that it is the text price (such tokens are counted and left unpriced);
      - web searches, file searches, code executions: a blank price stays blank (unpriced);
      - the request fee: blank is no fee (request_fee_per_request 0): most models have none.
*/

{%- set later_prices = [
    'input_audio_per_mtok', 'cache_audio_read_per_mtok', 'output_audio_per_mtok', 'input_image_per_mtok',
    'cache_image_read_per_mtok', 'output_image_per_mtok', 'web_searches_per_k', 'file_searches_per_k',
    'code_executions_per_k', 'requests_per_k',
] %}
{%- set text_prices = ['input_per_mtok', 'cache_read_per_mtok', 'cache_write_per_mtok', 'cache_write_1h_per_mtok', 'output_per_mtok'] %}
{%- set zero_tests = [] %}
{%- for column in text_prices + later_prices %}
    {%- do zero_tests.append('coalesce(' ~ column ~ ', 0) = 0') %}
{%- endfor %}
{%- set every_price_zero = zero_tests | join(' and ') %}

with

-- a model_prices written before the audio, image, tool and fee prices existed reads them as
-- blank (macro seed_column_or_null)
prices as (
    select
        provider,
        model,
        processing,
        above_input_tokens,
        valid_from,
        valid_to,
        currency,
        input_per_mtok,
        cache_read_per_mtok,
        cache_write_per_mtok,
        cache_write_1h_per_mtok,
        output_per_mtok,
        {%- for column in later_prices %}
            {{ seed_column_or_null('model_prices', column, type_price_per_mtok()) }},
        {%- endfor %}
        price_source,
        catalogue_version,
        not_modelled
    from {{ ref('model_prices') }}
),

custom_prices as (
    select * from {{ ref('custom_model_prices') }}
),

capacity_periods as (
    select * from {{ ref('int_capacity_pools_prepared') }}
),

-- every price of a custom row zero: free on purpose
custom_prices_kind as (
    select
        custom_prices.*,
        case when {{ every_price_zero }} then 'free' else 'custom' end as price_source_kind
    from custom_prices
),

price_rows as (
    select
        {{ surrogate_key(['provider', 'model', 'processing', 'above_input_tokens', 'valid_from']) }} as price_row_id,
        'catalogue' as price_source_kind,
        prices.*,
        cast(prices.valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('prices.valid_to') }} as valid_to_at
    from prices
    union all
    select
        {{ surrogate_key(
            ["'custom_model_prices'", 'provider', 'model', 'processing', 'above_input_tokens', 'valid_from']
        ) }} as price_row_id,
        price_source_kind,
        {%- for column in ['provider', 'model', 'processing', 'above_input_tokens', 'valid_from', 'valid_to', 'currency']
            + text_prices + later_prices %}
            {{ column }},
        {%- endfor %}
        {{ dbt.concat(["'custom_model_prices: '", "coalesce(note, '')"]) }} as price_source,
        cast(null as {{ dbt.type_string() }}) as catalogue_version,
        cast(null as {{ dbt.type_string() }}) as not_modelled,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at
    from custom_prices_kind
    union all
    select
        capacity_price_row_id as price_row_id,
        'capacity' as price_source_kind,
        provider,
        capacity_price_model as model,
        'standard' as processing,
        0 as above_input_tokens,
        {#- the days the period touches, the end exclusive; an hour range is exact in valid_from_at
            and valid_to_at #}
        cast(valid_from as date) as valid_from,
        case
            when valid_to = cast(cast(valid_to as date) as {{ dbt.type_timestamp() }}) then cast(valid_to as date)
            else cast({{ dbt.dateadd('day', 1, 'cast(valid_to as date)') }} as date)
        end as valid_to,
        pool_currency as currency,
        {%- for column in text_prices + later_prices %}
            cast(0 as {{ type_price_per_mtok() }}) as {{ column }},
        {%- endfor %}
        {{ dbt.concat(["'capacity_pools: '", 'capacity_pool']) }} as price_source,
        cast(null as {{ dbt.type_string() }}) as catalogue_version,
        cast(null as {{ dbt.type_string() }}) as not_modelled,
        valid_from_at,
        valid_to_at
    from capacity_periods
),

per_token as (
    select
        price_row_id,
        price_source_kind,
        provider,
        model,
        processing,
        above_input_tokens,
        valid_from,
        valid_to,
        valid_from_at,
        valid_to_at,
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
        {{ per_token_price('output_per_mtok') }} as output_per_token,
        input_audio_per_mtok,
        cache_audio_read_per_mtok,
        output_audio_per_mtok,
        input_image_per_mtok,
        cache_image_read_per_mtok,
        output_image_per_mtok,
        web_searches_per_k,
        file_searches_per_k,
        code_executions_per_k,
        requests_per_k,
        {{ per_token_price('input_audio_per_mtok') }} as input_audio_per_token,
        {{ per_token_price('coalesce(cache_audio_read_per_mtok, input_audio_per_mtok)') }} as cache_audio_read_per_token,
        {{ per_token_price('output_audio_per_mtok') }} as output_audio_per_token,
        {{ per_token_price('input_image_per_mtok') }} as input_image_per_token,
        {{ per_token_price('coalesce(cache_image_read_per_mtok, input_image_per_mtok)') }} as cache_image_read_per_token,
        {{ per_token_price('output_image_per_mtok') }} as output_image_per_token,
        {{ per_unit_price('web_searches_per_k') }} as web_search_per_call,
        {{ per_unit_price('file_searches_per_k') }} as file_search_per_call,
        {{ per_unit_price('code_executions_per_k') }} as code_execution_per_session,
        {{ per_unit_price('coalesce(requests_per_k, 0)') }} as request_fee_per_request
    from price_rows
)

select * from per_token
