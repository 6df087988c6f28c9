{#
    Validity ranges [lower_bound, upper_bound) of the same key never overlap; a null
    upper bound is open-ended. Each failing row names the key and both ranges, and the build
    stops with an error that names them (an overlap would price or own a request twice).
#}
{% test non_overlapping_ranges(model, partition_by, lower_bound, upper_bound) %}

{%- set overlap_sql = non_overlapping_ranges_sql(model, partition_by, lower_bound, upper_bound) %}
{%- if execute and load_relation(model) is not none %}
    {%- set overlaps = run_query(overlap_sql ~ ' limit 5') %}
    {%- if overlaps.rows | length > 0 %}
        {%- set described = [] %}
        {%- for row in overlaps.rows %}
            {%- set key = [] %}
            {%- for column in partition_by %}
                {%- do key.append(column ~ '=' ~ row[column]) %}
            {%- endfor %}
            {%- do described.append(
                key | join(', ') ~ ': [' ~ row['earlier_start'] ~ ', ' ~ (row['earlier_end'] or 'open')
                ~ ') overlaps [' ~ row['later_start'] ~ ', ' ~ (row['later_end'] or 'open') ~ ')'
            ) %}
        {%- endfor %}
        {{ exceptions.raise_compiler_error(
            'Overlapping validity ranges in ' ~ model.identifier ~ ': ' ~ described | join('; ')
        ) }}
    {%- endif %}
{%- endif %}

{{ overlap_sql }}

{% endtest %}
