{#
    True when a text looks like a secret credential rather than an identifier: OpenAI and
    Anthropic API keys (sk-..., sk-proj-..., sk-ant-...), other `sk_`/`rk-` style keys and AWS
    access key ids (AKIA..., ASIA...). Used in staging so that such a value is hashed, never
    stored (DECISIONS.md, "Privacy and secrets").
#}
{% macro looks_like_secret(expression) -%}
    coalesce({{ regex_matches(expression, '^(sk|rk)[-_][A-Za-z0-9_-]{16,}$|^(AKIA|ASIA)[A-Z0-9]{16}$') }}, false)
{%- endmacro %}
