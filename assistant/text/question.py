"""What a question asks for: the entity types that can answer it, most likely first; the nouns it
is about; whether it is an elliptical follow-up. The English phrasings live in `text/en.py`."""
from __future__ import annotations

from . import en


def ellipsis_fragment(question: str) -> str | None:
    """What an elliptical follow-up asks about: 'And in France?' -> 'in France'; else None."""
    match = en.ELLIPSIS.match(question)
    return match.group(2) if match and match.group(2) else None


def has_wh_word(question: str) -> bool:
    return bool(en.QUESTION_WORD.search(question))


def expected_labels(question: str) -> tuple[str, ...]:
    """spaCy entity labels that would answer the question, best first; () when any phrase could."""
    q = question.lower()
    for pattern, labels in en.ANSWER_TYPES:
        if pattern.search(q):
            return labels
    return ()


def focus_terms(question: str) -> list[list[str]]:
    """For each noun the question is about, its terms (any one of them counts as present)."""
    from .terms import terms
    from .entities import content_nouns

    out = []
    for word in content_nouns(question):
        if word.lower() in en.FRAME_NOUNS:
            continue
        word_terms = terms(word)
        if word_terms:
            out.append(word_terms)
    return out
