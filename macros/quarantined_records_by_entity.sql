{#
    A CTE, quarantined, for a tie test's with-list: the records quarantined per landed entity
    (landed_entity, quarantined_records: every occurrence of fct_quarantined_records counted).
    Shared by assert_ledger_rows_tie_to_landed_records and
    assert_quarantine_share_below_threshold, so that both count the quarantine alike.
#}
{% macro quarantined_records_by_entity() -%}
quarantined as (
    select
        landed_entity,
        sum(occurrences) as quarantined_records
    from {{ ref('fct_quarantined_records') }}
    group by landed_entity
)
{%- endmacro %}
