/*
    The AI spend as FOCUS 1.0 charges: the table behind the FOCUS export (python -m
    chargeback.focus, one CSV and Parquet file per billing period), with every FOCUS 1.0
    column under its snake_case name (billed_cost is BilledCost) and the custom columns with
    the x_ prefix (DECISIONS.md, "FOCUS export"; README, "For FinOps practitioners").

    Grain: one row per charge (x_charge_id): a token charge (UTC day x model x token type x
    price x owner x API key), an invoice's own charge (its credits, fees and adjustments
    spread over owners, the invoice true-up per owner, its tax lines), a shared platform cost
    allocated to an owner, or a correction of one of them.

    Money, in the billing currency (the reporting currency):
      - billed_cost ties to the invoices: per provider and billing period, the rows other than
        Tax add up to the invoice (tax excluded, converted at its rate, to the cent), the Tax
        rows to its tax; the shared platform costs of a month add up to its pools. A billing
        period without an invoice bills its token charges until the invoice lands;
      - effective_cost ties to the chargeback: summed by reporting month (x_chargeback_month),
        team, product, environment and charge class, the rows other than Tax are
        fct_team_chargeback's total_charge, exactly.

    Closed periods (seed closed_periods): a closed month's rows keep the effective cost they
    had when it closed (int_closed_focus_charges), as its chargeback does; their billed, list
    and contracted costs and quantities stay the current truth, so billed cost still ties to
    the invoice. What the effective cost of a charge has changed by since is booked as a
    charge of its own with charge_class 'Correction' in the first open month after it
    (x_chargeback_month and the billing period of that month, charge period and
    x_correction_for_period of the month it corrects), with no billed cost: the invoice
    already billed it. Summed by x_chargeback_month and charge class, the corrections are the
    chargeback's Correction rows.
*/

{%- set reporting_timezone = var('chargeback__reporting_timezone') %}
{%- set attributes = [
    'charge_kind', 'billing_month', 'billing_period_start', 'billing_period_end', 'charge_period_start',
    'charge_period_end', 'charge_category', 'charge_frequency', 'charge_description', 'billing_currency',
    'billing_account_id', 'billing_account_name', 'provider_name', 'publisher_name', 'invoice_issuer_name',
    'service_name', 'service_category', 'sub_account_id', 'sub_account_name', 'resource_id', 'resource_name',
    'resource_type', 'sku_id', 'sku_price_id', 'pricing_category', 'pricing_unit', 'consumed_unit',
    'list_unit_price', 'contracted_unit_price', 'tags', 'provider', 'model_id', 'token_type',
    'token_direction', 'token_cache_action', 'cost_type', 'is_priced', 'attribution_method', 'team_id',
    'product_id', 'environment', 'scenario_id', 'cost_center', 'showback_confidence', 'billing_mode',
    'contract_reference', 'invoice_id', 'pricing_currency', 'pricing_to_billing_exchange_rate',
    'allocated_method_id', 'allocated_ratio', 'allocated_method_details', 'allocation_origin_id',
    'allocation_origin_cost',
] %}
{%- set measures = ['pricing_quantity', 'consumed_quantity', 'list_cost', 'contracted_cost', 'billed_cost'] %}
{%- set measure_types = {
    'pricing_quantity': 'decimal(38, 12)',
    'consumed_quantity': 'decimal(38, 6)',
    'list_cost': type_billing_money(),
    'contracted_cost': type_billing_money(),
    'billed_cost': type_billing_money(),
} %}
{%- set columns = ['charge_key', 'period_month'] + attributes + measures + ['effective_cost'] %}

with

computed as (
    select * from {{ ref('int_focus_charges_computed') }}
),

frozen as (
    select * from {{ ref('int_closed_focus_charges') }}
),

closed_periods as (
    select * from {{ ref('closed_periods') }}
),

billing_periods as (
    select * from {{ ref('int_billing_periods') }}
),

-- A month is open until its frozen copy holds rows (macro split_at_closing, shared with the
-- chargeback): open months show their charges as computed, closed ones are compared with it.
{{ split_at_closing('computed', 'frozen', ['open', 'closed']) }},

open_charges as (
    select
        {%- for column in columns %}
            {{ column }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as charge_class,
        cast(null as date) as correction_for_period
    from computed_in_open_periods
),

-- A closed month's charges now and when it closed, side by side: a charge can exist on one
-- side only (a late record, a charge that moved to another owner or price).
closed_sides as (
    select
        coalesce(computed_in_closed_periods.charge_key, frozen.charge_key) as charge_key,
        coalesce(computed_in_closed_periods.period_month, frozen.period_month) as period_month,
        {%- for column in attributes %}
            coalesce(computed_in_closed_periods.{{ column }}, frozen.{{ column }}) as {{ column }},
        {%- endfor %}
        {%- for column in measures %}
            computed_in_closed_periods.{{ column }} as current_{{ column }},
            frozen.{{ column }} as frozen_{{ column }},
        {%- endfor %}
        coalesce(computed_in_closed_periods.effective_cost, 0) as current_effective_cost,
        coalesce(frozen.effective_cost, 0) as frozen_effective_cost
    from computed_in_closed_periods
    full outer join frozen
        on computed_in_closed_periods.charge_key = frozen.charge_key
),

closed_charges as (
    select
        charge_key,
        period_month,
        {%- for column in attributes %}
            {{ column }},
        {%- endfor %}
        {%- for column in measures %}
            case
                when frozen_{{ column }} is null and current_{{ column }} is null then null
                else coalesce(current_{{ column }}, 0)
            end as {{ column }},
        {%- endfor %}
        cast(frozen_effective_cost as {{ type_billing_money() }}) as effective_cost,
        cast(null as {{ dbt.type_string() }}) as charge_class,
        cast(null as date) as correction_for_period
    from closed_sides
),

{{ correction_booking_periods('frozen_periods', 'closed_periods') }},

correction_charges as (
    select
        {{ surrogate_key(['closed_sides.charge_key', "'correction'", 'booking_periods.booked_period_month']) }}
            as charge_key,
        booking_periods.booked_period_month as period_month,
        {%- for column in attributes %}
            {%- if column == 'billing_month' %}
                booking_periods.booked_period_month as billing_month,
            {%- elif column == 'billing_period_start' %}
                case
                    when closed_sides.billing_account_id = 'platform'
                        then {{ local_to_utc(
                            'cast(booking_periods.booked_period_month as ' ~ dbt.type_timestamp() ~ ')', reporting_timezone
                        ) }}
                    else coalesce(
                        billing_periods.starts_at_utc,
                        cast(booking_periods.booked_period_month as {{ dbt.type_timestamp() }})
                    )
                end as billing_period_start,
            {%- elif column == 'billing_period_end' %}
                case
                    when closed_sides.billing_account_id = 'platform'
                        then {{ local_to_utc(
                            'cast(' ~ dbt.dateadd('month', 1, 'booking_periods.booked_period_month') ~ ' as ' ~ dbt.type_timestamp() ~ ')',
                            reporting_timezone
                        ) }}
                    else coalesce(
                        billing_periods.ends_at_utc,
                        cast({{ dbt.dateadd('month', 1, 'booking_periods.booked_period_month') }} as {{ dbt.type_timestamp() }})
                    )
                end as billing_period_end,
            {%- elif column == 'charge_description' %}
                {{ dbt.concat([
                    "'Correction for '",
                    'cast(booking_periods.correction_for_period as ' ~ dbt.type_string() ~ ')',
                    "': '",
                    'closed_sides.charge_description',
                ]) }} as charge_description,
            {%- else %}
                closed_sides.{{ column }},
            {%- endif %}
        {%- endfor %}
        {%- for column in measures %}
            case
                when closed_sides.frozen_{{ column }} is null and closed_sides.current_{{ column }} is null then null
                else cast(0 as {{ measure_types[column] }})
            end as {{ column }},
        {%- endfor %}
        cast(
            closed_sides.current_effective_cost - closed_sides.frozen_effective_cost as {{ type_billing_money() }}
        ) as effective_cost,
        'Correction' as charge_class,
        booking_periods.correction_for_period
    from closed_sides
    inner join booking_periods
        on closed_sides.period_month = booking_periods.correction_for_period
    left join billing_periods
        on closed_sides.provider = billing_periods.provider
        and booking_periods.booked_period_month = billing_periods.billing_period_start
    where closed_sides.current_effective_cost != closed_sides.frozen_effective_cost
),

unioned as (
    select * from open_charges
    union all
    select * from closed_charges
    union all
    select * from correction_charges
),

final as (
    select
        ----------  FOCUS 1.0 columns (snake_case of the FOCUS column id), in FOCUS order
        cast(null as {{ dbt.type_string() }}) as availability_zone,
        billed_cost,
        billing_account_id,
        billing_account_name,
        billing_currency,
        billing_period_end,
        billing_period_start,
        charge_category,
        charge_class,
        charge_description,
        charge_frequency,
        charge_period_end,
        charge_period_start,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_category,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_id,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_name,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_status,
        cast(null as {{ dbt.type_string() }}) as commitment_discount_type,
        consumed_quantity,
        consumed_unit,
        contracted_cost,
        contracted_unit_price,
        effective_cost,
        invoice_issuer_name,
        list_cost,
        list_unit_price,
        pricing_category,
        pricing_quantity,
        pricing_unit,
        provider_name,
        publisher_name,
        cast(null as {{ dbt.type_string() }}) as region_id,
        cast(null as {{ dbt.type_string() }}) as region_name,
        resource_id,
        resource_name,
        resource_type,
        service_category,
        service_name,
        sku_id,
        sku_price_id,
        sub_account_id,
        sub_account_name,
        tags,

        ----------  custom columns
        charge_key as x_charge_id,
        charge_kind as x_charge_kind,
        period_month as x_chargeback_month,
        billing_month as x_billing_month,
        correction_for_period as x_correction_for_period,
        provider as x_provider_id,
        model_id as x_model_id,
        token_type as x_token_type,
        token_direction as x_token_direction,
        token_cache_action as x_token_cache_action,
        cost_type as x_cost_type,
        is_priced as x_is_priced,
        attribution_method as x_attribution_method,
        team_id as x_team_id,
        product_id as x_product_id,
        environment as x_environment,
        scenario_id as x_scenario_id,
        cost_center as x_cost_center,
        showback_confidence as x_showback_confidence,
        billing_mode as x_billing_mode,
        contract_reference as x_contract_reference,
        invoice_id as x_invoice_id,
        pricing_currency as x_pricing_currency,
        pricing_to_billing_exchange_rate as x_pricing_to_billing_exchange_rate,
        allocated_method_id as x_allocated_method_id,
        allocated_method_details as x_allocated_method_details,
        allocated_ratio as x_allocated_ratio,
        allocation_origin_id as x_allocation_origin_id,
        allocation_origin_cost as x_allocation_origin_cost
    from unioned
)

select * from final
