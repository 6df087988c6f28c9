-- Which spend has no owner, and who should own it?
-- Grain: month x api key (of UNALLOCATED spend), reporting currency. For each key: its spend
-- and calls without an owner, the team tag, product and scenario seen most often on those
-- calls (with the share of the key's calls that carried it), the team the key's product belongs to, and a suggested owner:
-- the product's owning team, else the most common team tag, else none.

with

ledger as (
    select * from {{ ref('fct_request_costs') }}
),

products as (
    select * from {{ ref('products') }}
),

unallocated as (
    select
        period_month,
        coalesce(api_key_id, '(no key)') as api_key_id,
        team_tag,
        case when product_id != 'UNALLOCATED' then product_id end as product_id,
        case when scenario_id != 'unknown' then scenario_id end as scenario_id,
        coalesce(cost_reporting, 0) as cost
    from ledger
    where team_id = 'UNALLOCATED'
),

by_key as (
    select
        period_month,
        api_key_id,
        count(*) as requests,
        sum(cost) as unallocated_spend
    from unallocated
    group by
        period_month,
        api_key_id
),

{%- set tag_columns = ['team_tag', 'product_id', 'scenario_id'] %}
{%- for column in tag_columns %}

    {{ column }}_ranked as (
        select
            period_month,
            api_key_id,
            {{ column }},
            count(*) as tagged_requests,
            row_number() over (
                partition by period_month, api_key_id
                order by count(*) desc, {{ column }}
            ) as tag_rank
        from unallocated
        where {{ column }} is not null
        group by
            period_month,
            api_key_id,
            {{ column }}
    ),
{%- endfor %}

final as (
    select
        by_key.period_month,
        by_key.api_key_id,
        by_key.requests,
        by_key.unallocated_spend,
        team_tag_ranked.team_tag as most_common_team_tag,
        coalesce(cast(team_tag_ranked.tagged_requests as {{ type_share() }}) / by_key.requests, 0) as team_tag_share,
        product_id_ranked.product_id as most_common_product,
        coalesce(cast(product_id_ranked.tagged_requests as {{ type_share() }}) / by_key.requests, 0) as product_share,
        scenario_id_ranked.scenario_id as most_common_scenario,
        products.owner_team_id as product_owner_team,
        coalesce(products.owner_team_id, team_tag_ranked.team_tag) as suggested_owner,
        case
            when products.owner_team_id is not null then 'owner of the product seen most with this key'
            when team_tag_ranked.team_tag is not null then 'team tag seen most with this key'
            else 'no evidence: ask the key holder'
        end as suggestion_basis
    from
        by_key
    {%- for column in tag_columns %}
    left join {{ column }}_ranked
        on by_key.period_month = {{ column }}_ranked.period_month
        and by_key.api_key_id = {{ column }}_ranked.api_key_id
        and {{ column }}_ranked.tag_rank = 1
    {%- endfor %}
    left join products
        on product_id_ranked.product_id = products.product_id
)

select * from final
order by
    period_month asc,
    unallocated_spend desc
