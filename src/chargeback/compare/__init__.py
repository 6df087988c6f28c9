"""Every mart of one engine against the same mart of another, row by row.

`marts` reads the marts of a DuckDB file, a Postgres database or a Spark warehouse into plain
Python values; `diff` compares two engines' marts: money (decimals) to the cent, shares and
other doubles to 1e-9, everything else exactly. Load-time columns (when a record was loaded
or priced) are left out: they say when a build ran, not what it found.
"""
