with

source as (
    select * from {{ source('gateway', 'requests') }}
),

{{ canonical_request_ctes('source', 'gateway') }}

select * from final
