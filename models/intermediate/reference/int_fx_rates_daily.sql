/*
    One rate per calendar day and currency pair.

    Rule: the rate of a day is the rate published for that day, else the last rate published
    within the `chargeback__fx_carry_forward_days` days before it (weekends, holidays). A day
    further from any published rate has no row, so a request on it finds no rate and the FX
    coverage test fails: a missing rate is never taken as 1 or 0. `published_rate_date` says
    which published rate a day uses.
*/

{%- set carry_forward_days = var('chargeback__fx_carry_forward_days') %}

with

published_rates as (
    select * from {{ ref('fx_rates') }}
),

-- A pair published in one direction only is also usable the other way: 1 / rate, rounded to
-- 8 decimals (DECISIONS.md, "Inverse rates").
inverse_rates as (
    select
        published.rate_date,
        published.to_currency as from_currency,
        published.from_currency as to_currency,
        cast(1.0 / published.rate as {{ type_fx_rate() }}) as rate,
        {{ dbt.concat(["'inverse of '", 'published.source']) }} as source
    from published_rates as published
    left join published_rates as reverse_published
        on published.rate_date = reverse_published.rate_date
        and published.from_currency = reverse_published.to_currency
        and published.to_currency = reverse_published.from_currency
    where reverse_published.rate is null
),

rates as (
    {%- for rates in ['published_rates', 'inverse_rates'] %}
        select
            rate_date,
            from_currency,
            to_currency,
            rate,
            source
        from {{ rates }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

bounds as (
    select
        min(rate_date) as first_rate_date,
        {{ dbt.datediff('min(rate_date)', 'max(rate_date)', 'day') }} as days_between_first_and_last -- noqa: LT05
    from rates
),

day_numbers as (
    -- Up to about 27 years of days, enough for any rate table; no query at compile time.
    {{ dbt.generate_series(10000) }} -- noqa: LT05
),

day_offsets as (
    select
        bounds.first_rate_date,
        day_numbers.generated_number - 1 as day_offset
    from day_numbers
    cross join bounds
    where
        day_numbers.generated_number - 1
        <= bounds.days_between_first_and_last + {{ carry_forward_days }}
),

days as (
    select cast({{ dbt.dateadd('day', 'day_offset', 'first_rate_date') }} as date) as rate_date
    from day_offsets
),

carry_forward_windows as (
    select
        rate_date,
        cast({{ dbt.dateadd('day', -carry_forward_days, 'rate_date') }} as date) as earliest_rate_date
    from days
),

currency_pairs as (
    select distinct
        from_currency,
        to_currency
    from rates
),

candidate_rates as (
    select
        carry_forward_windows.rate_date,
        currency_pairs.from_currency,
        currency_pairs.to_currency,
        rates.rate_date as published_rate_date,
        rates.rate,
        rates.source,
        row_number() over (
            partition by carry_forward_windows.rate_date, currency_pairs.from_currency, currency_pairs.to_currency
            order by rates.rate_date desc
        ) as recency
    from carry_forward_windows
    cross join currency_pairs
    inner join rates
        on currency_pairs.from_currency = rates.from_currency
        and currency_pairs.to_currency = rates.to_currency
        and carry_forward_windows.rate_date >= rates.rate_date
        and carry_forward_windows.earliest_rate_date <= rates.rate_date
),

final as (
    select
        rate_date,
        from_currency,
        to_currency,
        rate,
        published_rate_date,
        source
    from candidate_rates
    where recency = 1
)

select * from final
