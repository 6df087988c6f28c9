/*
    How far each team's monthly figures can be trusted to charge it, not only show it.

    Shares of the team's ledger spend (cost_reporting) for the month:
      attributable_share  spend whose requests carry every required tag, present and valid;
      key_only_share      spend owned only through the api key (no valid team tag);
      conflict_share      spend whose team tag and key owner disagree;
      shared_key_share    spend sent through a shared key;
      unpriced_share      requests (not spend: their cost is unknown) that could not be priced.
    reconciliation_variance_pct is the team's invoice true-up as a percent of what it was
    invoiced for (allocated ledger + true-up): how much of its charge the ledger did not explain.

    confidence_score (0-100) = 100 x ( 0.50 x attributable_share
                                     + 0.15 x (1 - conflict_share)
                                     + 0.10 x (1 - shared_key_share)
                                     + 0.10 x (1 - unpriced_share)
                                     + 0.15 x max(0, 1 - reconciliation_variance_pct / 10) ),
    a month without an invoice counting as a 10% variance. Chargeback-ready when attributable
    spend >= chargeback__min_attributable_share, the variance < chargeback__max_reconciliation_
    variance_pct, and every production key of the team's products has an owner; UNALLOCATED
    never is. The reason names every condition that fails.
*/

{%- set min_attributable = var('chargeback__min_attributable_share') %}
{%- set max_variance_pct = var('chargeback__max_reconciliation_variance_pct') %}

with

ledger as (
    select * from {{ ref('int_ledger_days_summarised') }}
),

true_ups as (
    select * from {{ ref('int_invoice_true_up_allocated') }}
),

api_keys as (
    select * from {{ ref('api_keys') }}
),

products as (
    select * from {{ ref('products') }}
),

team_months as (
    select
        period_month,
        team_id,
        sum(requests) as requests,
        sum(coalesce(cost_reporting, 0)) as spend,
        sum(case when {{ all_tags_valid(var('chargeback__required_tags')) }} then coalesce(cost_reporting, 0) else 0 end)
            as attributable_spend,
        sum(case when attribution_method = 'key' then coalesce(cost_reporting, 0) else 0 end) as key_only_spend,
        sum(case when has_attribution_conflict then coalesce(cost_reporting, 0) else 0 end) as conflict_spend,
        sum(case when is_shared_key then coalesce(cost_reporting, 0) else 0 end) as shared_key_spend,
        sum(case when is_priced then 0 else requests end) as unpriced_requests
    from ledger
    group by
        period_month,
        team_id
),

invoiced as (
    select
        period_month,
        team_id,
        sum(allocated_invoice_true_up) as invoice_true_up,
        sum(allocated_ledger_cost + allocated_invoice_true_up) as invoiced_amount
    from true_ups
    group by
        period_month,
        team_id
),

unowned_production_keys as (
    select
        team_months.period_month,
        team_months.team_id,
        count(distinct api_keys.api_key_id) as unowned_production_keys
    from team_months
    inner join products
        on team_months.team_id = products.owner_team_id
    inner join api_keys
        on products.product_id = api_keys.product_id
    where
        api_keys.environment = 'prod'
        and api_keys.owner_team_id is null
        and api_keys.valid_from < {{ dbt.dateadd('month', 1, 'team_months.period_month') }}
        and (api_keys.valid_to is null or api_keys.valid_to > team_months.period_month)
    group by
        team_months.period_month,
        team_months.team_id
),

shares as (
    select
        team_months.*,
        invoiced.invoice_true_up,
        invoiced.invoiced_amount,
        coalesce(unowned_production_keys.unowned_production_keys, 0) as unowned_production_keys,
        coalesce(cast(team_months.attributable_spend as {{ type_share() }}) / nullif(team_months.spend, 0), 0)
            as attributable_share,
        coalesce(cast(team_months.key_only_spend as {{ type_share() }}) / nullif(team_months.spend, 0), 0)
            as key_only_share,
        coalesce(cast(team_months.conflict_spend as {{ type_share() }}) / nullif(team_months.spend, 0), 0)
            as conflict_share,
        coalesce(cast(team_months.shared_key_spend as {{ type_share() }}) / nullif(team_months.spend, 0), 0)
            as shared_key_share,
        cast(team_months.unpriced_requests as {{ type_share() }}) / team_months.requests as unpriced_share,
        100 * abs(cast(invoiced.invoice_true_up as {{ type_share() }})) / nullif(invoiced.invoiced_amount, 0)
            as reconciliation_variance_pct
    from team_months
    left join invoiced
        on team_months.period_month = invoiced.period_month
        and team_months.team_id = invoiced.team_id
    left join unowned_production_keys
        on team_months.period_month = unowned_production_keys.period_month
        and team_months.team_id = unowned_production_keys.team_id
),

scored as (
    select
        *,
        {{ round_share(
            '100 * (
                0.50 * attributable_share
                + 0.15 * (1 - conflict_share)
                + 0.10 * (1 - shared_key_share)
                + 0.10 * (1 - unpriced_share)
                + 0.15 * case
                    when coalesce(reconciliation_variance_pct, 10) >= 10 then 0
                    else 1 - coalesce(reconciliation_variance_pct, 10) / 10
                end
            )',
            0
        ) }} as confidence_score,
        team_id = 'UNALLOCATED' as is_unallocated,
        attributable_share < {{ min_attributable }} as fails_attribution,
        reconciliation_variance_pct is null as awaits_invoice,
        reconciliation_variance_pct >= {{ max_variance_pct }} as fails_reconciliation,
        unowned_production_keys > 0 as has_unowned_keys
    from shares
),

final as (
    select
        period_month,
        team_id,
        requests,
        spend,
        attributable_share,
        key_only_share,
        conflict_share,
        shared_key_share,
        unpriced_share,
        reconciliation_variance_pct,
        unowned_production_keys,
        cast(confidence_score as {{ dbt.type_int() }}) as confidence_score,
        coalesce(
            not is_unallocated
            and not fails_attribution
            and not awaits_invoice
            and not fails_reconciliation
            and not has_unowned_keys,
            false
        ) as is_chargeback_ready,
        nullif(
            trim(
                {{ dbt.concat([
                    "case when is_unallocated then 'spend without an owner; ' else '' end",
                    "case when fails_attribution then 'attributable spend ' || " ~ share_text(round_share('100 * attributable_share', 1))
                        ~ " || '% below " ~ (min_attributable * 100) ~ "%; ' else '' end",
                    "case when awaits_invoice then 'awaiting invoice; ' else '' end",
                    "case when fails_reconciliation then 'invoice variance ' || " ~ share_text(round_share('reconciliation_variance_pct', 2))
                        ~ " || '% not under " ~ max_variance_pct ~ "%; ' else '' end",
                    "case when has_unowned_keys then cast(unowned_production_keys as " ~ dbt.type_string()
                        ~ ") || ' production key(s) without an owner; ' else '' end",
                ]) }}
            ),
            ''
        ) as not_ready_reason
    from scored
)

select * from final
