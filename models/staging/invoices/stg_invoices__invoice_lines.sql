with

source as (
    select * from {{ source('invoices', 'invoice_lines') }}
),

renamed as (
    select
        ----------  ids
        {{ clean_text('invoice_id') }} as invoice_id,
        {{ clean_text('line_id') }} as line_id,
        lower({{ clean_text('provider') }}) as provider,

        ----------  strings
        {{ clean_text('line_description') }} as line_description,
        lower({{ clean_text('model') }}) as model,
        {{ strip_model_id("lower(" ~ clean_text('model') ~ ")") }} as model_lookup_key,
        lower({{ clean_text('token_type') }}) as token_type,
        lower({{ clean_text('unit') }}) as unit,
        upper({{ clean_text('currency') }}) as currency,
        lower({{ clean_text('charge_category') }}) as charge_category,

        ----------  numerics
        {{ dbt.safe_cast(clean_text('quantity'), 'decimal(38, 6)') }} as quantity,
        {{ dbt.safe_cast(clean_text('amount'), 'decimal(38, 6)') }} as amount,

        ----------  dates (the provider's billing time zone; end exclusive)
        {{ dbt.safe_cast(clean_text('billing_period_start'), 'date') }} as billing_period_start,
        {{ dbt.safe_cast(clean_text('billing_period_end'), 'date') }} as billing_period_end,

        ----------  lineage
        _source_file as source_file
    from source
)

select * from renamed
