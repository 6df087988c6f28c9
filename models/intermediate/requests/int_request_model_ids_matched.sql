/*
    Each (provider, model id) a clean request can be priced under, with the catalogue model it
    matches: the price catalogue's matching done once per distinct id, not once per request.

    Candidates, from every clean landed record (a duplicate's ids are harmless extra
    candidates) and whatever an alias's validity (int_requests_resolved picks the one a request
    uses at its time):
      - the model id as logged (lower case) and the id stripped of provider and region prefixes,
        under the provider as logged mapped through provider_aliases;
      - a fine-tune's base model id (macro fine_tune_base_id), under the same provider;
      - each model_aliases target of the stripped id, under the alias's canonical provider;
      - each model_deployments target of the stripped id (the deployment's name looked up as
        int_model_aliases_prepared does), under the deployment's provider.
    Matching follows the generated model_match_rules (catalogue_model_matches): the first rule
    of the provider that matches wins. A candidate without a match has no catalogue model and
    its requests show as unpriced. A table, so that the requests' join to it knows it is small.
*/

{{ config(materialized='table') }}

with

logged_model_ids as (
    select distinct
        provider_lookup_key,
        model_lookup_key,
        lower(model_logged) as model_logged_lower
    from {{ ref('int_requests_landed') }}
    where record_issue is null
),

provider_aliases as (
    select * from {{ ref('provider_aliases') }}
),

model_aliases as (
    select * from {{ ref('model_aliases') }}
),

model_deployments as (
    select * from {{ ref('model_deployments') }}
),

providers_normalised as (
    select
        coalesce(provider_aliases.provider, logged_model_ids.provider_lookup_key) as provider_normalised,
        logged_model_ids.model_lookup_key,
        logged_model_ids.model_logged_lower
    from logged_model_ids
    left join provider_aliases
        on logged_model_ids.provider_lookup_key = provider_aliases.provider_logged
),

match_candidates as (
    select
        provider_normalised as provider,
        model_logged_lower as model_id
    from providers_normalised
    union
    select
        provider_normalised as provider,
        model_lookup_key as model_id
    from providers_normalised
    union
    select
        provider_normalised as provider,
        {{ fine_tune_base_id('model_logged_lower') }} as model_id
    from providers_normalised
    union
    select
        coalesce(model_aliases.canonical_provider, providers_normalised.provider_normalised) as provider,
        lower(model_aliases.canonical_model) as model_id
    from providers_normalised
    inner join model_aliases
        on providers_normalised.model_lookup_key = model_aliases.alias
        and (
            providers_normalised.provider_normalised = model_aliases.provider
            or model_aliases.provider is null
        )
    union
    select
        model_deployments.provider,
        lower(model_deployments.model) as model_id
    from providers_normalised
    inner join model_deployments
        on providers_normalised.model_lookup_key = {{ strip_model_id('lower(model_deployments.deployment)') }}
        and providers_normalised.provider_normalised = model_deployments.provider
),

catalogue_matches as (
    {{ catalogue_model_matches('match_candidates') }}
),

final as (
    select
        match_candidates.provider,
        match_candidates.model_id,
        catalogue_matches.catalogue_model,
        catalogue_matches.price_provider,
        catalogue_matches.catalogue_match_rule_id
    from match_candidates
    left join catalogue_matches
        on match_candidates.provider = catalogue_matches.provider
        and match_candidates.model_id = catalogue_matches.model_id
    where match_candidates.model_id is not null
)

select * from final
