"""The FOCUS export: the warehouse's FOCUS charges as one CSV and Parquet file per billing
period (`export`), checked with the FinOps Foundation's focus-validator (`validate`)."""
