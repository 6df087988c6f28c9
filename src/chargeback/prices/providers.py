"""genai-prices provider ids mapped to the warehouse's provider vocabulary (seed `providers`)."""

from __future__ import annotations

# Only where the two vocabularies differ; every other catalogue id is used as it is.
CATALOGUE_TO_WAREHOUSE: dict[str, str] = {
    "aws": "aws_bedrock",
    "azure": "azure_openai",
    "google": "google_vertex",
}
WAREHOUSE_TO_CATALOGUE: dict[str, str] = {v: k for k, v in CATALOGUE_TO_WAREHOUSE.items()}


def warehouse_provider(catalogue_id: str) -> str:
    """The warehouse's name for a catalogue provider id."""
    return CATALOGUE_TO_WAREHOUSE.get(catalogue_id, catalogue_id)


def catalogue_provider(warehouse_id: str) -> str:
    """The catalogue's id for a warehouse provider name."""
    return WAREHOUSE_TO_CATALOGUE.get(warehouse_id, warehouse_id)
