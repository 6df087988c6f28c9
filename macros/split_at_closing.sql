{#
    CTEs for the caller's with-list that split what is computed now at the closing of periods:
    frozen_periods, the months `frozen` (a frozen copy of closed periods, a CTE with
    period_month) holds, then one CTE per side of `sides`: computed_in_open_periods, the rows of
    `computed` (a CTE with period_month) of every other month, which a mart shows as computed
    now, and computed_in_closed_periods, its rows of the frozen months, which are compared with
    their frozen copy. A month counts as closed once its frozen copy holds rows for it. Shared by
    int_period_corrections, fct_team_chargeback, fct_team_bill_lines and fct_focus_costs, so
    that all draw the line between open and closed months alike.
#}
{% macro split_at_closing(computed, frozen, sides) -%}
frozen_periods as (
    select distinct period_month
    from {{ frozen }}
)
{%- for side in sides %},

computed_in_{{ side }}_periods as (
    select {{ computed }}.*
    from {{ computed }}
    left join frozen_periods
        on {{ computed }}.period_month = frozen_periods.period_month
    where frozen_periods.period_month is {{ 'null' if side == 'open' else 'not null' }}
)
{%- endfor %}
{%- endmacro %}
