"""genai-prices' model matching as rows of seed `model_match_rules`.

A catalogue model matches a model id through a tree of clauses (equals, starts_with,
ends_with, contains, regex, combined with `or` and `and`). Each tree is rewritten in
disjunctive normal form: one rule per conjunction, one row per condition of the rule. A rule
matches when all its conditions do; a model matches when any of its rules does. Within a
provider the first model in the catalogue's order wins (`rule_rank`), then the models of the
provider's fallback providers (Azure offers OpenAI's models, Google offers Anthropic's), ranked
after all of the provider's own and priced at the fallback provider's prices (`price_provider`).
Each model also matches its own catalogue id (a rule genai-prices does not have for a few ids,
such as Bedrock's `regional.` ids), so that an id taken from the catalogue always resolves.

Text conditions compare lower-cased text, as genai-prices does. Regular expressions are
searched in the lower-cased id. SQL regular expression engines (RE2 in DuckDB, Spark's Java
engine, Postgres' ARE) have no look-ahead: a pattern of the form `^(?!X)` becomes the condition
`not_regex` with pattern `^(?:X)`. Any other look-around is refused, so that a catalogue update
that needs one fails here instead of matching wrongly in SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from genai_prices.types import (
    ClauseAnd,
    ClauseContains,
    ClauseEndsWith,
    ClauseEquals,
    ClauseOr,
    ClauseRegex,
    ClauseStartsWith,
    Provider,
)

from chargeback.prices.providers import warehouse_provider

FALLBACK_RANK_STEP = 100_000
COLUMNS: tuple[str, ...] = (
    "provider",
    "rule_rank",
    "rule_id",
    "condition_kind",
    "pattern",
    "model",
    "price_provider",
    "catalogue_version",
)
Condition = tuple[str, str]
NEGATIVE_LOOKAHEAD = re.compile(r"^\^\(\?!(?P<body>.*)\)$")


def regex_condition(pattern: str) -> Condition:
    """A catalogue regular expression as a condition SQL engines can evaluate."""
    negative = NEGATIVE_LOOKAHEAD.match(pattern)
    if negative and "(?=" not in negative["body"] and "(?!" not in negative["body"]:
        return ("not_regex", f"^(?:{negative['body']})")
    if re.search(r"\(\?(?!:)", pattern):
        raise ValueError(f"regular expression not portable to SQL engines: {pattern!r}")
    return ("regex", pattern)


def disjunctive_normal_form(clause: Any) -> list[tuple[Condition, ...]]:
    """The clause as a list of conjunctions of conditions (duplicates removed, order kept)."""
    if isinstance(clause, ClauseOr):
        return [c for sub in clause.or_ for c in disjunctive_normal_form(sub)]
    if isinstance(clause, ClauseAnd):
        conjunctions: list[tuple[Condition, ...]] = [()]
        for sub in clause.and_:
            conjunctions = [
                tuple(dict.fromkeys(left + right))
                for left in conjunctions
                for right in disjunctive_normal_form(sub)
            ]
        return conjunctions
    if isinstance(clause, ClauseEquals):
        return [(("equals", clause.equals.lower()),)]
    if isinstance(clause, ClauseStartsWith):
        return [(("starts_with", clause.starts_with.lower()),)]
    if isinstance(clause, ClauseEndsWith):
        return [(("ends_with", clause.ends_with.lower()),)]
    if isinstance(clause, ClauseContains):
        return [(("contains", clause.contains.lower()),)]
    if isinstance(clause, ClauseRegex):
        return [(regex_condition(clause.regex),)]
    raise TypeError(f"unknown match clause {type(clause).__name__}")


def _provider_rules(
    provider: Provider, rank_offset: int, warehouse_id: str, version: str
) -> Iterator[dict[str, str]]:
    for index, model in enumerate(provider.models):
        conjunctions = disjunctive_normal_form(model.match)
        own_id = (("equals", model.id.lower()),)
        if own_id not in conjunctions:
            conjunctions.append(own_id)
        for number, conjunction in enumerate(conjunctions, start=1):
            for kind, pattern in conjunction:
                yield {
                    "provider": warehouse_id,
                    "rule_rank": str(rank_offset + index),
                    "rule_id": f"{provider.id}/{model.id}#{number}",
                    "condition_kind": kind,
                    "pattern": pattern,
                    "model": model.id,
                    "price_provider": warehouse_provider(provider.id),
                    "catalogue_version": f"genai-prices=={version}",
                }


def rule_rows(providers: list[Provider], version: str) -> Iterator[dict[str, str]]:
    """Every condition row, provider by provider, own models first, then fallbacks."""
    by_id = {provider.id: provider for provider in providers}
    for provider in sorted(providers, key=lambda p: warehouse_provider(p.id)):
        warehouse_id = warehouse_provider(provider.id)
        yield from _provider_rules(provider, 0, warehouse_id, version)
        for step, fallback_id in enumerate(provider.fallback_model_providers or (), start=1):
            if fallback_id in by_id:
                yield from _provider_rules(
                    by_id[fallback_id], step * FALLBACK_RANK_STEP, warehouse_id, version
                )
