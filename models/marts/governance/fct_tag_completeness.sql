/*
    How well each team tags its requests, per month and environment: for every tag, the share
    of requests and of spend (cost_reporting) whose tag was sent and valid, and the same for all
    required tags together (`chargeback__required_tags`). A tag is valid when it names a known
    team, product, environment (after normalisation), a scenario of the resolved product or a
    team's cost centre; the extra tags (`chargeback__extra_tags`) count when all were sent.
*/

{%- set required = var('chargeback__required_tags') %}
{%- set all_required_valid = [] %}
{%- for tag in required %}
    {%- do all_required_valid.append(tag ~ "_tag_status = 'valid'") %}
{%- endfor %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

flagged as (
    select
        period_month,
        team_id,
        environment,
        requests,
        coalesce(cost_reporting, 0) as spend,
        case when team_tag_status = 'valid' then 1 else 0 end as has_valid_team_tag,
        case when product_tag_status = 'valid' then 1 else 0 end as has_valid_product_tag,
        case when environment_tag_status = 'valid' then 1 else 0 end as has_valid_environment_tag,
        case when scenario_tag_status = 'valid' then 1 else 0 end as has_valid_scenario_tag,
        case when cost_center_tag_status = 'valid' then 1 else 0 end as has_valid_cost_center_tag,
        case when extra_tags_status = 'valid' then 1 else 0 end as has_extra_tags,
        case when {{ all_required_valid | join(' and ') }} then 1 else 0 end as has_all_required_tags
    from ledger
),

summed as (
    select
        period_month,
        team_id,
        environment,
        sum(requests) as requests,
        sum(spend) as spend,
        sum(has_valid_team_tag * requests) as requests_with_team_tag,
        sum(has_valid_team_tag * spend) as spend_with_team_tag,
        sum(has_valid_product_tag * requests) as requests_with_product_tag,
        sum(has_valid_product_tag * spend) as spend_with_product_tag,
        sum(has_valid_environment_tag * requests) as requests_with_environment_tag,
        sum(has_valid_environment_tag * spend) as spend_with_environment_tag,
        sum(has_valid_scenario_tag * requests) as requests_with_scenario_tag,
        sum(has_valid_scenario_tag * spend) as spend_with_scenario_tag,
        sum(has_valid_cost_center_tag * requests) as requests_with_cost_center_tag,
        sum(has_valid_cost_center_tag * spend) as spend_with_cost_center_tag,
        sum(has_extra_tags * requests) as requests_with_extra_tags,
        sum(has_extra_tags * spend) as spend_with_extra_tags,
        sum(has_all_required_tags * requests) as requests_with_all_required_tags,
        sum(has_all_required_tags * spend) as spend_with_all_required_tags
    from flagged
    group by
        period_month,
        team_id,
        environment
),

final as (
    select
        period_month,
        team_id,
        environment,
        requests,
        spend,
        cast(requests_with_team_tag as {{ type_share() }}) / requests as team_tag_request_share,
        cast(spend_with_team_tag as {{ type_share() }}) / nullif(spend, 0) as team_tag_spend_share,
        cast(requests_with_product_tag as {{ type_share() }}) / requests as product_tag_request_share,
        cast(spend_with_product_tag as {{ type_share() }}) / nullif(spend, 0) as product_tag_spend_share,
        cast(requests_with_environment_tag as {{ type_share() }}) / requests as environment_tag_request_share,
        cast(spend_with_environment_tag as {{ type_share() }}) / nullif(spend, 0) as environment_tag_spend_share,
        cast(requests_with_scenario_tag as {{ type_share() }}) / requests as scenario_tag_request_share,
        cast(spend_with_scenario_tag as {{ type_share() }}) / nullif(spend, 0) as scenario_tag_spend_share,
        cast(requests_with_cost_center_tag as {{ type_share() }}) / requests as cost_center_tag_request_share,
        cast(spend_with_cost_center_tag as {{ type_share() }}) / nullif(spend, 0) as cost_center_tag_spend_share,
        cast(requests_with_extra_tags as {{ type_share() }}) / requests as extra_tags_request_share,
        cast(spend_with_extra_tags as {{ type_share() }}) / nullif(spend, 0) as extra_tags_spend_share,
        cast(requests_with_all_required_tags as {{ type_share() }}) / requests as complete_tag_request_share,
        cast(spend_with_all_required_tags as {{ type_share() }}) / nullif(spend, 0) as complete_tag_spend_share,
        '{{ var("chargeback__reporting_currency") }}' as reporting_currency
    from summed
)

select * from final
