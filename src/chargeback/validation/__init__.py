"""Data validation of the warehouse with Great Expectations (GX 1.x, pandas datasource).

The landing data (through the typed staging model) and the marts are read from DuckDB into
pandas DataFrames and validated against the suites of `suites.py`; a Data Docs site is written
under `target/data_docs/`. Run it with `python -m chargeback.validation`.

Modules: `specs` (what a suite is, the rule helpers), `suites` (the suites), `reader` (DuckDB
to pandas), `frames` (exact ties, Decimal to float), `context` (the GX context), `run` (the
checkpoints), `outcomes` (results as plain data), `report` (the printed summary).
"""

from chargeback.validation.run import ValidationRun, run_validation
from chargeback.validation.suites import SUITES

__all__ = ["SUITES", "ValidationRun", "run_validation"]
