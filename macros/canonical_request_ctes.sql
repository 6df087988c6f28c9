{#
    The canonical request, typed and checked: the CTEs every request-log staging model ends
    with (stg_gateway__requests, stg_litellm__spend_logs, stg_otel__genai_spans,
    stg_bedrock__invocation_logs). `relation` is a CTE holding the canonical fields
    (docs/landing-contract.md#gateway-requests) as text (landing_columns('gateway_requests')) plus _source_file, _source_format and
    _raw_record; each source's model only maps its own format onto those fields. The CTEs cast,
    hash the user id, strip the model id, work out the uncached input and the reporting month,
    and name the first problem found (record_issue), so that every source is quarantined by the
    same rules. Ends with a CTE named `final`. has_model_group: the relation also has a
    `model_group` column, the gateway alias the caller asked for (LiteLLM's model_group).
    Besides the contract fields every source gives gateway_team, earlier_attempts_logged and
    caller_tags (null where it has none).

    Billable quantities besides text tokens (DECISIONS.md, "Billable quantities"): audio and
    image tokens are parts of the tokens they are counted in, as OpenAI reports them:
    input_audio_tokens and input_image_tokens of input_tokens (cached included),
    cache_audio_read_tokens and cache_image_read_tokens of cache_read_tokens and of the audio
    and image input, output_audio_tokens and output_image_tokens of output_tokens. The text
    part is what remains; a record whose parts exceed what they are part of is quarantined.
    Web search and file search calls and code execution sessions are counts of their own.
    An absent count is 0.
#}
{% macro canonical_request_ctes(relation, source_system, has_model_group=false) -%}
{%- set extra_quantities = [
    'input_audio_tokens', 'cache_audio_read_tokens', 'output_audio_tokens', 'input_image_tokens',
    'cache_image_read_tokens', 'output_image_tokens', 'web_search_calls', 'file_search_calls',
    'code_execution_sessions',
] -%}
renamed as (
    select
        ----------  ids
        {{ clean_text('request_id') }} as request_id,
        {{ clean_text('original_request_id') }} as original_request_id,
        -- A value that looks like a secret key is never stored: it is replaced by its hash.
        case
            when {{ looks_like_secret(clean_text('api_key_id')) }}
                then {{ dbt.concat(["'secret-hash:'", dbt.hash(clean_text('api_key_id'))]) }}
            else {{ clean_text('api_key_id') }}
        end as api_key_id,
        {{ clean_text('unit_id') }} as unit_id,
        {{ clean_text('prompt_template_id') }} as prompt_template_id,
        {{ clean_text('trace_id') }} as trace_id,
        {{ clean_text('provider_response_id') }} as provider_response_id,
        case
            when {{ clean_text('user_id') }} is not null
                then {{ dbt.hash(clean_text('user_id')) }}
        end as user_id_hash,

        ----------  provider and model as logged
        {{ clean_text('provider') }} as provider_logged,
        lower({{ clean_text('provider') }}) as provider_lookup_key,
        {{ clean_text('model') }} as model_logged,
        lower({{ clean_text('request_type') }}) as request_type,

        ----------  tags as sent by the caller
        {{ clean_text('team') }} as team_tag,
        {{ clean_text('product') }} as product_tag,
        lower({{ clean_text('environment') }}) as environment_tag,
        {{ clean_text('scenario') }} as scenario_tag,
        {{ clean_text('cost_center') }} as cost_center_tag,
        -- the extra tags of chargeback__extra_tags, as a JSON object
        caller_tags,

        ----------  what the gateway itself says
        -- the team the gateway gives the key (LiteLLM's team alias or team id)
        {{ clean_text('gateway_team') }} as gateway_team,
        -- false where the log holds only a call's last attempt (LiteLLM): its earlier, failed
        -- attempts left no record
        coalesce({{ to_bool('earlier_attempts_logged') }}, true) as earlier_attempts_logged,

        ----------  numerics
        {{ dbt.safe_cast(clean_text('attempt_number'), dbt.type_int()) }} as attempt_number,
        {{ dbt.safe_cast(clean_text('status_code'), dbt.type_int()) }} as status_code,
        {{ to_token_count('input_tokens') }} as input_tokens,
        coalesce({{ to_token_count('cache_read_tokens') }}, 0) as cache_read_tokens,
        coalesce({{ to_token_count('cache_write_tokens') }}, 0) as cache_write_tokens,
        coalesce({{ to_token_count('cache_write_1h_tokens') }}, 0) as cache_write_1h_tokens,
        coalesce({{ to_token_count('output_tokens') }}, 0) as output_tokens,
        coalesce({{ to_token_count('reasoning_tokens') }}, 0) as reasoning_tokens,
        {%- for quantity in extra_quantities %}
            coalesce({{ to_token_count(quantity) }}, 0) as {{ quantity }},
            {{ clean_text(quantity) }} as {{ quantity }}_landed,
        {%- endfor %}
        {{ dbt.safe_cast(clean_text('gateway_cost_usd'), type_money()) }} as gateway_cost_usd,

        ----------  booleans
        coalesce({{ to_bool('is_batch') }}, false) as is_batch,
        coalesce({{ to_bool('gateway_cache_hit') }}, false) as is_gateway_cache_hit,

        ----------  timestamps
        {{ parse_utc_timestamp(clean_text('occurred_at')) }} as occurred_at,

        ----------  lineage of the record
        '{{ source_system }}' as source_system,
        {% if has_model_group -%}
            {{ clean_text('model_group') }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as model_group,
        _source_file as source_file,
        _source_format as source_format,
        {{ dbt.safe_cast('_source_line', dbt.type_int()) }} as source_line,
        _raw_record as raw_record,
        {{ clean_text('occurred_at') }} as occurred_at_landed,
        {{ clean_text('input_tokens') }} as input_tokens_landed,
        {{ clean_text('cache_read_tokens') }} as cache_read_tokens_landed,
        {{ clean_text('cache_write_tokens') }} as cache_write_tokens_landed,
        {{ clean_text('cache_write_1h_tokens') }} as cache_write_1h_tokens_landed,
        {{ clean_text('output_tokens') }} as output_tokens_landed,
        {{ clean_text('reasoning_tokens') }} as reasoning_tokens_landed
    from {{ relation }}
),

normalised as (
    select
        *,
        -- Model ids lose a provider prefix ('openai/gpt-4o'), a Bedrock cross-region prefix
        -- ('us.anthropic.claude-...') and a Bedrock version suffix (':0'); gateway aliases
        -- and dated ids are resolved against model_aliases downstream.
        {{ strip_model_id('lower(model_logged)') }} as model_lookup_key,
        input_tokens
        - cache_read_tokens
        - cache_write_tokens
        - cache_write_1h_tokens as uncached_input_tokens,
        {{ utc_to_local('occurred_at', var('chargeback__reporting_timezone')) }} as occurred_at_local
    from renamed
),

checked as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'occurred_at_local') }} as date) as period_month,
        -- The first problem found decides the quarantine reason; clean records have none.
        case
            when
                source_format in ('jsonl', 'json')
                and request_id is null
                and occurred_at_landed is null
                and provider_logged is null
                and model_logged is null
                then 'malformed record: not a JSON object with the contract fields'
            when request_id is null then 'missing request_id'
            when occurred_at_landed is null then 'missing occurred_at'
            when occurred_at is null then 'unparseable occurred_at'
            when
                occurred_at > {{ dbt.dateadd('hour', var('chargeback__max_future_hours'), utc_now()) }}
                then 'occurred_at in the future'
            when provider_logged is null then 'missing provider'
            when model_logged is null then 'missing model'
            when input_tokens_landed is null then 'missing input_tokens'
            when
                input_tokens is null
                or (cache_read_tokens_landed is not null and {{ to_token_count('cache_read_tokens_landed') }} is null)
                or (cache_write_tokens_landed is not null and {{ to_token_count('cache_write_tokens_landed') }} is null)
                or (cache_write_1h_tokens_landed is not null and {{ to_token_count('cache_write_1h_tokens_landed') }} is null)
                or (output_tokens_landed is not null and {{ to_token_count('output_tokens_landed') }} is null)
                or (reasoning_tokens_landed is not null and {{ to_token_count('reasoning_tokens_landed') }} is null)
                then 'token count not a whole non-negative number'
            when uncached_input_tokens < 0 then 'cache tokens exceed input_tokens'
            when
                {%- for quantity in extra_quantities %}
                ({{ quantity }}_landed is not null and {{ to_token_count(quantity ~ '_landed') }} is null)
                {{- ' or' if not loop.last }}
                {%- endfor %}
                then 'audio, image or tool count not a whole non-negative number'
            when
                cache_audio_read_tokens > input_audio_tokens
                or cache_image_read_tokens > input_image_tokens
                or cache_audio_read_tokens + cache_image_read_tokens > cache_read_tokens
                or (input_audio_tokens - cache_audio_read_tokens) + (input_image_tokens - cache_image_read_tokens)
                > uncached_input_tokens
                or output_audio_tokens + output_image_tokens > output_tokens
                then 'audio and image tokens exceed the tokens they are part of'
        end as record_issue
    from normalised
),

final as (
    select
        {%- for column in canonical_request_columns() %}
            {%- if column == 'attempt_number' %}
                coalesce(attempt_number, 1) as attempt_number,
            {%- else %}
                {{ column }},
            {%- endif %}
        {%- endfor %}
        record_issue
    from checked
)
{%- endmacro %}
