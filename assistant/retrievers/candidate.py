"""What a retriever hands the answer step: a sentence and the scores it was found with."""
from __future__ import annotations

from dataclasses import dataclass

from langchain_core.documents import Document as LCDocument

from ..schema import Quote, Sentence


@dataclass
class Candidate:
    sentence: Sentence
    title: str
    fused: float = 0.0      # reciprocal-rank fusion of the dense and BM25 lists
    dense: float = 0.0      # cosine of the question with the sentence (0 when found by BM25 only)
    bm25: float = 0.0       # BM25 score over the best BM25 score of this search
    passage: float = 0.0    # cosine with the sentence's passage (its context)
    window: float = 0.0     # cosine with the best window of a long sentence, else `dense`

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def doc_id(self) -> str:
        return self.sentence.doc_id

    def quote(self, score: float = 0.0) -> Quote:
        s = self.sentence
        return Quote(text=s.text, doc_id=s.doc_id, title=self.title, start=s.span.start, end=s.span.end,
                     score=round(score, 4), sentence=s.index)

    def to_document(self) -> LCDocument:
        """The LangChain view, for callers that use the retriever as a `BaseRetriever`."""
        s = self.sentence
        return LCDocument(page_content=s.text, id=s.id, metadata={
            "doc_id": s.doc_id, "title": self.title, "sentence": s.index, "start": s.span.start,
            "end": s.span.end, "score": self.fused, "dense": self.dense, "bm25": self.bm25,
            "passage": self.passage, "window": self.window})
