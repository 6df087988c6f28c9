"""The demo company's landing data: gateway requests, provider invoices, platform costs.

Deterministic for a seed. Token counts come from the real Azure LLM inference traces in
data/reference/ (CC-BY 4.0); everything else is this company's made-up but believable story.
"""

from chargeback.demo.generate import DemoConfig, DemoSummary, generate

__all__ = ["DemoConfig", "DemoSummary", "generate"]
