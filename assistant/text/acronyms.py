"""Acronyms a text spells out: "North Atlantic Treaty Organization" is NATO.

News names an agreement or body in full once and by its acronym after that, so a question about
"NATO" must also find the sentence that spells it out, and "What does NATO stand for?" is
answered by that spelled-out name.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")          # hyphens split: Cross-Servicing -> 2 words
_JOINERS = frozenset("of and for the on in to de".split())  # a joiner may give a letter or not
ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,7}(?=s?\b)")
_STAND_FOR = re.compile(r"\bstands? for\b|\bshort for\b|\bfull (name|form)\b|\b(acronym|abbreviation)\b",
                        re.IGNORECASE)


def expansions(text: str, min_letters: int = 3, max_letters: int = 8) -> list[tuple[str, int, int]]:
    """(acronym, start, end) for every run of capitalised words (joined by 'of', 'and', ...)
    whose initials make an acronym of 3-8 letters; joiners may or may not give a letter."""
    words = list(_WORD.finditer(text))
    found: dict[tuple[str, int, int], None] = {}
    for i, first in enumerate(words):
        if not first.group()[0].isupper() or first.group().isupper():   # "US" is no part of a name
            continue
        spellings = {first.group()[0].upper()}
        for j in range(i + 1, len(words)):
            word = words[j].group()
            if text[words[j - 1].end():words[j].start()].strip(" -"):   # punctuation ends a name
                break
            initial = word[0].upper()
            if word.lower() in _JOINERS:
                spellings |= {s + initial for s in spellings}
                continue
            if not word[0].isupper() or (len(word) > 1 and word.isupper()):
                break
            spellings = {s + initial for s in spellings}
            for spelling in spellings:
                if min_letters <= len(spelling) <= max_letters:
                    found[(spelling, first.start(), words[j].end())] = None
    return list(found)


def asked_acronym(question: str) -> str | None:
    """The acronym a question asks to spell out: 'What does NATO stand for?' -> 'NATO'."""
    if not _STAND_FOR.search(question):
        return None
    match = ACRONYM.search(question)
    return match.group() if match else None


def spelled_out(text: str, acronym: str) -> str | None:
    """The words of `text` that spell out `acronym`, the longest if several do."""
    spans = [(s, e) for a, s, e in expansions(text) if a == acronym.upper()]
    if not spans:
        return None
    start, end = max(spans, key=lambda span: span[1] - span[0])
    return text[start:end]
