"""The landing functions of `chargeback.landing.files` as DuckDB functions.

dbt registers them on every connection it opens through the dbt-duckdb plugin of this
module (`plugins:` in profiles/profiles.yml); tools that open the warehouse and read the
landing relations (the load step, the validation) register them with `register`.
"""

from __future__ import annotations

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb.sqltypes import BLOB, VARCHAR

from chargeback.landing.content import otel_batch_without_content
from chargeback.landing.files import landed_compression, landed_file_issue, landed_text

FUNCTIONS = {
    "chargeback_landed_file_issue": (landed_file_issue, [VARCHAR, VARCHAR], VARCHAR),
    "chargeback_landed_compression": (landed_compression, [VARCHAR], VARCHAR),
    "chargeback_landed_text": (landed_text, [BLOB], VARCHAR),
    "chargeback_otel_batch_without_content": (otel_batch_without_content, [VARCHAR], VARCHAR),
}


def register(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Adds the landing functions to a connection (once; a second call changes nothing)."""
    registered = {
        name
        for (name,) in connection.execute(
            "select function_name from duckdb_functions() where function_name like 'chargeback_%'"
        ).fetchall()
    }
    for name, (function, parameters, returns) in FUNCTIONS.items():
        if name not in registered:
            connection.create_function(name, function, parameters, returns, null_handling="special")
    return connection


class Plugin(BasePlugin):
    """dbt-duckdb plugin: the landing functions on every connection dbt opens."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register(conn)
