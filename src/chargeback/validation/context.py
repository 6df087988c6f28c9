"""The GX data context: in memory, offline, with one filesystem Data Docs site.

Nothing is written but the Data Docs site under the docs folder given: suites, validation
results and checkpoints live in memory for the run. Analytics are disabled so that the run
works offline, and progress bars are off so that the command's output stays readable.
"""

from __future__ import annotations

import os
from pathlib import Path

import great_expectations as gx
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

SITE_NAME = "chargeback"


def docs_site_config(docs_dir: Path) -> dict[str, object]:
    """A static Data Docs site written under docs_dir (index.html at its root)."""
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(docs_dir.resolve()),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }


def create_context(docs_dir: Path) -> AbstractDataContext:
    """An ephemeral context whose only output is the Data Docs site in docs_dir."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={SITE_NAME: docs_site_config(docs_dir)},
    )
    return gx.get_context(project_config=config, mode="ephemeral")
