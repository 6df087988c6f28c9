"""Which model a provider actually ran for each logged (provider, model): the provider's view.

Needed to bill the demo's invoices; the warehouse resolves the same names on its own from the
seeds. Mirrors the seeds provider_aliases, model_aliases and model_deployments
(effective-dated), then finds the catalogue's model id with genai-prices' own matching (the id
as logged, then stripped), the way the provider knows which model it ran.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from genai_prices import data_snapshot

from chargeback.demo.billing import read_seed
from chargeback.demo.calendar import utc_ms
from chargeback.demo.labels import CODE, LABELS, NONE
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


def _pairs(
    provider_logged: np.ndarray, model_logged: np.ndarray
) -> list[tuple[str, str, np.ndarray]]:
    """Each logged (provider, model) with its rows, in text order."""
    width = int(model_logged.max()) + 1
    key = provider_logged.astype(np.int64) * width + model_logged
    pairs = [
        (str(LABELS.text(k // width)), str(LABELS.text(k % width)), np.flatnonzero(key == k))
        for k in np.flatnonzero(np.bincount(key)).tolist()
    ]
    return sorted(pairs, key=lambda pair: pair[:2])


def resolve(
    provider_logged: np.ndarray,
    model_logged: np.ndarray,
    occurred_ms: np.ndarray,
    seeds_dir: Path,
    deployments: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Canonical (provider, model) label codes for every request (labels.py). With
    `deployments` false a deployment keeps its own name, as a gateway logs the calls to it."""
    provider_names = {
        row["provider_logged"]: row["provider"] for row in read_seed(seeds_dir, "provider_aliases")
    }
    # a deployment is an alias of its own provider (as int_model_aliases_prepared has it)
    aliases = read_seed(seeds_dir, "model_aliases") + [
        {
            "alias": strip_model_id(row["deployment"]),
            "provider": row["provider"],
            "canonical_provider": row["provider"],
            "canonical_model": row["model"],
            "valid_from": row["valid_from"],
            "valid_to": row["valid_to"],
        }
        for row in read_seed(seeds_dir, "model_deployments")
        if deployments
    ]
    provider = np.full(len(model_logged), NONE, dtype=CODE)
    model = np.full(len(model_logged), NONE, dtype=CODE)
    for logged_provider, logged_model, rows in _pairs(provider_logged, model_logged):
        normalised = provider_names.get(logged_provider.lower(), logged_provider.lower())
        key = strip_model_id(logged_model)
        provider[rows] = LABELS.code(normalised)
        model[rows] = LABELS.code(catalogue_model(normalised, logged_model.lower(), key))
        matches = [a for a in aliases if a["alias"] == key and a["provider"] in ("", normalised)]
        for alias in sorted(matches, key=lambda a: a["provider"] != ""):  # own provider last wins
            start = utc_ms(alias["valid_from"])
            end = utc_ms(alias["valid_to"]) if alias["valid_to"] else np.iinfo(np.int64).max
            within = rows[(occurred_ms[rows] >= start) & (occurred_ms[rows] < end)]
            target = alias["canonical_provider"]
            provider[within] = LABELS.code(target)
            model[within] = LABELS.code(catalogue_model(target, alias["canonical_model"].lower()))
    return provider, model
