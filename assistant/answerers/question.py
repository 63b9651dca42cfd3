"""What a question asks for: the entity types that can answer it, most likely first."""
from __future__ import annotations

import re

PERSON = ("PERSON", "ORG", "NORP")
TIME = ("DATE", "TIME")
NUMBER = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
PLACE = ("GPE", "LOC", "FAC")

_WH = re.compile(r"\b(who|whom|whose|what|when|where|which|why|how)\b", re.IGNORECASE)
_RULES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|percent|amount|share|proportion)\b"
                r"|\bhow (large|big|high|tall|far)\b"), NUMBER),
    (re.compile(r"\bhow (long|old)\b"), TIME + NUMBER),
    (re.compile(r"\b(when|what year|which year|what date|what month|which month|what day|"
                r"what time|what decade|what century|what period|which century|which decade|"
                r"by when|since when)\b"), TIME),
    (re.compile(r"\b(who|whom|whose)\b|\b(what|which) (person|man|woman|official|minister|leader|"
                r"president|secretary|spokesperson|spokesman|diplomat|author|writer|american|"
                r"british|japanese|korean|chinese)\b"), PERSON),
    (re.compile(r"\b(what|which) (organization|organisation|company|agency|ministry|group|party|"
                r"team|university|institution|body)\b"), ("ORG",)),
    (re.compile(r"\bwhere\b|\b(what |which |name (a |an |one |the |some )?)(country|countries|city|cities|"
                r"place|region|state|nation|nations|continent|island|islands)\b"), PLACE + ("NORP",)),
    (re.compile(r"\b(what|which) (nationality|religion|language)\b"), ("NORP", "LANGUAGE")),
]


_ELLIPSIS = re.compile(r"^\s*(and|what about|how about|and what about|what of|also)\b[\s,]*(.*?)[\s?.!]*$",
                       re.IGNORECASE)


def ellipsis_fragment(question: str) -> str | None:
    """What an elliptical follow-up asks about: 'And in Japan?' -> 'in Japan'; else None."""
    match = _ELLIPSIS.match(question)
    return match.group(2) if match and match.group(2) else None


def has_wh_word(question: str) -> bool:
    return bool(_WH.search(question))


def expected_labels(question: str) -> tuple[str, ...]:
    """spaCy entity labels that would answer the question, best first; () when any phrase could."""
    q = question.lower()
    for pattern, labels in _RULES:
        if pattern.search(q):
            return labels
    return ()


# Nouns that frame a question rather than name its subject ("which city", "what kind").
FRAME_NOUNS = frozenset("""
name names kind kinds sort type types part parts number numbers amount city cities country countries
place places year years date dates time times day days month months story article report text way
ways thing things reason reasons percentage percent share person people one ones someone something
acronym acronyms abbreviation abbreviations
""".split())


def focus_terms(question: str) -> list[list[str]]:
    """For each noun the question is about, its terms (any one of them counts as present)."""
    from ..text.terms import terms
    from .entities import content_nouns

    out = []
    for word in content_nouns(question):
        if word.lower() in FRAME_NOUNS:
            continue
        word_terms = terms(word)
        if word_terms:
            out.append(word_terms)
    return out
