/*
    Which provider and model each request really used.

    1. The provider as logged ('OpenAI', 'aws.bedrock') maps through provider_aliases to the
       provider vocabulary; an unknown name stays as logged, lower case.
    2. The model id, already stripped of provider and region prefixes in staging, is looked up
       in model_aliases and model_deployments (int_model_aliases_prepared) at the request's UTC
       time: first a row for the request's own provider (a deployment is always one), then a
       row for any provider (blank provider). A match gives the canonical provider and model;
       an alias is kept as model_alias, a deployment as model_deployment with its type and
       region. A source that logs the alias the caller asked for beside
       the model it called (LiteLLM's model_group) keeps that alias as model_alias.
    3. The model (the alias's target, else the id as logged, lower case, else the stripped id)
       is matched to the price catalogue's model id by the generated model_match_rules
       (genai-prices' own matching, done once per id in int_request_model_ids_matched:
       'gpt-4o-2024-08-06' -> 'gpt-4o'), first candidate that
       matches wins; price_provider is the provider whose prices apply (Azure's fallback to
       OpenAI's prices). No match: the model keeps its id and will show as unpriced.
    4. A fine-tuned model (`ft:<base model>:...`, macro fine_tune_base_id) is its base model
       for identity (model_canonical: the base id's match, 'gpt-4o-mini') and its own model for
       price (price_model: the fine-tune id's match, a custom_model_prices row or the
       catalogue's; else the id, which no price row has: unpriced, never at the base rates);
       fine_tune_id keeps the id as logged. For any other model price_model = model_canonical.
    5. A call of a deployment that a capacity pool serves (model_deployments.capacity_pool)
       keeps its model for identity and is priced by the pool: price_model `capacity:<pool>`
       under the call's own provider, the zero-rate row of the pool's period
       (int_capacity_pools_prepared); capacity_pool names the pool.
    Records that staging quarantined, and records another source already logged
    (int_requests_unioned), do not enter the ledger.
*/

with

requests as (
    select * from {{ ref('int_requests_unioned') }}
    where record_issue is null and not is_duplicate
),

provider_aliases as (
    select * from {{ ref('provider_aliases') }}
),

-- Each lookup joined twice is read twice, under two names: a CTE referenced twice is
-- materialised whole by some engines (DuckDB), and then every column of the requests is read
-- even when a query needs a few (BENCHMARKS.md).
candidate_matches as (
    select * from {{ ref('int_request_model_ids_matched') }}
),

fallback_matches as (
    select * from {{ ref('int_request_model_ids_matched') }}
),

fine_tune_base_matches as (
    select * from {{ ref('int_request_model_ids_matched') }}
),

own_provider_aliases as (
    select * from {{ ref('int_model_aliases_prepared') }}
),

any_provider_aliases as (
    select * from {{ ref('int_model_aliases_prepared') }}
),

providers_normalised as (
    select
        requests.*,
        coalesce(provider_aliases.provider, requests.provider_lookup_key) as provider_normalised
    from requests
    left join provider_aliases
        on requests.provider_lookup_key = provider_aliases.provider_logged
),

aliases_resolved as (
    select
        providers_normalised.*,
        coalesce(
            providers_normalised.model_group,
            case when own_provider_alias.is_deployment then null else own_provider_alias.alias end,
            any_provider_alias.alias
        ) as model_alias,
        case when own_provider_alias.is_deployment then own_provider_alias.deployment_name end as model_deployment,
        case when own_provider_alias.is_deployment then own_provider_alias.deployment_type end as deployment_type,
        case when own_provider_alias.is_deployment then own_provider_alias.deployment_region end as deployment_region,
        case when own_provider_alias.is_deployment then own_provider_alias.capacity_pool end as capacity_pool,
        coalesce(
            own_provider_alias.canonical_provider,
            any_provider_alias.canonical_provider,
            providers_normalised.provider_normalised
        ) as provider,
        lower(coalesce(
            own_provider_alias.canonical_model,
            any_provider_alias.canonical_model,
            providers_normalised.model_logged
        )) as model_match_candidate,
        case
            when own_provider_alias.alias is null and any_provider_alias.alias is null
                then providers_normalised.model_lookup_key
        end as model_match_fallback_candidate,
        coalesce(
            own_provider_alias.canonical_model,
            any_provider_alias.canonical_model,
            providers_normalised.model_lookup_key
        ) as model_resolved
    from providers_normalised
    left join own_provider_aliases as own_provider_alias
        on providers_normalised.model_lookup_key = own_provider_alias.alias
        and providers_normalised.provider_normalised = own_provider_alias.provider
        and providers_normalised.occurred_at >= own_provider_alias.valid_from_at
        and providers_normalised.occurred_at < own_provider_alias.valid_to_at
    left join any_provider_aliases as any_provider_alias
        on providers_normalised.model_lookup_key = any_provider_alias.alias
        and any_provider_alias.provider is null
        and providers_normalised.occurred_at >= any_provider_alias.valid_from_at
        and providers_normalised.occurred_at < any_provider_alias.valid_to_at
),

models_matched as (
    select
        aliases_resolved.*,
        {{ fine_tune_base_id('lower(aliases_resolved.model_logged)') }} as fine_tune_base_id,
        coalesce(
            candidate_match.catalogue_model,
            fallback_match.catalogue_model,
            aliases_resolved.model_resolved
        ) as model_matched,
        case
            when aliases_resolved.capacity_pool is not null then aliases_resolved.provider
            else coalesce(
                candidate_match.price_provider,
                fallback_match.price_provider,
                aliases_resolved.provider
            )
        end as price_provider,
        coalesce(
            candidate_match.catalogue_match_rule_id,
            fallback_match.catalogue_match_rule_id
        ) as catalogue_match_rule_id
    from aliases_resolved
    left join candidate_matches as candidate_match
        on aliases_resolved.provider = candidate_match.provider
        and aliases_resolved.model_match_candidate = candidate_match.model_id
    left join fallback_matches as fallback_match
        on aliases_resolved.provider = fallback_match.provider
        and aliases_resolved.model_match_fallback_candidate = fallback_match.model_id
),

final as (
    select
        models_matched.*,
        case
            when models_matched.fine_tune_base_id is not null
                then coalesce(fine_tune_base_match.catalogue_model, models_matched.fine_tune_base_id)
            else models_matched.model_matched
        end as model_canonical,
        case
            when models_matched.capacity_pool is not null
                then {{ dbt.concat(["'capacity:'", 'models_matched.capacity_pool']) }}
            else models_matched.model_matched
        end as price_model,
        case when models_matched.fine_tune_base_id is not null then models_matched.model_logged end as fine_tune_id
    from models_matched
    left join fine_tune_base_matches as fine_tune_base_match
        on models_matched.provider = fine_tune_base_match.provider
        and models_matched.fine_tune_base_id = fine_tune_base_match.model_id
)

select * from final
