{#
    The body of a CTE that gives rows with a resolved model (model_resolved, lower case) their
    catalogue model: every column of `rows` and model_canonical, the catalogue model the
    distinct (provider, model_resolved) pairs match (catalogue_model_matches), else
    model_resolved. Used by the billed lines and the providers' usage; the ledger matches its
    requests' ids once in int_request_model_ids_matched.
#}
{% macro catalogue_models_matched(rows) -%}
    select
        {{ rows }}.*,
        coalesce(catalogue_matches.catalogue_model, {{ rows }}.model_resolved) as model_canonical
    from {{ rows }}
    left join (
        {{ catalogue_model_matches(
            '(select distinct provider, model_resolved as model_id from ' ~ rows ~ ' where model_resolved is not null)'
        ) }}
    ) as catalogue_matches
        on {{ rows }}.provider = catalogue_matches.provider
        and {{ rows }}.model_resolved = catalogue_matches.model_id
{%- endmacro %}
