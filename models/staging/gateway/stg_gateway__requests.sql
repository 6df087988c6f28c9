/*
    The canonical gateway request log, typed and checked (macro canonical_request_ctes). The
    gateway logs every attempt of a call as a record of its own; an extra tag
    (chargeback__extra_tags) is read from the JSON record's field of that name.
*/

{%- set extra_tags = var('chargeback__extra_tags') %}

with

source as (
    select * from {{ source('gateway', 'requests') }}
),

gateway_fields_added as (
    select
        *,
        cast(null as {{ dbt.type_string() }}) as gateway_team,
        'true' as earlier_attempts_logged,
        {% set extra_values = {} -%}
        {%- for tag in extra_tags %}{% do extra_values.update({tag: json_text('_raw_record', tag)}) %}{% endfor -%}
        {{ caller_tags_json(extra_values) }} as caller_tags
    from source
),

{{ canonical_request_ctes('gateway_fields_added', 'gateway') }}

select * from final
