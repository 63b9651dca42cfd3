"""Extractive summary: the lead sentence and the sentences most central to the document (nearest
the mean of its sentence vectors), skipping near repeats, quoted in document order."""
from __future__ import annotations

import numpy as np

from ..schema import Answer, AnswerKind, Document, Sentence
from ..store.base import SentenceStore
from ..catalog.catalog import Catalog
from .base import Parts, Request
from .scope import MAX_DOCS, docs_in_scope, sentence_quote

MIN_WORDS = 6          # shorter sentences ("He said so.") do not summarise
REPEAT = 0.85          # cosine above which a sentence repeats one already chosen
DIVERSITY = 0.5        # MMR weight of the similarity to sentences already chosen


class Summarizer:
    def __init__(self, catalog: Catalog, store: SentenceStore) -> None:
        self.catalog = catalog
        self.store = store

    def sentences(self, doc: Document, n: int, exclude: frozenset[str] = frozenset()) -> list[Sentence]:
        """The `n` sentences that cover `doc` best, in document order, none of `exclude` (ids)."""
        all_sentences = self.catalog.by_doc.get(doc.id, [])
        numbers, vectors = self.store.sentence_vectors(doc.id)
        row_of = {i: r for r, i in enumerate(numbers)}
        pool = [s for s in all_sentences if s.index in row_of and len(s.text.split()) >= MIN_WORDS]
        if not pool:
            pool = [s for s in all_sentences if s.index in row_of]
        if not pool:
            return []
        matrix = vectors[[row_of[s.index] for s in pool]]
        centre = matrix.mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        central = matrix @ centre
        taken = [s.id in exclude for s in pool]
        chosen: list[int] = []
        if not exclude:
            chosen.append(0)     # the lead sentence: news puts the gist first
        while len(chosen) < n:
            best, best_score = -1, -np.inf
            for i in range(len(pool)):
                if i in chosen or taken[i]:
                    continue
                similar = max((float(matrix[i] @ matrix[j]) for j in chosen), default=0.0)
                if similar > REPEAT:
                    continue
                score = central[i] - DIVERSITY * similar
                if score > best_score:
                    best, best_score = i, score
            if best < 0:
                break
            chosen.append(best)
        return sorted((pool[i] for i in chosen), key=lambda s: s.index)

    def __call__(self, question: str, doc_ids: list[str] | None, named: str = "",
                 exclude: frozenset[str] = frozenset(), kind: AnswerKind = AnswerKind.SUMMARY) -> Answer:
        docs = docs_in_scope(self.catalog, doc_ids, named)[:MAX_DOCS]
        per_doc = 3 if len(docs) == 1 else 2
        lines, quotes = [], []
        for doc in docs:
            n = per_doc + (1 if len(self.catalog.by_doc.get(doc.id, [])) > 40 and len(docs) == 1 else 0)
            picked = self.sentences(doc, n, exclude)
            if picked:
                lines.append(f"{'Summary of' if kind == AnswerKind.SUMMARY else 'More from'} “{doc.title}”")
                quotes += [sentence_quote(self.catalog, s) for s in picked]
        if not quotes:
            return Answer(question=question, text="", abstained=True)
        return Answer(question=question, text="\n".join(lines), quotes=quotes, kind=kind)


class SummaryHandler:
    """ "Summarise the article" (or the one named: "summarise the volcano article")."""

    def __init__(self, parts: Parts) -> None:
        self.catalog = parts.catalog
        self.summarize = Summarizer(parts.catalog, parts.store)

    def __call__(self, request: Request) -> Answer | None:
        subject, doc_ids = request.intent.subject, request.doc_ids
        if subject:
            searched = docs_in_scope(self.catalog, doc_ids)
            if len(searched) > 1 and len(docs_in_scope(self.catalog, doc_ids, subject)) == len(searched):
                return None     # "summarise the X article" with no title naming X: a fact question
        return self.summarize(request.question, doc_ids, subject)
