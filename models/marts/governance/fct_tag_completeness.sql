/*
    How well each team tags its requests, per month and environment: for every tag, the share
    of requests and of spend (cost_reporting) whose tag was sent and valid, and the same for all
    required tags together (`chargeback__required_tags`). A tag is valid when it names a known
    team, product, environment (after normalisation), a scenario of the resolved product or a
    team's cost centre; the extra tags (`chargeback__extra_tags`) count when all were sent.
*/

{#- each flag: its name, when a ledger row has it, and the name of its shares in the mart #}
{%- set flags = [
    ('valid_team_tag', "team_tag_status = 'valid'", 'team_tag'),
    ('valid_product_tag', "product_tag_status = 'valid'", 'product_tag'),
    ('valid_environment_tag', "environment_tag_status = 'valid'", 'environment_tag'),
    ('valid_scenario_tag', "scenario_tag_status = 'valid'", 'scenario_tag'),
    ('valid_cost_center_tag', "cost_center_tag_status = 'valid'", 'cost_center_tag'),
    ('extra_tags', "extra_tags_status = 'valid'", 'extra_tags'),
    ('all_required_tags', all_tags_valid(var('chargeback__required_tags')), 'complete_tag'),
] %}

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
        {%- for flag, condition, _ in flags %}
            case when {{ condition }} then 1 else 0 end as has_{{ flag }},
        {%- endfor %}
        coalesce(cost_reporting, 0) as spend
    from ledger
),

summed as (
    select
        period_month,
        team_id,
        environment,
        {%- for flag, _, _ in flags %}
            sum(has_{{ flag }} * requests) as requests_with_{{ flag }},
            sum(has_{{ flag }} * spend) as spend_with_{{ flag }},
        {%- endfor %}
        sum(requests) as requests,
        sum(spend) as spend
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
        {%- for flag, _, shares in flags %}
            cast(requests_with_{{ flag }} as {{ type_share() }}) / requests as {{ shares }}_request_share,
            cast(spend_with_{{ flag }} as {{ type_share() }}) / nullif(spend, 0) as {{ shares }}_spend_share,
        {%- endfor %}
        '{{ var("chargeback__reporting_currency") }}' as reporting_currency
    from summed
)

select * from final
