"""The default, offline answer step: rank sentences, quote the best 1-3 verbatim, extract a short
answer, or abstain when the best sentence does not match the question well enough."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from langchain_core.documents import Document as LCDocument

from ..schema import Answer, Quote
from ..store.catalog import Catalog
from ..text.acronyms import asked_acronym, spelled_out
from ..text.terms import terms
from .base import AnswerInput
from .entities import entities
from .question import FRAME_NOUNS, ellipsis_fragment, expected_labels, focus_terms, has_wh_word


FRAME_TERMS = frozenset(t for noun in FRAME_NOUNS for t in terms(noun))
_LEADING_PREPOSITION = re.compile(r"^\W*(in|at|on|from|to|by|for|with|during|since|after|before)\s+"
                                  r"(which|what|whom)\b", re.IGNORECASE)
_PLACE_PREPOSITIONS = frozenset("in at near inside outside across from to".split())


@dataclass(frozen=True)
class RankWeights:
    """Chosen by `benchmarks/tune_ranking.py` on half of XQuAD's articles (top-1 evidence 0.781
    there, 0.862 on the other half): the question's rare words and the passage around a sentence
    weigh as much as the sentence's own vector, which is half the whole and half its best window.
    BM25's score adds nothing once rare-word coverage is counted (it still finds candidates)."""

    dense: float = 0.5
    window: float = 0.5
    bm25: float = 0.0
    coverage: float = 1.6
    context: float = 0.5
    answer_type: float = 0.6
    passage: float = 2.0


@dataclass(frozen=True)
class AbstainModel:
    """Logistic model of "the best sentence answers the question", fitted on XQuAD by
    `benchmarks/fit_abstention.py` (positives: questions over all articles; negatives: the same
    questions with their own article left out). Features: dense, window, coverage, context,
    vocabulary, passage."""

    weights: tuple[float, ...] = (4.904, 4.413, 2.563, 6.104, 2.666, 8.959)
    bias: float = -14.398
    # The overrule stays strict: XQuAD's negatives are off-topic, so they cannot test the unknown-noun
    # rule, which is there for on-topic questions the article does not answer. With it, the threshold
    # giving the most abstention on XQuAD at most 2% false abstentions: 1.8% false abstentions,
    # 91.8% abstentions when the answer is absent.
    threshold: float = 0.1
    overrule: float = 0.9    # a match this likely is answered even with an unknown noun

    def probability(self, features: tuple[float, ...]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass
class Candidate:
    doc: LCDocument
    score: float
    dense: float
    window: float
    coverage: float
    context: float
    has_type: float
    eligible: bool = True     # meets what the question demands outright (see `rank`)


class ExtractiveAnswerer:
    def __init__(self, catalog: Catalog, weights: RankWeights = RankWeights(),
                 abstain: AbstainModel = AbstainModel(), max_quotes: int = 3,
                 quote_margin: float = 0.08) -> None:
        self.catalog = catalog
        self.weights = weights
        self.abstain = abstain
        self.max_quotes = max_quotes
        self.quote_margin = quote_margin

    # features ----------------------------------------------------------------------------
    def coverage(self, q_terms: list[str], text_terms: frozenset[str] | set[str]) -> float:
        """Share of the question's IDF mass found in a text: rare words matter, 'said' does not."""
        weight = self.catalog.bm25.term_weight
        total = sum(weight(t) for t in q_terms)
        return sum(weight(t) for t in q_terms if t in text_terms) / total if total else 0.0

    @staticmethod
    def answer_entities(question: str, text: str, labels: tuple[str, ...]) -> list[tuple[str, int, int]]:
        """(entity, label rank, position) of entities that could answer: of a wanted type and not
        mostly made of the question's own words."""
        q_terms = set(terms(question))
        found = []
        for ent, label, start, _ in entities(text):
            ent_terms = terms(ent)
            if label in labels and (not ent_terms or
                                    sum(t in q_terms for t in ent_terms) * 2 < len(ent_terms)):
                found.append((ent, labels.index(label), start))
        return found

    def query_terms(self, question: str) -> list[str]:
        """Content terms of the question, misspellings mapped to corpus words, framing nouns
        ("which city", "what kind") left out."""
        correct = self.catalog.bm25.correct
        return list(dict.fromkeys(correct(t) for t in terms(question) if t not in FRAME_TERMS))

    def unknown_focus(self, question: str, doc_ids=None) -> list[str]:
        """Terms of nouns the question is about that the documents never use ("population")."""
        vocabulary = self.catalog.vocabulary(doc_ids)
        correct = self.catalog.bm25.correct
        return [ts[0] for ts in focus_terms(question)
                if not any(correct(t) in vocabulary for t in ts)]

    def rank(self, question: str, docs: list[LCDocument], labels: tuple[str, ...] = (),
             subject: list[str] = (), acronym: str | None = None) -> list[Candidate]:
        """Best first. With a `subject` (the terms of an elliptical follow-up: "And in Japan?"),
        sentences that name it come before those that do not: the user has switched to it. With an
        `acronym` to spell out, sentences that spell it out come first: no other can answer."""
        q_terms = self.query_terms(question)
        w = self.weights
        out = []
        for doc in docs:
            own = self.catalog.sentence_terms(doc.id) or frozenset(terms(doc.page_content))
            cov = self.coverage(q_terms, own)
            sentence = self.catalog.by_id.get(doc.id)
            around = own.union(*(self.catalog.sentence_terms(n.id) for n in
                                 self.catalog.neighbours(sentence, before=1, after=1))) if sentence else own
            ctx = self.coverage(q_terms, around)
            found = self.answer_entities(question, doc.page_content, labels) if labels else []
            has_type = max((1.0 if rank == 0 else 0.5 for _, rank, _ in found), default=0.0)
            window_score = doc.metadata.get("window", doc.metadata["dense"])
            score = (w.dense * doc.metadata["dense"] + w.window * window_score + w.bm25 * doc.metadata["bm25"]
                     + w.coverage * cov + w.context * ctx + w.answer_type * has_type
                     + w.passage * doc.metadata.get("passage", 0.0))
            eligible = ((not subject or bool(own.intersection(subject)))
                        and (not acronym or spelled_out(doc.page_content, acronym) is not None))
            out.append(Candidate(doc, score, doc.metadata["dense"], window_score, cov, ctx, has_type, eligible))
        out.sort(key=lambda c: (not c.eligible, -c.score))
        return out

    def features(self, question: str, best: Candidate, doc_ids=None) -> tuple[float, ...]:
        q_terms = self.query_terms(question)
        vocab = self.coverage(q_terms, self.catalog.vocabulary(doc_ids))
        return (best.dense, best.window, best.coverage, best.context, vocab, best.doc.metadata.get("passage", 0.0))

    def should_abstain(self, question: str, best: Candidate, doc_ids=None) -> bool:
        """Abstain when the best sentence matches poorly, or when the question is about something
        the documents never mention and the match is not strong enough to overrule that."""
        p = self.abstain.probability(self.features(question, best, doc_ids))
        if p < self.abstain.threshold:
            return True
        return p < self.abstain.overrule and bool(self.unknown_focus(question, doc_ids))

    # answering ---------------------------------------------------------------------------
    def short_answer(self, question: str, quote: str, labels: tuple[str, ...]) -> str:
        acronym = asked_acronym(question)
        full_name = spelled_out(quote, acronym) if acronym else None
        if full_name:
            return full_name
        found = self.answer_entities(question, quote, labels) if labels else []
        if not found:
            return quote
        q_terms = set(terms(question))
        words = quote.split()
        anchors = [i for i, tok in enumerate(words) if set(terms(tok)) & q_terms] or [0]

        def distance(position: int) -> int:
            index = len(quote[:position].split())
            return min(abs(index - a) for a in anchors)

        # "In which city ...?" is answered by a name after "in", "Where ...?" by one after a place
        # preposition ("in Tokyo", not the "US" of "US Deputy Secretary"): prefer those.
        lead = _LEADING_PREPOSITION.match(question)
        prepositions = ({lead.group(1).lower()} if lead
                        else _PLACE_PREPOSITIONS if re.search(r"\bwhere\b", question, re.IGNORECASE) else set())

        def after_preposition(position: int) -> bool:
            before = quote[:position].split()
            return bool(before) and before[-1].lower() in prepositions

        return min(found, key=lambda f: (f[1], bool(prepositions) and not after_preposition(f[2]),
                                         distance(f[2])))[0]

    def __call__(self, inputs: AnswerInput) -> Answer:
        asked, question = inputs["question"], inputs["standalone"]
        fragment = ellipsis_fragment(asked) if asked != question else None
        # The type comes from what the user asked; a follow-up ("And in Japan?", "What about
        # Japan?") or a question without a question word borrows it from the standalone question.
        labels = expected_labels(asked) if has_wh_word(asked) and not fragment else expected_labels(question)
        subject = [self.catalog.bm25.correct(t) for t in terms(fragment)] if fragment else []
        acronym = asked_acronym(question)
        ranked = self.rank(question, inputs["documents"], labels, subject, acronym)
        abstained = Answer(question=asked, text="", abstained=True, standalone_question=question)
        if not ranked:
            return abstained
        best = ranked[0]
        if subject and not best.eligible:    # "And in China?": no sentence names China
            return abstained
        spells_out = bool(acronym) and best.eligible    # the answer is certain: the name in full
        if not spells_out and self.should_abstain(question, best, inputs.get("doc_ids")):
            return abstained
        chosen = [best] + [c for c in ranked[1:self.max_quotes]
                           if c.eligible and c.score >= best.score - self.quote_margin][: self.max_quotes - 1]
        quotes = [Quote(text=c.doc.page_content, doc_id=c.doc.metadata["doc_id"],
                        title=c.doc.metadata["title"], start=c.doc.metadata["start"],
                        end=c.doc.metadata["end"], score=round(c.score, 4),
                        sentence=c.doc.metadata["sentence"]) for c in chosen]
        return Answer(question=asked, text=self.short_answer(question, best.doc.page_content, labels),
                      quotes=quotes, standalone_question=question)
