{#
    The model a provider bills a ledger row's calls under: the model of the price row that
    priced them (a fine-tune's own model, `ft:gpt-4o-mini`, not the base model it resolves to;
    a custom row's model), else the canonical model (unpriced calls, and calls a capacity pool
    served, whose price row is the pool's). `prices` is the alias of the joined
    int_model_prices_prepared row, `ledger` of the ledger row.
#}
{% macro billed_model(prices, ledger) -%}
    case
        when {{ prices }}.price_source_kind in ('catalogue', 'custom', 'free') then {{ prices }}.model
        else {{ ledger }}.model_canonical
    end
{%- endmacro %}
