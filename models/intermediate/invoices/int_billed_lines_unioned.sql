/*
    Every line a provider bills or reports, in one shape, whatever document it came from.

    Sources: the provider invoices (source_system = 'invoice') and the providers' daily cost
    exports (openai_cost_export: the Costs API; anthropic_cost_export: the cost report), each
    shaped as invoice lines in staging, with a document per provider and billing month.

    The model on a line is resolved the way the ledger resolves a logged model: the id with its
    provider prefix and version suffix stripped (staging), then model_aliases effective on the
    billing period's first day, the provider's own aliases before any-provider aliases
    (docs/accounting-rules.md#model-and-provider-resolution), then the price catalogue's matching rules (model_match_rules), as in
    int_requests_resolved. A line without a model (discounts, credits, fees, tax) keeps a null model.

    The invoice is the financial truth: is_chosen_source marks the lines that speak for their
    provider and billing period, the invoice's when there is one, else the best other source
    (a provider's own cost report stands in until its invoice lands).

    token_type is the quantity vocabulary (DECISIONS.md, "Quantity types"): the four token
    types the ledger logs, audio and image tokens, tool calls and sessions, request fees, and
    capacity (a reservation of provisioned throughput, compared with the capacity pools); any
    other value is `other`. A cost export's line keeps how it was read (line_reading: model
    tokens, tool calls, ungrouped, an unrecognised line item form, ...).
*/

-- A table, not a view: the invoice summary, the line reconciliation and the FOCUS invoice
-- charges read these lines, and as a view each of them parsed the landed invoices and cost
-- exports again (DECISIONS.md, "Performance").
{{ config(materialized='table') }}

{#- the quantity vocabulary (DECISIONS.md, "Quantity types"); anything else is `other` #}
{%- set token_types = [
    'input', 'cache_read', 'cache_write', 'output', 'input_audio', 'output_audio', 'input_image',
    'output_image', 'web_search', 'file_search', 'code_execution', 'request', 'capacity',
] %}
{#- each source's lines: its CTE, its name, its document, how a line was read (a cost export's own reading) #}
{%- set billing_period_text = 'cast(billing_period_start as ' ~ dbt.type_string() ~ ')' %}
{%- set line_sources = [
    ('invoice_lines', 'invoice', 'invoice_id', 'cast(null as ' ~ dbt.type_string() ~ ')'),
    (
        'openai_cost_lines', 'openai_cost_export',
        dbt.concat(["'openai_cost_export:'", 'provider', "':'", billing_period_text]), 'line_reading',
    ),
    (
        'anthropic_cost_lines', 'anthropic_cost_export',
        dbt.concat(["'anthropic_cost_export:'", 'provider', "':'", billing_period_text]), 'line_reading',
    ),
] %}

with

invoice_lines as (
    select * from {{ ref('stg_invoices__invoice_lines') }}
    where record_issue is null
),

-- the cost exports' readable lines: superseded days, unreadable amounts and empty buckets
-- stay in staging (record_issue names them)
openai_cost_lines as (
    select * from {{ ref('stg_openai__costs') }}
    where record_issue is null and not is_empty_bucket
),

anthropic_cost_lines as (
    select * from {{ ref('stg_anthropic__costs') }}
    where record_issue is null and not is_empty_bucket
),

model_aliases as (
    select * from {{ ref('model_aliases') }}
),

unioned as (
    {%- for lines, source_system, document_id, line_reading in line_sources %}
        select
            '{{ source_system }}' as source_system,
            {{ document_id }} as document_id,
            line_id,
            provider,
            billing_period_start,
            billing_period_end,
            line_description,
            model as model_billed,
            model_lookup_key,
            token_type,
            {{ line_reading }} as line_reading,
            quantity,
            unit,
            amount,
            currency,
            charge_category,
            source_file
        from {{ lines }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

models_resolved as (
    {{ model_aliases_resolved('unioned', 'model_aliases', 'unioned.billing_period_start') }}
),

models_matched as (
    {{ catalogue_models_matched('models_resolved') }}
),

final_columns as (
    select
        {{ surrogate_key(['source_system', 'document_id', 'line_id']) }} as billed_line_id,
        source_system,
        document_id,
        line_id,
        provider,
        billing_period_start,
        billing_period_end,
        line_description,
        model_billed,
        model_canonical,
        case
            when token_type in ({{ "'" ~ token_types | join("', '") ~ "'" }}) then token_type
            else 'other'
        end as token_type,
        line_reading,
        quantity,
        unit,
        amount,
        currency,
        charge_category,
        source_file,
        case when source_system = 'invoice' then 1 else 2 end as source_rank
    from models_matched
),

chosen_sources_marked as (
    select
        final_columns.*,
        final_columns.source_rank = min(final_columns.source_rank) over (
            partition by final_columns.provider, final_columns.billing_period_start
        ) as is_chosen_source
    from final_columns
)

select * from chosen_sources_marked
