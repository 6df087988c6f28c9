/*
    The priced request ledger, one row per provider call attempt that landed clean: the
    public, contracted face of int_request_costs_booked, the incremental table the ledger is
    kept in (the chargeback's daily summary and the unit counts read that table). A view, so
    that its ten million rows are stored once.
*/

{{ config(materialized='view') }}

with

final as (
    select * from {{ ref('int_request_costs_booked') }}
)

select * from final
