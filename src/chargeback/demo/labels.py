"""Text columns of few distinct values (teams, keys, models...) held as small integer codes.

A column of ten million requests' teams is an int16 array of codes into one vocabulary, not ten
million Python strings: a twentieth of the memory, and comparisons and copies run in numpy.
Code 0 is None. The codes never leave the process: only the text is written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
import pyarrow as pa

CODE = np.int16
NONE = 0


class Vocabulary:
    """Gives each distinct text a code, in the order they are first seen."""

    def __init__(self) -> None:
        self._texts: list[str | None] = [None]
        self._codes: dict[str | None, int] = {None: NONE}
        self._adding = threading.Lock()  # the writer's threads look codes up too

    def code(self, text: str | None) -> int:
        found = self._codes.get(text)
        if found is not None:
            return found
        with self._adding:
            found = self._codes.get(text)
            if found is None:
                found = len(self._texts)
                if found > np.iinfo(CODE).max:
                    raise OverflowError("too many distinct labels for int16 codes")
                self._texts.append(text)
                self._codes[text] = found
            return found

    def codes(self, texts: Iterable[str | None]) -> np.ndarray:
        return np.array([self.code(text) for text in texts], dtype=CODE)

    def full(self, size: int, text: str | None) -> np.ndarray:
        return np.full(size, self.code(text), dtype=CODE)

    def text(self, code: int) -> str | None:
        return self._texts[code]

    def arrow(self, codes: np.ndarray) -> pa.Array:
        """The codes as an Arrow string array, None as null."""
        return self._dictionary().take(pa.array(codes))

    def dictionary(self, codes: np.ndarray) -> pa.DictionaryArray:
        """The codes as an Arrow dictionary array: the codes themselves, not a copy of the text."""
        return pa.DictionaryArray.from_arrays(pa.array(codes), self._dictionary())

    def _dictionary(self) -> pa.Array:
        return pa.array(self._texts, pa.string())


LABELS = Vocabulary()
