"""Token counts per request from the Azure LLM inference traces (CC-BY 4.0)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TRACE_DIR = Path(__file__).resolve().parents[3] / "data" / "reference" / "azure_llm_inference_2023"
TRACE_FILES = {
    "conv": "AzureLLMInferenceTrace_conv.csv",
    "code": "AzureLLMInferenceTrace_code.csv",
}


@dataclass(frozen=True)
class Trace:
    """(input, output) token pairs of real requests, in trace order."""

    name: str
    input_tokens: np.ndarray
    output_tokens: np.ndarray

    def sample(self, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Draws `size` real (input, output) pairs with replacement."""
        rows = rng.integers(0, len(self.input_tokens), size=size)
        return self.input_tokens[rows], self.output_tokens[rows]


def load_trace(name: str, directory: Path = TRACE_DIR) -> Trace:
    with (directory / TRACE_FILES[name]).open(newline="") as file:
        rows = list(csv.DictReader(file))
    return Trace(
        name=name,
        input_tokens=np.array([int(row["ContextTokens"]) for row in rows], dtype=np.int64),
        output_tokens=np.array([int(row["GeneratedTokens"]) for row in rows], dtype=np.int64),
    )
