{#
    Two CTEs, booking_candidates and booking_periods, placed in the caller's with-list: for
    each frozen (closed) month of `frozen_periods` (a CTE with period_month), the first
    reporting month after it that is not closed (booked_period_month), where what changed
    since it closed is booked as corrections. Every candidate is "a closed month + 1", so the
    earliest candidate after the month that is not closed is the answer. `closed_periods` is
    a CTE over the seed closed_periods. Shared by int_period_corrections (the chargeback) and
    fct_focus_costs (the FOCUS export), so that both book a correction in the same month.
#}
{% macro correction_booking_periods(frozen_periods, closed_periods) -%}
booking_candidates as (
    select cast({{ dbt.dateadd('month', 1, 'period_month') }} as date) as candidate_month
    from {{ closed_periods }}
),

booking_periods as (
    select
        {{ frozen_periods }}.period_month as correction_for_period,
        min(booking_candidates.candidate_month) as booked_period_month
    from {{ frozen_periods }}
    inner join booking_candidates
        on {{ frozen_periods }}.period_month < booking_candidates.candidate_month
    left join {{ closed_periods }}
        on booking_candidates.candidate_month = {{ closed_periods }}.period_month
    where {{ closed_periods }}.period_month is null
    group by {{ frozen_periods }}.period_month
)
{%- endmacro %}
