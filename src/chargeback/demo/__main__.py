"""python -m chargeback.demo --requests N --seed S --out DIR [--format ...] [--log-format ...]"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from chargeback.demo.generate import DemoConfig, generate


def main() -> None:
    parser = argparse.ArgumentParser(description="Writes the demo company's landing data.")
    parser.add_argument("--requests", type=int, default=150_000, help="about how many attempts")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--out", type=Path, default=Path(os.environ.get("CHARGEBACK_LANDING_DIR", "data/landing"))
    )
    parser.add_argument("--format", choices=("jsonl", "parquet", "auto"), default="auto")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 8, 1))
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--seeds-dir", type=Path, default=Path("seeds"))
    parser.add_argument("--force", action="store_true", help="replace existing landing data")
    parser.add_argument(
        "--log-format",
        choices=("canonical", "litellm", "otel"),
        default="canonical",
        help="write the requests as the canonical gateway log, LiteLLM spend logs or OTel spans",
    )
    arguments = parser.parse_args()
    config = DemoConfig(
        requests=arguments.requests,
        seed=arguments.seed,
        out=arguments.out,
        file_format=arguments.format,
        start=arguments.start,
        months=arguments.months,
        seeds_dir=arguments.seeds_dir,
        force=arguments.force,
        log_format=arguments.log_format,
    )
    print(generate(config))


if __name__ == "__main__":
    main()
