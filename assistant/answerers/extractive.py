"""The default, offline answer step: rank the candidate sentences with the learned ranker, abstain
when the learned abstainer finds no answer among them, else quote the best 1-3 verbatim with a
short answer marked in the first by the learned span reader."""
from __future__ import annotations

from ..catalog.catalog import Catalog
from ..rankers.abstainer import Abstainer
from ..rankers.features import FeatureExtractor
from ..rankers.learned import LearnedRanker
from ..readers.span_reader import SpanReader
from ..retrievers.candidate import Candidate
from ..schema import Answer, AnswerKind
from ..text.acronyms import asked_acronym, spelled_out
from ..text.question import ellipsis_fragment, expected_labels, has_wh_word
from ..text.terms import terms
from .base import AnswerInput
from .short_answer import short_answer


class ExtractiveAnswerer:
    """Its components (`Assistant` builds them from the settings, or is given them): the ranker
    (with its cross-encoder), the abstainer and the span reader. The features are the catalog's."""

    def __init__(self, catalog: Catalog, ranker: LearnedRanker, abstainer: Abstainer, reader: SpanReader,
                 max_quotes: int = 3, quote_ratio: float = 0.5) -> None:
        self.catalog = catalog
        self.extractor = FeatureExtractor(catalog)
        self.ranker = ranker
        self.abstainer = abstainer
        self.reader = reader
        self.max_quotes = max_quotes
        self.quote_ratio = quote_ratio   # a further quote needs this share of the best one's probability

    def warm_up(self) -> None:
        for component in (self.ranker, self.abstainer, self.reader):
            component.warm_up()

    def rank_candidates(self, question: str, candidates: list[Candidate], doc_ids: list[str] | None) -> list[Candidate]:
        """Candidates best first by the learned ranker (for "tell me more": no abstention)."""
        info = self.extractor.question(question, doc_ids, expected_labels(question), candidates)
        return [r.candidate for r in self.rank(info, candidates)]

    def rank(self, info, candidates: list[Candidate], read_ahead: bool = False):
        """With `read_ahead`, the reader reads the first stage's best candidate while the
        cross-encoder scores: the abstainer and the short answer need the reader on the final best,
        which is that candidate about four times in five."""
        x = self.extractor.matrix(info, candidates)
        if not read_ahead or not candidates:
            return self.ranker.rank(info, candidates, x)
        order = self.ranker.first_stage(x)
        ahead = self.reader.read_ahead(info.read_as, candidates[int(order[0])].text)
        ranked = self.ranker.rank(info, candidates, x, order)
        ahead.exception()   # wait; a failure shows again if that pair is read on the final best
        return ranked

    def __call__(self, inputs: AnswerInput) -> Answer:
        return self.decide(inputs)[0]

    def decide(self, inputs: AnswerInput) -> tuple[Answer, list[Candidate]]:
        """The answer, and the candidates it may quote, best first (none when it abstains): those
        the ranker scored, then the others in retrieval order (a language model reads more)."""
        asked, question = inputs["question"], inputs["standalone"]
        doc_ids = inputs.get("doc_ids")
        fragment = ellipsis_fragment(asked) if asked != question else None
        # The type comes from what the user asked; a follow-up ("And in X?") or a question without a
        # question word borrows it from the standalone question.
        labels = expected_labels(asked) if has_wh_word(asked) and not fragment else expected_labels(question)
        abstained = Answer(question=asked, text="", abstained=True, standalone_question=question)
        # Hard requirements first: after "And in X?" only sentences naming X can answer; for "What
        # does X stand for?" only sentences spelling X out.
        subject = set(self.catalog.bm25.correct(t) for t in terms(fragment)) if fragment else set()
        acronym = asked_acronym(question)

        def eligible(c: Candidate) -> bool:
            own = self.catalog.sentence_terms(c.sentence.id) or frozenset(terms(c.text))
            return ((not subject or bool(own & subject))
                    and (not acronym or spelled_out(c.text, acronym) is not None))

        candidates = [c for c in inputs["candidates"] if eligible(c)]
        info = self.extractor.question(question, doc_ids, labels, candidates)
        ranked = self.rank(info, candidates, read_ahead=True)
        if not ranked:
            return abstained, []
        if acronym:    # the answer is certain: the name in full
            kind, confidence = AnswerKind.FACT, 1.0
        else:
            kind, confidence = self.abstainer.assess(info, ranked)
        if kind == AnswerKind.ABSTAINED:
            abstained.confidence = confidence
            return abstained, []
        best = ranked[0]
        chosen = [best] + [r for r in ranked[1:self.max_quotes]
                           if r.probability >= best.probability * self.quote_ratio]
        quotes = [r.candidate.quote(r.probability) for r in chosen]
        scored = {r.candidate.sentence.id for r in ranked}
        ordered = [r.candidate for r in ranked] + [c for c in candidates if c.sentence.id not in scored]
        if kind == AnswerKind.UNCERTAIN:    # no answer claimed: the closest passages, as such
            return Answer(question=asked, text="", quotes=quotes, kind=kind, standalone_question=question,
                          confidence=confidence), ordered
        answer = Answer(question=asked, text=short_answer(info.read_as, best.candidate.text, labels, self.reader),
                        quotes=quotes, standalone_question=question, confidence=confidence)
        return answer, ordered
