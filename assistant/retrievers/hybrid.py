"""Dense and BM25 sentence search fused by reciprocal rank, as a LangChain retriever; candidates
carry their passage's and best window's similarity too."""
from __future__ import annotations

from typing import Any, Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..store.catalog import Catalog
from .dense import DenseRetriever


class HybridRetriever(BaseRetriever):
    """Returns sentences as LangChain documents; metadata carries offsets and the scores."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    catalog: Catalog
    dense: DenseRetriever
    k: int = 10
    candidates: int = 30
    rrf_k: int = 60

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                doc_ids: Sequence[str] | None = None, **_: Any) -> list[LCDocument]:
        return self.search(query, doc_ids=doc_ids)

    def search(self, query: str, doc_ids: Sequence[str] | None = None,
               k: int | None = None) -> list[LCDocument]:
        catalog = self.catalog
        query_vector = self.dense.embedder.encode_query(query)
        dense_hits = self.dense.search_vector(query_vector, self.candidates, doc_ids)
        passage = catalog.passage_scorer(query_vector)
        window = catalog.window_scorer(query_vector)
        lexical_hits = catalog.bm25.search(query, self.candidates, doc_ids)
        fused: dict[str, dict[str, float]] = {}
        for name, hits in (("dense", dense_hits), ("bm25", lexical_hits)):
            for rank, (sid, score) in enumerate(hits):
                entry = fused.setdefault(sid, {"rrf": 0.0, "dense": 0.0, "bm25": 0.0})
                entry["rrf"] += 1.0 / (self.rrf_k + rank + 1)
                entry[name] = score
        ranked = sorted(fused.items(), key=lambda kv: -kv[1]["rrf"])[: k or self.k]
        top_bm25 = max((s for _, s in lexical_hits), default=0.0) or 1.0
        docs = []
        for sid, feats in ranked:
            sentence = catalog.by_id.get(sid)
            if sentence is None:   # stored after the catalog was built; skipped until refresh
                continue
            doc = catalog.docs[sentence.doc_id]
            docs.append(LCDocument(
                page_content=sentence.text, id=sid,
                metadata={"doc_id": sentence.doc_id, "title": doc.title, "sentence": sentence.index,
                          "start": sentence.span.start, "end": sentence.span.end,
                          "score": feats["rrf"], "dense": feats["dense"], "passage": passage(sid),
                          # the best window of a long sentence, else the sentence itself
                          "window": max(feats["dense"], window(sid) or 0.0),
                          "bm25": feats["bm25"] / top_bm25}))
        return docs
