"""Features of (question, candidate sentence) pairs for the learned ranker and the abstainer.

Each is a signal any article has: vector similarities (sentence, best window, passage), how much
of the question's rare-word mass the sentence and its neighbours hold, whether it holds an entity
of the type the question wants, its document's title, its place in the document (news and
encyclopedias put the gist first), and how it compares with the other candidates.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..text.entities import answer_entities, entities_of, remember
from ..text.question import expected_labels, focus_terms
from ..retrievers.candidate import Candidate
from ..retrievers.spelling import corrected
from ..catalog.catalog import Catalog
from ..text.en import FRAME_NOUNS
from ..text.terms import terms

FRAME_TERMS = frozenset(t for noun in FRAME_NOUNS for t in terms(noun))

CANDIDATE_FEATURES = ("dense", "window", "passage", "bm25", "coverage", "context", "answer_type",
                      "typed", "fused_rank", "dense_gap", "window_gap", "coverage_gap", "passage_gap",
                      "length", "vocabulary", "unknown", "question_terms", "title", "position", "prefix_coverage")
# A candidate's distance from the best candidate on a feature.
GAPS = {"dense_gap": "dense", "window_gap": "window", "coverage_gap": "coverage", "passage_gap": "passage"}
COLUMN = {name: i for i, name in enumerate(CANDIDATE_FEATURES)}


@dataclass(frozen=True)
class QuestionInfo:
    text: str
    terms: tuple[str, ...]          # content terms, misspellings mapped to corpus words
    labels: tuple[str, ...]         # entity labels that could answer, best first
    vocabulary: float               # share of the question's term weight the documents use at all
    unknown: int                    # nouns the question is about that the documents never use
    read_as: str = ""               # the text the cross-encoder and reader read: misspellings corrected

    def __post_init__(self) -> None:
        if not self.read_as:
            object.__setattr__(self, "read_as", self.text)


class FeatureExtractor:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._titles: dict[str, frozenset[str]] = {}

    def question(self, question: str, doc_ids: Sequence[str] | None = None,
                 labels: tuple[str, ...] | None = None,
                 candidates: Sequence[Candidate] | None = None) -> QuestionInfo:
        read = self.catalog.bm25.correct
        vocabulary = self.catalog.vocabulary(doc_ids)
        q_terms = tuple(dict.fromkeys(read(t) for t in terms(question) if t not in FRAME_TERMS))
        unknown = sum(1 for ts in focus_terms(question) if not any(read(t) in vocabulary for t in ts))
        return QuestionInfo(question, q_terms, expected_labels(question) if labels is None else labels,
                            self.coverage(q_terms, vocabulary), unknown, corrected(question, self.catalog.current))

    def coverage(self, q_terms: Sequence[str], text_terms) -> float:
        """Share of the question's IDF mass found in a text: rare words matter, 'said' does not."""
        weight = self.catalog.bm25.term_weight
        total = sum(weight(t) for t in q_terms)
        return sum(weight(t) for t in q_terms if t in text_terms) / total if total else 0.0

    def prefix_coverage(self, q_terms: Sequence[str], text_terms) -> float:
        """Like `coverage`, but a word also counts when a word of the text shares its first five
        letters: other forms the stemmer keeps apart ("spokesman", "spokesperson")."""
        prefixes = {t[:5] for t in text_terms if len(t) >= 5}
        weight = self.catalog.bm25.term_weight
        total = sum(weight(t) for t in q_terms)
        found = sum(weight(t) for t in q_terms if t in text_terms or (len(t) >= 5 and t[:5] in prefixes))
        return found / total if total else 0.0

    def answer_type(self, question: QuestionInfo, text: str) -> float:
        """1 when the text holds an entity of the best wanted type that is not the question's own
        words, 0.5 for another wanted type, 0 for none."""
        found = answer_entities(text, question.labels, set(question.terms)) if question.labels else []
        return max((1.0 if rank == 0 else 0.5 for _, rank, _, _ in found), default=0.0)

    def title_terms(self, candidate: Candidate) -> frozenset[str]:
        cached = self._titles.get(candidate.title)
        if cached is None:
            cached = self._titles[candidate.title] = frozenset(terms(candidate.title))
        return cached

    def matrix(self, question: QuestionInfo, candidates: Sequence[Candidate]) -> np.ndarray:
        catalog = self.catalog
        # Entities stored at ingest; the rest (an older index) in one spaCy batch
        remember({c.text: c.sentence.entities for c in candidates if c.sentence.entities is not None})
        if question.labels:
            entities_of([c.text for c in candidates])
        rows = []
        for rank, c in enumerate(candidates):
            own = catalog.sentence_terms(c.sentence.id) or frozenset(terms(c.text))
            around = own.union(*(catalog.sentence_terms(n.id) for n in catalog.neighbours(c.sentence, 1, 1)))
            rows.append({
                "dense": c.dense, "window": c.window, "passage": c.passage, "bm25": c.bm25,
                "coverage": self.coverage(question.terms, own), "context": self.coverage(question.terms, around),
                "answer_type": self.answer_type(question, c.text), "typed": float(bool(question.labels)),
                "fused_rank": 1.0 / (rank + 1), "length": math.log1p(len(c.text.split())),
                "vocabulary": question.vocabulary, "unknown": min(question.unknown, 3) / 3,
                "question_terms": math.log1p(len(question.terms)),
                "title": self.coverage(question.terms, self.title_terms(c)),
                "position": 1.0 / (1 + c.sentence.index),
                "prefix_coverage": self.prefix_coverage(question.terms, own)})
        x = np.asarray([[0.0 if name in GAPS else row[name] for name in CANDIDATE_FEATURES] for row in rows],
                       dtype=np.float32).reshape(-1, len(CANDIDATE_FEATURES))
        if len(x):
            for gap, of in GAPS.items():
                x[:, COLUMN[gap]] = x[:, COLUMN[of]] - x[:, COLUMN[of]].max()
        return x
