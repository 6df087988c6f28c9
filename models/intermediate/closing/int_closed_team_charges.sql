/*
    The chargeback rows of each closed period as they stood when the period closed: the rows of
    int_team_charges_computed of a month listed in closed_periods, frozen once and never rebuilt
    (macro freeze_closed_periods says when; the YAML keeps full_refresh off).
*/

{{ freeze_closed_periods(ref('int_team_charges_computed')) }}
