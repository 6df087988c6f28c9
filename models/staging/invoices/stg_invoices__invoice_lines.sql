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
        _source_file as source_file,

        ----------  as landed, for the quarantine
        {{ clean_text('amount') }} as amount_landed,
        {{ clean_text('quantity') }} as quantity_landed,
        {{ clean_text('billing_period_start') }} as billing_period_start_landed,
        {{ clean_text('billing_period_end') }} as billing_period_end_landed,
        {{ dbt.concat([
            "coalesce(invoice_id, '')", "','", "coalesce(provider, '')", "','",
            "coalesce(billing_period_start, '')", "','", "coalesce(billing_period_end, '')", "','",
            "coalesce(line_id, '')", "','", "coalesce(model, '')", "','",
            "coalesce(token_type, '')", "','", "coalesce(quantity, '')", "','",
            "coalesce(amount, '')", "','", "coalesce(currency, '')", "','",
            "coalesce(charge_category, '')",
        ]) }} as raw_record
    from source
),

/*
    An invoice line that does not parse is quarantined (record_issue), never summed: the first
    problem found names it. A currency must be a three-letter code; one the FX rates do not
    know fails the reconciliation's rate check instead. The same invoice_id and line_id landed
    again (a file delivered twice, or a corrected re-issue) counts once: the first delivery by
    file name wins, later ones are quarantined as duplicates or, when their content differs,
    as conflicting (DECISIONS.md, "Reliability").
*/
delivery_ranked as (
    select
        *,
        row_number() over (
            partition by invoice_id, line_id
            order by source_file, raw_record
        ) as delivery_rank,
        first_value(raw_record) over (
            partition by invoice_id, line_id
            order by source_file, raw_record
            rows between unbounded preceding and unbounded following
        ) as first_delivery_record
    from renamed
),

checked as (
    select
        *,
        case
            when invoice_id is null then 'missing invoice_id'
            when provider is null then 'missing provider'
            when line_id is null then 'missing line_id'
            when billing_period_start is null then 'unparseable billing_period_start'
            when billing_period_end_landed is not null and billing_period_end is null
                then 'unparseable billing_period_end'
            when amount is null then 'unparseable amount'
            when quantity_landed is not null and quantity is null then 'unparseable quantity'
            when currency is null or not {{ regex_matches('currency', '^[A-Z]{3}$') }}
                then 'unknown currency'
            when
                charge_category is null
                or charge_category not in ('usage', 'discount', 'credit', 'fee', 'adjustment', 'tax')
                then 'unknown charge_category'
            when delivery_rank > 1 and raw_record = first_delivery_record
                then 'duplicate delivery of an invoice line'
            when delivery_rank > 1
                then 'conflicting invoice line: same invoice_id and line_id as an earlier file'
        end as record_issue
    from delivery_ranked
)

select * from checked
