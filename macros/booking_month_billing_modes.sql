{#
    A CTE, booking_month_modes, for the caller's with-list: the billing mode of each team in
    each reporting month of `computed` (a CTE with period_month, team_id and billing_mode),
    under which the corrections booked in that month are shown. Shared by fct_team_chargeback
    and fct_team_bill_lines, so that a correction row and its bill line carry the same mode.
#}
{% macro booking_month_billing_modes(computed) -%}
booking_month_modes as (
    select
        period_month,
        team_id,
        max(billing_mode) as billing_mode
    from {{ computed }}
    group by
        period_month,
        team_id
)
{%- endmacro %}
