{#
    The catalogue model each (provider, model_id) pair of `ids` matches, by
    int_model_match_rules_prepared: the hand-kept custom_model_prices rows first, then the
    generated seed model_match_rules (genai-prices' matching in disjunctive normal form, see
    src/chargeback/prices/matching.py). `ids` names a relation or CTE with columns provider and
    model_id (lower case). A rule matches when every one of its conditions holds; among the
    matching rules of the provider the lowest rule_rank wins (the catalogue's own order, its
    fallback providers' models after). Pairs without a match are not returned.
    Regular expressions only ever see regex patterns (text patterns may hold '.' or '+').
#}
{% macro catalogue_model_matches(ids) -%}
    select
        provider,
        model_id,
        catalogue_model,
        price_provider,
        catalogue_match_rule_id
    from (
        select
            rules_matched.*,
            row_number() over (
                partition by rules_matched.provider, rules_matched.model_id
                order by rules_matched.rule_rank, rules_matched.catalogue_match_rule_id
            ) as match_preference
        from (
            select
                ids.provider,
                ids.model_id,
                rules.rule_id as catalogue_match_rule_id,
                rules.rule_rank,
                rules.model as catalogue_model,
                rules.price_provider
            from {{ ids }} as ids
            inner join {{ ref('int_model_match_rules_prepared') }} as rules
                on ids.provider = rules.provider
            group by
                ids.provider,
                ids.model_id,
                rules.rule_id,
                rules.rule_rank,
                rules.model,
                rules.price_provider
            having min(
                case
                    when rules.condition_kind = 'equals'
                        then case when ids.model_id = rules.pattern then 1 else 0 end
                    when rules.condition_kind = 'starts_with'
                        then case
                            when substring(ids.model_id, 1, {{ dbt.length('rules.pattern') }}) = rules.pattern then 1
                            else 0
                        end
                    when rules.condition_kind = 'ends_with'
                        then case
                            when {{ dbt.length('ids.model_id') }} >= {{ dbt.length('rules.pattern') }}
                                and {{ dbt.right('ids.model_id', dbt.length('rules.pattern')) }} = rules.pattern then 1
                            else 0
                        end
                    when rules.condition_kind = 'contains'
                        then case when {{ dbt.position('rules.pattern', 'ids.model_id') }} > 0 then 1 else 0 end
                    when rules.condition_kind in ('regex', 'not_regex')
                        then case
                            when {{ regex_matches_column(
                                'ids.model_id',
                                "case when rules.condition_kind in ('regex', 'not_regex') then rules.pattern else '^$' end"
                            ) }} = (rules.condition_kind = 'regex') then 1
                            else 0
                        end
                    else 0
                end
            ) = 1
        ) as rules_matched
    ) as rules_ranked
    where match_preference = 1
{%- endmacro %}
