"""The FOCUS 1.0 columns and how the mart's columns are named in the export.

`marts.fct_focus_costs` names every FOCUS column in snake_case (billed_cost) and every custom
column with an x_ prefix (x_model_id); the export writes the FOCUS column ids (BilledCost,
x_ModelId). The validator's FOCUS 1.0 rule set checks four columns under other names than
the specification's column ids, so the export also carries those four as copies
(VALIDATOR_ALIASES, DECISIONS.md "FOCUS export").
"""

from __future__ import annotations

FOCUS_VERSION = "1.0"

# The columns of FOCUS 1.0 (column ids, as the specification names them).
FOCUS_COLUMNS: tuple[str, ...] = (
    "AvailabilityZone",
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "CommitmentDiscountCategory",
    "CommitmentDiscountId",
    "CommitmentDiscountName",
    "CommitmentDiscountStatus",
    "CommitmentDiscountType",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "RegionName",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
)

# FOCUS columns of data type Decimal: written as IEEE 754 doubles in Parquet (the FOCUS
# numeric format) and with a decimal point in CSV.
DECIMAL_COLUMNS: frozenset[str] = frozenset(
    {
        "BilledCost",
        "ConsumedQuantity",
        "ContractedCost",
        "ContractedUnitPrice",
        "EffectiveCost",
        "ListCost",
        "ListUnitPrice",
        "PricingQuantity",
    }
)

# Copies the export adds for focus-validator 1.0.0, whose FOCUS 1.0 rule set reads these
# columns under the names on the left where the FOCUS 1.0 column ids are the names on the
# right: it requires Provider, Publisher, InvoiceIssuer (the display names) and ResourceID,
# and its SkuPriceId rule reads ChargeType, the pre-1.0 name of ChargeCategory.
VALIDATOR_ALIASES: dict[str, str] = {
    "Provider": "ProviderName",
    "Publisher": "PublisherName",
    "InvoiceIssuer": "InvoiceIssuerName",
    "ResourceID": "ResourceId",
    "ChargeType": "ChargeCategory",
}

CUSTOM_PREFIX = "x_"


def pascal_case(snake: str) -> str:
    """'sku_price_id' -> 'SkuPriceId'."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def focus_name(column: str) -> str:
    """The export's name of a mart column: the FOCUS column id, or x_ and Pascal case.

    Fails when a column without the x_ prefix is not a FOCUS 1.0 column, so a mart column
    cannot reach the export under a name FOCUS does not define.
    """
    if column.startswith(CUSTOM_PREFIX):
        return CUSTOM_PREFIX + pascal_case(column[len(CUSTOM_PREFIX) :])
    name = pascal_case(column)
    if name not in FOCUS_COLUMNS:
        raise ValueError(f"{column!r} is neither a FOCUS {FOCUS_VERSION} column nor an x_ column")
    return name


def export_columns(mart_columns: list[str]) -> list[str]:
    """The export's column names for the mart's columns, in order, checked complete.

    Every FOCUS 1.0 column must be among them; the validator's aliases are appended after
    the FOCUS columns and before the custom columns, by the caller.
    """
    names = [focus_name(column) for column in mart_columns]
    missing = [column for column in FOCUS_COLUMNS if column not in names]
    if missing:
        raise ValueError(f"the mart lacks FOCUS {FOCUS_VERSION} columns: {', '.join(missing)}")
    return names
