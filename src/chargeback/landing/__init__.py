"""The load step of the engines that cannot read the landing files themselves (Postgres, Spark).

DuckDB reads the landed files in place: the `create_landing_relations` hook makes one view per
landed entity. On another engine the same records must be in tables of the same shape before
dbt runs. This package makes them so: it runs the DuckDB hook in a DuckDB file of its own
(`stage`), then copies every landing view, row for row and as text, into the engine's landing
schema (`postgres.load`, `spark.load`). Staging therefore reads identical records everywhere.

    python -m chargeback.landing --target postgres   # or spark
"""
