"""Where the warehouse lives and how tools open it (read-only, after dbt has released it)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from chargeback.landing.duckdb_functions import register

DEFAULT_DATABASE = Path("warehouse/chargeback.duckdb")


def database_path() -> Path:
    """The DuckDB file dbt builds into: CHARGEBACK_DUCKDB_PATH, else the profile's default."""
    return Path(os.environ.get("CHARGEBACK_DUCKDB_PATH", str(DEFAULT_DATABASE)))


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Opens the warehouse for reading; fails clearly when it has not been built yet. The
    landing functions are registered, so that the landing and staging views can be read."""
    target = path or database_path()
    if not target.exists():
        raise FileNotFoundError(f"no warehouse at {target}: run `make demo` (or `dbt build`) first")
    return register(duckdb.connect(str(target), read_only=True))
