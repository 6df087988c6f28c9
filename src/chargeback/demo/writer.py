"""Writes the landing files: JSON Lines or Parquet requests by UTC day, CSV invoices and costs."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chargeback.demo import formatting
from chargeback.demo.billing import InvoiceLine
from chargeback.demo.labels import LABELS
from chargeback.demo.traffic import DAY_MS, Columns

WRITER_THREADS = min(4, os.cpu_count() or 1)

TOKEN_FIELDS = (
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
)
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
    *TOKEN_FIELDS,
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
INTEGER_FIELDS = {"attempt_number", "status_code", *TOKEN_FIELDS}
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


def _ids(columns: Columns, rows: slice) -> dict[str, pa.Array]:
    """The text ids of the requests at `rows`, from their positions and numbers."""
    position = np.arange(rows.start, rows.stop)
    original = columns["original_row"][rows]
    trace_id = formatting.padded("tr", position, 12)
    response_prefix = pa.array(["msg_", "chatcmpl-"]).take(
        pa.array(
            np.isin(columns["provider"][rows], LABELS.codes(["openai", "OpenAI"])).astype(np.int8)
        )
    )
    user_numbers = columns["user_number"][rows]
    users = pa.array([f"u_{number}" for number in range(int(user_numbers.max(initial=0)) + 1)])
    return {
        "request_id": formatting.padded("req-", position + 1, 9),
        "original_request_id": formatting.padded("req-", original + 1, 9, valid=original >= 0),
        "occurred_at": formatting.timestamps(columns["occurred_ms"][rows]),
        "unit_id": pc.binary_join_element_wise(
            LABELS.arrow(columns["unit_prefix"][rows]),
            formatting.padded("-", columns["unit_number"][rows], 8),
            "",
        ),
        "user_id": users.take(pa.array(user_numbers)),
        "trace_id": trace_id,
        "provider_response_id": pc.binary_join_element_wise(response_prefix, trace_id, ""),
        "gateway_cost_usd": pa.array(columns["gateway_cost_usd"][rows], from_pandas=True).cast(
            pa.string()
        ),
    }


def contract_table(columns: Columns, first: int, last: int) -> pa.Table:
    """The landing contract's fields of the requests at positions first to last (excluded)."""
    rows = slice(first, last)
    ids = _ids(columns, rows)
    arrays = {}
    for name in CONTRACT_FIELDS:
        if name in ids:
            arrays[name] = ids[name]
        elif name in INTEGER_FIELDS:
            arrays[name] = pa.array(columns[name][rows], type=pa.int64())
        elif name in BOOLEAN_FIELDS:
            arrays[name] = pa.array(columns[name][rows], type=pa.bool_())
        else:
            arrays[name] = LABELS.arrow(columns[name][rows])
    return pa.table(arrays)


def day_ranges(day: np.ndarray) -> list[tuple[int, int]]:
    """(first, last excluded) of each run of equal days in `day`, which is sorted."""
    boundaries = np.flatnonzero(np.diff(day)) + 1
    starts = np.concatenate([[0], boundaries]).tolist()
    ends = np.concatenate([boundaries, [len(day)]]).tolist()
    return list(zip(starts, ends, strict=True))


def _write_day(columns: Columns, first: int, last: int, folder: Path, file_format: str) -> None:
    table = contract_table(columns, first, last)
    folder.mkdir(parents=True, exist_ok=True)
    if file_format == "parquet":
        pq.write_table(table, folder / "part-0.parquet", compression="zstd")
    else:
        with (folder / "part-0.jsonl").open("w") as file:
            for record in table.to_pylist():
                file.write(json.dumps(record, separators=(",", ":")) + "\n")


def write_requests(columns: Columns, root: Path, file_format: str, start_ms: int) -> int:
    """One file per UTC day under gateway_requests/dt=YYYY-MM-DD/; returns the file count.

    Days are counted from start_ms; a day's folder is named after the date of its first
    request. Days are built and written on WRITER_THREADS threads (Arrow and Parquet release
    the GIL), one day's table at a time in each.
    """
    days = day_ranges((columns["occurred_ms"] - start_ms) // DAY_MS)
    folders = {}
    for first, last in days:  # should two days name one folder, the later one's file is kept
        date = np.datetime_as_string(columns["occurred_ms"][first].astype("datetime64[ms]"), "D")
        folders[root / "gateway_requests" / f"dt={date}"] = (first, last)
    with ThreadPoolExecutor(WRITER_THREADS) as pool:
        written = [
            pool.submit(_write_day, columns, first, last, folder, file_format)
            for folder, (first, last) in folders.items()
        ]
        for future in written:
            future.result()
    return len(days)


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
