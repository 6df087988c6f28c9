/*
    Each provider's monthly billing periods as UTC ranges.

    A provider bills by calendar month in its billing time zone (seed providers). Converting
    each month's local boundaries to UTC once here lets the ledger find a request's billing
    period with a range join instead of converting every request's timestamp to its provider's
    zone. Months from `chargeback__calendar_start` (inclusive) to `chargeback__calendar_end`
    (exclusive) are listed.
*/

{%- set calendar_start = var('chargeback__calendar_start') %}
{%- set calendar_end = var('chargeback__calendar_end') %}

with

providers as (
    select * from {{ ref('providers') }}
),

month_numbers as (
    {{ dbt.generate_series(1200) }}
),

local_months as (
    select
        providers.provider,
        providers.billing_timezone,
        cast({{ dbt.dateadd('month', 'month_numbers.generated_number - 1', "cast('" ~ calendar_start ~ "' as date)") }} as date)
            as billing_period_start
    from providers
    cross join month_numbers
    where
        {{ dbt.dateadd('month', 'month_numbers.generated_number - 1', "cast('" ~ calendar_start ~ "' as date)") }}
        < cast('{{ calendar_end }}' as date)
),

utc_ranges as (
    select
        provider,
        billing_timezone,
        billing_period_start,
        cast({{ dbt.dateadd('month', 1, 'billing_period_start') }} as date) as billing_period_end,
        {{ local_to_utc(
            'cast(billing_period_start as ' ~ dbt.type_timestamp() ~ ')', 'billing_timezone', timezone_is_column=true
        ) }} as starts_at_utc,
        {{ local_to_utc(
            'cast(' ~ dbt.dateadd('month', 1, 'billing_period_start') ~ ' as ' ~ dbt.type_timestamp() ~ ')',
            'billing_timezone',
            timezone_is_column=true
        ) }} as ends_at_utc
    from local_months
)

select * from utc_ranges
