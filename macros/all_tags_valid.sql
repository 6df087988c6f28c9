{#
    The condition that every tag of `tags` is present and valid on a ledger row: its
    `<tag>_tag_status` column is 'valid' (int_requests_attributed). With the required tags
    (chargeback__required_tags) it is what makes spend attributable and a request complete.
#}
{% macro all_tags_valid(tags) -%}
    {%- for tag in tags -%}
        {{ tag }}_tag_status = 'valid'{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
