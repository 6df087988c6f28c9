/*
    The priced request ledger, as kept: one row per provider call attempt that landed clean,
    published as fct_request_costs.

    Currency (docs/accounting-rules.md#currency-and-time): the cost is computed in the price's currency and converted to
    USD and to the reporting currency with the rate of `chargeback__fx_policy`:
      - monthly_fixed: the rate of the first day of the request's period_month;
      - daily: the rate of the request's day in the reporting time zone.
    A rate comes from int_fx_rates_daily (published or carried forward a few days). When the
    price currency already is the target currency the rate is 1 by definition. A priced row
    without a rate keeps null converted costs and fails the FX coverage test. Converted
    amounts are exact products (decimal(38,20)), not rounded per row.

    Incremental (DECISIONS.md, "Reliability"): a run prices the clean records loaded since the
    ledger's latest loaded_at, and re-prices the last `chargeback__incremental_lookback_days` of
    calls when the reference data changed (late FX rates and ownership changes: the
    reference_data_fingerprint of the run differs from the one of the ledger's latest run),
    replacing rows by request_id (strategy by engine: ledger_incremental_strategy). A
    re-priced row that comes out as the ledger already has it is left alone (rows_to_write),
    so priced_at is when a row last changed and a quiet lookback day costs no write. Before
    the run, a row whose call is no longer counted from its record (a preferred source logged
    it since) is removed: its match key's first delivery is now another request id (macro
    delete_superseded_ledger_rows, which checks only the keys changed since the ledger's
    latest loaded_at). Landed files are
    append-only; changes older than the lookback (a new price catalogue, say) need
    `--full-refresh`, and closed periods keep their chargeback whatever the ledger does.
*/

{{ config(
    materialized='incremental',
    unique_key='request_id',
    incremental_strategy=ledger_incremental_strategy(),
    partition_by=ledger_partition_by('period_month'),
    on_schema_change='append_new_columns',
    pre_hook=[
        "{{ delete_superseded_ledger_rows(this, ref('int_request_first_deliveries')) }}",
    ],
) }}
-- depends_on: {{ ref('int_request_first_deliveries') }}

{#- what this run prices: the lookback days and the records loaded since the last run #}
{%- set plan = ledger_run_plan(this) %}

{%- set reporting_currency = var('chargeback__reporting_currency') %}
{%- set fx_policy = var('chargeback__fx_policy') %}
{%- set fx_rate_date = 'period_month' if fx_policy == 'monthly_fixed' else 'cast(occurred_at_local as date)' %}
{%- if fx_policy not in ['monthly_fixed', 'daily'] %}
    {{ exceptions.raise_compiler_error("chargeback__fx_policy must be monthly_fixed or daily, not '" ~ fx_policy ~ "'") }}
{%- endif %}

with

requests as (
    {%- if is_incremental() and ledger_incremental_strategy() == 'insert_overwrite' %}
        -- every call of each month the run overwrites (ledger_months_to_rebuild)
        select * from {{ ref('int_requests_priced') }}
        where {{ ledger_months_to_rebuild(this, ref('int_requests_priced'), ref('int_request_first_deliveries'), plan.lookback_start, plan.new_records) }}
    {%- elif plan.lookback_start is none %}
        select * from {{ ref('int_requests_priced') }}
        where {{ plan.new_records }}
    {%- else %}
        -- the calls of the lookback days
        select * from {{ ref('int_requests_priced') }}
        where occurred_at >= {{ plan.lookback_start }}
        union all
        -- older calls of the records loaded since the ledger last ran (late files)
        select * from {{ ref('int_requests_priced') }}
        where occurred_at < {{ plan.lookback_start }} and ({{ plan.new_records }})
    {%- endif %}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_daily') }}
),

billing_periods as (
    select * from {{ ref('int_billing_periods') }}
),

-- A billing period overlaps at most two UTC months (its zone is less than a day from UTC):
-- listing it under each lets a request find its period by (provider, UTC month) equality, and
-- its range among two candidates, instead of among every month of the provider.
billing_periods_by_utc_month as (
    select
        provider,
        billing_period_start,
        starts_at_utc,
        ends_at_utc,
        cast({{ dbt.date_trunc('month', 'starts_at_utc') }} as date) as utc_month
    from billing_periods
    union
    select
        provider,
        billing_period_start,
        starts_at_utc,
        ends_at_utc,
        cast({{ dbt.date_trunc('month', 'ends_at_utc') }} as date) as utc_month
    from billing_periods
),

rate_dates_chosen as (
    select
        requests.*,
        {{ fx_rate_date }} as fx_rate_date,
        -- The provider bills by calendar month in its own billing time zone (UTC if unknown).
        coalesce(
            billing_periods.billing_period_start,
            cast({{ dbt.date_trunc('month', 'requests.occurred_at') }} as date)
        ) as billing_period_start
    from requests
    left join billing_periods_by_utc_month as billing_periods
        on requests.provider = billing_periods.provider
        and cast({{ dbt.date_trunc('month', 'requests.occurred_at') }} as date) = billing_periods.utc_month
        and requests.occurred_at >= billing_periods.starts_at_utc
        and requests.occurred_at < billing_periods.ends_at_utc
),

converted as (
    select
        rate_dates_chosen.*,
        {{ fx_rate_or_one('rate_dates_chosen.price_currency', "'" ~ reporting_currency ~ "'", 'to_reporting.rate') }} as fx_rate,
        {{ fx_rate_or_one('rate_dates_chosen.price_currency', "'USD'", 'to_usd.rate') }} as fx_rate_to_usd
    from rate_dates_chosen
    left join fx_rates as to_reporting
        on rate_dates_chosen.price_currency = to_reporting.from_currency
        and to_reporting.to_currency = '{{ reporting_currency }}'
        and rate_dates_chosen.fx_rate_date = to_reporting.rate_date
    left join fx_rates as to_usd
        on rate_dates_chosen.price_currency = to_usd.from_currency
        and to_usd.to_currency = 'USD'
        and rate_dates_chosen.fx_rate_date = to_usd.rate_date
),

priced_rows as (
    select
        ----------  ids
        request_id,
        original_request_id,
        attempt_number,
        api_key_id,
        unit_id,
        prompt_template_id,
        trace_id,
        provider_response_id,
        user_id_hash,

        ----------  when
        occurred_at,
        occurred_at_local,
        period_month,
        billing_period_start,

        ----------  what was called: the chain from log to price row
        provider_logged,
        provider,
        model_logged,
        model_alias,
        model_deployment,
        deployment_type,
        deployment_region,
        capacity_pool,
        model_canonical,
        price_model,
        fine_tune_id,
        catalogue_match_rule_id,
        price_provider,
        request_type,
        is_batch,
        price_processing,
        price_tier_above_input_tokens,
        price_row_id,
        price_source,
        price_source_kind,
        price_catalogue_version,
        contract_row_id,
        contract_reference,
        discount_pct as contract_discount_pct,
        status_code,
        cost_type,
        unlogged_failed_attempts,

        ----------  who owns it
        team_id,
        product_id,
        environment,
        scenario_id,
        cost_center,
        attribution_method,
        has_attribution_conflict,
        is_shared_key,
        team_tag,
        team_tag_status,
        product_tag_status,
        environment_tag_status,
        scenario_tag_status,
        gateway_team,
        cost_center_tag,
        cost_center_tag_status,
        caller_tags,

        ----------  tokens
        input_tokens,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_tokens,
        cache_write_1h_tokens,
        output_tokens,
        reasoning_tokens,

        ----------  money
        price_currency,
        cost_price_currency,
        {{ convert_currency('cost_price_currency', 'fx_rate_to_usd') }} as cost_usd,
        {{ convert_currency('cost_price_currency', 'fx_rate') }} as cost_reporting,
        list_cost,
        contracted_cost,
        {{ convert_currency('list_cost', 'fx_rate_to_usd') }} as list_cost_usd,
        {{ convert_currency('contracted_cost', 'fx_rate_to_usd') }} as contracted_cost_usd,
        {{ convert_currency('cache_savings_price_currency', 'fx_rate_to_usd') }} as cache_savings_usd,
        {{ convert_currency('cache_savings_price_currency', 'fx_rate') }} as cache_savings_reporting,
        '{{ reporting_currency }}' as reporting_currency,
        fx_rate,
        fx_rate_to_usd,
        fx_rate_date,
        gateway_cost_usd,

        ----------  flags
        is_gateway_cache_hit,
        is_priced,
        unpriced_reason,

        ----------  lineage
        source_system,
        source_file,
        loaded_at,

        ----------  billable quantities besides text tokens (parts of the token counts above,
        ----------  or counts of their own) and what they cost (price currency, contracted;
        ----------  parts of cost_price_currency)
        coalesce(input_audio_tokens, 0) as input_audio_tokens,
        coalesce(cache_audio_read_tokens, 0) as cache_audio_read_tokens,
        coalesce(output_audio_tokens, 0) as output_audio_tokens,
        coalesce(input_image_tokens, 0) as input_image_tokens,
        coalesce(cache_image_read_tokens, 0) as cache_image_read_tokens,
        coalesce(output_image_tokens, 0) as output_image_tokens,
        coalesce(web_search_calls, 0) as web_search_calls,
        coalesce(file_search_calls, 0) as file_search_calls,
        coalesce(code_execution_sessions, 0) as code_execution_sessions,
        audio_image_token_cost,
        tool_call_cost,
        request_fee_cost
    from converted
),

-- A re-priced row that comes out as the ledger already has it is not written again: only new
-- rows and rows whose figures or owner changed reach the ledger (and get a new priced_at).
rows_to_write as (
    {%- if plan.compared_columns %}
        select {{ plan.compared_columns | join(', ') }} from priced_rows
        except
        select {{ plan.compared_columns | join(', ') }} from {{ this }}
        where occurred_at >= {{ plan.lookback_start }}
    {%- else %}
        select * from priced_rows
    {%- endif %}
),

final as (
    select
        *,
        {{ utc_now() }} as priced_at,
        '{{ plan.fingerprint }}' as reference_data_fingerprint
    from rows_to_write
)

select * from final
