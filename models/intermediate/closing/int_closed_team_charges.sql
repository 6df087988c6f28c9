/*
    The chargeback rows of each closed period as they stood when the period closed: the rows of
    int_team_charges_computed of a month listed in closed_periods, copied once, at the first build after the
    month closed that has rows for it, and never rebuilt: full_refresh is off, so even
    `dbt build --full-refresh` keeps them. (Re-opening a month means deleting its rows here
    and its closed_periods row, deliberately.)
*/

{{ config(
    materialized='incremental',
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

{{ freeze_closed_periods(ref('int_team_charges_computed')) }}
