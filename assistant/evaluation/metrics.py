"""Matching rules of the gold format and SQuAD's answer metrics, as plain functions."""
from __future__ import annotations

import re
import string
from collections import Counter

import numpy as np

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Gold-format normalisation: lower case, plain quotes and dashes, single spaces."""
    return " ".join(text.translate(_QUOTES).lower().split())


def supports(quote: str, evidence: list[str]) -> bool:
    q = normalise(quote)
    for ev in evidence:
        e = normalise(ev)
        if e and (e in q or (len(q) >= 25 and q in e)):
            return True
    return False


def answer_contains(answer: str, answers: list[str]) -> bool:
    a = normalise(answer)
    return any(normalise(g) and normalise(g) in a for g in answers)


def squad_normalise(text: str) -> str:
    text = text.translate(_QUOTES).lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(answer: str, answers: list[str]) -> float:
    return float(any(squad_normalise(answer) == squad_normalise(g) for g in answers))


def token_f1(answer: str, answers: list[str]) -> float:
    best = 0.0
    pred = squad_normalise(answer).split()
    for gold in answers:
        ref = squad_normalise(gold).split()
        common = Counter(pred) & Counter(ref)
        same = sum(common.values())
        if same:
            p, r = same / len(pred), same / len(ref)
            best = max(best, 2 * p * r / (p + r))
    return best


def reciprocal_rank(flags: list[bool]) -> float:
    return next((1.0 / (i + 1) for i, ok in enumerate(flags) if ok), 0.0)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def words_in(answer: str, quotes: list[str]) -> float:
    """Share of the answer's content words that its quotes hold: 1.0 when everything it says is in
    them (an extractive answer), lower when a written answer adds words of its own."""
    from ..text.terms import terms

    said = set(terms(re.sub(r"\[\d+\]", " ", answer)))
    held = set(terms(" ".join(quotes)))
    return len(said & held) / len(said) if said else 1.0
