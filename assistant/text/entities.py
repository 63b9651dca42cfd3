"""Named entities and the dependency parse of sentences (spaCy's small English pipeline, see
`runtimes/spacy_pipeline.py`), and the nouns a question is about."""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache

from ..runtimes.spacy_pipeline import PIPELINE

_lock = threading.Lock()
MAX_CHARS = 100_000   # spaCy refuses texts over 1,000,000 characters; a sentence is far shorter


_PARSED: OrderedDict[str, Future] = OrderedDict()
PARSE_CACHE = 2_000
_parsed_lock = threading.Lock()
_background: list[ThreadPoolExecutor] = []


def parse(text: str):
    """The parsed sentence (tagger, parser, NER); cached because quotes repeat across questions.
    A parse started by `prefetch` is waited for, not done twice."""
    return _parse_future(text, background=False).result()


def prefetch(text: str) -> None:
    """Start parsing `text` in a background thread: the question is parsed while its candidates
    are retrieved (the ONNX query model and Chroma run outside the GIL): at 100k sentences, p50
    2.6 ms less (A/B over 400 questions)."""
    _parse_future(text, background=True)


def _parse_future(text: str, background: bool) -> Future:
    with _parsed_lock:
        future = _PARSED.get(text)
        if future is not None:
            _PARSED.move_to_end(text)
            return future
        future = _PARSED[text] = Future()
        while len(_PARSED) > PARSE_CACHE:
            _PARSED.popitem(last=False)
        if background and not _background:
            _background.append(ThreadPoolExecutor(1, thread_name_prefix="parse"))
    if background:
        _background[0].submit(_run_parse, text, future)
    else:
        _run_parse(text, future)
    return future


def _run_parse(text: str, future: Future) -> None:
    try:
        with _lock:   # spaCy pipelines are not thread-safe
            future.set_result(PIPELINE.get()(text[:MAX_CHARS]))
    except BaseException as exc:   # the caller sees it; the next call tries again
        with _parsed_lock:
            if _PARSED.get(text) is future:
                del _PARSED[text]
        future.set_exception(exc)


_ENTITIES: OrderedDict[str, tuple[tuple[str, str, int, int], ...]] = OrderedDict()
ENTITY_CACHE = 50_000


def entities(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(text, label, start, end) for each entity; cached because candidates repeat."""
    return entities_of([text])[0]


def entities_of(texts: list[str]) -> list[tuple[tuple[str, str, int, int], ...]]:
    """`entities` of many texts: the new ones go through spaCy together."""
    with _lock:   # spaCy pipelines (and this cache) are not thread-safe
        missing = list(dict.fromkeys(t for t in texts if t not in _ENTITIES))
        if missing:
            for text, found in zip(missing, _ner(missing)):
                _ENTITIES[text] = found
            while len(_ENTITIES) > ENTITY_CACHE:
                _ENTITIES.popitem(last=False)
        out = []
        for t in texts:
            out.append(_ENTITIES[t])
            _ENTITIES.move_to_end(t)
        return out


def find_entities(texts: list[str]) -> list[tuple[tuple[str, str, int, int], ...]]:
    """`entities` of many texts, not cached (ingest: each sentence once). The pipeline is taken a
    batch at a time, so questions asked during a long ingest are parsed between batches."""
    out: list[tuple[tuple[str, str, int, int], ...]] = []
    for start in range(0, len(texts), 64):
        with _lock:
            out.extend(_ner(texts[start:start + 64]))
    return out


def _ner(texts: list[str]):
    """Only the NER pipes (the tagger and parser are not needed and cost more); batching halves
    the time. The caller holds `_lock`."""
    nlp = PIPELINE.get()
    with nlp.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in nlp.pipe_names]):
        for doc in nlp.pipe(t[:MAX_CHARS] for t in texts):
            yield tuple((e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)


def remember(found: dict[str, tuple[tuple[str, str, int, int], ...]]) -> None:
    """Entities found before (stored with the sentences at ingest), so `entities` need not run spaCy."""
    with _lock:
        for text, ents in found.items():
            _ENTITIES[text] = ents
            _ENTITIES.move_to_end(text)
        while len(_ENTITIES) > ENTITY_CACHE:
            _ENTITIES.popitem(last=False)


def answer_entities(text: str, labels: tuple[str, ...], question_terms: set[str]) -> list[tuple[str, int, int, int]]:
    """(entity, label rank, start, end) of the entities of `text` that could answer: of a wanted
    type and not mostly made of the question's own terms."""
    from .terms import terms

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
