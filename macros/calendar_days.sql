{#
    A select of one row per day in [start_date, end_date) as `date_day` (SQL date expressions).
    Default: dbt's date_spine. Spark: one `sequence` exploded, because date_spine's cross joins
    of powers of two and row numbers over the 50 years of the billing calendar took Spark 7 s
    of every build (BENCHMARKS.md, "Quantity types unpivoted by a cross join").
#}
{% macro calendar_days(start_date, end_date) -%}
    {{ return(adapter.dispatch('calendar_days', 'ai_chargeback')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__calendar_days(start_date, end_date) -%}
    {{ dbt.date_spine('day', start_date, end_date) }}
{%- endmacro %}

{% macro spark__calendar_days(start_date, end_date) -%}
    select explode(sequence({{ start_date }}, date_sub({{ end_date }}, 1), interval 1 day)) as date_day
{%- endmacro %}
