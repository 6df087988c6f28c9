"""The price catalogue: list prices and model-matching rules generated from `genai-prices`.

`python -m chargeback.prices` (or `make prices`) rewrites `seeds/model_prices.csv` and
`seeds/model_match_rules.csv` from the data bundled with the pinned `genai-prices` package: no
network, same package version, same files.
"""
