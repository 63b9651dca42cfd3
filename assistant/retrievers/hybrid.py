"""Dense and BM25 sentence search fused by reciprocal rank; candidates carry their passage's and
best window's similarity too. Also a LangChain retriever."""
from __future__ import annotations

from typing import Any, Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..catalog.catalog import Catalog
from .candidate import Candidate
from .dense import DenseRetriever
from .spelling import corrected


class HybridRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    catalog: Catalog
    dense: DenseRetriever
    k: int = 12
    candidates: int = 30
    rrf_k: int = 60

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                doc_ids: Sequence[str] | None = None, **_: Any) -> list[LCDocument]:
        return [c.to_document() for c in self.search(query, doc_ids=doc_ids)]

    def search(self, query: str, doc_ids: Sequence[str] | None = None, k: int | None = None) -> list[Candidate]:
        query_vector = self.dense.embedder.encode_query(query)
        dense_hits = self.dense.search_vector(query_vector, self.candidates, doc_ids)
        snapshot = self.catalog.current    # after the search: a new process loads it meanwhile
        spelled = corrected(query, snapshot)
        if spelled != query:     # a misspelt word: search again with the documents' spelling
            query_vector = self.dense.embedder.encode_query(spelled)
            dense_hits = self.dense.search_vector(query_vector, self.candidates, doc_ids)
        lexical_hits = snapshot.bm25.search(query, self.candidates, doc_ids)
        passage = self.catalog.passage_scorer(query_vector)
        window = self.catalog.window_scorer(query_vector)
        fused: dict[str, dict[str, float]] = {}
        for name, hits in (("dense", dense_hits), ("bm25", lexical_hits)):
            for rank, (sid, score) in enumerate(hits):
                entry = fused.setdefault(sid, {"rrf": 0.0, "dense": 0.0, "bm25": 0.0})
                entry["rrf"] += 1.0 / (self.rrf_k + rank + 1)
                entry[name] = score
        ranked = sorted(fused.items(), key=lambda kv: -kv[1]["rrf"])[: k or self.k]
        top_bm25 = max((s for _, s in lexical_hits), default=0.0) or 1.0
        # A sentence found by BM25 alone ranks below every dense hit: its cosine is at most theirs.
        floor = min((s for _, s in dense_hits), default=0.0)
        dense_ids = {sid for sid, _ in dense_hits}
        out = []
        for sid, scores in ranked:
            sentence = snapshot.by_id.get(sid)
            if sentence is None:   # stored after the snapshot was taken; seen after the next refresh
                continue
            dense = scores["dense"] if sid in dense_ids else floor
            out.append(Candidate(sentence, snapshot.docs[sentence.doc_id].title, fused=scores["rrf"],
                                 dense=dense, bm25=scores["bm25"] / top_bm25,
                                 passage=passage(sid), window=max(dense, window(sid) or 0.0)))
        return out
