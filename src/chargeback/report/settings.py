"""The project variables the pack states in its header and Method sheet (dbt_project.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Settings:
    """The accounting settings in force, as dbt_project.yml declares them."""

    reporting_currency: str
    reporting_timezone: str
    fx_policy: str
    required_tags: list[str]
    min_tagged_spend_share: float
    min_attributable_share: float
    max_reconciliation_variance_pct: float
    reconciliation_matched_pct: float
    max_unpriced_share: float

    @classmethod
    def from_project(cls, project_dir: Path) -> Settings:
        variables: dict[str, Any] = yaml.safe_load((project_dir / "dbt_project.yml").read_text())[
            "vars"
        ]

        def value(name: str) -> Any:
            return variables[f"chargeback__{name}"]

        return cls(
            reporting_currency=str(value("reporting_currency")),
            reporting_timezone=str(value("reporting_timezone")),
            fx_policy=str(value("fx_policy")),
            required_tags=list(value("required_tags")),
            min_tagged_spend_share=float(value("min_tagged_spend_share")),
            min_attributable_share=float(value("min_attributable_share")),
            max_reconciliation_variance_pct=float(value("max_reconciliation_variance_pct")),
            reconciliation_matched_pct=float(value("reconciliation_matched_pct")),
            max_unpriced_share=float(value("max_unpriced_share")),
        )
