/*
    Contract rows ready to be joined to priced requests.

    Each row of contract_prices gets a stable contract_row_id, its validity as UTC timestamps
    ([valid_from, valid_to), open end = far future), its rates per single token (blank = the
    list price applies, so they stay null here) and the discount as a fraction. A blank model
    is the provider-wide row: is_provider_wide tells int_requests_priced to prefer a model's
    own row.
*/

with

contracts as (
    select * from {{ ref('contract_prices') }}
),

per_token as (
    select
        {{ surrogate_key(['provider', 'model', 'valid_from']) }} as contract_row_id,
        provider,
        model,
        model is null as is_provider_wide,
        valid_from,
        valid_to,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at,
        {{ per_token_price('input_per_mtok') }} as contract_input_per_token,
        {{ per_token_price('cache_read_per_mtok') }} as contract_cache_read_per_token,
        {{ per_token_price('cache_write_per_mtok') }} as contract_cache_write_per_token,
        {{ per_token_price('cache_write_1h_per_mtok') }} as contract_cache_write_1h_per_token,
        {{ per_token_price('output_per_mtok') }} as contract_output_per_token,
        cast(coalesce(discount_pct, 0) as decimal(9, 4)) as discount_pct,
        cast(coalesce(discount_pct, 0) * cast(0.01 as decimal(3, 2)) as decimal(9, 6)) as discount_fraction,
        contract_reference
    from contracts
)

select * from per_token
