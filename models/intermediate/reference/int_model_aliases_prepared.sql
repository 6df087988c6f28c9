/*
    Model aliases ready to be joined to requests: each row of model_aliases, and each
    deployment of model_deployments as an alias of its own provider, with its validity as UTC
    timestamps ([valid_from, valid_to), open end = far future). A blank provider is an alias
    that applies under any provider.

    A deployment's name is looked up as a logged id is (lower case, provider prefix stripped:
    macro strip_model_id); it keeps its name as written, its type and region, and the capacity
    pool that serves it, if any. A deployment and
    an alias of the same name under the same provider cannot both be in force: the grain and
    range tests of this model name them.
*/

with

aliases as (
    select * from {{ ref('model_aliases') }}
),

deployments as (
    select * from {{ ref('model_deployments') }}
),

final as (
    select
        alias,
        provider,
        canonical_provider,
        canonical_model,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at,
        false as is_deployment,
        cast(null as {{ dbt.type_string() }}) as deployment_name,
        cast(null as {{ dbt.type_string() }}) as deployment_type,
        cast(null as {{ dbt.type_string() }}) as deployment_region,
        cast(null as {{ dbt.type_string() }}) as capacity_pool
    from aliases
    union all
    select
        {{ strip_model_id('lower(deployment)') }} as alias,
        provider,
        provider as canonical_provider,
        model as canonical_model,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at,
        true as is_deployment,
        deployment as deployment_name,
        deployment_type,
        region as deployment_region,
        capacity_pool
    from deployments
)

select * from final
