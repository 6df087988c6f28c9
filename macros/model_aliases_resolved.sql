{#
    The body of a CTE that resolves the model of billed or reported rows through the
    model_aliases seed on a date: every column of `rows` and model_resolved, the canonical model
    of an alias effective on `on_date` (valid_from <= on_date < valid_to, open end), the row's
    own provider's alias before an any-provider alias (blank provider), else model_lookup_key;
    lower case. `rows` has provider and model_lookup_key; `aliases` names the seed's import CTE.
    (The ledger resolves its requests at their UTC time in int_requests_resolved.)
#}
{% macro model_aliases_resolved(rows, aliases, on_date) -%}
    select
        {{ rows }}.*,
        lower(coalesce(
            own_provider_alias.canonical_model,
            any_provider_alias.canonical_model,
            {{ rows }}.model_lookup_key
        )) as model_resolved
    from {{ rows }}
    left join {{ aliases }} as own_provider_alias
        on {{ rows }}.model_lookup_key = own_provider_alias.alias
        and {{ rows }}.provider = own_provider_alias.provider
        and {{ on_date }} >= own_provider_alias.valid_from
        and (own_provider_alias.valid_to is null or {{ on_date }} < own_provider_alias.valid_to)
    left join {{ aliases }} as any_provider_alias
        on {{ rows }}.model_lookup_key = any_provider_alias.alias
        and any_provider_alias.provider is null
        and {{ on_date }} >= any_provider_alias.valid_from
        and (any_provider_alias.valid_to is null or {{ on_date }} < any_provider_alias.valid_to)
{%- endmacro %}
