"""`python -m chargeback.prices [--seeds DIR]`: regenerate the catalogue seeds."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable
from pathlib import Path

import genai_prices
from genai_prices import data_snapshot

from chargeback.prices import catalogue, matching


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, str]]) -> int:
    """Write rows with Unix line ends; returns the number of rows written."""
    count = 0
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(seeds_dir: Path) -> dict[str, int]:
    """Write model_prices.csv and model_match_rules.csv; returns the catalogue's size."""
    providers = data_snapshot.get_snapshot().providers
    version = genai_prices.__version__
    prices = list(catalogue.price_rows(providers, version))
    rules = list(matching.rule_rows(providers, version))
    write_csv(seeds_dir / "model_prices.csv", catalogue.COLUMNS, prices)
    write_csv(seeds_dir / "model_match_rules.csv", matching.COLUMNS, rules)
    priced_models = {(row["provider"], row["model"]) for row in prices}
    return {
        "providers": len(providers),
        "models": sum(len(provider.models) for provider in providers),
        "priced_models": len(priced_models),
        "price_rows": len(prices),
        "batch_rows": sum(row["processing"] == "batch" for row in prices),
        "tier_rows": sum(row["above_input_tokens"] != "0" for row in prices),
        "rules": len({(row["provider"], row["rule_id"]) for row in rules}),
        "rule_conditions": len(rules),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    args = parser.parse_args()
    size = generate(args.seeds)
    version = genai_prices.__version__
    print(f"genai-prices {version}: " + ", ".join(f"{v} {k}" for k, v in size.items()))


if __name__ == "__main__":
    main()
