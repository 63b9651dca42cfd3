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
    (re.compile(r"\bwhere\b|\b(what|which) (country|countries|city|cities|place|region|state|"
                r"nation|nations|continent|island|islands)\b"), PLACE + ("NORP",)),
    (re.compile(r"\b(what|which) (nationality|religion|language)\b"), ("NORP", "LANGUAGE")),
]


def has_wh_word(question: str) -> bool:
    return bool(_WH.search(question))


def expected_labels(question: str) -> tuple[str, ...]:
    """spaCy entity labels that would answer the question, best first; () when any phrase could."""
    q = question.lower()
    for pattern, labels in _RULES:
        if pattern.search(q):
            return labels
    return ()
