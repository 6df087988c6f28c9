/*
    Cost per unit of work per scenario and month, the previous month's, the effects and the
    reason it changed (grain: month x product x scenario).
    The figures are computed in int_scenario_unit_costs_explained, which the chargeback and the bills read too;
    this mart is its public, contracted copy.
*/

with

final as (
    select * from {{ ref('int_scenario_unit_costs_explained') }}
)

select * from final
