{#
    The drop folder that landing relations read: CHARGEBACK_LANDING_DIR, default data/landing
    (relative to the folder dbt runs in). Trailing slashes are removed.
#}
{% macro landing_dir() -%}
    {{ return(env_var('CHARGEBACK_LANDING_DIR', 'data/landing').rstrip('/')) }}
{%- endmacro %}
