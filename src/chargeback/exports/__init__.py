"""Parquet copies of the public marts for BI tools (python -m chargeback.exports)."""

from chargeback.exports.marts import MartExport, export_marts, format_exports

__all__ = ["MartExport", "export_marts", "format_exports"]
