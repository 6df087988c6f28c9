/*
    Who owns each request: team, product, environment and scenario.

    Team, in order (DECISIONS.md, "Ownership"):
      1. `tag`: the team tag, when it names a team (its team_id or an alias in team_aliases,
         any case);
      2. `key`: else the owner of the api key effective at the request's UTC time, unless the
         key is shared (a shared key tells the environment, not the team) or has no owner; for
         a key api_keys does not list (or lists without an owner), the team the gateway gives
         it (LiteLLM's team alias or team id, `gateway_team`) when that names a team;
      3. `unallocated`: else team_id = 'UNALLOCATED'.
    A conflict is flagged when a valid team tag names another team than the key's owner; the
    tag wins. Product resolves the same way (valid tag, else the key's product, else
    'UNALLOCATED'); environment too (tag through environment_aliases, else the key's
    environment, else 'unknown'); the scenario tag counts when it is a scenario of the resolved
    product, else 'unknown'. The cost centre is the owning team's (teams); the caller's cost
    centre tag is kept beside it and is valid when it is a cost centre of a team. Each tag's
    status (valid, invalid, missing) is kept for the tag completeness and confidence marts.
*/

with

requests as (
    select * from {{ ref('int_requests_resolved') }}
),

-- a lookup joined twice is read under two names (see int_requests_resolved)
tagged_teams as (
    select * from {{ ref('int_team_names_prepared') }}
),

gateway_teams as (
    select * from {{ ref('int_team_names_prepared') }}
),

cost_centers as (
    select distinct cost_center from {{ ref('teams') }}
    where cost_center is not null
),

owner_teams as (
    select * from {{ ref('teams') }}
),

products as (
    select * from {{ ref('products') }}
),

scenarios as (
    select * from {{ ref('scenarios') }}
),

environment_aliases as (
    select * from {{ ref('environment_aliases') }}
),

api_keys as (
    select
        api_key_id,
        owner_team_id,
        product_id,
        environment,
        is_shared,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from_at,
        {{ validity_to_at('valid_to') }} as valid_to_at
    from {{ ref('api_keys') }}
),

tags_checked as (
    select
        requests.*,
        tagged_team.team_id as valid_team_tag,
        tagged_product.product_id as valid_product_tag,
        environment_aliases.environment as valid_environment_tag,
        api_keys.api_key_id as known_api_key_id,
        case
            when api_keys.is_shared then null
            else coalesce(api_keys.owner_team_id, gateway_team.team_id)
        end as key_owner_team_id,
        cost_centers.cost_center as valid_cost_center_tag,
        api_keys.product_id as key_product_id,
        api_keys.environment as key_environment,
        coalesce(api_keys.is_shared, false) as is_shared_key
    from requests
    left join tagged_teams as tagged_team
        on lower(requests.team_tag) = tagged_team.team_name_key
    left join gateway_teams as gateway_team
        on lower(requests.gateway_team) = gateway_team.team_name_key
    left join cost_centers
        on requests.cost_center_tag = cost_centers.cost_center
    left join products as tagged_product
        on requests.product_tag = tagged_product.product_id
    left join environment_aliases
        on requests.environment_tag = environment_aliases.environment_logged
    left join api_keys
        on requests.api_key_id = api_keys.api_key_id
        and requests.occurred_at >= api_keys.valid_from_at
        and requests.occurred_at < api_keys.valid_to_at
),

owners_resolved as (
    select
        *,
        case
            when valid_team_tag is not null then valid_team_tag
            when key_owner_team_id is not null then key_owner_team_id
            else 'UNALLOCATED'
        end as team_id,
        case
            when valid_team_tag is not null then 'tag'
            when key_owner_team_id is not null then 'key'
            else 'unallocated'
        end as attribution_method,
        coalesce(
            valid_team_tag is not null
            and key_owner_team_id is not null
            and valid_team_tag <> key_owner_team_id,
            false
        ) as has_attribution_conflict,
        coalesce(valid_product_tag, key_product_id, 'UNALLOCATED') as product_id,
        coalesce(valid_environment_tag, key_environment, 'unknown') as environment
    from tags_checked
),

scenarios_resolved as (
    select
        owners_resolved.*,
        coalesce(scenarios.scenario_id, 'unknown') as scenario_id,
        owner_teams.cost_center,
        {#- a tag is missing, invalid (no known value matched it), or valid #}
        {%- for tag in ['team', 'product', 'environment', 'cost_center'] %}
            case
                when owners_resolved.{{ tag }}_tag is null then 'missing'
                when owners_resolved.valid_{{ tag }}_tag is null then 'invalid'
                else 'valid'
            end as {{ tag }}_tag_status,
        {%- endfor %}
        case
            when owners_resolved.scenario_tag is null then 'missing'
            when scenarios.scenario_id is null then 'invalid'
            else 'valid'
        end as scenario_tag_status
    from owners_resolved
    left join scenarios
        on owners_resolved.product_id = scenarios.product_id
        and owners_resolved.scenario_tag = scenarios.scenario_id
    left join owner_teams
        on owners_resolved.team_id = owner_teams.team_id
)

select * from scenarios_resolved
