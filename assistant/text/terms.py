"""Tokens for lexical matching: lower-cased, stemmed, stop words dropped, numbers kept whole."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Sequence

from .acronyms import ACRONYM, expansions
from .en import STOPWORDS

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return (text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
            .replace("–", "-").replace("—", "-"))


@lru_cache(maxsize=1)
def _stemmer():
    # PyStemmer: Snowball's English stemmer compiled. snowballstemmer's pure-Python one gives the
    # same stems on all 61,960 words of the shared data, seeds and gold sets, 18x slower (a tenth
    # of ingest time).
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def tokens(text: str) -> list[str]:
    """Raw lower-case word and number tokens."""
    return _TOKEN.findall(normalise(text).lower())


def terms(text: str) -> list[str]:
    """Content terms: stop words dropped, words stemmed, numbers also kept without separators."""
    out: list[str] = []
    for tok in tokens(text):
        if tok in STOPWORDS:
            continue
        if tok[0].isdigit():
            out.append(tok)
            plain = tok.replace(",", "")
            if plain != tok:
                out.append(plain)
            continue
        for part in re.split(r"[-'’]", tok):
            if part and part not in STOPWORDS and part != "s":
                out.append(stem(part))
        if "-" in tok:
            out.append(stem(tok))
    return out


def indexed_terms(text: str, spelled: list[tuple[str, int, int]] | None = None) -> list[str]:
    """Terms of stored text: its words plus the acronyms it spells out (`spelled`, when the caller
    has found them), so that a question about "NATO" also matches "North Atlantic Treaty Organization"."""
    spelled = expansions(text) if spelled is None else spelled
    return terms(text) + list(dict.fromkeys(stem(a.lower()) for a, _, _ in spelled))


def document_terms(texts: Sequence[str]) -> list[list[str]]:
    """`indexed_terms` of a document's sentences, where a sentence that uses an acronym the
    document spells out elsewhere also gets the spelled-out name's words: after "the Coastal
    Fisheries Protection Agreement" a sentence saying "the CFPA" is about the agreement too."""
    spelled = [expansions(t) for t in texts]
    own = [indexed_terms(t, found) for t, found in zip(texts, spelled)]
    names: dict[str, tuple[int, str]] = {}
    for text, found in zip(texts, spelled):
        for acronym, start, end in found:
            if end - start > names.get(acronym, (0, ""))[0]:    # the longest spelling of it
                names[acronym] = (end - start, text[start:end])
    if not names:
        return own
    for text, ts in zip(texts, own):
        have = set(ts)
        for match in ACRONYM.finditer(text):
            if match.group() in names:
                extra = [t for t in terms(names[match.group()][1]) if t not in have]
                ts += extra
                have.update(extra)
    return own
