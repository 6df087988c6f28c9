/*
    What the providers say was used, per UTC day: the OpenAI Usage API and the Anthropic usage
    report in one shape, the token types already in the invoice vocabulary (staging converts
    each provider's convention), models resolved through model_aliases and the price catalogue's
    matching rules like the ledger's, and
    each provider account mapped to the gateway key and team it belongs to (seed
    provider_accounts: the provider API key's row first, then the project's or workspace's).
    An unmapped account keeps its provider id, prefixed with the provider. Empty buckets stay,
    without a model, so that "no use that day" is known too.
*/

with

openai_usage as (
    select * from {{ ref('stg_openai__usage') }}
),

anthropic_usage as (
    select * from {{ ref('stg_anthropic__usage') }}
),

model_aliases as (
    select * from {{ ref('model_aliases') }}
),

provider_accounts as (
    select * from {{ ref('provider_accounts') }}
),

unioned as (
    select * from openai_usage
    union all
    select * from anthropic_usage
),

resolved as (
    select
        unioned.*,
        lower(coalesce(
            own_provider_alias.canonical_model,
            any_provider_alias.canonical_model,
            unioned.model_lookup_key
        )) as model_resolved,
        coalesce(by_key.api_key_id, by_group.api_key_id) as mapped_api_key_id,
        coalesce(by_key.team_id, by_group.team_id) as mapped_team_id
    from unioned
    left join model_aliases as own_provider_alias
        on unioned.model_lookup_key = own_provider_alias.alias
        and unioned.provider = own_provider_alias.provider
        and unioned.usage_date >= own_provider_alias.valid_from
        and (own_provider_alias.valid_to is null or unioned.usage_date < own_provider_alias.valid_to)
    left join model_aliases as any_provider_alias
        on unioned.model_lookup_key = any_provider_alias.alias
        and any_provider_alias.provider is null
        and unioned.usage_date >= any_provider_alias.valid_from
        and (any_provider_alias.valid_to is null or unioned.usage_date < any_provider_alias.valid_to)
    left join provider_accounts as by_key
        on unioned.provider = by_key.provider
        and by_key.account_type = 'api_key'
        and unioned.provider_api_key_id = by_key.account_id
    left join provider_accounts as by_group
        on unioned.provider = by_group.provider
        and by_group.account_type in ('project', 'workspace')
        and coalesce(unioned.project_id, unioned.workspace_id) = by_group.account_id
),

match_candidates as (
    select distinct
        provider,
        model_resolved as model_id
    from resolved
    where model_resolved is not null
),

catalogue_matches as (
    {{ catalogue_model_matches('match_candidates') }}
),

models_matched as (
    select
        resolved.*,
        coalesce(catalogue_matches.catalogue_model, resolved.model_resolved) as model_canonical
    from resolved
    left join catalogue_matches
        on resolved.provider = catalogue_matches.provider
        and resolved.model_resolved = catalogue_matches.model_id
),

final as (
    select
        provider,
        usage_date,
        model_canonical,
        coalesce(
            mapped_api_key_id,
            {{ dbt.concat([
                'provider', "':'",
                "coalesce(provider_api_key_id, project_id, workspace_id, 'no account')",
            ]) }}
        ) as api_key_id,
        mapped_api_key_id is not null as is_mapped_account,
        mapped_team_id as team_id,
        is_empty_bucket,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        output_tokens,
        requests,
        source_file
    from models_matched
)

select * from final
