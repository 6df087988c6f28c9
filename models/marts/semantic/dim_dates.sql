/*
    The calendar of the semantic layer (MetricFlow's time spine): one row per day of the
    billing calendar ([chargeback__calendar_start, chargeback__calendar_end)). MetricFlow joins
    to it to fill days without calls and to roll days up to weeks, months and years.
*/

{%- set calendar_start = "cast('" ~ var('chargeback__calendar_start') ~ "' as date)" %}
{%- set calendar_end = "cast('" ~ var('chargeback__calendar_end') ~ "' as date)" %}

with

days as (
    {{ calendar_days(calendar_start, calendar_end) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
    where date_day < {{ calendar_end }}
)

select * from final
