"""Misspelt question words written as the documents' own words ("parliment" -> "Parliament"):
BM25 and the lexical features already count a misspelt word as the corpus word it is nearly the
same as; the query vector, the cross-encoder and the span reader read the text, so they get it
corrected too.
A word of the English dictionary ("feel", "abut", "underlay") is not a slip: it stays (BM25 alone
would read "feel" as "fees" and "underlay" as "underway" in an article without the word)."""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from weakref import WeakKeyDictionary

from ..text.terms import terms
from ..catalog.bm25 import BM25Index

_WORD = re.compile(r"[^\W\d_]+")
SAME_WORD = 0.82   # difflib ratio of the words: "parliment"/"parliament" 0.95 passes, "dont"/"dots" 0.75 does not
_SURFACES: WeakKeyDictionary[BM25Index, dict[str, str | None]] = WeakKeyDictionary()


def corrected(question: str, snapshot) -> str:
    """`question` with each word whose stem BM25 corrects replaced by a word of the documents with
    the corrected stem; unchanged when no word needs it (the usual case)."""
    bm25 = snapshot.bm25

    def fix(match: re.Match) -> str:
        word = match.group(0)
        stems = terms(word)
        stem = bm25.correct(stems[0]) if len(stems) == 1 else None
        if stem is None or stem == stems[0] or _is_english(word):
            return word
        surface = _surface(snapshot, stem)
        near = surface and difflib.SequenceMatcher(None, word.lower(), surface.lower()).ratio() >= SAME_WORD
        return surface if near else word

    return _WORD.sub(fix, question)


def _is_english(word: str) -> bool:
    return word.lower() in _dictionary()


@lru_cache(maxsize=1)
def _dictionary():
    """pyspellchecker's English word frequencies (160,000 words, loaded on the first unknown stem)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1).word_frequency


def _surface(snapshot, term: str) -> str | None:
    """A word of the documents whose stem is `term`, from the sentences BM25 ranks first for it."""
    cache = _SURFACES.setdefault(snapshot.bm25, {})
    if term not in cache:
        cache[term] = None
        for sentence_id, _ in snapshot.bm25.search(term, 3):
            sentence = snapshot.by_id.get(sentence_id)
            word = next((w for w in _WORD.findall(sentence.text) if terms(w) == [term]), None) if sentence else None
            if word:
                cache[term] = word
                break
    return cache[term]
