"""Data validation of the warehouse with Great Expectations (GX 1.x, pandas datasource).

The suites are generated from the dbt project (`target/manifest.json`), so that every rule has
one source: each dbt data test on a validated model (every mart, and the landing data through
its staging model) becomes the GX expectation that says the same, the contracts become the
expected columns and data types, and what cannot be translated is listed with its reason.
Only what dbt tests cannot say is written here: months against the months before them
(`history`). The relations are read from DuckDB into pandas, validated, and a Data Docs site
is written under `target/data_docs/`. Run it with `python -m chargeback.validation`.

Modules: `manifest` (the dbt project), `translate` (a dbt test as expectations), `datatypes`
(the contract's types), `history` (the checks against history), `suites` (the plan of every
suite), `checks` (what a suite is made of), `reader` (DuckDB to pandas), `context` (the GX
context), `run` (the checkpoints), `outcomes` (results as plain data), `report` (the text).
"""

from chargeback.validation.run import ValidationRun, run_validation

__all__ = ["ValidationRun", "run_validation"]
