"""Tokens for lexical matching: lower-cased, stemmed, stop words dropped, numbers kept whole."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .acronyms import expansions

STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom whose why will
with would you your yours yourself yourselves also said says say tell told according article
did does do doing done please answer question ignore instructions previous assistant many much
""".split())

# A nationality adjective counts as its country: "American officials" match "US officials".
DEMONYMS = {
    "american": "us", "americans": "us", "korean": "korea", "koreans": "korea", "japanese": "japan",
    "chinese": "china", "british": "britain", "russian": "russia", "russians": "russia",
    "french": "franc", "german": "germani", "germans": "germani", "australian": "australia",
    "ukrainian": "ukrain", "indian": "india", "israeli": "israel", "iranian": "iran", "european": "europ",
}

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return (text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
            .replace("–", "-").replace("—", "-"))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


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
        if tok in DEMONYMS:   # only the country: "American" and "US" are then one term
            out.append(DEMONYMS[tok])
            continue
        for part in re.split(r"[-'’]", tok):
            if part and part not in STOPWORDS and part != "s":
                out.append(stem(part))
        if "-" in tok:
            out.append(stem(tok))
    return out


def indexed_terms(text: str) -> list[str]:
    """Terms of stored text: its words plus the acronyms it spells out, so that a question about
    "GSOMIA" also matches "General Security of Military Information Agreement"."""
    return terms(text) + list(dict.fromkeys(stem(a.lower()) for a, _, _ in expansions(text)))
