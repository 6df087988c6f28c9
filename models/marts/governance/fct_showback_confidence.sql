/*
    How far each team's monthly figures can be trusted to charge it: shares, confidence score,
    chargeback readiness and why not (grain: month x team).
    The figures are computed in int_showback_confidence_scored, which the chargeback and the bills read too;
    this mart is its public, contracted copy.
*/

with

final as (
    select * from {{ ref('int_showback_confidence_scored') }}
)

select * from final
