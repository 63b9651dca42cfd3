"""Paraphrased question words read as the candidates' own words ("spokesman" -> "spokesperson",
"movie" -> "film"): a question word the documents never use is matched to the word of the
retrieved sentences nearest in meaning, by the cosine of their MiniLM embeddings, when the two
are near-synonyms. Lexical features (coverage, unknown nouns) then count it as present, as they
count a misspelt word (`retrievers/spelling.py`). Only candidate words are compared, so the cost
stays bounded however large the index; word vectors are cached."""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Callable, Iterable, Sequence

import numpy as np

from ..text.terms import terms

# Cosine of single-word embeddings (all-MiniLM-L6-v2) measured here: near-synonyms and other forms
# score 0.84-0.87 (spokesman/spokesperson, film/movie, buy/purchase, doctor/physician, born/birth);
# most related words score lower (ministry/minister 0.81, country/nation 0.77, war/battle 0.74,
# president/leader 0.58, said/announce 0.34), but not all (president/presidency 0.86, wife/married 0.84).
SAME_MEANING = 0.82
_WORD = re.compile(r"[^\W\d_]{3,}")


def word_stems(text: str) -> dict[str, str]:
    """Each content word of a text (lower case) -> its single stem."""
    out: dict[str, str] = {}
    for word in _WORD.findall(text):
        w = word.lower()
        if w not in out:
            ts = terms(w)
            if len(ts) == 1:
                out[w] = ts[0]
    return out


class NearWords:
    """`encode`: texts -> L2-normalised vectors (the query embedder)."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], threshold: float = SAME_MEANING,
                 cache_size: int = 50_000) -> None:
        self.encode = encode
        self.threshold = threshold
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        with self._lock:
            known = {w: self._cache[w] for w in dict.fromkeys(words) if w in self._cache}
        missing = [w for w in dict.fromkeys(words) if w not in known]
        if missing:
            known.update(zip(missing, self.encode(missing)))
            with self._lock:     # evicting the oldest cannot lose a vector this call returns
                for w in missing:
                    self._cache[w] = known[w]
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return np.stack([known[w] for w in words]) if words else np.zeros((0, 0), np.float32)

    def matches(self, unknown: Iterable[str], texts: Sequence[str]) -> dict[str, str]:
        """Each unknown word (lower case) -> the stem of the texts' word nearest in meaning, for
        those with a near-synonym among the texts."""
        unknown = list(dict.fromkeys(unknown))
        stems = {}
        for text in texts:
            stems.update(word_stems(text))
        choices = [w for w in stems if w not in unknown]
        if not unknown or not choices:
            return {}
        similarity = self.vectors(unknown) @ self.vectors(choices).T
        out = {}
        for i, word in enumerate(unknown):
            j = int(similarity[i].argmax())
            if similarity[i, j] >= self.threshold:
                out[word] = stems[choices[j]]
        return out


def query_near_words() -> NearWords:
    """Comparing words with the process's query embedder (the int8 ONNX MiniLM), loaded on first use."""
    from ..store.embedder import default_embedder

    return NearWords(lambda words: default_embedder().query_model.encode(words))
