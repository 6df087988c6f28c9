{#
    Tag completeness: in the given environments, at least `min_spend_share` of the ledger's
    spend (cost_reporting) must carry every required tag, present and valid (the
    `<tag>_tag_status` columns of the ledger), per `group_by` (default: month). Fails with the
    groups below the threshold, their spend and their share. Use it twice: severity error for
    production spend, warn for the other environments. With severity error the build stops
    with a message that says which tags are missing or invalid and how to fix them.
#}
{% test tag_completeness(model, required_tags, min_spend_share, environments, group_by=['period_month']) %}


{%- set completeness_sql %}
with

spend as (
    select
        {{ group_by | join(', ') }},
        sum(coalesce(cost_reporting, 0)) as spend,
        sum(case when {{ all_tags_valid(required_tags) }} then coalesce(cost_reporting, 0) else 0 end) as tagged_spend,
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
{%- endset %}

{#- With severity error the build stops with a message: the groups below the threshold, the
    calls and spend whose tags are missing or invalid there, tag by tag, the team tags seen
    most among the invalid ones, and what to do. #}
{%- if execute and (config.get('severity') or 'error') | lower == 'error' and load_relation(model) is not none %}
    {%- set failing = run_query(completeness_sql) %}
    {%- if failing.rows | length > 0 %}
        {%- set in_failing_groups -%}
            inner join ({{ completeness_sql }}) as failing
                on {% for column in group_by %}checked.{{ column }} = failing.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
            where checked.environment in ('{{ environments | join("', '") }}')
        {%- endset %}
        {%- set status_queries = [] %}
        {%- for tag in required_tags %}
            {%- do status_queries.append(
                "select '" ~ tag ~ "' as tag, checked." ~ tag ~ "_tag_status as status, count(*) as calls,"
                ~ " sum(coalesce(checked.cost_reporting, 0)) as spend from " ~ model ~ " as checked "
                ~ in_failing_groups ~ " and checked." ~ tag ~ "_tag_status != 'valid'"
                ~ " group by checked." ~ tag ~ "_tag_status"
            ) %}
        {%- endfor %}
        {%- set statuses = run_query(status_queries | join(' union all ')) %}
        {%- set team_tags = run_query(
            "select checked.team_tag, count(*) as calls from " ~ model ~ " as checked " ~ in_failing_groups
            ~ " and checked.team_tag_status = 'invalid' group by checked.team_tag"
            ~ " order by calls desc, checked.team_tag limit 5"
        ) %}
        {%- set group_lines = [] %}
        {%- for row in failing.rows %}
            {%- set key = [] %}
            {%- for column in group_by %}
                {%- do key.append(column ~ ' ' ~ row[column]) %}
            {%- endfor %}
            {%- do group_lines.append(
                '  - ' ~ key | join(', ') ~ ': ' ~ '%.1f' | format(100 * (row['tagged_spend_share'] or 0)) ~ '% of a spend of '
                ~ '%.2f' | format(row['spend']) ~ ' ' ~ var('chargeback__reporting_currency') ~ ' (' ~ row['requests'] ~ ' calls)'
            ) %}
        {%- endfor %}
        {%- set status_lines = [] %}
        {%- for row in statuses.rows %}
            {%- do status_lines.append(
                '  - ' ~ row['tag'] ~ ' ' ~ row['status'] ~ ' on ' ~ row['calls'] ~ ' calls (spend '
                ~ '%.2f' | format(row['spend']) ~ ')'
            ) %}
        {%- endfor %}
        {%- set seen = [] %}
        {%- for row in team_tags.rows %}
            {%- do seen.append("'" ~ row['team_tag'] ~ "' (" ~ row['calls'] ~ ' calls)') %}
        {%- endfor %}
        {%- set message %}
Tag completeness: less than {{ min_spend_share }} (chargeback__min_tagged_spend_share) of the spend in {{ environments | join(', ') }} carries every required tag ({{ required_tags | join(', ') }}, chargeback__required_tags) with a valid value:
{{ group_lines | join('\n') }}
Calls there whose tag is missing or invalid:
{{ status_lines | join('\n') }}
{%- if seen %}
Team tags the seeds do not know, seen most: {{ seen | join(', ') }}.
{%- endif %}
A tag is valid when the seeds know its value: a team in seeds/teams.csv, a product in seeds/products.csv, an environment in seeds/environment_aliases.csv, a scenario of the call's product in seeds/scenarios.csv.
To fix it: put your own teams, products, scenarios and environment names in those seeds (and your API keys with their owners in seeds/api_keys.csv: a key's owner owns its untagged calls), or tag the calls at the gateway; or lower chargeback__min_tagged_spend_share (0 turns this check off). Then run `dbt build --full-refresh`: a plain build re-prices only the ledger's last chargeback__incremental_lookback_days days.
        {%- endset %}
        {{ exceptions.raise_compiler_error(message) }}
    {%- endif %}
{%- endif %}

{{ completeness_sql }}

{% endtest %}
