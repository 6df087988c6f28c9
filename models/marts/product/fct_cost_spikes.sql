/*
    Days far above a scenario's usual cost and their source (grain: local day x product x
    scenario).
    The figures are computed in int_cost_spikes_detected, which the chargeback and the bills read too;
    this mart is its public, contracted copy.
*/

with

final as (
    select * from {{ ref('int_cost_spikes_detected') }}
)

select * from final
