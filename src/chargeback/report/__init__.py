"""The finance month-end pack: one period's workbook, CSV files and charts, from the marts.

Run it after `dbt build` with `python -m chargeback.report --period 2026-10` (or `make report
PERIOD=2026-10`). The tables are the project's analyses (analyses/*.sql, compiled by dbt) and
marts, filtered to the period; amounts are rounded to the currency's minor unit with the
largest-remainder method so that every column still adds up to its total.
"""
