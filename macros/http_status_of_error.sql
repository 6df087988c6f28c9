{#
    The HTTP status an error stands for, as text, from what a log writes for it: an HTTP code
    as it is ('429'); an error class or exception name (OpenTelemetry's `error.type`, written as
    the exception's class, `openai.RateLimitError`; Bedrock's `errorCode`,
    `ThrottlingException`) by the status the vendor's SDK documents for it, with or without its
    module; anything else that says an error happened: '500'. Null when `error` is null.
#}
{% macro http_status_of_error(error) -%}
    {%- set statuses = {
        '400': ['badrequesterror', 'invalidrequesterror', 'validationexception', 'servicequotaexceededexception'],
        '401': ['authenticationerror', 'unauthorizederror'],
        '403': ['permissiondeniederror', 'accessdeniedexception'],
        '404': ['notfounderror', 'resourcenotfoundexception'],
        '408': ['timeout', 'timeouterror', 'apitimeouterror', 'readtimeout', 'modeltimeoutexception'],
        '409': ['conflicterror'],
        '422': ['unprocessableentityerror'],
        '424': ['modelerrorexception', 'modelstreamerrorexception'],
        '429': ['ratelimiterror', 'throttlingexception', 'modelnotreadyexception', 'toomanyrequests'],
        '503': ['serviceunavailableerror', 'serviceunavailableexception', 'apiconnectionerror'],
        '529': ['overloadederror'],
    } -%}
    {%- set error_class = 'lower(' ~ regex_extract(error, '([A-Za-z0-9_]+)$') ~ ')' -%}
    case
        when {{ error }} is null then null
        when {{ regex_matches(error, '^[1-5][0-9][0-9]$') }} then {{ error }}
        {%- for status, names in statuses.items() %}
        when {{ error_class }} in ('{{ names | join("', '") }}') then '{{ status }}'
        {%- endfor %}
        else '500'
    end
{%- endmacro %}
