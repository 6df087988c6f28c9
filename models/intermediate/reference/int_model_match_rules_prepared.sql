/*
    The rules that match a logged model id to the model whose prices apply: the hand-kept
    custom_model_prices rows first, then the catalogue's generated model_match_rules.

    A custom row is a one-condition rule (its match_kind on its pattern, lower-cased as the
    ids are) naming its own model under its own provider; rule_rank -1 puts it before every
    catalogue rule of the provider, so an id both match resolves to the custom model. The rows
    of one custom model (tiers, batch, validity ranges) share the rule.
*/

with

catalogue_rules as (
    select * from {{ ref('model_match_rules') }}
),

custom_prices as (
    select * from {{ ref('custom_model_prices') }}
),

custom_rules as (
    select distinct
        provider,
        -1 as rule_rank,
        {{ dbt.concat(["'custom_model_prices/'", 'provider', "'#'", 'match_kind', "':'", 'lower(pattern)']) }} as rule_id,
        match_kind as condition_kind,
        lower(pattern) as pattern,
        model,
        provider as price_provider,
        cast(null as {{ dbt.type_string() }}) as catalogue_version
    from custom_prices
),

-- the seed's columns, in its order
final as (
    select * from custom_rules
    union all
    select * from catalogue_rules
)

select * from final
