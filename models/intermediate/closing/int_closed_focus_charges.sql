/*
    The FOCUS charges of each closed period as they stood when the period closed: the rows of
    int_focus_charges_computed of a month listed in closed_periods (period_month, the
    chargeback's reporting month), copied once, at the first build after the month closed
    that has rows for it, in the same build that freezes its chargeback
    (int_closed_team_charges), and never rebuilt (its YAML keeps full_refresh off).
    fct_focus_costs keeps their effective cost for the closed month and books what changed
    since as corrections.
    Taxes have no reporting month and are never frozen (they are not charged back).
*/

{{ freeze_closed_periods(ref('int_focus_charges_computed')) }}
