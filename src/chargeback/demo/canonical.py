"""Which model a provider actually ran for each logged (provider, model): the provider's view.

Needed to bill the demo's invoices; the warehouse resolves the same names on its own from the
seeds. Mirrors the seeds provider_aliases and model_aliases (effective-dated), then finds the
catalogue's model id with genai-prices' own matching (the id as logged, then stripped), the way
the provider knows which model it ran.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from genai_prices import data_snapshot

from chargeback.demo.billing import read_seed
from chargeback.prices.providers import catalogue_provider

REGION_PREFIX = re.compile(r"^(us|eu|apac|au|ca|jp|global|us-gov)\.(?=[a-z0-9-]+\.)")


def strip_model_id(model: str) -> str:
    stripped = model.lower().strip().rsplit("/", 1)[-1]
    stripped = REGION_PREFIX.sub("", stripped)
    return re.sub(r":[0-9]+$", "", stripped)


def catalogue_model(provider: str, *model_ids: str) -> str:
    """The catalogue id of the first id genai-prices matches for the provider, else the last id."""
    snapshot = data_snapshot.get_snapshot()
    wanted = catalogue_provider(provider)
    for entry in snapshot.providers:
        if entry.id != wanted:
            continue
        for model_id in model_ids:
            found = entry.find_model(model_id, all_providers=snapshot.providers)
            if found is not None:
                return found.id
    return model_ids[-1]


def _ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


def resolve(
    provider_logged: np.ndarray, model_logged: np.ndarray, occurred_ms: np.ndarray, seeds_dir: Path
) -> tuple[np.ndarray, np.ndarray]:
    """Canonical (provider, model) for every request."""
    provider_names = {
        row["provider_logged"]: row["provider"] for row in read_seed(seeds_dir, "provider_aliases")
    }
    aliases = read_seed(seeds_dir, "model_aliases")
    provider = np.empty(len(model_logged), dtype=object)
    model = np.empty(len(model_logged), dtype=object)
    pairs = {(p, m) for p, m in zip(provider_logged.tolist(), model_logged.tolist(), strict=True)}
    for logged_provider, logged_model in sorted(pairs):
        rows = (provider_logged == logged_provider) & (model_logged == logged_model)
        normalised = provider_names.get(logged_provider.lower(), logged_provider.lower())
        key = strip_model_id(logged_model)
        provider[rows] = normalised
        model[rows] = catalogue_model(normalised, logged_model.lower(), key)
        matches = [a for a in aliases if a["alias"] == key and a["provider"] in ("", normalised)]
        for alias in sorted(matches, key=lambda a: a["provider"] != ""):  # own provider last wins
            start = _ms(alias["valid_from"])
            end = _ms(alias["valid_to"]) if alias["valid_to"] else np.iinfo(np.int64).max
            within = rows & (occurred_ms >= start) & (occurred_ms < end)
            target = alias["canonical_provider"]
            provider[within] = target
            model[within] = catalogue_model(target, alias["canonical_model"].lower())
    return provider, model
