{#
    Tag completeness: in the given environments, at least `min_spend_share` of the ledger's
    spend (cost_reporting) must carry every required tag, present and valid (the
    `<tag>_tag_status` columns of the ledger), per `group_by` (default: month). Fails with the
    groups below the threshold, their spend and their share. Use it twice: severity error for
    production spend, warn for the other environments.
#}
{% test tag_completeness(model, required_tags, min_spend_share, environments, group_by=['period_month']) %}

{%- set all_valid -%}
    {%- for tag in required_tags -%}
        {{ tag }}_tag_status = 'valid'{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endset %}

with

spend as (
    select
        {{ group_by | join(', ') }},
        sum(coalesce(cost_reporting, 0)) as spend,
        sum(case when {{ all_valid }} then coalesce(cost_reporting, 0) else 0 end) as tagged_spend,
        count(*) as requests
    from {{ model }}
    where environment in ('{{ environments | join("', '") }}')
    group by {{ group_by | join(', ') }}
)

select
    *,
    cast(tagged_spend as {{ type_share() }}) / spend as tagged_spend_share
from spend
where
    spend > 0
    and tagged_spend < {{ min_spend_share }} * spend

{% endtest %}
