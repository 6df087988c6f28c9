"""Writes the landing files: JSON Lines or Parquet requests by UTC day, CSV invoices and costs."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from chargeback.demo.billing import InvoiceLine
from chargeback.demo.traffic import DAY_MS, Columns

CONTRACT_FIELDS = (
    "request_id",
    "original_request_id",
    "attempt_number",
    "occurred_at",
    "provider",
    "model",
    "api_key_id",
    "request_type",
    "is_batch",
    "status_code",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "gateway_cache_hit",
    "team",
    "product",
    "environment",
    "scenario",
    "cost_center",
    "unit_id",
    "prompt_template_id",
    "user_id",
    "trace_id",
    "provider_response_id",
    "gateway_cost_usd",
)
INTEGER_FIELDS = {
    "attempt_number",
    "status_code",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
}
BOOLEAN_FIELDS = {"is_batch", "gateway_cache_hit"}
INVOICE_HEADER = (
    "invoice_id",
    "provider",
    "billing_period_start",
    "billing_period_end",
    "line_id",
    "line_description",
    "model",
    "token_type",
    "quantity",
    "unit",
    "amount",
    "currency",
    "charge_category",
)


def arrow_table(columns: Columns) -> pa.Table:
    arrays = {}
    for name in CONTRACT_FIELDS:
        values = columns[name]
        if name in INTEGER_FIELDS:
            arrays[name] = pa.array(values, type=pa.int64())
        elif name in BOOLEAN_FIELDS:
            arrays[name] = pa.array(values, type=pa.bool_())
        else:
            arrays[name] = pa.array(values.tolist(), type=pa.string())
    return pa.table(arrays)


def write_requests(columns: Columns, root: Path, file_format: str, start_ms: int) -> int:
    """One file per UTC day under gateway_requests/dt=YYYY-MM-DD/; returns the file count."""
    day = (columns["occurred_ms"] - start_ms) // DAY_MS
    boundaries = np.flatnonzero(np.diff(day)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(day)]])
    files = 0
    for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
        chunk = {name: values[first:last] for name, values in columns.items()}
        folder = root / "gateway_requests" / f"dt={chunk['occurred_at'][0][:10]}"
        folder.mkdir(parents=True, exist_ok=True)
        table = arrow_table(chunk)
        if file_format == "parquet":
            pq.write_table(table, folder / "part-0.parquet", compression="zstd")
        else:
            with (folder / "part-0.jsonl").open("w") as file:
                for record in table.to_pylist():
                    file.write(json.dumps(record, separators=(",", ":")) + "\n")
        files += 1
    return files


def write_invoices(lines: Sequence[InvoiceLine], root: Path) -> int:
    invoices: dict[str, list[InvoiceLine]] = {}
    for line in lines:
        invoices.setdefault(line.invoice_id, []).append(line)
    for invoice_lines in invoices.values():
        first = invoice_lines[0]
        path = (
            root
            / "invoices"
            / first.provider
            / f"{first.provider}_{first.billing_period_start:%Y-%m}.csv"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(INVOICE_HEADER)
            for line in invoice_lines:
                writer.writerow(
                    [
                        line.invoice_id,
                        line.provider,
                        line.billing_period_start,
                        line.billing_period_end,
                        line.line_id,
                        line.line_description,
                        line.model,
                        line.token_type,
                        "" if line.quantity is None else line.quantity,
                        line.unit,
                        f"{line.amount:.2f}",
                        line.currency,
                        line.charge_category,
                    ]
                )
    return len(invoices)


def write_platform_costs(rows: Sequence[tuple], root: Path) -> int:
    by_month: dict[str, list[tuple]] = {}
    for row in rows:
        by_month.setdefault(f"{row[0]:%Y-%m}", []).append(row)
    for month, month_rows in by_month.items():
        path = root / "platform_costs" / f"platform_costs_{month}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(("period_month", "cost_pool", "amount", "currency", "description"))
            for period_month, pool, amount, currency, description in month_rows:
                writer.writerow((period_month, pool, f"{amount:.2f}", currency, description))
    return len(by_month)
