{#
    The measures of a team's charge row (int_team_charges_computed, int_closed_team_charges,
    int_period_corrections, fct_team_chargeback), by group and in the mart's column order:
      reporting  request counts and costs in the reporting currency, up to total_charge;
      usd        the same costs in USD;
      breakdown  the ledger cost split by what was bought, reporting currency then USD;
      capacity   the capacity pools' allocations (used and idle), reporting currency then USD,
                 appended last (they came after the mart was public).
    A new measure is added here once, then to the mart's contract.
#}
{% macro team_charge_measures() -%}
    {{ return({
        'reporting': [
            'requests', 'retry_requests', 'failed_requests', 'cache_hit_requests', 'unpriced_requests',
            'usage_cost', 'retry_cost', 'failed_cost', 'ledger_cost', 'cache_savings', 'shared_cost',
            'invoice_true_up', 'unlogged_spend', 'total_charge',
        ],
        'usd': [
            'usage_cost_usd', 'retry_cost_usd', 'failed_cost_usd', 'ledger_cost_usd', 'cache_savings_usd',
            'shared_cost_usd', 'invoice_true_up_usd', 'unlogged_spend_usd', 'total_charge_usd',
        ],
        'breakdown': [
            'text_token_cost', 'audio_image_token_cost', 'tool_call_cost', 'request_fee_cost',
            'text_token_cost_usd', 'audio_image_token_cost_usd', 'tool_call_cost_usd', 'request_fee_cost_usd',
        ],
        'capacity': ['capacity_cost', 'idle_capacity_cost', 'capacity_cost_usd', 'idle_capacity_cost_usd'],
    }) }}
{%- endmacro %}
