with

source as (
    select * from {{ source('platform', 'platform_costs') }}
),

renamed as (
    select
        ----------  ids
        {{ clean_text('cost_pool') }} as cost_pool,

        ----------  strings
        upper({{ clean_text('currency') }}) as currency,
        {{ clean_text('description') }} as description,

        ----------  numerics
        {{ dbt.safe_cast(clean_text('amount'), 'decimal(38, 6)') }} as amount,

        ----------  dates
        {{ dbt.safe_cast(clean_text('period_month'), 'date') }} as period_month,

        ----------  lineage
        _source_file as source_file
    from source
)

select * from renamed
