/*
    Model aliases ready to be joined to requests: each row of model_aliases with its validity
    as UTC timestamps ([valid_from, valid_to), open end = far future). A blank provider is an
    alias that applies under any provider.
*/

with

aliases as (
    select * from {{ ref('model_aliases') }}
),

final as (
    select
        alias,
        provider,
        canonical_provider,
        canonical_model,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at
    from aliases
)

select * from final
